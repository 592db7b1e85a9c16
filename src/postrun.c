/*
 * --post-render: helm renders the chart and installs it, with helm-x as its
 * post-renderer, instead of helm-x rendering it into a temporary chart.
 * The release keeps the chart's own templates, and .Release.Revision,
 * lookup and .Capabilities are those of the real install.
 */
#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/adopt.h"
#include "hx/cli.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/input.h"
#include "hx/patchset.h"
#include "hx/postrender.h"
#include "hx/spawn.h"
#include "hx/tmpdir.h"
#include "hx/util.h"

#include "hx/banned.h"

/* What --post-render cannot do, with what to do instead. */
static int refuse(const struct hx_opts *o, enum hx_input_kind kind,
                  const char *verb)
{
	const char *what = NULL;

	if (kind == HX_INPUT_KUSTOMIZE)
		what = "a kustomization";
	else if (kind == HX_INPUT_MANIFESTS || kind == HX_INPUT_FILE ||
	         kind == HX_INPUT_STDIN)
		what = "a set of manifests";
	if (what) {
		hx_error_set("--post-render needs a chart; %s is always "
		             "installed as a temporary chart: drop "
		             "--post-render",
		             what);
		return -1;
	}
	what = o->inject.n        ? "--inject"
	       : o->deps.n        ? "--dependency"
	       : o->keep_tmp      ? "--keep-tmp"
	       : o->alpha_plugins ? "--enable_alpha_plugins"
	                          : NULL;
	if (what) {
		hx_error_set("'%s' works on the temporary chart, which "
		             "--post-render does not make: drop one of them",
		             what);
		return -1;
	}
	if (strcmp(verb, "template") && o->template_args.n) {
		hx_error_set("'%s' is a flag of helm template; with "
		             "--post-render helm %s renders the chart itself",
		             o->template_args.v[0], verb);
		return -1;
	}
	return 0;
}

/* Print what x-patch wrote to the error file (Helm 4 hides its stderr). */
/* Print helm-x's error lines of the post-renderer run; 1 when one is a
 * patch that matched nothing. */
static int show_errors(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int nomatch = 0;

	if (hx_read_file(&buf, &len, path) == 0 && len) {
		fwrite(buf, 1, len, stderr);
		nomatch = strstr(buf, " matched no ") != NULL;
	} else {
		hx_error_clear();
	}
	free(buf);
	return nomatch;
}

int hx_post_render_prepare(struct hx_post_render *pr, struct hx_opts *o,
                           const char *verb, const char *release,
                           const char *source, int upgrade_install,
                           const char *tmp)
{
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_strvec *a = &pr->helm.args;
	enum hx_input_kind kind;
	const char *ns = hx_opts_namespace(o);
	const char *ctx =
	        o->kube_context ? o->kube_context : getenv("HELM_KUBECONTEXT");
	int install = strcmp(verb, "template") != 0, rc = -1;
	size_t i;

	if (release[0] == '-') {
		hx_error_set("release name '%s' starts with '-': helm would "
		             "read it as a flag",
		             release);
		goto out;
	}
	if (o->install_only.n) {
		hx_error_set("--post-render makes helm-x helm's post-renderer, "
		             "and helm runs one: drop --post-renderer %s",
		             o->post_renderer);
		goto out;
	}
	/* a bad patch file is our line, before helm renders anything */
	if (hx_input_detect(&kind, source, o->repo != NULL) < 0 ||
	    refuse(o, kind, verb) < 0 || hx_opts_load_patches(&ps, o) < 0)
		goto out;
	pr->errors = hx_path_join(tmp, "postrender-errors");
	if (setenv("HELM_X_POSTRENDER_ERRORS", pr->errors, 1) != 0) {
		hx_error_set_errno("setenv");
		goto out;
	}
	hx_strvec_pushl(a, hx_helm_bin(), verb, release, source, NULL);
	if (upgrade_install)
		hx_strvec_push(a, "--install");
	if (o->chart_version)
		hx_strvec_pushl(a, "--version", o->chart_version, NULL);
	if (o->repo)
		hx_strvec_pushl(a, "--repo", o->repo, NULL);
	if (o->devel)
		hx_strvec_push(a, "--devel");
	for (i = 0; i < o->pull_args.n; i++)
		hx_strvec_push(a, o->pull_args.v[i]);
	if (ns)
		hx_strvec_pushl(a, "--namespace", ns, NULL);
	if (ctx && *ctx && install)
		hx_strvec_pushl(a, "--kube-context", ctx, NULL);
	for (i = 0; i < o->values.n; i++)
		hx_strvec_push(a, o->values.v[i]);
	for (i = 0; i < o->template_args.n; i++)
		hx_strvec_push(a, o->template_args.v[i]);
	if (install && hx_opts_push_install_flags(a, o) < 0)
		goto out;
	if (install && o->output)
		hx_strvec_pushl(a, "--output", o->output, NULL);
	if (hx_postrender_helm_args(a, o, ns) < 0)
		goto out;
	pr->helm.what = !strcmp(verb, "template")  ? "helm template"
	                : !strcmp(verb, "install") ? "helm install"
	                                           : "helm upgrade";
	rc = 0;
out:
	hx_patchset_release(&ps);
	return rc;
}

int hx_post_render_status(struct hx_post_render *pr, int rc)
{
	if (rc < 0) {
		hx_error_suffix("%s", hx_helm_bin_origin());
		return 1;
	}
	if (rc > 0) {
		int nomatch = show_errors(pr->errors), major = 0;

		if (nomatch && (major = hx_helm_major()) < 0)
			hx_error_clear(); /* no hint, then */
		hx_error_set("'%s' exited with status %d", pr->helm.what, rc);
		if (major == 3)
			hx_error_suffix(
			        "; Helm 3 sends no hooks and no tests to "
			        "a post-renderer: for a patch of a hook, "
			        "drop --post-render (helm-x's temporary "
			        "chart patches them) or use Helm 4");
	}
	return rc;
}

void hx_post_render_release(struct hx_post_render *pr)
{
	unsetenv("HELM_X_POSTRENDER_ERRORS");
	hx_postrender_env_restore();
	free(pr->errors);
	pr->errors = NULL;
	hx_proc_release(&pr->helm);
}

int hx_post_render_run(struct hx_opts *o, const char *verb, const char *release,
                       const char *source, int upgrade_install)
{
	struct hx_post_render pr = HX_POST_RENDER_INIT;
	const char *tmp;
	size_t i;
	int rc = 1;

	if (hx_helm_check_release(release) < 0)
		return 1;
	tmp = hx_tmpdir_create(o->debug);
	if (!tmp || hx_post_render_prepare(&pr, o, verb, release, source,
	                                   upgrade_install, tmp) < 0)
		goto out;
	for (i = 0; i < o->extra.n; i++)
		hx_strvec_push(&pr.helm.args, o->extra.v[i]);
	if (o->adopt.n && hx_adopt_opts(o, release) < 0)
		goto out;
	rc = hx_post_render_status(&pr, hx_proc_run(&pr.helm, NULL));
out:
	hx_post_render_release(&pr);
	hx_tmpdir_remove();
	return rc;
}
