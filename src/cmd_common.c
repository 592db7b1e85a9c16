#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/adopt.h"
#include "hx/cli.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/chartdir.h"
#include "hx/inject.h"
#include "hx/liverender.h"
#include "hx/patchrun.h"
#include "hx/patchset.h"
#include "hx/postrender.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static int is_cmd(const struct hx_opts *o, const char *a, const char *b,
                  const char *c)
{
	return !strcmp(o->command, a) || (b && !strcmp(o->command, b)) ||
	       (c && !strcmp(o->command, c));
}

/* Each helm flag where the command can honour it, or one line why not. */
static int check_places(const struct hx_opts *o)
{
	int install = is_cmd(o, "install", "upgrade", "apply");

	if (o->lint_args.n && !is_cmd(o, "lint", NULL, NULL)) {
		hx_error_set("'%s' is a flag of helm lint, not of '%s'",
		             o->lint_args.v[0], o->command);
		return -1;
	}
	if ((o->output_dir || o->show_only.n || o->release_name_dir) &&
	    !is_cmd(o, "template", NULL, NULL)) {
		hx_error_set("'%s' is a flag of 'helm x template', not of '%s'",
		             o->output_dir    ? "--output-dir"
		             : o->show_only.n ? "--show-only"
		                              : "--release-name",
		             o->command);
		return -1;
	}
	if (o->release_name_dir && !o->output_dir) {
		hx_error_set("'--release-name' names a directory under "
		             "--output-dir: give --output-dir too");
		return -1;
	}
	if (o->output && !install) {
		hx_error_set("'--output %s' is a flag of helm install and "
		             "upgrade; '%s' has none%s",
		             o->output, o->command,
		             is_cmd(o, "template", NULL, NULL)
		                     ? " (--output-dir writes files)"
		                     : "");
		return -1;
	}
	if (o->allow_empty && !install) {
		hx_error_set(
		        "'--allow-empty' is a flag of install, upgrade "
		        "and apply (an upgrade to no objects), not of '%s'",
		        o->command);
		return -1;
	}
	if (o->install_args.n && is_cmd(o, "template", "lint", NULL)) {
		hx_error_set("'%s' is a flag of helm install and upgrade; "
		             "'helm x %s' installs nothing",
		             o->install_args.v[0], o->command);
		return -1;
	}
	return 0;
}

/*
 * --post-renderer X --post-renderer-args A...: when X is helm-x itself
 * (this binary, or Helm 4's plugin x-patch), its patch flags A join
 * helm-x's own patches (helmfile's postRenderer: with helm-x as its helm
 * binary); any other post-renderer runs where helm renders what it
 * installs or prints.
 */
static int post_renderer_flags(struct hx_opts *o)
{
	struct hx_opts pr = HX_OPTS_INIT;
	char **argv;
	char *self, *real;
	const char *base;
	size_t i, n = o->post_renderer_args.n, from = 0;
	int mine, rc = -1;

	if (!o->post_renderer) {
		/* helmfile sends a release's postRendererArgs alone too */
		if (n)
			hx_warning(
			        "--post-renderer-args without --post-renderer: "
			        "ignored, as helm ignores them");
		return 0;
	}
	self = hx_self_path();
	real = realpath(o->post_renderer, NULL);
	base = strrchr(o->post_renderer, '/');
	base = base ? base + 1 : o->post_renderer;
	/* this binary, another copy of helm-x, or Helm 4's plugin of it */
	mine = !strcmp(o->post_renderer, HX_POSTRENDER_PLUGIN) ||
	       !strcmp(base, "helm-x") || (self && real && !strcmp(self, real));
	free(real);
	free(self);
	hx_error_clear();
	if (!mine) {
		/* template: helm template; install: the install step alone
		 * (helm-x patched the render already); diff: the render,
		 * helm template's and the server dry run's alike */
		struct hx_strvec *to =
		        is_cmd(o, "template", NULL, NULL) ? &o->template_args
		        : is_cmd(o, "install", "upgrade", "apply")
		                ? &o->install_only
		        : is_cmd(o, "diff", NULL, NULL) ? &o->install_args
		                                        : NULL;

		if (!to) {
			hx_error_set(
			        "'--post-renderer %s': '%s' runs no "
			        "post-renderer but helm-x's own (its patch "
			        "flags)",
			        o->post_renderer, o->command);
			return -1;
		}
		hx_strvec_pushl(to, "--post-renderer", o->post_renderer, NULL);
		for (i = 0; i < n; i++)
			hx_strvec_pushl(to, "--post-renderer-args",
			                o->post_renderer_args.v[i], NULL);
		if (to == &o->install_args) {
			/* diff's helm template render too */
			hx_strvec_pushl(&o->template_args, "--post-renderer",
			                o->post_renderer, NULL);
			for (i = 0; i < n; i++)
				hx_strvec_pushl(&o->template_args,
				                "--post-renderer-args",
				                o->post_renderer_args.v[i],
				                NULL);
		}
		return 0;
	}
	if (n && (!strcmp(o->post_renderer_args.v[0], "patch") ||
	          !strcmp(o->post_renderer_args.v[0], "postrender")))
		from = 1;
	argv = hx_xcalloc(n - from + 1, sizeof(*argv));
	argv[0] = hx_xstrdup("patch");
	for (i = from; i < n; i++)
		argv[i - from + 1] = o->post_renderer_args.v[i];
	if (hx_cli_parse(&pr, (int)(n - from + 1), argv) < 0)
		goto out;
	if (pr.helm_flag || pr.args.n || pr.extra.n) {
		hx_error_set("--post-renderer-args '%s' is no patch flag of "
		             "helm-x (the post-renderer named is helm-x)",
		             pr.helm_flag ? pr.helm_flag
		             : pr.args.n  ? pr.args.v[0]
		                          : "--");
		goto out;
	}
	for (i = 0; i < pr.patches.files.n; i++) {
		struct hx_patch_args *p = &o->patches;

		hx_grow(&p->flags, &p->alloc, p->files.n + 1,
		        sizeof(*p->flags));
		p->flags[p->files.n] = pr.patches.flags[i];
		hx_strvec_push(&p->files, pr.patches.files.v[i]);
	}
	for (i = 0; i < pr.openapi.n; i++)
		hx_strvec_push(&o->openapi, pr.openapi.v[i]);
	o->allow_no_match |= pr.allow_no_match;
	rc = 0;
out:
	free(argv[0]);
	free(argv);
	hx_opts_release(&pr);
	return rc;
}

int hx_opts_parse(struct hx_opts *o, int argc, char **argv, const char *usage)
{
	const char *debug = getenv("HELM_DEBUG");

	if (hx_cli_parse(o, argc, argv) < 0 || check_places(o) < 0 ||
	    post_renderer_flags(o) < 0)
		return -1;
	/* helm's global flags after the command (chartify writes them
	 * there): the variables every helm helm-x runs reads */
	for (size_t i = 0; i < o->globals.n; i++) {
		char *kv = hx_xstrdup(o->globals.v[i]), *eq = strchr(kv, '=');
		int r;

		*eq = '\0';
		r = setenv(kv, eq + 1, 1);
		free(kv);
		if (r != 0) {
			hx_error_set_errno("setenv");
			return -1;
		}
	}
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
	if (o->adopt.n && !strcmp(o->command, "lint")) {
		/* helmfile's helm-x lines carry a release's adopt: to lint too
		 */
		hx_warning(
		        "--adopt changes the cluster on install, upgrade and "
		        "apply; lint changes nothing");
	} else if (o->adopt.n && strcmp(o->command, "install") &&
	           strcmp(o->command, "upgrade") &&
	           strcmp(o->command, "apply")) {
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
	hx_proc_trace(o->debug);
	if (o->help) {
		fputs(usage, stdout);
		return 1;
	}
	return 0;
}

int hx_opts_render_opts(struct hx_render_opts *ro, struct hx_opts *o,
                        const char *release)
{
	const char *ctx =
	        o->kube_context ? o->kube_context : getenv("HELM_KUBECONTEXT");

	if (hx_helm_check_release(release) < 0)
		return -1;
	memset(ro, 0, sizeof(*ro));
	ro->release = release;
	ro->ns = hx_opts_namespace(o);
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

const char *hx_opts_namespace(const struct hx_opts *o)
{
	const char *ns = o->ns ? o->ns : getenv("HELM_NAMESPACE");

	return ns && *ns ? ns : NULL;
}

int hx_opts_prepare_render(struct hx_render_opts *ro, struct hx_patchset *ps,
                           enum hx_input_kind *kind, struct hx_opts *o,
                           const char *release, const char *source)
{
	if (hx_opts_render_opts(ro, o, release) < 0)
		return -1;
	ps->skip_untargeted = 1;
	if (hx_opts_load_patches(ps, o) < 0 ||
	    hx_input_detect(kind, source, o->repo != NULL) < 0)
		return -1;
	return 0;
}

int hx_render_exit(int rc)
{
	if (hx_interrupted())
		return 1;
	return rc < 0 ? 1 : rc;
}

int hx_opts_load_patches(struct hx_patchset *ps, const struct hx_opts *o)
{
	const char *ns = hx_opts_namespace(o);
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

/* The first patch that matched nothing targets CustomResourceDefinitions. */
static int unmatched_crd_patch(const struct hx_patchset *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++)
		if (!ps->patches[i].matches)
			return ps->patches[i].target.kind &&
			       !strcmp(ps->patches[i].target.kind,
			               "CustomResourceDefinition");
	return 0;
}

int hx_streams_patch(struct hx_patchset *ps, struct hx_streams *s,
                     const struct hx_opts *o, int print)
{
	struct hx_strvec warnings = HX_STRVEC_INIT;
	size_t i;
	int rc = -1;

	if (hx_patchset_run_streams(ps, s->v, s->n) < 0)
		goto out;
	if (hx_patchset_check_matched(ps, o->allow_no_match, &warnings) < 0) {
		/* helm template prints a chart's crds/ only when asked */
		if (!strcmp(o->command, "template") &&
		    !hx_strvec_has(&o->template_args, "--include-crds") &&
		    unmatched_crd_patch(ps))
			hx_error_suffix("; helm template leaves a chart's "
			                "crds/ out: add --include-crds");
		else
			hx_patchset_explain_nomatch(ps, s->v, s->n);
		goto out;
	}
	for (i = 0; i < warnings.n; i++)
		hx_warning("%s", warnings.v[i]);
	/* after a signal nothing is printed (the command re-raises it) */
	if (hx_interrupted())
		goto out;
	if (print && hx_streams_print(s) < 0)
		goto out;
	rc = 0;
out:
	hx_strvec_clear(&warnings);
	return rc;
}

int hx_streams_print(struct hx_streams *s)
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

int hx_opts_inject(const struct hx_opts *o, const char *dir)
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

int hx_streams_inject(struct hx_streams *s, const struct hx_opts *o,
                      const char *tmp)
{
	char *dir = hx_path_join(tmp, "inject");
	char *file = hx_path_join(dir, "manifests.yaml"), *buf = NULL;
	FILE *f;
	size_t i, len;
	int state = 0, rc = -1;

	if (mkdir(dir, 0700) < 0 || !(f = fopen(file, "wx"))) {
		hx_error_set_errno("cannot create '%s'", file);
		goto out;
	}
	for (i = 0; i < s->n; i++)
		if (hx_stream_write(f, &s->v[i], &state) < 0)
			break;
	if (fclose(f) != 0 || i < s->n) {
		hx_error_set_errno("cannot write '%s'", file);
		goto out;
	}
	if (hx_opts_inject(o, dir) < 0 || hx_read_file(&buf, &len, file) < 0)
		goto out;
	hx_streams_release(s);
	hx_stream_init_buf(hx_streams_add(s), "<--inject>", buf, len);
	buf = NULL;
	rc = 0;
out:
	free(buf);
	free(file);
	free(dir);
	return rc;
}

/*
 * Helm 4 renamed --atomic and --force; accept either spelling.  Its --wait
 * takes a strategy, Helm 3's none; --server-side and --force-conflicts are
 * Helm 4's alone.
 */
static int push_translated(struct hx_strvec *argv,
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
		int four = !strncmp(f, "--server-side", 13) ||
		           !strcmp(f, "--force-conflicts");
		int wait = !strncmp(f, "--wait=", 7);

		if ((renamed || four || wait) && !major &&
		    (major = hx_helm_major()) < 0)
			return -1;
		if (four && major < 4) {
			hx_error_set("'%s' is a flag of Helm 4; this helm is "
			             "Helm %d",
			             f, major);
			return -1;
		}
		if (wait && major < 4)
			f = "--wait"; /* Helm 3 waits one way */
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

int hx_opts_push_install_flags(struct hx_strvec *argv, const struct hx_opts *o)
{
	return push_translated(argv, &o->install_args) < 0 ||
	                       push_translated(argv, &o->both_args) < 0
	               ? -1
	               : 0;
}

/*
 * Charts are rendered as the install itself will render them (helm
 * install|upgrade --dry-run=server): reused values, lookup, revision and
 * capabilities are the cluster's.  lint, client-side dry runs (no
 * cluster) and kustomizations or manifests keep helm template's render.
 * A chart whose render depends on the release would otherwise install
 * (or diff) something else than plain helm.
 */
int hx_opts_live_wanted(enum hx_input_kind kind,
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
int hx_streams_render_live(struct hx_streams *s, const char *chart_dir,
                           int upgrade, const struct hx_render_opts *ro,
                           const struct hx_opts *o)
{
	struct hx_strbuf text = HX_STRBUF_INIT;
	struct hx_strvec flags = HX_STRVEC_INIT;
	struct hx_stream *st;
	size_t len;
	char *buf;
	int rc = -1;

	if (hx_chartdir_crds(&text, s) < 0 ||
	    hx_opts_push_install_flags(&flags, o) < 0)
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

/* --adopt of o (install, upgrade, apply): adopt into release. */
int hx_adopt_opts(const struct hx_opts *o, const char *release)
{
	struct hx_strvec objs = HX_STRVEC_INIT;
	size_t i;
	int rc = -1;

	if (o->kube_context && setenv("HELM_KUBECONTEXT", o->kube_context, 1)) {
		hx_error_set_errno("setenv");
		return -1;
	}
	for (i = 0; i < o->adopt.n; i++)
		if (hx_adopt_parse(&objs, o->adopt.v[i]) < 0)
			goto out;
	rc = hx_adopt(release, hx_opts_namespace(o), &objs, 0);
out:
	hx_strvec_clear(&objs);
	return rc;
}
