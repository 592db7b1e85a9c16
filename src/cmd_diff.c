#include "hx/cmd.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/chartdir.h"
#include "hx/cli.h"
#include "hx/diffreport.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/input.h"
#include "hx/manifest.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

/* clang-format off */
static const char usage[] =
	"Usage: helm x diff [upgrade] RELEASE SOURCE [flags]\n"
	"       helm x diff [upgrade] [RELEASE] SOURCE --from OLD [flags]\n"
	"       helm x diff manifests OLD NEW [flags]\n"
	"\n"
	"Show what would change, in helm-diff's format, without the helm-diff\n"
	"plugin.  The first form compares the release (helm get manifest and\n"
	"helm get hooks, in the release namespace) with exactly what\n"
	"'helm x upgrade RELEASE SOURCE' with the same flags would install.\n"
	"The other two need no cluster and read no kubeconfig: --from compares\n"
	"a saved render OLD (say, 'helm x template' of the main branch) with\n"
	"the patched render of SOURCE ('helm x template' with the same flags);\n"
	"'manifests' compares two YAML streams.  OLD and NEW are files,\n"
	"directories of *.yaml, *.yml and *.json, or '-'.\n"
	"\n"
	"Objects are paired by 'NAMESPACE, NAME, KIND (GROUP)'; test hooks are\n"
	"left out, objects with helm.sh/resource-policy: keep are never shown\n"
	"as removed, and Secrets are compared by the size of their values.\n"
	"\n"
	"Flags: the patch, values and chart flags of 'helm x upgrade', and\n"
	"      --output FORMAT     diff (default; $HELM_DIFF_OUTPUT), simple,\n"
	"                          json or markdown (a pull-request comment)\n"
	"  -C, --context N         lines of context around changes (default:\n"
	"                          whole objects)\n"
	"      --color, --no-color colour (default: on a terminal, with TERM not\n"
	"                          dumb and NO_COLOR unset; $HELM_DIFF_COLOR)\n"
	"      --detailed-exitcode exit 2 when anything changed\n"
	"      --allow-unreleased, --install\n"
	"                          a missing release diffs against nothing\n"
	"      --dry-run=server    lookup against the cluster also with --from\n"
	"                          (helm template --dry-run=server); against\n"
	"                          a release the render is a server dry run\n"
	"                          anyway\n"
	"      --post-render       render a chart with helm template and\n"
	"                          helm-x as its post-renderer, as 'helm x\n"
	"                          upgrade --post-render' installs it\n"
	"      --no-hooks          leave hooks out\n"
	"      --disable-validation\n"
	"                          accepted (helm-diff's): diff never validates\n"
	"                          the render against the cluster\n"
	"      --include-tests     keep the test hooks\n"
	"      --show-secrets      Secrets' values as they are\n"
	"      --show-secrets-decoded\n"
	"                          Secrets' values decoded (stringData)\n"
	"  -q, --suppress-secrets  hide Secrets' changes (--suppress Secret)\n"
	"      --suppress KIND     hide the changes of a kind (repeatable)\n"
	"      --suppress-output-line-regex RE\n"
	"                          drop changed lines matching RE (PCRE2;\n"
	"                          repeatable)\n"
	"      --normalize-manifests\n"
	"                          compare re-emitted documents (sorted keys),\n"
	"                          so formatting alone is no change\n"
	"      --strip-trailing-cr ignore CR at the ends of lines\n"
	"  -D, --find-renames F    a removed and an added object of one kind\n"
	"                          whose lines differ by less than F (0..1)\n"
	"                          are one change\n"
	"\n"
	"A chart diffed against its release is rendered as the upgrade will\n"
	"render it (helm upgrade --install --dry-run=server): lookup, the\n"
	"revision and --reuse-values / --reset-then-reuse-values are the\n"
	"release's (--dry-run=client: helm template's render, no lookup).\n"
	"With --from, --post-render, kustomizations and manifests\n"
	"those two are refused.  --three-way-merge is refused; the other install\n"
	"flags do not change what is installed.\n"
	"\n"
	"Exit status: 0, or 2 with --detailed-exitcode when anything changed;\n"
	"1 on any error.\n";
/* clang-format on */

struct dopts {
	struct hx_diff_opts d;
	struct hx_strvec kinds, res;
	int detailed, allow_unreleased, no_hooks, include_tests, normalize;
	const char *from;
};

static int default_color(void)
{
	const char *env = getenv("HELM_DIFF_COLOR");
	const char *term = getenv("TERM");

	if (env && *env)
		return !strcmp(env, "true") || !strcmp(env, "1");
	return isatty(1) && term && strcmp(term, "dumb") && !getenv("NO_COLOR");
}

static int set_output(struct dopts *d, const char *v, const char *where)
{
	static const char *const names[] = {"diff", "simple", "json",
	                                    "markdown"};
	size_t i;

	for (i = 0; i < 4; i++)
		if (!strcmp(v, names[i])) {
			d->d.output = (enum hx_diff_output)i;
			return 0;
		}
	hx_error_set("%s '%s': want diff, simple, json or markdown", where, v);
	return -1;
}

/* helm x diff's own flags, from the words the parser kept. */
static int parse_diff_flags(struct dopts *d, const struct hx_strvec *w)
{
	const char *env = getenv("HELM_DIFF_OUTPUT");
	size_t i;

	d->d.context = -1;
	d->d.color = default_color();
	/* $HELM_DIFF_OUTPUT only where --output is not given */
	if (env && *env && !hx_strvec_has(w, "--output") &&
	    set_output(d, env, "HELM_DIFF_OUTPUT") < 0)
		return -1;
	for (i = 0; i < w->n; i++) {
		const char *f = w->v[i];
		const char *v = i + 1 < w->n ? w->v[i + 1] : "";
		char *end;

		if (!strcmp(f, "--output")) {
			if (set_output(d, v, "--output") < 0)
				return -1;
			i++;
		} else if (!strcmp(f, "--context")) {
			long n = strtol(v, &end, 10);

			if (!*v || *end || n < 0 || n > 1000000) {
				hx_error_set("--context '%s': want a number "
				             "of lines",
				             v);
				return -1;
			}
			d->d.context = (int)n;
			i++;
		} else if (!strcmp(f, "--find-renames")) {
			double x = strtod(v, &end);

			if (!*v || *end || !(x >= 0 && x <= 1)) {
				hx_error_set("--find-renames '%s': want a "
				             "fraction from 0 to 1",
				             v);
				return -1;
			}
			d->d.find_renames = x;
			i++;
		} else if (!strcmp(f, "--suppress")) {
			hx_strvec_push(&d->kinds, v);
			i++;
		} else if (!strcmp(f, "--suppress-output-line-regex")) {
			hx_strvec_push(&d->res, v);
			i++;
		} else if (!strcmp(f, "--from")) {
			d->from = v;
			i++;
		} else if (!strcmp(f, "--suppress-secrets")) {
			hx_strvec_push(&d->kinds, "Secret");
		} else if (!strcmp(f, "--color")) {
			d->d.color = 1;
		} else if (!strcmp(f, "--no-color")) {
			d->d.color = 0;
		} else if (!strcmp(f, "--show-secrets")) {
			d->d.show_secrets = 1;
		} else if (!strcmp(f, "--show-secrets-decoded")) {
			d->d.show_secrets_decoded = 1;
		} else if (!strcmp(f, "--normalize-manifests")) {
			d->normalize = 1;
		} else if (!strcmp(f, "--strip-trailing-cr")) {
			d->d.strip_cr = 1;
		} else if (!strcmp(f, "--detailed-exitcode")) {
			d->detailed = 1;
		} else if (!strcmp(f, "--allow-unreleased")) {
			d->allow_unreleased = 1;
		} else if (!strcmp(f, "--no-hooks")) {
			d->no_hooks = 1;
		} else if (!strcmp(f, "--include-tests")) {
			d->include_tests = 1;
		} else if (!strcmp(f, "--disable-validation")) {
			/* helm-diff's: diff never validates against the
			 * cluster, so it holds as asked */
		} else if (!strcmp(f, "--three-way-merge")) {
			hx_error_set(
			        "--three-way-merge is not implemented: "
			        "helm x diff compares the release's "
			        "manifest with the render (drop the flag)");
			return -1;
		}
	}
	d->d.suppress_kinds = &d->kinds;
	d->d.suppress_regex = &d->res;
	return 0;
}

/*
 * Reused values are the release's: only a chart diffed against its release
 * is rendered with them (helm upgrade --dry-run=server).
 */
static int check_install_flags(const struct hx_strvec *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i], "--reuse-values") ||
		    !strcmp(f->v[i], "--reset-then-reuse-values")) {
			hx_error_set(
			        "'%s' takes the release's values: diff "
			        "renders with them only for a chart against "
			        "its release (no --from, --post-render, "
			        "kustomization or manifests): give the values "
			        "again (-f, --set)",
			        f->v[i]);
			return -1;
		}
	return 0;
}

/* Streams of files, directories or "-". */
static int read_side(struct hx_streams *s, const char *path)
{
	struct hx_strvec files = HX_STRVEC_INIT;
	size_t i;
	int rc = 0;

	if (strcmp(path, "-") && hx_is_dir(path) == 1) {
		rc = hx_render_list_manifests(&files, path);
	} else {
		hx_error_clear();
		hx_strvec_push(&files, path);
	}
	for (i = 0; rc == 0 && i < files.n; i++)
		rc = hx_stream_read(hx_streams_add(s), files.v[i]);
	hx_strvec_clear(&files);
	return rc;
}

static int parse_streams(struct hx_mset *set, struct hx_streams *s,
                         const struct dopts *d, const char *ns)
{
	struct hx_manifest_opts mo = {ns, d->include_tests, d->normalize,
	                              d->no_hooks, 0};
	size_t i;

	for (i = 0; i < s->n; i++)
		if (hx_manifest_parse(set, &s->v[i], &mo) < 0)
			return -1;
	return hx_manifest_finish(set);
}

/* Parsing one side, possibly on a thread of its own. */
struct side_job {
	struct hx_mset *set;
	struct hx_streams *s;
	const struct dopts *d;
	const char *ns;
	int rc;
	char *err_head, *err_msg;
};

static void *side_run(void *arg)
{
	struct side_job *j = arg;

	j->rc = parse_streams(j->set, j->s, j->d, j->ns);
	if (j->rc < 0)
		hx_error_save(&j->err_head, &j->err_msg);
	return NULL;
}

/* Below this much YAML, a thread costs more than it saves. */
#define PARALLEL_MIN_BYTES (256 * 1024)

static size_t bytes_of(const struct hx_streams *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->n; i++)
		n += s->v[i].len;
	return n;
}

/* Both sides parsed, on two cores when they are big enough. */
/*
 * --from a saved render that cannot be what was meant: an empty one (every
 * object "added"), or one no object of which pairs with the new render
 * (rendered under another release name: every object removed and added).
 * One warning line each; the diff is still printed.
 */
static void from_warnings(const struct hx_mset *old, const struct hx_mset *new,
                          const char *from)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const struct hx_mobj *o = NULL, *n = NULL;
	size_t i, j;

	if (!new->n)
		return;
	if (!old->n) {
		hx_warning("'%s' (--from) holds no object: every object shows "
		           "as added (was the saved render empty, or did it "
		           "fail?)",
		           from);
		return;
	}
	for (i = 0; i < new->n; i++)
		if (hx_manifest_find(old, new->v[i].key))
			return;
	/* an example: the same kind on both sides */
	for (i = 0; i < old->n && !n; i++)
		for (j = 0; j < new->n && !n; j++)
			if (!strcmp(old->v[i].kind, new->v[j].kind)) {
				o = &old->v[i];
				n = &new->v[j];
			}
	if (n) {
		hx_strbuf_adds(&sb, " (");
		hx_strbuf_add_visible(&sb, o->kind, strlen(o->kind));
		hx_strbuf_addch(&sb, ' ');
		hx_strbuf_add_visible(&sb, o->name, strlen(o->name));
		hx_strbuf_adds(&sb, " there, ");
		hx_strbuf_add_visible(&sb, n->name, strlen(n->name));
		hx_strbuf_adds(&sb, " here)");
	}
	hx_warning("no object of '%s' (--from) is in the new render%s: was it "
	           "rendered under another release name? Render both with "
	           "the same RELEASE",
	           from, sb.len ? sb.buf : "");
	hx_strbuf_release(&sb);
}

static int parse_sides(struct hx_mset *old, struct hx_streams *olds,
                       struct hx_mset *new, struct hx_streams *news,
                       const struct dopts *d, const char *ns)
{
	struct side_job j[2] = {{old, olds, d, ns, 0, NULL, NULL},
	                        {new, news, d, ns, 0, NULL, NULL}};
	pthread_t tid;
	int threaded = 0, i, rc = 0;

	if (bytes_of(olds) + bytes_of(news) >= PARALLEL_MIN_BYTES &&
	    sysconf(_SC_NPROCESSORS_ONLN) > 1)
		threaded = pthread_create(&tid, NULL, side_run, &j[1]) == 0;
	side_run(&j[0]);
	if (threaded)
		pthread_join(tid, NULL);
	else
		side_run(&j[1]);
	for (i = 0; i < 2; i++) {
		if (j[i].rc < 0 && !rc) {
			hx_error_restore(j[i].err_head, j[i].err_msg);
			rc = -1;
		}
		free(j[i].err_head);
		free(j[i].err_msg);
	}
	return rc;
}

/* Run helm with args; its stdout into out (a new stream). */
static int helm_capture(struct hx_streams *out, struct hx_proc *p,
                        const char *name)
{
	struct hx_strbuf buf = HX_STRBUF_INIT;
	int rc;

	p->capture_out = 1;
	rc = hx_proc_run(p, &buf);
	if (rc == 0) {
		size_t len;
		char *text = hx_strbuf_detach(&buf, &len);

		hx_stream_init_buf(hx_streams_add(out), name, text, len);
	}
	hx_strbuf_release(&buf);
	return rc;
}

/*
 * The release's manifest and hooks.  *missing is set (and nothing added)
 * when helm says the release is not there.
 */
static int release_side(struct hx_streams *s, const char *release,
                        const struct hx_render_opts *ro, const char *tmp,
                        int no_hooks, int *missing)
{
	static const char *const what[] = {"manifest", "hooks"};
	char *errf = hx_path_join(tmp, "helm-get.err");
	size_t i;
	int rc = 0;

	*missing = 0;
	for (i = 0; rc == 0 && i < (no_hooks ? 1u : 2u); i++) {
		struct hx_proc p = HX_PROC_INIT;
		struct hx_strbuf name = HX_STRBUF_INIT;

		hx_strvec_pushl(&p.args, hx_helm_bin(), "get", what[i], release,
		                NULL);
		if (ro->ns)
			hx_strvec_pushl(&p.args, "--namespace", ro->ns, NULL);
		if (ro->kube_context)
			hx_strvec_pushl(&p.args, "--kube-context",
			                ro->kube_context, NULL);
		p.what = i ? "helm get hooks" : "helm get manifest";
		p.err_file = errf;
		hx_strbuf_addf(&name, "<helm get %s %s>", what[i], release);
		rc = helm_capture(s, &p, name.buf);
		if (rc < 0) {
			hx_error_suffix("%s", hx_helm_bin_origin());
		} else if (rc > 0) {
			char *err = NULL;
			size_t len = 0;

			if (hx_read_file(&err, &len, errf) < 0)
				hx_error_clear();
			if (err && strstr(err, "not found") && i == 0) {
				*missing = 1;
				rc = 0;
				free(err);
				hx_strbuf_release(&name);
				hx_proc_release(&p);
				break;
			}
			if (err)
				fputs(err, stderr);
			free(err);
			hx_error_set("'%s' exited with status %d", p.what, rc);
		}
		hx_strbuf_release(&name);
		hx_proc_release(&p);
	}
	free(errf);
	return rc;
}

/* The release side on a thread, while the render runs. */
struct release_job {
	struct hx_streams *s;
	const char *release;
	const struct hx_render_opts *ro;
	const char *tmp;
	int no_hooks, missing, rc;
	char *err_head, *err_msg;
};

static void *release_run(void *arg)
{
	struct release_job *j = arg;

	j->rc = release_side(j->s, j->release, j->ro, j->tmp, j->no_hooks,
	                     &j->missing);
	if (j->rc)
		hx_error_save(&j->err_head, &j->err_msg);
	return NULL;
}

/*
 * What helm x upgrade would install: the documents of the temporary chart
 * as helm renders them into the release (hx_chartdir_manifest); with
 * --inject, whose commands rewrite the chart's files, the temporary chart
 * itself, rendered by helm template as helm upgrade renders it.
 */
static int upgrade_side(struct hx_streams *out, struct hx_streams *render,
                        const char *chart_dir, const struct hx_opts *o,
                        const struct hx_render_opts *ro, const char *tmp,
                        int crds)
{
	char *chart = hx_path_join(tmp, "chart");
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf name = HX_STRBUF_INIT;
	int rc = -1;

	hx_strbuf_addf(&name, "<helm x upgrade %s>", ro->release);
	if (!o->inject.n) {
		struct hx_strbuf text = HX_STRBUF_INIT;

		if (hx_chartdir_manifest(&text, render, ro->release) == 0 &&
		    (!crds || hx_chartdir_crds(&text, render) == 0)) {
			size_t len;
			char *buf = hx_strbuf_detach(&text, &len);

			hx_stream_init_buf(hx_streams_add(out), name.buf, buf,
			                   len);
			rc = 0;
		}
		hx_strbuf_release(&text);
		goto out;
	}

	if (hx_chartdir_write(chart, render, chart_dir, ro->release,
	                      o->chart_version) < 0 ||
	    hx_cmd_inject(o, chart) < 0)
		goto out;
	hx_strvec_pushl(&p.args, hx_helm_bin(), "template", ro->release, chart,
	                "--is-upgrade", NULL);
	if (crds)
		hx_strvec_push(&p.args, "--include-crds");
	if (ro->ns)
		hx_strvec_pushl(&p.args, "--namespace", ro->ns, NULL);
	p.what = "helm template";
	rc = helm_capture(out, &p, name.buf);
	if (rc < 0)
		hx_error_suffix("%s", hx_helm_bin_origin());
	else if (rc > 0)
		hx_error_set("'helm template' exited with status %d", rc);
out:
	hx_proc_release(&p);
	hx_strbuf_release(&name);
	free(chart);
	return rc;
}

/*
 * --post-render: the new side is helm template of the chart with helm-x's
 * patches as its post-renderer (as 'helm x upgrade --post-render' installs
 * it), with --is-upgrade against a release.
 */
static int post_render_side(struct hx_streams *out, struct hx_opts *o,
                            int is_upgrade, const char *release,
                            const char *source, const char *tmp)
{
	struct hx_post_render pr = HX_POST_RENDER_INIT;
	int rc = 1;

	if (is_upgrade)
		hx_strvec_push(&o->template_args, "--is-upgrade");
	if (hx_strvec_has(&o->install_args, "--dry-run=server"))
		hx_strvec_push(&o->template_args, "--dry-run=server");
	if (hx_post_render_prepare(&pr, o, "template", release, source, 0,
	                           tmp) == 0)
		rc = hx_post_render_status(
		        &pr, helm_capture(out, &pr.helm, "helm template"));
	hx_post_render_release(&pr);
	return rc;
}

int hx_cmd_diff(int argc, char **argv)
{
	struct hx_opts o = HX_OPTS_INIT;
	struct dopts d;
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_streams olds = HX_STREAMS_INIT, news = HX_STREAMS_INIT,
	                  render = HX_STREAMS_INIT;
	struct hx_mset oldset = HX_MSET_INIT, newset = HX_MSET_INIT;
	struct hx_render_opts ro;
	struct hx_strbuf out = HX_STRBUF_INIT;
	struct hx_strvec targs = HX_STRVEC_INIT;
	enum hx_input_kind kind;
	char **args;
	const char *tmp = NULL, *source, *ns;
	char *chart_dir = NULL;
	size_t nargs;
	int rc = 1, manifests = 0, changed, release_started = 0, live = 0,
	    crds = 0;
	struct release_job rj;
	pthread_t rtid;

	memset(&d, 0, sizeof(d));
	memset(&rj, 0, sizeof(rj));
	hx_signals_init();
	switch (hx_cmd_parse(&o, argc, argv, usage)) {
	case 1:
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (parse_diff_flags(&d, &o.diff_args) < 0)
		goto out;
	d.allow_unreleased |= o.install;
	args = o.args.v;
	nargs = o.args.n;
	if (nargs && !strcmp(args[0], "upgrade")) {
		args++;
		nargs--;
	} else if (nargs && !strcmp(args[0], "manifests")) {
		args++;
		nargs--;
		manifests = 1;
	}
	ns = hx_cmd_namespace(&o);
	if (manifests) {
		if (nargs != 2) {
			hx_error_set("'diff manifests' needs OLD NEW (see "
			             "'helm x diff --help')");
			goto out;
		}
		if (o.patches.files.n || d.from) {
			hx_error_set(
			        "'diff manifests' compares two streams as "
			        "they are: patch with 'helm x patch' first");
			goto out;
		}
		if (!strcmp(args[0], "-") && !strcmp(args[1], "-")) {
			hx_error_set("'diff manifests': only one side can be "
			             "'-'");
			goto out;
		}
		if (read_side(&olds, args[0]) < 0 ||
		    read_side(&news, args[1]) < 0)
			goto out;
	} else {
		if (d.from ? nargs < 1 || nargs > 2 : nargs != 2) {
			hx_error_set("'diff' needs %s (see 'helm x diff "
			             "--help')",
			             d.from ? "[RELEASE] SOURCE"
			                    : "RELEASE SOURCE");
			goto out;
		}
		source = args[nargs - 1];
		if (hx_cmd_render_opts(&ro, &o,
		                       nargs == 2 ? args[0]
		                       : o.name   ? o.name
		                                  : "release-name") < 0)
			goto out;
		ro.is_upgrade = !d.from;
		for (size_t k = 0; k < o.template_args.n; k++)
			hx_strvec_push(&targs, o.template_args.v[k]);
		crds = hx_strvec_has(&o.template_args, "--include-crds");
		/* patches reach the CRDs of crds/ (as helm x upgrade's do);
		 * they are diffed with --include-crds, as helm-diff does */
		if (!crds)
			hx_strvec_push(&targs, "--include-crds");
		/* --dry-run=server (helm-diff's, which helmfile passes): helm
		 * template --dry-run=server, so lookup sees the cluster */
		if (hx_strvec_has(&o.install_args, "--dry-run=server"))
			hx_strvec_push(&targs, "--dry-run=server");
		ro.template_args = &targs;
		ps.skip_untargeted = 1;
		if (hx_cmd_load_patches(&ps, &o) < 0 ||
		    hx_input_detect(&kind, source, o.repo != NULL) < 0)
			goto out;
		/* reused values are the release's: only a live render has them
		 */
		live = !d.from && !o.post_render &&
		       hx_cmd_live_wanted(kind, &o.install_args);
		/* a live render's helm template step gives the CRDs alone,
		 * rendered as an install (see cmd_install.c) */
		if (live)
			ro.is_upgrade = 0;
		if (!live && check_install_flags(&o.install_args) < 0)
			goto out;
		if (d.from && read_side(&olds, d.from) < 0)
			goto out;
		tmp = hx_tmpdir_create(o.keep_tmp || o.debug);
		if (!tmp)
			goto out;
		ro.tmpdir = tmp;
		if (!d.from) {
			/* helm get runs while the source renders */
			rj.s = &olds;
			rj.release = ro.release;
			rj.ro = &ro;
			rj.tmp = tmp;
			rj.no_hooks = d.no_hooks;
			release_started = pthread_create(&rtid, NULL,
			                                 release_run, &rj) == 0;
			if (!release_started)
				release_run(&rj);
		}
		if (o.post_render)
			rc = post_render_side(&news, &o, !d.from, ro.release,
			                      source, tmp);
		else
			rc = hx_render(&render, &chart_dir, kind, source, &ro);
		if (release_started) {
			pthread_join(rtid, NULL);
			release_started = 0;
		}
		if (!d.from && rj.rc) {
			/* the release's error first: it is the older question
			 */
			hx_error_restore(rj.err_head, rj.err_msg);
			rc = rj.rc < 0 ? 1 : rj.rc;
			goto out;
		}
		if (!d.from && rj.missing && !d.allow_unreleased && !rc) {
			hx_error_set("release '%s' not found in namespace '%s' "
			             "(--allow-unreleased diffs against "
			             "nothing)",
			             ro.release, ns ? ns : "default");
			rc = 1;
			goto out;
		}
		if (hx_interrupted())
			goto out;
		if (rc) {
			rc = rc < 0 ? 1 : rc;
			goto out;
		}
		if (live) {
			rc = hx_cmd_render_live(&render, chart_dir, 1, &ro, &o);
			if (hx_interrupted())
				goto out;
			if (rc) {
				rc = rc < 0 ? 1 : rc;
				goto out;
			}
		}
		rc = 1;
		if (o.post_render) {
			/* news is helm's render, patched by helm-x */
		} else if (hx_cmd_patch_streams(&ps, &render, &o, 0) < 0) {
			goto out;
		} else if (!d.from) {
			if (upgrade_side(&news, &render, chart_dir, &o, &ro,
			                 tmp, crds) != 0)
				goto out;
		} else {
			/* the render as 'helm x template' prints it */
			hx_streams_release(&news);
			news = render;
			memset(&render, 0, sizeof(render));
			if (!crds)
				hx_chartdir_drop_crds(&news);
			if (o.inject.n &&
			    hx_cmd_inject_streams(&news, &o, tmp) < 0)
				goto out;
		}
	}
	if (parse_sides(&oldset, &olds, &newset, &news, &d, ns) < 0)
		goto out;
	if (d.from)
		from_warnings(&oldset, &newset, d.from);
	changed = hx_diff_report(&out, &oldset, &newset, &d.d);
	if (changed < 0 || hx_interrupted())
		goto out;
	if (out.len && fwrite(out.buf, 1, out.len, stdout) != out.len) {
		hx_error_set_errno("cannot write the diff");
		goto out;
	}
	rc = d.detailed && changed ? 2 : 0;
out:
	free(rj.err_head);
	free(rj.err_msg);
	hx_tmpdir_remove();
	free(chart_dir);
	hx_strbuf_release(&out);
	hx_strvec_clear(&targs);
	hx_mset_release(&oldset);
	hx_mset_release(&newset);
	hx_streams_release(&olds);
	hx_streams_release(&news);
	hx_streams_release(&render);
	hx_strvec_clear(&d.kinds);
	hx_strvec_clear(&d.res);
	hx_patchset_release(&ps);
	hx_opts_release(&o);
	hx_tmpdir_reraise();
	/* 2 is --detailed-exitcode's "changes", not a failure */
	return rc == 2 && !hx_error_is_set() ? 2 : hx_error_exit(rc);
}
