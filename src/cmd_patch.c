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
	"Usage: helm-x patch [FILE|DIR|-]... [flags]\n"
	"\n"
	"Read YAML streams (standard input when no argument or '-'; a DIR\n"
	"gives its *.yaml, *.yml and *.json files, recursively, sorted by\n"
	"path), apply the patches in command-line order and print the stream.\n"
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
	struct hx_strvec files = HX_STRVEC_INIT, warnings = HX_STRVEC_INIT;
	struct hx_stream *streams = NULL;
	const char *ns;
	size_t i, nstreams = 0;
	int state = 0, rc = 1;

	if (hx_cli_parse(&o, argc, argv) < 0)
		goto out;
	if (o.help) {
		fputs(usage, stdout);
		rc = 0;
		goto out;
	}
	ns = o.ns ? o.ns : getenv("HELM_NAMESPACE");
	hx_patchset_set_namespace(&ps, ns && *ns ? ns : "default");
	for (i = 0; i < o.openapi.n; i++)
		if (hx_patchset_add_openapi(&ps, o.openapi.v[i]) < 0)
			goto out;
	for (i = 0; i < o.patches.files.n; i++) {
		const char *f = o.patches.files.v[i];
		int r = -1;

		switch (o.patches.flags[i]) {
		case HX_FLAG_JSON_PATCH:
			r = hx_patchset_add_jsonpatch_file(&ps, f);
			break;
		case HX_FLAG_SMP:
			r = hx_patchset_add_smp_file(&ps, f);
			break;
		case HX_FLAG_PATCHES:
			r = hx_patchset_add_patches_file(&ps, f);
			break;
		}
		if (r < 0)
			goto out;
	}
	if (add_inputs(&files, &o.args) < 0)
		goto out;
	streams = hx_xcalloc(files.n, sizeof(*streams));
	for (i = 0; i < files.n; i++) {
		nstreams++;
		if (hx_stream_read(&streams[i], files.v[i]) < 0 ||
		    hx_patchset_run(&ps, &streams[i]) < 0)
			goto out;
	}
	if (hx_patchset_check_matched(&ps, o.allow_no_match, &warnings) < 0)
		goto out;
	for (i = 0; i < warnings.n; i++)
		hx_warning("%s", warnings.v[i]);
	for (i = 0; i < nstreams; i++)
		if (hx_stream_write(stdout, &streams[i], &state) < 0)
			goto out;
	if (fflush(stdout) != 0) {
		hx_error_set_errno("cannot write output");
		goto out;
	}
	rc = 0;
out:
	for (i = 0; i < nstreams; i++)
		hx_stream_release(&streams[i]);
	free(streams);
	hx_strvec_clear(&files);
	hx_strvec_clear(&warnings);
	hx_patchset_release(&ps);
	hx_opts_release(&o);
	return hx_error_exit(rc);
}
