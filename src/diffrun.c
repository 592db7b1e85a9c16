/*
 * helm x diff's comparison (diffrun.h): its flags, its two sides parsed
 * (on two threads when big), its warnings about --from, its report.
 */
#include "hx/diffrun.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/dirtree.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/manifest.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static int default_color(void)
{
	const char *env = getenv("HELM_DIFF_COLOR");
	const char *term = getenv("TERM");

	if (env && *env)
		return !strcmp(env, "true") || !strcmp(env, "1");
	return isatty(1) && term && strcmp(term, "dumb") && !getenv("NO_COLOR");
}

/*
 * --color=WHEN (WHEN also from a --color given before the command, which
 * main.c keeps in $HELM_X_COLOR): always or true, never or false, auto.
 */
static int set_color(struct hx_diffrun *d, const char *v, const char *where)
{
	if (!strcmp(v, "always") || !strcmp(v, "true"))
		d->d.color = 1;
	else if (!strcmp(v, "never") || !strcmp(v, "false"))
		d->d.color = 0;
	else if (!strcmp(v, "auto"))
		d->d.color = default_color();
	else {
		hx_error_set("%s '%s': want always, never or auto", where, v);
		return -1;
	}
	return 0;
}

static int set_output(struct hx_diffrun *d, const char *v, const char *where)
{
	static const char *const names[] = {"diff", "simple", "json",
	                                    "markdown", "structured"};
	size_t i;

	for (i = 0; i < 5; i++)
		if (!strcmp(v, names[i])) {
			d->d.output = (enum hx_diff_output)i;
			return 0;
		}
	if (!strcmp(v, "template"))
		hx_error_set(
		        "%s 'template' runs a Go template ($HELM_DIFF_TPL), "
		        "which helm-x cannot run: take --output json "
		        "(kind, name, change) or structured (the field "
		        "changes) and shape it with jq",
		        where);
	else if (!strcmp(v, "dyff"))
		hx_error_set("%s 'dyff' is the dyff program's own layout, not "
		             "built in: take --output structured for the field "
		             "changes, or run 'dyff between' on two 'helm x "
		             "template' renders",
		             where);
	else
		hx_error_set("%s '%s': want diff, simple, json, markdown or "
		             "structured",
		             where, v);
	return -1;
}

int hx_diffrun_flags(struct hx_diffrun *d, const struct hx_strvec *w)
{
	const char *env;
	size_t i;
	int context_given = 0;

	d->d.context = -1;
	d->d.max_size = 65000; /* under GitHub's 65,536 of a comment */
	d->d.color = default_color();
	env = getenv("HELM_X_COLOR");
	if (env && *env && set_color(d, env, "--color") < 0)
		return -1;
	env = getenv("HELM_DIFF_THREE_WAY_MERGE");
	if (env && !strcmp(env, "true") &&
	    !hx_strvec_has(w, "--three-way-merge")) {
		d->three_way = 1;
		fprintf(stderr, "Enabled three way merge via the envvar\n");
	}
	env = getenv("HELM_DIFF_OUTPUT");
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

			if (!*v || *end || n < -1 || n > 1000000) {
				hx_error_set("--context '%s': want a number "
				             "of lines (-1: whole objects)",
				             v);
				return -1;
			}
			d->d.context = (int)n;
			context_given = 1;
			i++;
		} else if (!strcmp(f, "--max-size")) {
			long n = strtol(v, &end, 10);

			if (!*v || *end || n < 0 || n > 100000000) {
				hx_error_set("--max-size '%s': want a number "
				             "of characters (0: no limit)",
				             v);
				return -1;
			}
			d->d.max_size = (size_t)n;
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
		} else if (!strncmp(f, "--color=", 8)) {
			if (set_color(d, f + 8, "--color") < 0)
				return -1;
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
		} else if (!strcmp(f, "--ignore-generated")) {
			d->d.ignore_generated = 1;
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
			d->three_way = 1;
		}
	}
	/* a pull-request comment: the changed lines and 3 around them */
	if (!context_given && d->d.output == HX_DIFF_OUT_MARKDOWN)
		d->d.context = 3;
	d->d.suppress_kinds = &d->kinds;
	d->d.suppress_regex = &d->res;
	return 0;
}

int hx_diffrun_read(struct hx_streams *s, const char *path)
{
	struct hx_strvec files = HX_STRVEC_INIT;
	size_t i;
	int rc = 0;

	if (strcmp(path, "-") && hx_is_dir(path) == 1) {
		rc = hx_dirtree_manifests(&files, path, NULL);
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
                         const struct hx_diffrun *d, const char *ns,
                         const char *const *ns_of)
{
	struct hx_manifest_opts mo = {ns, d->include_tests, d->normalize,
	                              d->no_hooks, 0};
	size_t i;

	for (i = 0; i < s->n; i++) {
		if (ns_of)
			mo.ns = ns_of[i];
		if (hx_manifest_parse(set, &s->v[i], &mo) < 0)
			return -1;
	}
	return hx_manifest_finish(set);
}

/* Parsing one side, possibly on a thread of its own. */
struct side_job {
	struct hx_mset *set;
	struct hx_streams *s;
	const struct hx_diffrun *d;
	const char *ns;
	const char *const *ns_of;
	int rc;
	char *err_head, *err_msg;
};

static void *side_run(void *arg)
{
	struct side_job *j = arg;

	j->rc = parse_streams(j->set, j->s, j->d, j->ns, j->ns_of);
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

/* Both sides parsed, on two cores when they are big enough. */
static int parse_sides(struct hx_mset *old, struct hx_streams *olds,
                       struct hx_mset *new, struct hx_streams *news,
                       const struct hx_diffrun *d, const char *ns,
                       const char *const *olds_ns, const char *const *news_ns)
{
	struct side_job j[2] = {{old, olds, d, ns, olds_ns, 0, NULL, NULL},
	                        {new, news, d, ns, news_ns, 0, NULL, NULL}};
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

static int report(struct hx_diffrun *d, struct hx_streams *olds,
                  const char *const *olds_ns, struct hx_streams *news,
                  const char *const *news_ns, const char *ns)
{
	struct hx_mset oldset = HX_MSET_INIT, newset = HX_MSET_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	size_t generated = 0;
	int changed, rc = -1;

	if (parse_sides(&oldset, olds, &newset, news, d, ns, olds_ns, news_ns) <
	    0)
		goto out;
	if (d->from)
		from_warnings(&oldset, &newset, d->from);
	d->d.generated = d->from || d->d.ignore_generated ? &generated : NULL;
	changed = hx_diff_report(&out, &oldset, &newset, &d->d);
	d->d.generated = NULL;
	if (generated && d->d.ignore_generated)
		hx_warning("%zu change%s of a Secret or of checksum/ "
		           "annotations left out of the exit status "
		           "(--ignore-generated)",
		           generated, generated == 1 ? "" : "s");
	else if (changed > 0 && generated)
		hx_warning("%zu change%s of a Secret or of checksum/ "
		           "annotations may be values the chart generates "
		           "(randAlphaNum, genCA, ...): offline there is no "
		           "lookup to find the ones in the cluster; %s (or "
		           "--ignore-generated)",
		           generated, generated == 1 ? "" : "s",
		           d->generated_fix ? d->generated_fix
		                            : "with read access, "
		                              "--dry-run=server renders with "
		                              "it");
	/* after a signal nothing is printed (the command re-raises it) */
	if (changed < 0 || hx_interrupted())
		goto out;
	if (out.len && fwrite(out.buf, 1, out.len, stdout) != out.len) {
		hx_error_set_errno("cannot write the diff");
		goto out;
	}
	rc = d->detailed && changed ? 2 : 0;
out:
	hx_strbuf_release(&out);
	hx_mset_release(&oldset);
	hx_mset_release(&newset);
	return rc;
}

int hx_diffrun_capture(struct hx_streams *out, struct hx_proc *p,
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

int hx_diffrun_get_release(struct hx_streams *s, const char *release,
                           const char *ns, const char *kube_context,
                           long revision, const char *tmp, unsigned parts,
                           int *missing)
{
	static const char *const what[] = {"manifest", "hooks"};
	char *errf = hx_path_join(tmp, "helm-get.err");
	size_t i;
	int rc = 0;

	*missing = 0;
	for (i = 0; rc == 0 && i < 2; i++) {
		struct hx_proc p = HX_PROC_INIT;
		struct hx_strbuf name = HX_STRBUF_INIT;

		if (!(parts & (i ? HX_RELEASE_HOOKS : HX_RELEASE_MANIFEST)))
			continue;

		hx_strvec_pushl(&p.args, hx_helm_bin(), "get", what[i], release,
		                NULL);
		if (ns)
			hx_strvec_pushl(&p.args, "--namespace", ns, NULL);
		if (kube_context)
			hx_strvec_pushl(&p.args, "--kube-context", kube_context,
			                NULL);
		if (revision > 0) {
			char rev[32];

			snprintf(rev, sizeof(rev), "%ld", revision);
			hx_strvec_pushl(&p.args, "--revision", rev, NULL);
		}
		p.what = i ? "helm get hooks" : "helm get manifest";
		p.err_file = errf;
		hx_strbuf_addf(&name, "<helm get %s %s>", what[i], release);
		rc = hx_diffrun_capture(s, &p, name.buf);
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

int hx_diffrun_report(struct hx_diffrun *d, struct hx_streams *olds,
                      struct hx_streams *news, const char *ns)
{
	return report(d, olds, NULL, news, NULL, ns);
}

int hx_diffrun_report_ns(struct hx_diffrun *d, struct hx_streams *olds,
                         const char *const *olds_ns, struct hx_streams *news,
                         const char *const *news_ns)
{
	return report(d, olds, olds_ns, news, news_ns, NULL);
}

void hx_diffrun_release(struct hx_diffrun *d)
{
	hx_strvec_clear(&d->kinds);
	hx_strvec_clear(&d->res);
}
