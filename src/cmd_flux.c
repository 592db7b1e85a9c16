/*
 * helm x flux template|lint|diff PATH...: what helm-controller would
 * deploy from the HelmReleases of a Flux repository (flux.h does the
 * reading; this file the flags and the flow).
 */
#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/chartdir.h"
#include "hx/cli.h"
#include "hx/diffrun.h"
#include "hx/err.h"
#include "hx/flux.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

enum sub {
	SUB_TEMPLATE = 1,
	SUB_LINT = 2,
	SUB_DIFF = 4,
	SUB_ALL = 7,
};

enum fopt_id {
	FO_NAME,
	FO_SOURCE,
	FO_VALUES_FROM,
	FO_TEMPLATE, /* to helm template */
	FO_OUTPUT,
	FO_HELM3,
	FO_KEEP_TMP,
	FO_DEBUG,
	FO_HELP,
};

/* The flags of helm x flux; diff's own come from cli.c's table. */
static const struct fopt {
	const char *name;
	char short_name;
	int takes_value;
	unsigned subs;
	enum fopt_id id;
	const char *arg, *help;
} fopts[] = {
        {"name", 0, 1, SUB_ALL, FO_NAME, "NS/NAME",
         "only this HelmRelease (repeatable)"},
        {"source", 0, 1, SUB_ALL, FO_SOURCE, "KIND/NS/NAME=DIR",
         "the directory of a GitRepository or Bucket, NS or NAME '*' for "
         "any (default for a "
         "GitRepository: the root of the git repository the HelmRelease "
         "lies in)"},
        {"values-from", 0, 1, SUB_ALL, FO_VALUES_FROM, "KIND/NS/NAME=FILE",
         "a ConfigMap or Secret by hand (a decrypted one): FILE holds the "
         "object, or the value of its key"},
        {"kube-version", 0, 1, SUB_ALL, FO_TEMPLATE, "V",
         "passed to helm template"},
        {"api-versions", 'a', 1, SUB_ALL, FO_TEMPLATE, "G/V",
         "passed to helm template (repeatable)"},
        {"use-helm3-defaults", 0, 0, SUB_ALL, FO_HELM3, NULL,
         "as helm-controller's UseHelm3Defaults feature gate: hooks are "
         "not post-rendered unless postRenderStrategy says"},
        {"output", 'o', 1, SUB_LINT | SUB_DIFF, FO_OUTPUT, "FORMAT",
         "lint: text or github (GitHub Actions annotations); diff: as "
         "'helm x diff --output'"},
        {"keep-tmp", 0, 0, SUB_ALL, FO_KEEP_TMP, NULL,
         "keep the temporary directory"},
        {"debug", 0, 0, SUB_ALL, FO_DEBUG, NULL, "the same"},
        {"help", 'h', 0, SUB_ALL, FO_HELP, NULL, "this help"},
};

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: helm x flux template PATH... [flags]\n"
	      "       helm x flux lint PATH... [flags]\n"
	      "       helm x flux diff PATH... [--from OLD] [flags]\n"
	      "\n"
	      "What Flux's helm-controller would deploy from the HelmReleases "
	      "in PATH\n"
	      "(files, or directories read recursively; a directory with a\n"
	      "kustomization is built with kustomize first, as "
	      "kustomize-controller\n"
	      "does), with the sources, ConfigMaps and Secrets found there: "
	      "release\n"
	      "name and namespace, chart, values (valuesFiles, valuesFrom, "
	      "values),\n"
	      "post-renderers (kustomize patches and images, commonMetadata, "
	      "the\n"
	      "origin labels) and CRD policy as helm-controller applies them.\n"
	      "\n"
	      "  template  print each HelmRelease's objects, under a line\n"
	      "            '# HelmRelease NS/NAME: release R in namespace N'\n"
	      "  lint      render every HelmRelease, check that every patch "
	      "matches\n"
	      "            something; one line per problem, exit 1 if any\n"
	      "  diff      compare with the releases helm-controller made "
	      "(helm get,\n"
	      "            in each storage namespace), or with a saved "
	      "'helm x flux\n"
	      "            template' (--from: no cluster), in helm x diff's "
	      "formats\n"
	      "            and with its flags\n"
	      "\n"
	      "Flags:\n",
	      f);
	for (i = 0; i < sizeof(fopts) / sizeof(fopts[0]); i++) {
		const struct fopt *o = &fopts[i];
		char left[64];

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
		         o->short_name ? "-" : "",
		         o->short_name ? o->short_name : ' ',
		         o->short_name ? ", " : "  ", o->name,
		         o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-28s %s%s\n", left + (o->short_name ? 0 : 2),
		        o->subs == SUB_ALL ? "" : "(lint, diff) ", o->help);
	}
	fputs("  and for diff, helm x diff's own flags (--from OLD, -C N,\n"
	      "  --detailed-exitcode, --suppress KIND, ...: see 'helm x diff "
	      "--help')\n"
	      "\n"
	      "Exit status: 0; diff: 2 with --detailed-exitcode when anything\n"
	      "changed; 1 on any error (lint: on any problem).\n",
	      f);
}

struct fctx {
	enum sub sub;
	struct hx_strvec paths, names, template_args, diff_words;
	struct hx_flux_givens sources, values_from;
	const char *output;
	int helm3, keep_tmp, github;
	const char *tmp;
	struct hx_flux_set set;
	/* the render: streams, and for each the release namespace and the
	 * HelmRelease it came from */
	struct hx_streams streams;
	struct hx_strvec stream_ns;
	struct hx_strvec headers;  /* per stream: "# HelmRelease ..." or "" */
	struct hx_strvec problems; /* lint */
	struct hx_diffrun diff;    /* diff's flags */
	/* per HelmRelease rendered: "NS/NAME", its release, the namespaces
	 * of its objects and of its storage (a live diff) */
	struct hx_strvec hr_ids, hr_release, hr_ns, hr_storage;
	size_t nreleases, bad_releases;
};

static const struct fopt *find_opt(const char *arg, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(fopts) / sizeof(fopts[0]); i++)
		if ((arg[1] == '-'
		             ? strlen(fopts[i].name) == len - 2 &&
		                       !strncmp(fopts[i].name, arg + 2, len - 2)
		             : len == 2 && fopts[i].short_name == arg[1]))
			return &fopts[i];
	return NULL;
}

/* "--NAME" [VALUE] onto words */
static void push_flag(struct hx_strvec *words, const char *name, const char *v)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_addf(&sb, "--%s", name);
	hx_strvec_push(words, sb.buf);
	if (v)
		hx_strvec_push(words, v);
	hx_strbuf_release(&sb);
}

static int parse(struct fctx *c, int argc, char **argv)
{
	int i;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *eq = strchr(a, '='), *v = NULL;
		size_t len = eq && a[1] == '-' ? (size_t)(eq - a) : strlen(a);
		const struct fopt *o;
		const char *dname;
		int dvalue;
		char *flag;

		if (a[0] != '-' || !a[1]) {
			hx_strvec_push(&c->paths, a);
			continue;
		}
		if (!strcmp(a, "--")) {
			for (i++; i < argc; i++)
				hx_strvec_push(&c->paths, argv[i]);
			break;
		}
		o = find_opt(a, len);
		flag = hx_xstrndup(a, len);
		if (!o && hx_cli_diff_flag(flag, &dname, &dvalue)) {
			free(flag);
			if (c->sub != SUB_DIFF) {
				hx_error_set("'%.*s' is a flag of 'helm x flux "
				             "diff'",
				             (int)len, a);
				return -1;
			}
			if (dvalue == 2) {
				/* --color[=WHEN] (or WHEN as the next word) */
				struct hx_strbuf w = HX_STRBUF_INIT;

				v = eq && a[1] == '-' ? eq + 1
				    : i + 1 < argc && hx_cli_color_word(
				                              argv[i + 1])
				            ? argv[++i]
				            : NULL;
				hx_strbuf_addf(&w, "--%s%s%s", dname,
				               v ? "=" : "", v ? v : "");
				hx_strvec_push(&c->diff_words, w.buf);
				hx_strbuf_release(&w);
				continue;
			}
			push_flag(&c->diff_words, dname, NULL);
			if (dvalue) {
				v = eq && a[1] == '-' ? eq + 1
				    : i + 1 < argc    ? argv[++i]
				                      : NULL;
				if (!v) {
					hx_error_set("'%.*s' needs a value",
					             (int)len, a);
					return -1;
				}
				hx_strvec_push(&c->diff_words, v);
			} else if (eq && a[1] == '-') {
				hx_error_set("'%.*s' takes no value", (int)len,
				             a);
				return -1;
			}
			continue;
		}
		if (!o) {
			hx_error_set("unknown flag '%s' of 'helm x flux' (see "
			             "'helm x flux --help')",
			             flag);
			free(flag);
			return -1;
		}
		free(flag);
		if (!(o->subs & c->sub)) {
			hx_error_set("'--%s' is a flag of 'helm x flux lint' "
			             "and 'diff', not of 'template'",
			             o->name);
			return -1;
		}
		if (o->takes_value) {
			v = eq && a[1] == '-' ? eq + 1
			    : i + 1 < argc    ? argv[++i]
			                      : NULL;
			if (!v) {
				hx_error_set("'--%s' needs a value", o->name);
				return -1;
			}
		} else if (eq && a[1] == '-') {
			hx_error_set("'--%s' takes no value", o->name);
			return -1;
		}
		switch (o->id) {
		case FO_NAME:
			if (!strchr(v, '/') ||
			    strchr(strchr(v, '/') + 1, '/') || v[0] == '/' ||
			    !strchr(v, '/')[1]) {
				hx_error_set("--name '%s': want NAMESPACE/NAME",
				             v);
				return -1;
			}
			hx_strvec_push(&c->names, v);
			break;
		case FO_SOURCE:
			if (hx_flux_given_add(&c->sources, v, "--source") < 0)
				return -1;
			break;
		case FO_VALUES_FROM:
			if (hx_flux_given_add(&c->values_from, v,
			                      "--values-from") < 0)
				return -1;
			break;
		case FO_TEMPLATE:
			push_flag(&c->template_args, o->name, v);
			break;
		case FO_OUTPUT:
			if (c->sub == SUB_DIFF) {
				hx_strvec_pushl(&c->diff_words, "--output", v,
				                NULL);
			} else if (!strcmp(v, "github")) {
				c->github = 1;
			} else if (strcmp(v, "text")) {
				hx_error_set("--output '%s': want text or "
				             "github",
				             v);
				return -1;
			}
			break;
		case FO_HELM3:
			c->helm3 = 1;
			break;
		case FO_KEEP_TMP:
		case FO_DEBUG:
			c->keep_tmp = 1;
			break;
		case FO_HELP:
			usage(stdout);
			return 1;
		}
	}
	return 0;
}

/* ---- one HelmRelease -------------------------------------------------- */

/* A problem for lint (the current error, or a warning-shaped line). */
static void add_problem(struct fctx *c, const char *line)
{
	hx_strvec_push(&c->problems, line);
}

static void error_problem(struct fctx *c)
{
	char *head = NULL, *msg = NULL;
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_error_save(&head, &msg);
	hx_strbuf_addf(&sb, "%s%s", head && *head ? head : "", msg ? msg : "");
	add_problem(c, sb.buf);
	hx_strbuf_release(&sb);
	free(head);
	free(msg);
}

/* "patch 1 of F matched no document (...) at F:L:C" -> "F:L:C: ..." */
static void nomatch_problem(struct fctx *c, const char *w)
{
	const char *at = NULL, *p = w;
	struct hx_strbuf sb = HX_STRBUF_INIT;

	while ((p = strstr(p, " at ")) != NULL)
		at = p++;
	if (at)
		hx_strbuf_addf(&sb, "%s: %.*s", at + 4, (int)(at - w), w);
	else
		hx_strbuf_adds(&sb, w);
	add_problem(c, sb.buf);
	hx_strbuf_release(&sb);
}

/* One HelmRelease's render into c: its streams (each with its header
 * and namespace), its warnings and no-match lines, its release. */
static int take_job(struct fctx *c, struct hx_flux_job *j,
                    struct hx_strvec *warnings)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	size_t i;

	for (i = 0; i < j->warnings.n; i++)
		hx_strvec_push(warnings, j->warnings.v[i]);
	if (j->rc) {
		hx_error_restore(j->err_head, j->err_msg);
		if (c->sub != SUB_LINT)
			return j->rc;
		error_problem(c);
		return 0;
	}
	/* helm-controller applies a patch that matches nothing silently:
	 * template warns, lint fails */
	for (i = 0; i < j->nomatch.n; i++) {
		if (c->sub == SUB_LINT &&
		    strstr(j->nomatch.v[i], "matched no ")) {
			nomatch_problem(c, j->nomatch.v[i]);
		} else {
			hx_strbuf_reset(&sb);
			hx_strbuf_addf(&sb, "HelmRelease %s/%s: %s", j->obj->ns,
			               j->obj->name, j->nomatch.v[i]);
			hx_strvec_push(warnings, sb.buf);
		}
	}
	for (i = 0; i < j->streams.n; i++) {
		hx_strbuf_reset(&sb);
		if (i == 0)
			hx_flux_header(&sb, j);
		hx_strvec_push(&c->headers, sb.len ? sb.buf : "");
		hx_strvec_push(&c->stream_ns, j->rel_ns);
		*hx_streams_add(&c->streams) = j->streams.v[i];
		memset(&j->streams.v[i], 0, sizeof(j->streams.v[i]));
	}
	hx_strbuf_reset(&sb);
	hx_strbuf_addf(&sb, "%s/%s", j->obj->ns, j->obj->name);
	hx_strvec_push(&c->hr_ids, sb.buf);
	hx_strvec_push(&c->hr_release, j->release);
	hx_strvec_push(&c->hr_ns, j->rel_ns);
	hx_strvec_push(&c->hr_storage, j->storage_ns);
	hx_strbuf_release(&sb);
	return 0;
}

/* ---- the commands ----------------------------------------------------- */

/* spec, "NS/NAME" of --name, names o */
static int names(const char *spec, const struct hx_flux_obj *o)
{
	size_t nl = strlen(o->ns);

	return !strncmp(spec, o->ns, nl) && spec[nl] == '/' &&
	       !strcmp(spec + nl + 1, o->name);
}

static int name_wanted(const struct fctx *c, const struct hx_flux_obj *o)
{
	size_t i;

	for (i = 0; i < c->names.n; i++)
		if (names(c->names.v[i], o))
			return 1;
	return !c->names.n;
}

static int check_names(const struct fctx *c)
{
	size_t i, j;

	for (i = 0; i < c->names.n; i++) {
		int found = 0;

		for (j = 0; j < c->set.n && !found; j++)
			found = hx_flux_is_release(&c->set.objs[j]) &&
			        names(c->names.v[i], &c->set.objs[j]);
		if (!found) {
			hx_error_set("--name %s: no HelmRelease of that "
			             "namespace and name in the PATHs",
			             c->names.v[i]);
			return -1;
		}
	}
	return 0;
}

/* A warning line: as it is, or as a GitHub Actions annotation. */
/* GitHub's workflow-command escapes: '%' always, ':' and ',' in a
 * property's value. */
static void add_gh(struct hx_strbuf *sb, const char *s, size_t n, int prop)
{
	size_t k;

	for (k = 0; k < n; k++) {
		if (s[k] == '%')
			hx_strbuf_adds(sb, "%25");
		else if (prop && s[k] == ':')
			hx_strbuf_adds(sb, "%3A");
		else if (prop && s[k] == ',')
			hx_strbuf_adds(sb, "%2C");
		else
			hx_strbuf_addch(sb, s[k]);
	}
}

/*
 * A warning or problem line: as it is, or as a GitHub Actions annotation.
 * Shown visible (a control character as \xNN): a value from a
 * HelmRelease never ends the line, nor forges another line or command.
 */
static void print_line(const struct fctx *c, const char *raw, int error)
{
	struct hx_strbuf vis = HX_STRBUF_INIT, out = HX_STRBUF_INIT;
	const char *p, *c1, *c2, *c3, *line;

	hx_strbuf_add_visible(&vis, raw, strlen(raw));
	line = vis.buf ? vis.buf : "";
	p = line;
	if (!c->github) {
		if (error)
			printf("%s%s\n",
			       strchr(line, ':') ? "" : "helm-x: ", line);
		else
			hx_warning("%s", line);
		hx_strbuf_release(&vis);
		return;
	}
	/* "FILE:L:C: msg": file and position for the annotation */
	c1 = strchr(p, ':');
	c2 = c1 ? strchr(c1 + 1, ':') : NULL;
	c3 = c2 ? strchr(c2 + 1, ':') : NULL;
	hx_strbuf_addf(&out, "::%s", error ? "error" : "warning");
	if (c3 && c3[1] == ' ' &&
	    strspn(c1 + 1, "0123456789") == (size_t)(c2 - c1 - 1) &&
	    strspn(c2 + 1, "0123456789") == (size_t)(c3 - c2 - 1) &&
	    line[0] != '<') {
		const char *msg = c3 + 2;

		if (!strncmp(msg, "warning: ", 9))
			msg += 9;
		hx_strbuf_adds(&out, " file=");
		add_gh(&out, p, (size_t)(c1 - p), 1);
		hx_strbuf_addf(&out,
		               ",line=%.*s,col=%.*s::", (int)(c2 - c1 - 1),
		               c1 + 1, (int)(c3 - c2 - 1), c2 + 1);
		add_gh(&out, msg, strlen(msg), 0);
	} else {
		hx_strbuf_adds(&out, "::");
		add_gh(&out, line, strlen(line), 0);
	}
	printf("%s\n", out.buf);
	hx_strbuf_release(&out);
	hx_strbuf_release(&vis);
}

static int print_streams(struct fctx *c)
{
	size_t i;
	int state = 0;

	for (i = 0; i < c->streams.n; i++) {
		if (c->headers.v[i][0]) {
			/* a document of its own: the comment leads the
			 * release's first object, never ends another's */
			if (state == 2)
				fputc('\n', stdout);
			fputs("---\n", stdout);
			fputs(c->headers.v[i], stdout);
			state = 1;
		}
		if (hx_stream_write(stdout, &c->streams.v[i], &state) < 0)
			return -1;
	}
	if (fflush(stdout) != 0) {
		hx_error_set_errno("cannot write output");
		return -1;
	}
	return 0;
}

/*
 * Against the releases helm-controller made: helm get manifest and hooks
 * of each, in its storage namespace.  helm-controller stores what
 * kustomize emitted (sorted keys, no comments) and no CRDs (it applies
 * them itself): both sides are compared re-emitted, the render without
 * its CRDs.
 */
static int run_live(struct fctx *c)
{
	struct hx_diffrun *d = &c->diff;
	struct hx_streams olds = HX_STREAMS_INIT;
	struct hx_strvec olds_ns = HX_STRVEC_INIT;
	size_t i, j;
	int rc = -1;

	for (i = 0; i < c->hr_ids.n; i++) {
		size_t before = olds.n;
		int missing = 0, r;

		r = hx_diffrun_get_release(
		        &olds, c->hr_release.v[i], c->hr_storage.v[i], NULL, 0,
		        c->tmp, HX_RELEASE_ALL(d->no_hooks), &missing);
		if (r) {
			hx_error_prefix("HelmRelease %s: ", c->hr_ids.v[i]);
			rc = r;
			goto out;
		}
		if (missing)
			hx_warning("HelmRelease %s: release '%s' not found in "
			           "namespace '%s' (not installed yet?): its "
			           "objects show as added",
			           c->hr_ids.v[i], c->hr_release.v[i],
			           c->hr_storage.v[i]);
		for (j = before; j < olds.n; j++)
			hx_strvec_push(&olds_ns, c->hr_ns.v[i]);
	}
	hx_tmpdir_remove();
	hx_chartdir_drop_crds(&c->streams);
	d->normalize = 1;
	rc = hx_diffrun_report_ns(d, &olds, (const char *const *)olds_ns.v,
	                          &c->streams,
	                          (const char *const *)c->stream_ns.v);
out:
	hx_strvec_clear(&olds_ns);
	hx_streams_release(&olds);
	return rc;
}

static int run_diff(struct fctx *c)
{
	struct hx_diffrun *d = &c->diff;
	struct hx_streams saved = HX_STREAMS_INIT, olds = HX_STREAMS_INIT;
	struct hx_strvec olds_ns = HX_STRVEC_INIT;
	int rc = -1;

	if (!d->from) {
		rc = run_live(c);
		goto out;
	}
	d->generated_fix = "with read access, 'helm x flux diff' without "
	                   "--from compares with the releases";
	if (hx_diffrun_read(&saved, d->from) < 0 ||
	    hx_flux_split_saved(&olds, &olds_ns, &saved) < 0)
		goto out;
	rc = hx_diffrun_report_ns(d, &olds, (const char *const *)olds_ns.v,
	                          &c->streams,
	                          (const char *const *)c->stream_ns.v);
out:
	hx_strvec_clear(&olds_ns);
	hx_streams_release(&saved);
	hx_streams_release(&olds);
	return rc;
}

static int run(struct fctx *c)
{
	struct hx_strvec warnings = HX_STRVEC_INIT;
	struct hx_flux_render_opts ro;
	struct hx_flux_job *jobs = NULL;
	size_t i, njobs = 0, njobs_alloc = 0;
	int rc = -1;

	memset(&ro, 0, sizeof(ro));

	for (i = 0; i < c->paths.n; i++)
		if (hx_flux_load(&c->set, c->paths.v[i], c->tmp) < 0)
			goto out;
	for (i = 0; i < c->set.warnings.n; i++)
		hx_strvec_push(&warnings, c->set.warnings.v[i]);
	if (check_names(c) < 0)
		goto out;
	ro.set = &c->set;
	ro.sources = &c->sources;
	ro.values_from = &c->values_from;
	ro.template_args = &c->template_args;
	ro.tmp = c->tmp;
	ro.helm3 = c->helm3;
	for (i = 0; i < c->set.n; i++)
		if (hx_flux_is_release(&c->set.objs[i]) &&
		    name_wanted(c, &c->set.objs[i])) {
			hx_grow(&jobs, &njobs_alloc, njobs + 1, sizeof(*jobs));
			memset(&jobs[njobs], 0, sizeof(jobs[njobs]));
			jobs[njobs++].obj = &c->set.objs[i];
		}
	c->nreleases = njobs;
	/* template and diff stop at the first release that fails */
	hx_flux_render_all(jobs, njobs, &ro, c->sub != SUB_LINT);
	if (hx_interrupted())
		goto out;
	for (i = 0; i < njobs; i++) {
		size_t before = c->problems.n;
		int r = take_job(c, &jobs[i], &warnings);

		if (r) {
			rc = r;
			goto out;
		}
		if (c->problems.n > before)
			c->bad_releases++;
	}
	if (!c->nreleases) {
		hx_error_set("no HelmRelease in the PATHs");
		goto out;
	}
	for (i = 0; i < warnings.n; i++)
		print_line(c, warnings.v[i], 0);
	switch (c->sub) {
	case SUB_TEMPLATE:
		hx_tmpdir_remove();
		rc = print_streams(c);
		break;
	case SUB_LINT:
		for (i = 0; i < c->problems.n; i++)
			print_line(c, c->problems.v[i], 1);
		fflush(stdout);
		if (c->problems.n) {
			hx_error_set("flux lint: %zu problem%s in %zu of %zu "
			             "HelmRelease%s",
			             c->problems.n,
			             c->problems.n == 1 ? "" : "s",
			             c->bad_releases, c->nreleases,
			             c->nreleases == 1 ? "" : "s");
			rc = -1;
		} else {
			fprintf(stderr,
			        "helm-x: flux lint: %zu HelmRelease%s, no "
			        "problems\n",
			        c->nreleases, c->nreleases == 1 ? "" : "s");
			rc = 0;
		}
		break;
	case SUB_DIFF:
		rc = run_diff(c);
		break;
	default:
		break;
	}
out:
	for (i = 0; i < njobs; i++)
		hx_flux_job_release(&jobs[i]);
	free(jobs);
	hx_strvec_clear(&warnings);
	return rc;
}

int hx_cmd_flux(int argc, char **argv)
{
	struct fctx c;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int rc = 1, r;

	memset(&c, 0, sizeof(c));
	hx_signals_init();
	if (!sub || !strcmp(sub, "--help") || !strcmp(sub, "-h") ||
	    !strcmp(sub, "help")) {
		if (!sub) {
			hx_error_set("'flux' needs template, lint or diff (see "
			             "'helm x flux --help')");
			goto out;
		}
		usage(stdout);
		rc = 0;
		goto out;
	}
	c.sub = !strcmp(sub, "template") ? SUB_TEMPLATE
	        : !strcmp(sub, "lint")   ? SUB_LINT
	        : !strcmp(sub, "diff")   ? SUB_DIFF
	                                 : 0;
	if (!c.sub) {
		hx_error_set("unknown 'flux' command '%s': want template, "
		             "lint or diff",
		             sub);
		goto out;
	}
	r = parse(&c, argc - 2, argv + 2);
	if (r) {
		rc = r < 0 ? 1 : 0;
		goto out;
	}
	if (c.sub == SUB_DIFF) {
		if (hx_diffrun_flags(&c.diff, &c.diff_words) < 0)
			goto out;
	}
	if (!c.paths.n) {
		hx_error_set("'flux %s' needs PATH... (files or directories "
		             "of HelmReleases)",
		             sub);
		goto out;
	}
	c.tmp = hx_tmpdir_create(c.keep_tmp);
	if (!c.tmp)
		goto out;
	r = run(&c);
	rc = r == 2 ? 2 : r < 0 ? 1 : r;
out:
	hx_tmpdir_remove();
	hx_streams_release(&c.streams);
	hx_flux_set_release(&c.set);
	hx_flux_givens_release(&c.sources);
	hx_flux_givens_release(&c.values_from);
	hx_strvec_clear(&c.paths);
	hx_strvec_clear(&c.names);
	hx_strvec_clear(&c.template_args);
	hx_strvec_clear(&c.diff_words);
	hx_strvec_clear(&c.stream_ns);
	hx_strvec_clear(&c.headers);
	hx_strvec_clear(&c.problems);
	hx_diffrun_release(&c.diff);
	hx_strvec_clear(&c.hr_ids);
	hx_strvec_clear(&c.hr_release);
	hx_strvec_clear(&c.hr_ns);
	hx_strvec_clear(&c.hr_storage);
	hx_tmpdir_reraise();
	return rc == 2 && !hx_error_is_set() ? 2 : hx_error_exit(rc);
}
