#include "hx/cmd.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/cli.h"
#include "hx/dirtree.h"
#include "hx/err.h"
#include "hx/mapfile.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* clang-format off */
static const char usage[] =
	"Usage: helm-x patch [FILE|DIR|-]... [flags] [-- FILE...]\n"
	"\n"
	"Read YAML streams (standard input when no argument or '-'; a DIR\n"
	"gives its *.yaml, *.yml and *.json files, recursively, sorted by\n"
	"path), apply the patches in command-line order and print the stream.\n"
	"Words after '--' are files even when they start with '-'.\n"
	"Documents no patch touched are printed byte for byte; in a patched\n"
	"one, only the entries the patches changed are written anew (in the\n"
	"document's indentation), the rest, comments included, as it was.\n"
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
	"                          a document may be a list of them; Kubernetes\n"
	"                          merge keys for built-in kinds\n"
	"      --patches FILE      kustomize-style patch entries (repeatable):\n"
	"                          a list, or a kustomization's patches:,\n"
	"                          patchesStrategicMerge:, patchesJson6902:,\n"
	"                          namespace:, namePrefix:, nameSuffix:,\n"
	"                          labels:, commonLabels:, commonAnnotations:,\n"
	"                          images: and replicas: (other keys: errors);\n"
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
		if (hx_dirtree_manifests(files, a, NULL) < 0)
			return -1;
	}
	return 0;
}

/*
 * Patches that delete every document of a non-empty input leave nothing to
 * print.  As a post-renderer that is an error here: helm fails on empty
 * output with no word of why.
 */
static int all_deleted(const struct hx_streams *s)
{
	size_t i, j, had = 0;

	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->v[i].n; j++) {
			const struct hx_doc *d = &s->v[i].docs[j];

			if (d->empty)
				continue;
			if (!d->deleted)
				return 0;
			had++;
		}
	if (!had)
		return 0;
	hx_error_set("the patches deleted every document (%zu): nothing is "
	             "left to print",
	             had);
	return 1;
}

/*
 * Helm 4 keeps a post-renderer plugin's stderr to itself: a failing
 * postrender says "plugin exited with error" and no more.  The line goes
 * to $HELM_X_POSTRENDER_ERRORS too (helm x ... --post-render sets it and
 * prints it), else to the terminal when there is one.
 */
static void echo_error(void)
{
	const char *path = getenv("HELM_X_POSTRENDER_ERRORS");
	FILE *f;
	int fd;

	if (path && *path)
		fd = open(path,
		          O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW |
		                  O_CLOEXEC,
		          0600);
	else
		fd = open("/dev/tty", O_WRONLY | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return;
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		return;
	}
	hx_error_copy(f);
	fclose(f);
}

int hx_patch_run(int argc, char **argv, const char *help, int postrender)
{
	struct hx_opts o = HX_OPTS_INIT;
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_strvec files = HX_STRVEC_INIT;
	struct hx_streams streams = HX_STREAMS_INIT;
	size_t i;
	int rc = 1;

	switch (hx_opts_parse(&o, argc, argv, help)) {
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
	if (hx_opts_load_patches(&ps, &o) < 0 ||
	    add_inputs(&files, &o.args) < 0)
		goto out;
	for (i = 0; i < files.n; i++)
		if (hx_stream_read_mapped(hx_streams_add(&streams),
		                          files.v[i]) < 0)
			goto out;
	if (hx_streams_patch(&ps, &streams, &o, 0) < 0 ||
	    (postrender && all_deleted(&streams)) ||
	    hx_streams_print(&streams) < 0)
		goto out;
	rc = 0;
out:
	if (hx_mapfile_changed()) {
		/* whatever failed, it failed reading zeros for lost bytes */
		hx_error_clear();
		hx_error_set("'%s' changed while helm-x read it (it became "
		             "shorter)",
		             hx_mapfile_changed());
		rc = -1;
	}
	hx_streams_release(&streams);
	hx_strvec_clear(&files);
	hx_patchset_release(&ps);
	hx_opts_release(&o);
	if (rc && postrender)
		echo_error();
	return hx_error_exit(rc);
}

int hx_cmd_patch(int argc, char **argv)
{
	return hx_patch_run(argc, argv, usage, 0);
}
