#include "hx/cmd.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/adopt.h"
#include "hx/chartdir.h"
#include "hx/chartscan.h"
#include "hx/cli.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/input.h"
#include "hx/manifest.h"
#include "hx/node.h"
#include "hx/patchset.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* clang-format off */
static const char head_install[] =
	"Usage: helm x install RELEASE SOURCE [flags]\n"
	"\n"
	"Render SOURCE (a chart as the install will render it: helm install\n"
	"--dry-run=server; else as 'helm x template' does), apply the patches,\n"
	"write the result as a temporary chart and run helm install on it.\n";
static const char head_upgrade[] =
	"Usage: helm x upgrade RELEASE SOURCE [--install] [flags]\n"
	"\n"
	"Render SOURCE (a chart as the upgrade will render it: helm upgrade\n"
	"--install --dry-run=server, so reused values, lookup and the revision\n"
	"are the release's; else as 'helm x template' does), apply the patches,\n"
	"write the result as a temporary chart and run helm upgrade on it.\n";
static const char head_apply[] =
	"Usage: helm x apply RELEASE SOURCE [flags]\n"
	"\n"
	"'helm x upgrade --install': install the release, or upgrade it.\n";
static const char head_lint[] =
	"Usage: helm x lint [RELEASE] SOURCE [flags]\n"
	"\n"
	"Render SOURCE with helm template as RELEASE (--name, else\n"
	"release-name, as helm lint), apply the patches, and run helm lint on\n"
	"the temporary chart.  Also fails on any patch that matches nothing\n"
	"(even with --allow-no-match) and on duplicate objects (same group,\n"
	"kind, namespace and name).\n"
	"\n"
	"Flags: the patch, values and chart flags of 'helm x template', and\n"
	"      --strict, --with-subcharts, --quiet, --skip-schema-validation\n"
	"                          passed to helm lint\n"
	"      -- ARGS             passed to helm lint as they are\n"
	"\n"
	"Exit status: 0 ok, 1 on any error (helm's too).\n";
static const char install_flags[] =
	"\n"
	"Each document goes back to the file its '# Source:' names, so the\n"
	"release shows the same '# Source:' lines as a plain helm install.\n"
	"\n"
	"Flags: the patch flags and chart flags of 'helm x template', and\n"
	"  -f, --values, --set, --set-string, --set-file, --set-json,\n"
	"      --set-literal       to the render and again to helm\n"
	"                          install/upgrade (helm get values shows them)\n"
	"      --dry-run[=MODE], --wait[=STRATEGY], --wait-for-jobs,\n"
	"      --timeout D (a bare number is seconds, as old helm-x took it),\n"
	"      --atomic | --rollback-on-failure, --force | --force-replace,\n"
	"      --create-namespace, --reset-values, --reuse-values,\n"
	"      --reset-then-reuse-values, --take-ownership, --description,\n"
	"      --history-max, --skip-crds, --cleanup-on-fail, --labels K=V,\n"
	"      --disable-openapi-validation, --hide-notes, --hide-secret,\n"
	"      --render-subchart-notes, --replace, -o, --output FORMAT,\n"
	"      --server-side[=MODE], --force-conflicts (Helm 4)\n"
	"                          to helm install/upgrade, spelled for the\n"
	"                          helm at hand; Helm 4's own are an error on\n"
	"                          Helm 3; --wait=STRATEGY is --wait there\n"
	"      --skip-schema-validation, --enable-dns\n"
	"                          to the render and to helm install/upgrade\n"
	"      --dependency ALIAS=REPO/CHART:VERSION\n"
	"                          add a subchart (see 'helm x template --help')\n"
	"      --inject 'CMD ... FILE'\n"
	"                          run CMD on each manifest file of the\n"
	"                          temporary chart, FILE replaced by its path;\n"
	"                          its output replaces the file, or, when it\n"
	"                          prints nothing, FILE as it edited it in\n"
	"                          place (sed -i, yq -i); fewer documents\n"
	"                          than before is an error (repeatable; old\n"
	"                          helm-x's --injector 'CMD,K=V,FILE' is\n"
	"                          read as --inject 'CMD --K V FILE')\n"
	"      --allow-empty       let an upgrade whose patched render holds\n"
	"                          no object delete every object of the\n"
	"                          release (else an error)\n"
	"      --post-render       no temporary chart: helm renders the chart\n"
	"                          and runs helm-x's patches as its\n"
	"                          post-renderer (Helm 4: the plugin x-patch,\n"
	"                          from helm-x's own dir, installed nowhere).\n"
	"                          The release keeps\n"
	"                          the chart's templates.  Charts only; Helm 3\n"
	"                          post-renders no hooks and no helm crds/\n"
	"      --post-renderer P --post-renderer-args A\n"
	"                          P helm-x itself (its path, or x-patch): A\n"
	"                          are its patch flags, applied by helm-x\n"
	"                          (helmfile's postRenderer); else helm runs P\n"
	"      --adopt KIND/NAME   make existing objects part of the release\n"
	"                          first (repeatable, comma lists); see 'helm x\n"
	"                          adopt --help', and when --take-ownership is\n"
	"                          the better choice\n"
	"      --keep-tmp          keep the temporary chart and print its path\n"
	"                          (also --debug)\n"
	"      -- ARGS             passed to helm install/upgrade as they are\n"
	"\n"
	"Helm 2 flags (--tiller-namespace, --tls*, --home, --host) are refused.\n"
	"\n"
	"Exit status: 0 ok, 1 on any error (helm's too).\n";
/* clang-format on */

/* The help page of cmd (new). */
static char *usage_of(const char *cmd)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	if (!strcmp(cmd, "lint"))
		return hx_xstrdup(head_lint);
	hx_strbuf_adds(&sb, !strcmp(cmd, "install")   ? head_install
	                    : !strcmp(cmd, "upgrade") ? head_upgrade
	                                              : head_apply);
	hx_strbuf_adds(&sb, install_flags);
	return hx_strbuf_detach(&sb, NULL);
}

/*
 * Objects that appear twice (same group, kind, namespace, name) are an
 * error for lint: helm would refuse or silently keep one.  Paired as diff
 * pairs them, hooks and tests included, names as written.
 */
/*
 * helm lint refuses a template named *.json, which helm install renders:
 * a manifest dir's a.json is linted as templates/a.json.yaml (JSON is
 * YAML).  The temporary chart's templates/ holds only files helm-x wrote.
 */
static int lint_json_names(const char *chart)
{
	char *dir = hx_path_join(chart, "templates");
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);
	struct dirent *e;
	int rc = 0;

	free(dir);
	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0; /* no templates/: nothing to rename */
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char *to;

		if (n <= 5 || strcmp(e->d_name + n - 5, ".json"))
			continue;
		to = hx_xmalloc(n + 6);
		memcpy(to, e->d_name, n);
		memcpy(to + n, ".yaml", 6);
		if (renameat(dirfd(d), e->d_name, dirfd(d), to) < 0) {
			hx_error_set_errno("cannot rename 'templates/%s' of "
			                   "the chart for helm lint",
			                   e->d_name);
			rc = -1;
		}
		free(to);
	}
	closedir(d);
	return rc;
}

static int check_duplicates(struct hx_streams *s, const char *ns)
{
	struct hx_manifest_opts mo = {ns, 1, 0, 0, 1};
	struct hx_mset set = HX_MSET_INIT;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < s->n; i++)
		rc = hx_manifest_parse(&set, &s->v[i], &mo);
	if (rc == 0)
		rc = hx_manifest_finish(&set);
	hx_mset_release(&set);
	return rc;
}

/* Print text to stdout with every "from" replaced by "to". */
static void print_replacing(const struct hx_strbuf *text, const char *from,
                            const char *to)
{
	const char *p = text->buf, *end = text->buf + text->len, *hit;
	size_t n = strlen(from);

	while (p < end && n && (hit = strstr(p, from)) != NULL) {
		fwrite(p, 1, (size_t)(hit - p), stdout);
		fputs(to, stdout);
		p = hit + n;
	}
	if (p < end)
		fwrite(p, 1, (size_t)(end - p), stdout);
	fflush(stdout);
}

/*
 * p runs 'helm CMD [SUB] RELEASE' for the release of ro (its namespace and
 * context), stdout captured, stderr to errs (a complaint is not ours).
 */
static void release_query(struct hx_proc *p, const char *what, const char *cmd,
                          const char *sub, const struct hx_render_opts *ro,
                          const char *errs)
{
	hx_strvec_pushl(&p->args, hx_helm_bin(), cmd, NULL);
	if (sub)
		hx_strvec_push(&p->args, sub);
	hx_strvec_push(&p->args, ro->release);
	if (ro->ns)
		hx_strvec_pushl(&p->args, "--namespace", ro->ns, NULL);
	if (ro->kube_context)
		hx_strvec_pushl(&p->args, "--kube-context", ro->kube_context,
		                NULL);
	p->capture_out = 1;
	p->err_file = errs;
	p->what = what;
}

/* How many documents of text are objects of a release (not hooks). */
static size_t count_objects(const char *what, const char *text, size_t len)
{
	struct hx_stream st;
	struct hx_arena a = HX_ARENA_INIT;
	size_t i, n = 0;

	hx_stream_init_buf(&st, what, hx_xstrndup(text, len), len);
	for (i = 0; i < st.n; i++) {
		struct hx_doc *d = &st.docs[i];

		if (d->empty)
			continue;
		/* a document that does not parse is not nothing */
		if (hx_doc_load(&st, d, &a) < 0 || !d->root ||
		    !hx_map_path(d->root, "metadata", "annotations",
		                 "helm.sh/hook", NULL))
			n++;
		hx_error_clear();
	}
	hx_stream_release(&st);
	hx_arena_release(&a);
	return n;
}

/*
 * An upgrade whose patched render holds no object (every document deleted,
 * filtered out or only hooks) would delete every object of the release:
 * an error unless --allow-empty, when the release has objects.  One
 * 'helm get manifest' run, and only for such a render.
 */
static int check_not_emptied(const struct hx_streams *s,
                             const struct hx_render_opts *ro,
                             const struct hx_opts *o, const char *tmp)
{
	struct hx_strbuf text = HX_STRBUF_INIT, live = HX_STRBUF_INIT;
	struct hx_proc p = HX_PROC_INIT;
	char *errs = hx_path_join(tmp, "get-manifest.err");
	size_t had;
	int rc = -1;

	if (hx_chartdir_manifest(&text, s, ro->release) < 0)
		goto out;
	rc = 0;
	if (count_objects("render", text.buf, text.len))
		goto out;
	release_query(&p, "helm get manifest", "get", "manifest", ro, errs);
	if (hx_proc_run(&p, &live) != 0) {
		hx_error_clear();
		goto out; /* no such release: the upgrade installs it */
	}
	had = count_objects("release", live.buf, live.len);
	if (had && !o->allow_empty) {
		hx_error_set("the patched render holds no object, and "
		             "upgrading release '%s' with it would delete its "
		             "%zu object%s: check the patches and --inject "
		             "commands, or pass --allow-empty if that is what "
		             "you want",
		             ro->release, had, had == 1 ? "" : "s");
		rc = -1;
	}
out:
	hx_proc_release(&p);
	hx_strbuf_release(&text);
	hx_strbuf_release(&live);
	free(errs);
	return rc;
}

/*
 * 1 when 'helm history RELEASE' says there is no such release: an upgrade
 * --install of it is a first install.  0 when it exists, or when helm
 * cannot tell (the server dry run then says why).
 */
static int release_absent(const struct hx_render_opts *ro, const char *tmp)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	char *errs = hx_path_join(tmp, "history.err"), *err = NULL;
	size_t len = 0;
	int rc;

	release_query(&p, "helm history", "history", NULL, ro, errs);
	hx_strvec_pushl(&p.args, "--max", "1", NULL);
	rc = hx_proc_run(&p, &out);
	rc = rc > 0 && hx_read_file(&err, &len, errs) == 0 &&
	     strstr(err, "release: not found");
	hx_error_clear();
	free(err);
	free(errs);
	hx_strbuf_release(&out);
	hx_proc_release(&p);
	return rc;
}

/*
 * The server dry run is skipped where it cannot change the render: a first
 * install of a chart whose templates can reach nothing of the cluster
 * (chartscan.h).  helm template's render is then the install's, and the
 * install checks ownership once, not twice.
 */
static int live_needed(const char *chart_dir, const struct hx_opts *o,
                       const struct hx_render_opts *ro, const char *tmp,
                       int upgrade)
{
	if (!chart_dir || hx_strvec_has(&o->install_args, "--replace") ||
	    hx_chart_needs_cluster(chart_dir))
		return 1;
	return upgrade && !release_absent(ro, tmp);
}

int hx_cmd_install(int argc, char **argv)
{
	const char *cmd = argv[0];
	int lint = !strcmp(cmd, "lint");
	int upgrade = !strcmp(cmd, "upgrade") || !strcmp(cmd, "apply");
	struct hx_opts o = HX_OPTS_INIT;
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_streams streams = HX_STREAMS_INIT;
	struct hx_strvec targs = HX_STRVEC_INIT;
	struct hx_render_opts ro = {0};
	struct hx_proc helm = HX_PROC_INIT;
	enum hx_input_kind kind;
	const char *source, *tmp;
	char *chart_dir = NULL, *out_chart = NULL, *usage = NULL;
	size_t i;
	int rc = 1, adopted = 0, live;

	hx_signals_init(); /* before any child runs */
	usage = usage_of(cmd);
	switch (hx_opts_parse(&o, argc, argv, usage)) {
	case 1:
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (lint ? o.args.n < 1 || o.args.n > 2 : o.args.n != 2) {
		hx_error_set("'%s' needs %s (see 'helm x %s --help')", cmd,
		             lint ? "[RELEASE] SOURCE" : "RELEASE SOURCE", cmd);
		goto out;
	}
	if (lint)
		o.allow_no_match = 0; /* lint: any no-match is an error */
	source = o.args.v[o.args.n - 1];
	if (o.post_render) {
		rc = hx_post_render_run(
		        &o, upgrade ? "upgrade" : "install", o.args.v[0],
		        source,
		        upgrade && (o.install || !strcmp(cmd, "apply")));
		goto out;
	}
	if (hx_opts_prepare_render(&ro, &ps, &kind, &o,
	                           lint && o.args.n == 1
	                                   ? (o.name ? o.name : "release-name")
	                                   : o.args.v[0],
	                           source) < 0)
		goto out;
	ro.extra = NULL; /* "--" words go to helm install/upgrade alone */
	live = !lint && hx_opts_live_wanted(kind, &o.install_args);
	/* CRDs go through the patches too, and back to crds/ */
	for (i = 0; i < o.template_args.n; i++)
		hx_strvec_push(&targs, o.template_args.v[i]);
	if (!hx_strvec_has(&o.install_args, "--skip-crds") &&
	    !hx_strvec_has(&targs, "--include-crds"))
		hx_strvec_push(&targs, "--include-crds");
	/*
	 * A live render takes the manifest and hooks from the server dry
	 * run; helm template gives the CRDs (crds/ files, never templated).
	 * It renders as an install: an upgrade's guards (Bitnami's
	 * passwords) need the release's objects, which only the dry run
	 * has.  (Helm 4's template --dry-run=server would check ownership
	 * of every object, as an install does.)
	 */
	ro.is_upgrade = upgrade && !live;
	ro.template_args = &targs;
	tmp = hx_tmpdir_create(o.keep_tmp || o.debug);
	if (!tmp)
		goto out;
	ro.tmpdir = tmp;
	rc = hx_render_exit(hx_render(&streams, &chart_dir, kind, source, &ro));
	if (rc)
		goto out;
	if (live)
		live = live_needed(chart_dir, &o, &ro, tmp, upgrade);
	if (live) {
		/* --adopt first: the dry run checks ownership too */
		rc = 1;
		if (o.adopt.n && hx_adopt_opts(&o, ro.release) < 0)
			goto out;
		adopted = 1;
		rc = hx_render_exit(hx_streams_render_live(&streams, chart_dir,
		                                           upgrade, &ro, &o));
		if (rc)
			goto out;
	}
	rc = 1;
	if (hx_streams_patch(&ps, &streams, &o, 0) < 0)
		goto out;
	if (lint && check_duplicates(&streams, ro.ns ? ro.ns : "default") < 0)
		goto out;
	out_chart = hx_path_join(tmp, "chart");
	if (hx_chartdir_write(out_chart, &streams, chart_dir, ro.release,
	                      o.chart_version) < 0)
		goto out;
	if (hx_opts_inject(&o, out_chart) < 0 || hx_interrupted())
		goto out;
	if (upgrade && !lint && check_not_emptied(&streams, &ro, &o, tmp) < 0)
		goto out;
	/* --adopt: the render and the patches are good; helm runs next */
	if (o.adopt.n && !adopted && !lint && hx_adopt_opts(&o, ro.release) < 0)
		goto out;
	hx_strvec_push(&helm.args, hx_helm_bin());
	if (lint) {
		if ((kind == HX_INPUT_MANIFESTS || kind == HX_INPUT_FILE) &&
		    lint_json_names(out_chart) < 0)
			goto out;
		hx_strvec_pushl(&helm.args, "lint", out_chart, NULL);
	} else {
		hx_strvec_pushl(&helm.args, upgrade ? "upgrade" : "install",
		                ro.release, out_chart, NULL);
		if (upgrade && (o.install || !strcmp(cmd, "apply")))
			hx_strvec_push(&helm.args, "--install");
	}
	if (ro.ns)
		hx_strvec_pushl(&helm.args, "--namespace", ro.ns, NULL);
	if (ro.kube_context && !lint)
		hx_strvec_pushl(&helm.args, "--kube-context", ro.kube_context,
		                NULL);
	for (i = 0; i < o.values.n; i++)
		hx_strvec_push(&helm.args, o.values.v[i]);
	if (!lint && hx_opts_push_install_flags(&helm.args, &o) < 0)
		goto out;
	if (!lint && o.output)
		hx_strvec_pushl(&helm.args, "--output", o.output, NULL);
	for (i = 0; !lint && i < o.install_only.n; i++)
		hx_strvec_push(&helm.args, o.install_only.v[i]);
	for (i = 0; lint && i < o.lint_args.n; i++)
		hx_strvec_push(&helm.args, o.lint_args.v[i]);
	for (i = 0; lint && i < o.both_args.n; i++)
		if (!strcmp(o.both_args.v[i], "--skip-schema-validation"))
			hx_strvec_push(&helm.args, o.both_args.v[i]);
	for (i = 0; i < o.extra.n; i++)
		hx_strvec_push(&helm.args, o.extra.v[i]);
	helm.what = lint      ? "helm lint"
	            : upgrade ? "helm upgrade"
	                      : "helm install";
	if (lint) {
		/* helm lint names the chart it was given: the user's source,
		 * never the temporary chart */
		struct hx_strbuf said = HX_STRBUF_INIT;

		helm.capture_out = 1;
		rc = hx_proc_run(&helm, &said);
		print_replacing(&said, out_chart, source);
		hx_strbuf_release(&said);
	} else {
		rc = hx_proc_run(&helm, NULL);
	}
	if (rc < 0) {
		hx_error_suffix("%s", hx_helm_bin_origin());
		rc = 1;
	} else if (rc > 0) {
		hx_error_set("'%s' exited with status %d", helm.what, rc);
	}
out:
	hx_tmpdir_remove();
	hx_proc_release(&helm);
	free(chart_dir);
	free(out_chart);
	free(usage);
	hx_strvec_clear(&targs);
	hx_streams_release(&streams);
	hx_patchset_release(&ps);
	hx_opts_release(&o);
	hx_tmpdir_reraise();
	return hx_error_exit(rc);
}
