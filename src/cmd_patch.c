#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/cli.h"
#include "hx/err.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

/* clang-format off */
static const char usage[] =
	"Usage: helm-x patch [FILE|DIR|-]... [flags] [-- FILE...]\n"
	"\n"
	"Read YAML streams (standard input when no argument or '-'; a DIR\n"
	"gives its *.yaml, *.yml and *.json files, recursively, sorted by\n"
	"path), apply the patches in command-line order and print the stream.\n"
	"Words after '--' are files even when they start with '-'.\n"
	"Documents no patch touched are printed byte for byte.\n"
	"\n"
	"Flags:\n"
	"      --json-patch FILE   RFC 6902 patches in helm-x format (repeatable;\n"
	"                          alias --jsonpatch):\n"
	"                            target: {group, version, kind, name, namespace}\n"
	"                            patch: [ops]        or   path: OPS-FILE\n"
	"                          several per file (documents, or a list);\n"
	"                          no target applies to every document\n"
	"      --strategic-merge-patch FILE\n"
	"                          strategic merge patches (repeatable): each\n"
	"                          document patches the one with its apiVersion\n"
	"                          group, kind, metadata.name (and namespace);\n"
	"                          Kubernetes merge keys for built-in kinds\n"
	"      --patches FILE      kustomize-style patch entries (repeatable):\n"
	"                          a list, or a kustomization's patches:,\n"
	"                          patchesStrategicMerge: and patchesJson6902:;\n"
	"                          {path|patch, target: {group, version, kind,\n"
	"                          name, namespace, labelSelector,\n"
	"                          annotationSelector}}; kind, name, namespace\n"
	"                          are anchored regexes; a list body is RFC 6902,\n"
	"                          a mapping is strategic merge\n"
	"      --openapi FILE      OpenAPI v2/v3 JSON giving merge keys for the\n"
	"                          kinds it names (CRDs; repeatable); kinds with\n"
	"                          no schema get JSON merge patch semantics\n"
	"      --allow-no-match    a patch that matches no document is a warning,\n"
	"                          not an error\n"
	"  -n, --namespace NS      namespace of documents that set none, for\n"
	"                          targets with a namespace (default: $HELM_NAMESPACE,\n"
	"                          else 'default')\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 ok, 1 on any error (nothing is printed then).\n";
/* clang-format on */

static int add_inputs(struct hx_strvec *files, const struct hx_strvec *args)
{
	size_t i;

	if (!args->n) {
		hx_strvec_push(files, "-");
		return 0;
	}
	for (i = 0; i < args->n; i++) {
		const char *a = args->v[i];
		int dir;

		if (!strcmp(a, "-")) {
			hx_strvec_push(files, a);
			continue;
		}
		dir = hx_is_dir(a);
		if (dir < 0)
			return -1;
		if (!dir) {
			hx_strvec_push(files, a);
			continue;
		}
		if (hx_render_list_manifests(files, a) < 0)
			return -1;
	}
	return 0;
}

int hx_cmd_patch(int argc, char **argv)
{
	struct hx_opts o = HX_OPTS_INIT;
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_strvec files = HX_STRVEC_INIT;
	struct hx_streams streams = HX_STREAMS_INIT;
	size_t i;
	int rc = 1;

	switch (hx_cmd_parse(&o, argc, argv, usage)) {
	case 1:
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (o.helm_flag) {
		hx_error_set("'%s' is a helm flag: 'patch' reads YAML streams "
		             "(render with 'helm x template', or pipe into "
		             "'helm-x patch')",
		             o.helm_flag);
		goto out;
	}
	/* words after "--" are file names too (a file named "-n") */
	for (i = 0; i < o.extra.n; i++)
		hx_strvec_push(&o.args, o.extra.v[i]);
	if (hx_cmd_load_patches(&ps, &o) < 0 || add_inputs(&files, &o.args) < 0)
		goto out;
	for (i = 0; i < files.n; i++)
		if (hx_stream_read(hx_streams_add(&streams), files.v[i]) < 0)
			goto out;
	if (hx_cmd_patch_streams(&ps, &streams, &o, 1) < 0)
		goto out;
	rc = 0;
out:
	hx_streams_release(&streams);
	hx_strvec_clear(&files);
	hx_patchset_release(&ps);
	hx_opts_release(&o);
	return hx_error_exit(rc);
}
