#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "hx/cli.h"
#include "hx/err.h"
#include "hx/input.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/tmpdir.h"
#include "hx/tplout.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* clang-format off */
static const char usage[] =
	"Usage: helm x template [RELEASE] SOURCE [flags]\n"
	"\n"
	"Render SOURCE, apply the patches, and print the stream (no cluster).\n"
	"SOURCE is a chart directory, a packaged chart (.tgz), REPO/CHART\n"
	"(with --version, or any name with --repo), oci://..., a directory\n"
	"with a kustomization, a directory of manifests, a manifest file or\n"
	"'-'.  Charts are rendered with 'helm template', kustomizations with\n"
	"$KUSTOMIZE_BIN, kustomize or kubectl kustomize.  A kustomization's or\n"
	"a manifest dir's templates/tests/ are Helm test templates, rendered\n"
	"as the release's.\n"
	"\n"
	"Flags:\n"
	"      --name RELEASE      the release name (default 'release-name')\n"
	"  -n, --namespace NS      the release namespace ($HELM_NAMESPACE)\n"
	"      --json-patch FILE, --strategic-merge-patch FILE, --patches FILE,\n"
	"      --openapi FILE, --allow-no-match\n"
	"                          as for 'helm x patch' (see its --help)\n"
	"  -f, --values FILE, --set, --set-string, --set-file, --set-json,\n"
	"      --set-literal, --kube-version, --api-versions, --include-crds,\n"
	"      --skip-tests\n"
	"                          passed to helm template; a kustomization's\n"
	"                          -f files may set images, namePrefix,\n"
	"                          nameSuffix and namespace (as old helm-x)\n"
	"      --enable_alpha_plugins, --enable-alpha-plugins\n"
	"                          let kustomize run its plugins\n"
	"      --version V, --repo URL, --devel\n"
	"                          which chart to pull\n"
	"      --plain-http, --insecure-skip-tls-verify, --ca-file F,\n"
	"      --cert-file F, --key-file F, --username U, --password P,\n"
	"      --pass-credentials, --verify, --keyring F\n"
	"                          passed to helm pull (remote charts only)\n"
	"      --dependency ALIAS=REPO/CHART:VERSION\n"
	"                          add a subchart from a 'helm repo add'\n"
	"                          repository (to a copy of the chart, or to\n"
	"                          the chart made for a kustomization or a\n"
	"                          manifest dir) and fetch it with helm\n"
	"                          dependency build (repeatable; old\n"
	"                          helm-x's --adhoc-dependency too)\n"
	"      --inject 'CMD ... FILE'\n"
	"                          run CMD on the patched stream, FILE replaced\n"
	"                          by a file holding it; prints CMD's output\n"
	"                          (or FILE, edited in place, when CMD prints\n"
	"                          nothing); fewer documents is an error\n"
	"      --post-render       run helm template with helm-x's patches as\n"
	"                          its post-renderer (charts only; Helm 3\n"
	"                          sends it no hooks, Helm 4 does)\n"
	"  -s, --show-only TEMPLATE\n"
	"                          print only these templates (as helm: path\n"
	"                          in the chart, or a glob), after the patches\n"
	"                          ran on the whole render (repeatable)\n"
	"      --output-dir DIR    write each document to DIR/SOURCE as helm\n"
	"                          does (--release-name: DIR/RELEASE/SOURCE)\n"
	"      --is-upgrade, --validate, --dry-run[=MODE],\n"
	"      --skip-schema-validation, --enable-dns\n"
	"                          passed to helm template\n"
	"      --post-renderer P --post-renderer-args A\n"
	"                          P helm-x itself (its path, or x-patch): A\n"
	"                          are its patch flags (helmfile's\n"
	"                          postRenderer); else helm template runs P\n"
	"      --keep-tmp          keep the temporary directory (also --debug)\n"
	"      -- ARGS             passed to helm template as they are\n"
	"\n"
	"Exit status: 0 ok, 1 on any error (helm's too).\n";
/* clang-format on */

/* --inject: the patched stream goes through the commands via a file. */
static int inject_and_print(struct hx_patchset *ps, struct hx_streams *s,
                            const struct hx_opts *o)
{
	const char *tmp = hx_tmpdir_create(o->keep_tmp || o->debug);
	const struct hx_stream *st;

	if (!tmp || hx_streams_patch(ps, s, o, 0) < 0 ||
	    hx_streams_inject(s, o, tmp) < 0)
		return -1;
	hx_tmpdir_remove();
	st = &s->v[0];
	if (fwrite(st->buf, 1, st->len, stdout) != st->len ||
	    fflush(stdout) != 0) {
		hx_error_set_errno("cannot write output");
		return -1;
	}
	return 0;
}

int hx_cmd_template(int argc, char **argv)
{
	struct hx_opts o = HX_OPTS_INIT;
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_streams streams = HX_STREAMS_INIT;
	struct hx_render_opts ro = {0};
	enum hx_input_kind kind;
	const char *source;
	int rc = 1;

	hx_signals_init(); /* before any child runs */
	switch (hx_opts_parse(&o, argc, argv, usage)) {
	case 1:
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (o.args.n < 1 || o.args.n > 2) {
		hx_error_set("'template' needs [RELEASE] SOURCE (see 'helm x "
		             "template --help')");
		goto out;
	}
	source = o.args.v[o.args.n - 1];
	if ((o.show_only.n || o.output_dir) && (o.inject.n || o.post_render)) {
		hx_error_set("'%s' selects from helm-x's own output: not with "
		             "%s",
		             o.output_dir ? "--output-dir" : "--show-only",
		             o.inject.n ? "--inject" : "--post-render");
		goto out;
	}
	if (o.post_render) {
		rc = hx_post_render_run(&o, "template",
		                        o.args.n == 2 ? o.args.v[0]
		                        : o.name      ? o.name
		                                      : "release-name",
		                        source, 0);
		goto out;
	}
	if (hx_opts_prepare_render(&ro, &ps, &kind, &o,
	                           o.args.n == 2 ? o.args.v[0]
	                           : o.name      ? o.name
	                                         : "release-name",
	                           source) < 0)
		goto out;
	/* pulled charts, --dependency, a kustomization's overlay, the
	 * chart of a kustomization's or manifest dir's templates/tests */
	if (kind == HX_INPUT_CHART_TGZ || kind == HX_INPUT_CHART_REF ||
	    kind == HX_INPUT_OCI || kind == HX_INPUT_KUSTOMIZE ||
	    kind == HX_INPUT_MANIFESTS || o.deps.n) {
		ro.tmpdir = hx_tmpdir_create(o.keep_tmp || o.debug);
		if (!ro.tmpdir)
			goto out;
	}
	rc = hx_render_exit(hx_render(&streams, NULL, kind, source, &ro));
	if (rc)
		goto out;
	rc = 1;
	if (o.inject.n) {
		if (inject_and_print(&ps, &streams, &o) < 0)
			goto out;
		rc = 0;
		goto out;
	}
	/* no temp dir outlives us, even when the reader stops early */
	hx_tmpdir_remove();
	if (o.show_only.n || o.output_dir) {
		if (hx_streams_patch(&ps, &streams, &o, 0) < 0 ||
		    hx_tplout_write(&streams, &o.show_only, o.output_dir,
		                    o.release_name_dir ? ro.release : NULL) < 0)
			goto out;
	} else if (hx_streams_patch(&ps, &streams, &o, 1) < 0) {
		goto out;
	}
	rc = 0;
out:
	hx_tmpdir_remove();
	hx_streams_release(&streams);
	hx_patchset_release(&ps);
	hx_opts_release(&o);
	hx_tmpdir_reraise();
	return hx_error_exit(rc);
}
