#include "hx/cmd.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/chartdir.h"
#include "hx/cli.h"
#include "hx/difflive.h"
#include "hx/diffrun.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/input.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/version.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* clang-format off */
static const char usage[] =
	"Usage: helm x diff [upgrade] RELEASE SOURCE [flags]\n"
	"       helm x diff [upgrade] [RELEASE] SOURCE --from OLD [flags]\n"
	"       helm x diff manifests OLD NEW [flags]\n"
	"       helm x diff revision RELEASE REVISION1 [REVISION2] [flags]\n"
	"       helm x diff rollback RELEASE [REVISION] [flags]\n"
	"       helm x diff release RELEASE1 RELEASE2 [flags]\n"
	"       helm x diff local CHART1 CHART2 [flags]\n"
	"       helm x diff version\n"
	"\n"
	"Show what would change, in helm-diff's format.  The first form\n"
	"compares the release (helm get manifest and helm get hooks, in the\n"
	"release namespace) with exactly what\n"
	"'helm x upgrade RELEASE SOURCE' with the same flags would install.\n"
	"The other two need no cluster and read no kubeconfig: --from compares\n"
	"a saved render OLD (say, 'helm x template' of the main branch) with\n"
	"the patched render of SOURCE ('helm x template' with the same flags);\n"
	"'manifests' compares two YAML streams.  OLD and NEW are files,\n"
	"directories of *.yaml, *.yml and *.json, or '-'.  revision,\n"
	"rollback, release and local are helm-diff's: two revisions (the\n"
	"second: the current one), a rollback, two releases, two charts.\n"
	"\n"
	"Objects pair by 'NAMESPACE, NAME, KIND (GROUP)'; test hooks are left\n"
	"out, resource-policy: keep objects never shown removed, Secrets\n"
	"compared by their values' sizes.\n"
	"\n"
	"Flags: the patch, values and chart flags of 'helm x upgrade', and\n"
	"      --output FORMAT     diff (default; $HELM_DIFF_OUTPUT), simple,\n"
	"                          json, markdown (a pull-request comment),\n"
	"                          structured (helm-diff's field changes)\n"
	"  -C, --context N         lines of context around changes (default:\n"
	"                          whole objects; markdown: 3; -1: whole)\n"
	"      --max-size N        markdown: at most N characters (default\n"
	"                          65000; 0: no limit); past it the largest\n"
	"                          objects are cut to a line each\n"
	"      --color[=WHEN], --no-color  colour (default: on a tty, TERM\n"
	"                          not dumb, no NO_COLOR; $HELM_DIFF_COLOR);\n"
	"                          WHEN: always, never, auto\n"
	"      --detailed-exitcode exit 2 when anything changed\n"
	"      --three-way-merge   the live objects (kubectl get) against what\n"
	"                          the upgrade leaves of them\n"
	"      --ignore-generated  not for Secrets, checksum/ annotations\n"
	"      --allow-unreleased, --install\n"
	"                          a missing release diffs against nothing\n"
	"      --dry-run=server    lookup against the cluster also with --from\n"
	"                          (a release's render is a server dry run)\n"
	"      --post-render       render a chart with helm template and\n"
	"                          helm-x as its post-renderer, as 'helm x\n"
	"                          upgrade --post-render' installs it\n"
	"      --no-hooks          leave hooks out\n"
	"      --disable-validation  accepted: diff never validates\n"
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
	"      --strip-trailing-cr ignore CRs at line ends\n"
	"  -D, --find-renames F    a removed and an added object of one kind\n"
	"                          whose lines differ by less than F (0..1)\n"
	"                          are one change\n"
	"\n"
	"A chart diffed against its release is rendered as the upgrade will\n"
	"(a server dry run): lookup, the revision and --reuse-values are the\n"
	"release's (--dry-run=client: helm template, no lookup).  With\n"
	"--from, --post-render, kustomizations and manifests --reuse-values\n"
	"is refused; other install flags do not change what is installed.\n"
	"\n"
	"Exit status: 0, or 2 with --detailed-exitcode when anything changed;\n"
	"1 on any error.\n";
/* clang-format on */

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

/* The release side on a thread, while the render runs. */
struct release_job {
	struct hx_streams *s;
	const char *release;
	const struct hx_render_opts *ro;
	const char *tmp;
	int no_hooks, missing, rc;
	char *err_head, *err_msg;
	/* --three-way-merge: the cluster read while the chart renders */
	int three_way;
	const char *ns, *kube_context;
	struct hx_difflive *live;
};

static int release_get(struct release_job *j, unsigned parts)
{
	return hx_diffrun_get_release(j->s, j->release, j->ro->ns,
	                              j->ro->kube_context, 0, j->tmp, parts,
	                              &j->missing);
}

static void *release_run(void *arg)
{
	struct release_job *j = arg;

	if (!j->three_way) {
		j->rc = release_get(j, HX_RELEASE_ALL(j->no_hooks));
	} else {
		/* the cluster is read for the manifest's objects (not for
		 * the hooks): the reading starts before helm get hooks */
		j->rc = release_get(j, HX_RELEASE_MANIFEST);
		if (!j->rc && !j->missing) {
			j->live = hx_difflive_start(j->s, j->ns,
			                            j->kube_context, j->tmp);
			if (!j->no_hooks)
				j->rc = release_get(j, HX_RELEASE_HOOKS);
		}
	}
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
	    hx_opts_inject(o, chart) < 0)
		goto out;
	hx_strvec_pushl(&p.args, hx_helm_bin(), "template", ro->release, chart,
	                "--is-upgrade", NULL);
	if (crds)
		hx_strvec_push(&p.args, "--include-crds");
	if (ro->ns)
		hx_strvec_pushl(&p.args, "--namespace", ro->ns, NULL);
	p.what = "helm template";
	rc = hx_diffrun_capture(out, &p, name.buf);
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
		        &pr,
		        hx_diffrun_capture(out, &pr.helm, "helm template"));
	hx_post_render_release(&pr);
	return rc;
}

/* ---- helm-diff's other subcommands ------------------------------------ */

/* A revision number (1 or more), or -1 with the error set. */
static long revision_arg(const char *s, const char *what)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (!*s || *end || n < 1 || n > 1000000000) {
		hx_error_set("%s '%s': want a revision number", what, s);
		return -1;
	}
	return n;
}

/* The release's current revision (helm status -o json: "version"). */
static long current_revision(const char *release, const char *ns,
                             const char *ctx)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	json_t *j = NULL;
	long rev = -1;
	int rc;

	hx_strvec_pushl(&p.args, hx_helm_bin(), "status", release, "-o", "json",
	                NULL);
	if (ns)
		hx_strvec_pushl(&p.args, "--namespace", ns, NULL);
	if (ctx)
		hx_strvec_pushl(&p.args, "--kube-context", ctx, NULL);
	p.what = "helm status";
	p.capture_out = 1;
	rc = hx_helm_run(&p, &out);
	if (rc == 0) {
		j = json_loadb(out.buf ? out.buf : "", out.len, 0, NULL);
		if (j && json_is_integer(json_object_get(j, "version")))
			rev = (long)json_integer_value(
			        json_object_get(j, "version"));
		else
			hx_error_set("'helm status %s' gave no revision",
			             release);
	}
	json_decref(j);
	hx_strbuf_release(&out);
	hx_proc_release(&p);
	return rev;
}

static int release_at(struct hx_streams *s, const char *release, long rev,
                      const struct hx_opts *o, const struct hx_diffrun *d,
                      const char *tmp)
{
	int missing = 0;
	int rc = hx_diffrun_get_release(s, release, hx_opts_namespace(o),
	                                o->kube_context, rev, tmp,
	                                HX_RELEASE_ALL(d->no_hooks), &missing);

	if (rc == 0 && missing) {
		hx_error_set("release '%s'%s not found in namespace '%s'",
		             release, rev > 0 ? " (or that revision)" : "",
		             hx_opts_namespace(o) ? hx_opts_namespace(o)
		                                  : "default");
		return 1;
	}
	return rc;
}

/* diff local's sides must be charts. */
static int local_kind(enum hx_input_kind *kind, const char *chart,
                      const struct hx_opts *o)
{
	if (hx_input_detect(kind, chart, o->repo != NULL) < 0)
		return -1;
	if (*kind != HX_INPUT_CHART_DIR && *kind != HX_INPUT_CHART_TGZ &&
	    *kind != HX_INPUT_CHART_REF && *kind != HX_INPUT_OCI) {
		hx_error_set("'diff local' compares two charts, and '%s' is "
		             "none (helm x diff manifests compares streams)",
		             chart);
		return -1;
	}
	return 0;
}

/* A chart as helm template renders it (diff local). */
static int local_side(struct hx_streams *s, const char *chart,
                      enum hx_input_kind kind, struct hx_opts *o,
                      const char *tmp, int n)
{
	struct hx_render_opts ro;
	char sub[32];
	char *dir;
	int rc;

	if (hx_opts_render_opts(&ro, o, o->name ? o->name : "release-name") < 0)
		return -1;
	snprintf(sub, sizeof(sub), "local-%d", n);
	dir = hx_path_join(tmp, sub);
	if (mkdir(dir, 0700) < 0) {
		hx_error_set_errno("cannot create a directory");
		free(dir);
		return -1;
	}
	ro.tmpdir = dir;
	rc = hx_render(s, NULL, kind, chart, &ro);
	free(dir);
	return rc < 0 ? -1 : rc;
}

/*
 * helm-diff's revision, rollback, release, local and version: 1 when args
 * name one (*rc is then the exit code), 0 when they are diff's own forms.
 * "rollback X" is a release named rollback when X is a path.
 */
static int helm_diff_mode(int *rc, struct hx_opts *o, struct hx_diffrun *d,
                          char **args, size_t nargs)
{
	struct hx_streams olds = HX_STREAMS_INIT, news = HX_STREAMS_INIT;
	const char *m = nargs ? args[0] : "", *tmp;
	const char *ctx = o->kube_context;
	long r1 = 0, r2 = 0;
	int r = -1;

	if (!strcmp(m, "version") && nargs == 1) {
		printf("%s\n", HX_VERSION);
		*rc = 0;
		return 1;
	}
	if (!((!strcmp(m, "revision") && (nargs == 3 || nargs == 4)) ||
	      (!strcmp(m, "rollback") &&
	       ((nargs == 2 && access(args[1], F_OK) != 0) || nargs == 3)) ||
	      (!strcmp(m, "release") && nargs == 3) ||
	      (!strcmp(m, "local") && nargs == 3)))
		return 0;
	*rc = 1;
	if (d->three_way) {
		hx_error_set("--three-way-merge compares the live objects with "
		             "an upgrade: 'helm x diff [upgrade] RELEASE "
		             "SOURCE', not 'diff %s'",
		             m);
		return 1;
	}
	if (d->from || o->patches.files.n || o->post_render) {
		hx_error_set("'diff %s' compares what helm holds or renders: "
		             "no --from, patches or --post-render",
		             m);
		return 1;
	}
	tmp = hx_tmpdir_create(o->keep_tmp || o->debug);
	if (!tmp)
		return 1;
	if (!strcmp(m, "revision")) {
		/* REVISION1 against REVISION2, or against the current one */
		if (hx_helm_check_release(args[1]) < 0 ||
		    (r1 = revision_arg(args[2], "revision")) < 0 ||
		    (nargs == 4 &&
		     (r2 = revision_arg(args[3], "revision")) < 0))
			goto out;
		r = release_at(&olds, args[1], r1, o, d, tmp);
		if (r == 0)
			r = release_at(&news, args[1], r2, o, d, tmp);
	} else if (!strcmp(m, "rollback")) {
		/* what rolling back would change: the current revision
		 * against REVISION (default the one before) */
		if (hx_helm_check_release(args[1]) < 0 ||
		    (nargs == 3 &&
		     (r2 = revision_arg(args[2], "revision")) < 0))
			goto out;
		if (nargs == 2) {
			long cur = current_revision(args[1],
			                            hx_opts_namespace(o), ctx);

			if (cur < 0)
				goto out;
			if (cur < 2) {
				hx_error_set("release '%s' has no revision "
				             "before %ld to roll back to",
				             args[1], cur);
				goto out;
			}
			r2 = cur - 1;
		}
		r = release_at(&olds, args[1], 0, o, d, tmp);
		if (r == 0)
			r = release_at(&news, args[1], r2, o, d, tmp);
	} else if (!strcmp(m, "release")) {
		if (hx_helm_check_release(args[1]) < 0 ||
		    hx_helm_check_release(args[2]) < 0)
			goto out;
		r = release_at(&olds, args[1], 0, o, d, tmp);
		if (r == 0)
			r = release_at(&news, args[2], 0, o, d, tmp);
	} else {
		enum hx_input_kind k1, k2;

		if (local_kind(&k1, args[1], o) < 0 ||
		    local_kind(&k2, args[2], o) < 0)
			goto out;
		r = local_side(&olds, args[1], k1, o, tmp, 1);
		if (r == 0)
			r = local_side(&news, args[2], k2, o, tmp, 2);
	}
	if (r != 0) {
		*rc = r < 0 ? 1 : r;
		goto out;
	}
	r = hx_diffrun_report(d, &olds, &news, hx_opts_namespace(o));
	*rc = r < 0 ? 1 : r;
out:
	hx_tmpdir_remove();
	hx_streams_release(&olds);
	hx_streams_release(&news);
	return 1;
}

/*
 * helm template's flags for a diff's render, into targs: --include-crds
 * (patches reach the CRDs of crds/, as helm x upgrade's do, and helm-diff
 * diffs them), --dry-run=server (helm-diff's, which helmfile passes: so
 * lookup sees the cluster).  1 when the user gave --include-crds.
 */
static int template_args(struct hx_strvec *targs, const struct hx_opts *o)
{
	int crds = hx_strvec_has(&o->template_args, "--include-crds");
	size_t k;

	for (k = 0; k < o->template_args.n; k++)
		hx_strvec_push(targs, o->template_args.v[k]);
	if (!crds)
		hx_strvec_push(targs, "--include-crds");
	if (hx_strvec_has(&o->install_args, "--dry-run=server"))
		hx_strvec_push(targs, "--dry-run=server");
	return crds;
}

/*
 * The new side from the render (patched here): what the upgrade installs,
 * or with --from the render as 'helm x template' prints it.
 */
static int new_side(struct hx_streams *news, struct hx_streams *render,
                    const char *chart_dir, struct hx_patchset *ps,
                    struct hx_opts *o, const struct hx_diffrun *d,
                    const struct hx_render_opts *ro, int crds)
{
	if (hx_streams_patch(ps, render, o, 0) < 0)
		return -1;
	if (!d->from)
		return upgrade_side(news, render, chart_dir, o, ro, ro->tmpdir,
		                    crds) != 0
		               ? -1
		               : 0;
	hx_streams_release(news);
	*news = *render;
	memset(render, 0, sizeof(*render));
	if (!crds)
		hx_chartdir_drop_crds(news);
	if (o->inject.n && hx_streams_inject(news, o, ro->tmpdir) < 0)
		return -1;
	return 0;
}

/* diff manifests OLD NEW: two streams as they are. */
static int manifests_mode(const struct hx_opts *o, const struct hx_diffrun *d,
                          char **args, size_t nargs, struct hx_streams *olds,
                          struct hx_streams *news)
{
	if (nargs != 2) {
		hx_error_set("'diff manifests' needs OLD NEW (see "
		             "'helm x diff --help')");
		return -1;
	}
	if (o->patches.files.n || d->from) {
		hx_error_set("'diff manifests' compares two streams as "
		             "they are: patch with 'helm x patch' first");
		return -1;
	}
	if (d->three_way) {
		hx_error_set("--three-way-merge compares the live "
		             "objects with an upgrade, not two streams "
		             "('diff manifests')");
		return -1;
	}
	if (!strcmp(args[0], "-") && !strcmp(args[1], "-")) {
		hx_error_set("'diff manifests': only one side can be "
		             "'-'");
		return -1;
	}
	if (hx_diffrun_read(olds, args[0]) < 0 ||
	    hx_diffrun_read(news, args[1]) < 0)
		return -1;
	return 0;
}

/*
 * diff [upgrade] RELEASE SOURCE (what the upgrade would change), or with
 * --from SAVED [RELEASE] SOURCE (what changed since a saved render): the
 * two sides into olds and news.  0, or the exit code (error set).
 */
static int upgrade_mode(struct hx_opts *o, struct hx_diffrun *d, char **args,
                        size_t nargs, const char *ns, struct hx_streams *olds,
                        struct hx_streams *news)
{
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_streams render = HX_STREAMS_INIT;
	struct hx_render_opts ro;
	struct hx_strvec targs = HX_STRVEC_INIT;
	enum hx_input_kind kind;
	const char *tmp = NULL, *source;
	char *chart_dir = NULL;
	int rc = 1, release_started = 0, live = 0, crds = 0;
	struct release_job rj;
	pthread_t rtid;

	memset(&rj, 0, sizeof(rj));
	if (d->from ? nargs < 1 || nargs > 2 : nargs != 2) {
		hx_error_set("'diff' needs %s (see 'helm x diff "
		             "--help')",
		             d->from ? "[RELEASE] SOURCE" : "RELEASE SOURCE");
		goto out;
	}
	if (d->from && d->three_way) {
		hx_error_set("--three-way-merge compares the live "
		             "objects, and --from a saved render: take "
		             "one");
		goto out;
	}
	source = args[nargs - 1];
	if (hx_opts_prepare_render(&ro, &ps, &kind, o,
	                           nargs == 2 ? args[0]
	                           : o->name  ? o->name
	                                      : "release-name",
	                           source) < 0)
		goto out;
	ro.is_upgrade = !d->from;
	crds = template_args(&targs, o);
	ro.template_args = &targs;
	/* reused values are the release's: only a live render has them
	 */
	live = !d->from && !o->post_render &&
	       hx_opts_live_wanted(kind, &o->install_args);
	/* a live render's helm template step gives the CRDs alone,
	 * rendered as an install (see cmd_install.c) */
	if (live)
		ro.is_upgrade = 0;
	if (!live && check_install_flags(&o->install_args) < 0)
		goto out;
	if (d->from && hx_diffrun_read(olds, d->from) < 0)
		goto out;
	tmp = hx_tmpdir_create(o->keep_tmp || o->debug);
	if (!tmp)
		goto out;
	ro.tmpdir = tmp;
	if (!d->from) {
		/* helm get runs while the source renders */
		rj.s = olds;
		rj.release = ro.release;
		rj.ro = &ro;
		rj.tmp = tmp;
		rj.no_hooks = d->no_hooks;
		rj.three_way = d->three_way;
		rj.ns = ns;
		rj.kube_context = o->kube_context;
		release_started =
		        pthread_create(&rtid, NULL, release_run, &rj) == 0;
		if (!release_started)
			release_run(&rj);
	}
	if (o->post_render)
		rc = post_render_side(news, o, !d->from, ro.release, source,
		                      tmp);
	else
		rc = hx_render(&render, &chart_dir, kind, source, &ro);
	if (release_started) {
		pthread_join(rtid, NULL);
		release_started = 0;
	}
	if (!d->from && rj.rc) {
		/* the release's error first: it is the older question
		 */
		hx_error_restore(rj.err_head, rj.err_msg);
		rc = rj.rc < 0 ? 1 : rj.rc;
		goto out;
	}
	if (!d->from && rj.missing && !d->allow_unreleased && !rc) {
		hx_error_set("release '%s' not found in namespace '%s' "
		             "(--allow-unreleased diffs against "
		             "nothing)",
		             ro.release, ns ? ns : "default");
		rc = 1;
		goto out;
	}
	rc = hx_render_exit(rc);
	if (rc)
		goto out;
	if (live) {
		rc = hx_render_exit(
		        hx_streams_render_live(&render, chart_dir, 1, &ro, o));
		if (rc)
			goto out;
	}
	rc = 1;
	/* with --post-render, news is helm's render, patched by helm-x */
	if (!o->post_render &&
	    new_side(news, &render, chart_dir, &ps, o, d, &ro, crds) < 0)
		goto out;
	if (d->three_way &&
	    hx_difflive_threeway(olds, news, ns, o->kube_context, rj.live) < 0)
		goto out;
	rc = 0;
out:
	hx_difflive_free(rj.live);
	free(rj.err_head);
	free(rj.err_msg);
	free(chart_dir);
	hx_strvec_clear(&targs);
	hx_streams_release(&render);
	hx_patchset_release(&ps);
	return rc;
}

int hx_cmd_diff(int argc, char **argv)
{
	struct hx_opts o = HX_OPTS_INIT;
	struct hx_diffrun d;
	struct hx_streams olds = HX_STREAMS_INIT, news = HX_STREAMS_INIT;
	char **args;
	const char *ns;
	size_t nargs;
	int rc = 1, manifests = 0;

	memset(&d, 0, sizeof(d));
	hx_signals_init();
	switch (hx_opts_parse(&o, argc, argv, usage)) {
	case 1:
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (hx_diffrun_flags(&d, &o.diff_args) < 0)
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
	ns = hx_opts_namespace(&o);
	if (!manifests && helm_diff_mode(&rc, &o, &d, args, nargs))
		goto out;
	rc = manifests ? manifests_mode(&o, &d, args, nargs, &olds, &news) < 0
	               : upgrade_mode(&o, &d, args, nargs, ns, &olds, &news);
	/* after a signal nothing is reported */
	if (rc || hx_interrupted())
		goto out;
	rc = hx_diffrun_report(&d, &olds, &news, ns);
	rc = rc < 0 ? 1 : rc;
out:
	hx_tmpdir_remove();
	hx_streams_release(&olds);
	hx_streams_release(&news);
	hx_diffrun_release(&d);
	hx_opts_release(&o);
	hx_tmpdir_reraise();
	/* 2 is --detailed-exitcode's "changes", not a failure */
	return rc == 2 && !hx_error_is_set() ? 2 : hx_error_exit(rc);
}
