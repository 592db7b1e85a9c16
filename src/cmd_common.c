#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/adopt.h"
#include "hx/cli.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/chartdir.h"
#include "hx/inject.h"
#include "hx/liverender.h"
#include "hx/patchrun.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/tmpdir.h"
#include "hx/yamldoc.h"

int hx_cmd_parse(struct hx_opts *o, int argc, char **argv, const char *usage)
{
	const char *debug = getenv("HELM_DEBUG");

	if (hx_cli_parse(o, argc, argv) < 0)
		return -1;
	if (o->diff_flag && strcmp(o->command, "diff")) {
		hx_error_set("'%s' is a flag of 'helm x diff', not of '%s'",
		             o->diff_flag, o->command);
		return -1;
	}
	if (o->post_render && strcmp(o->command, "install") &&
	    strcmp(o->command, "upgrade") && strcmp(o->command, "apply") &&
	    strcmp(o->command, "template") && strcmp(o->command, "diff")) {
		hx_error_set("'--post-render' is a flag of template, install, "
		             "upgrade, apply and diff, not of '%s'",
		             o->command);
		return -1;
	}
	if (o->adopt.n && strcmp(o->command, "install") &&
	    strcmp(o->command, "upgrade") && strcmp(o->command, "apply")) {
		hx_error_set("'--adopt' is a flag of install, upgrade and "
		             "apply, not of '%s' (or run 'helm x adopt')",
		             o->command);
		return -1;
	}
	for (size_t i = 0; i < o->adopt.n; i++) {
		struct hx_strvec objs = HX_STRVEC_INIT;
		int r = hx_adopt_parse(&objs, o->adopt.v[i]);

		hx_strvec_clear(&objs);
		if (r < 0)
			return -1;
	}
	/* helm --debug reaches a plugin only as HELM_DEBUG */
	if (debug && (!strcmp(debug, "true") || !strcmp(debug, "1")))
		o->debug = 1;
	if (o->help) {
		fputs(usage, stdout);
		return 1;
	}
	return 0;
}

int hx_cmd_render_opts(struct hx_render_opts *ro, struct hx_opts *o,
                       const char *release)
{
	const char *ctx =
	        o->kube_context ? o->kube_context : getenv("HELM_KUBECONTEXT");

	if (release[0] == '-') {
		hx_error_set("release name '%s' starts with '-': helm would "
		             "read it as a flag",
		             release);
		return -1;
	}
	memset(ro, 0, sizeof(*ro));
	ro->release = release;
	ro->ns = hx_cmd_namespace(o);
	ro->kube_context = ctx && *ctx ? ctx : NULL;
	ro->values = &o->values;
	ro->template_args = &o->template_args;
	ro->extra = &o->extra;
	ro->chart_version = o->chart_version;
	ro->repo = o->repo;
	ro->pull_args = &o->pull_args;
	ro->devel = o->devel;
	ro->deps = &o->deps;
	ro->alpha_plugins = o->alpha_plugins;
	return 0;
}

const char *hx_cmd_namespace(const struct hx_opts *o)
{
	const char *ns = o->ns ? o->ns : getenv("HELM_NAMESPACE");

	return ns && *ns ? ns : NULL;
}

int hx_cmd_load_patches(struct hx_patchset *ps, const struct hx_opts *o)
{
	const char *ns = hx_cmd_namespace(o);
	size_t i;

	/* a malformed --inject is refused before anything runs */
	for (i = 0; i < o->inject.n; i++) {
		struct hx_strvec cmd = HX_STRVEC_INIT;
		int r = hx_inject_parse(&cmd, o->inject.v[i]);

		hx_strvec_clear(&cmd);
		if (r < 0)
			return -1;
	}

	hx_patchset_set_namespace(ps, ns ? ns : "default");
	for (i = 0; i < o->openapi.n; i++)
		if (hx_patchset_add_openapi(ps, o->openapi.v[i]) < 0)
			return -1;
	for (i = 0; i < o->patches.files.n; i++) {
		const char *f = o->patches.files.v[i];
		int r = -1;

		switch (o->patches.flags[i]) {
		case HX_FLAG_JSON_PATCH:
			r = hx_patchset_add_jsonpatch_file(ps, f);
			break;
		case HX_FLAG_SMP:
			r = hx_patchset_add_smp_file(ps, f);
			break;
		case HX_FLAG_PATCHES:
			r = hx_patchset_add_patches_file(ps, f);
			break;
		}
		if (r < 0)
			return -1;
	}
	return 0;
}

int hx_cmd_patch_streams(struct hx_patchset *ps, struct hx_streams *s,
                         const struct hx_opts *o, int print)
{
	struct hx_strvec warnings = HX_STRVEC_INIT;
	size_t i;
	int rc = -1;

	if (hx_patchset_run_streams(ps, s->v, s->n) < 0)
		goto out;
	if (hx_patchset_check_matched(ps, o->allow_no_match, &warnings) < 0)
		goto out;
	for (i = 0; i < warnings.n; i++)
		hx_warning("%s", warnings.v[i]);
	/* after a signal nothing is printed (the command re-raises it) */
	if (hx_interrupted())
		goto out;
	if (print && hx_cmd_print_streams(s) < 0)
		goto out;
	rc = 0;
out:
	hx_strvec_clear(&warnings);
	return rc;
}

int hx_cmd_print_streams(struct hx_streams *s)
{
	size_t i;
	int state = 0;

	for (i = 0; i < s->n; i++)
		if (hx_stream_write(stdout, &s->v[i], &state) < 0)
			return -1;
	if (fflush(stdout) != 0) {
		hx_error_set_errno("cannot write output");
		return -1;
	}
	return 0;
}

int hx_cmd_inject(const struct hx_opts *o, const char *dir)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < o->inject.n; i++) {
		struct hx_strvec cmd = HX_STRVEC_INIT;

		rc = hx_inject_parse(&cmd, o->inject.v[i]);
		if (rc == 0)
			rc = hx_inject_dir(&cmd, dir);
		hx_strvec_clear(&cmd);
	}
	return rc;
}

/* Helm 4 renamed --atomic and --force; accept either spelling. */
int hx_cmd_push_install_flags(struct hx_strvec *argv,
                              const struct hx_strvec *flags)
{
	size_t i;
	int major = 0;

	for (i = 0; i < flags->n; i++) {
		const char *f = flags->v[i];
		int renamed = !strcmp(f, "--atomic") ||
		              !strcmp(f, "--rollback-on-failure") ||
		              !strcmp(f, "--force") ||
		              !strcmp(f, "--force-replace");

		if (renamed && !major && (major = hx_helm_major()) < 0)
			return -1;
		if (renamed && major >= 4)
			f = !strcmp(f, "--atomic")  ? "--rollback-on-failure"
			    : !strcmp(f, "--force") ? "--force-replace"
			                            : f;
		else if (renamed)
			f = !strcmp(f, "--rollback-on-failure") ? "--atomic"
			    : !strcmp(f, "--force-replace")     ? "--force"
			                                        : f;
		hx_strvec_push(argv, f);
	}
	return 0;
}

/*
 * Charts are rendered as the install itself will render them (helm
 * install|upgrade --dry-run=server): reused values, lookup, revision and
 * capabilities are the cluster's.  lint, client-side dry runs (no
 * cluster) and kustomizations or manifests keep helm template's render.
 * A chart whose render depends on the release would otherwise install
 * (or diff) something else than plain helm.
 */
int hx_cmd_live_wanted(enum hx_input_kind kind,
                       const struct hx_strvec *install_args)
{
	size_t i;

	if ((kind != HX_INPUT_CHART_DIR && kind != HX_INPUT_CHART_TGZ &&
	     kind != HX_INPUT_CHART_REF && kind != HX_INPUT_OCI))
		return 0;
	for (i = 0; i < install_args->n; i++) {
		const char *f = install_args->v[i];

		if (!strcmp(f, "--dry-run") || !strcmp(f, "--dry-run=client") ||
		    !strcmp(f, "--dry-run=true"))
			return 0;
	}
	return 1;
}

/*
 * Replace helm template's render of the chart in chart_dir by the
 * release's (its CRDs kept: a release holds none).
 */
int hx_cmd_render_live(struct hx_streams *s, const char *chart_dir, int upgrade,
                       const struct hx_render_opts *ro,
                       const struct hx_strvec *install_args)
{
	struct hx_strbuf text = HX_STRBUF_INIT;
	struct hx_strvec flags = HX_STRVEC_INIT;
	struct hx_stream *st;
	size_t len;
	char *buf;
	int rc = -1;

	if (hx_chartdir_crds(&text, s) < 0 ||
	    hx_cmd_push_install_flags(&flags, install_args) < 0)
		goto out;
	rc = hx_live_render(&text, upgrade, chart_dir, ro, &flags);
	if (rc)
		goto out;
	hx_streams_release(s);
	buf = hx_strbuf_detach(&text, &len);
	st = hx_streams_add(s);
	hx_stream_init_buf(st,
	                   upgrade ? "<helm upgrade --dry-run=server>"
	                           : "<helm install --dry-run=server>",
	                   buf, len);
	st->from_chart = 1;
out:
	hx_strvec_clear(&flags);
	hx_strbuf_release(&text);
	return rc;
}
