/*
 * Data-driven tests.
 *
 *   patchcases HELM-X DIR        run every DIR/<category>/<case>/
 *   patchcases --jsonpatch DIR   run DIR/tests.json and DIR/spec_tests.json
 *   patchcases --helm-diff DIR   the vectors of DIR/vectors.json (helm-diff's
 *                                output: line diff, parsing, reports)
 *
 * A case dir holds input.yaml, patch.yaml (given with the category's flag:
 * jsonpatch -> --json-patch; yaml -> no patch), optional case.yaml
 * {description, args: [...], exact: true, anew: WHY}, and expected.yaml
 * (compared as parsed values, or byte for byte with exact) or expected.err (the
 * exact first line of stderr; exit status 1 and nothing on stdout).  The binary
 * runs in the case dir, so messages name files relatively.  Each case that
 * succeeds also checks that its output changes no more lines than its
 * patches did (measure_case).  A missing
 * expected file is written from the actual output and the case fails;
 * UPDATE=1 rewrites them all.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/diffreport.h"
#include "hx/jsonpatch.h"
#include "hx/linediff.h"
#include "hx/manifest.h"
#include "hx/node.h"
#include "hx/schema.h"
#include "hx/smp.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "surgcheck.h"

#include "hx/banned.h"

static int n_run, n_fail, n_skip;

static void report(int pass, const char *name, const char *desc)
{
	n_run++;
	if (!pass)
		n_fail++;
	printf("%s %d %s%s%s\n", pass ? "ok" : "not ok", n_run, name,
	       desc && *desc ? " - " : "", desc ? desc : "");
	fflush(stdout);
}

static int exists(const char *dir, const char *name)
{
	char *p = hx_path_join(dir, name);
	struct stat st;
	int r = stat(p, &st) == 0;

	free(p);
	return r;
}

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char *p = hx_path_join(dir, name), *buf = NULL;
	size_t n = 0;

	if (hx_read_file(&buf, &n, p) < 0) {
		hx_error_clear();
		buf = NULL;
	}
	free(p);
	if (len)
		*len = n;
	return buf;
}

static void spew(const char *dir, const char *name, const char *buf, size_t len)
{
	char *p = hx_path_join(dir, name);
	FILE *f = fopen(p, "wb");

	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
	free(p);
}

/* Run argv in dir; capture stdout and stderr (into temp files). */
static int run(const char *dir, char **argv, struct hx_strbuf *out,
               struct hx_strbuf *err)
{
	char tout[] = "/tmp/hx-case-out.XXXXXX",
	     terr[] = "/tmp/hx-case-err.XXXXXX";
	int fo = mkstemp(tout), fe = mkstemp(terr), status = 0;
	pid_t pid;
	char *buf;
	size_t len;

	if (fo < 0 || fe < 0)
		return -1;
	unlink(tout);
	unlink(terr);
	pid = fork();
	if (pid == 0) {
		int fin = open("/dev/null", O_RDONLY);

		if (chdir(dir) < 0)
			_exit(126);
		dup2(fin, 0);
		dup2(fo, 1);
		dup2(fe, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	lseek(fo, 0, SEEK_SET);
	lseek(fe, 0, SEEK_SET);
	if (hx_read_fd(&buf, &len, fo, "stdout") == 0) {
		hx_strbuf_add(out, buf, len);
		free(buf);
	}
	if (hx_read_fd(&buf, &len, fe, "stderr") == 0) {
		hx_strbuf_add(err, buf, len);
		free(buf);
	}
	close(fo);
	close(fe);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/*
 * Compare two streams as parsed values, document by document (list order
 * counts).  All 32 kustomize cases agree with apimachinery's list order, so
 * none needs kustomize's own (merge2 puts patch items first) excused.
 */
static int same_values(const char *got, size_t glen, const char *want,
                       size_t wlen)
{
	struct hx_stream a, b;
	size_t i, j;
	int same = 0;

	hx_stream_init_buf(&a, "actual", hx_xstrndup(got, glen), glen);
	hx_stream_init_buf(&b, "expected", hx_xstrndup(want, wlen), wlen);
	if (hx_stream_load_all(&a) == 0 && hx_stream_load_all(&b) == 0) {
		same = 1;
		for (i = j = 0; same;) {
			while (i < a.n && !a.docs[i].root)
				i++;
			while (j < b.n && !b.docs[j].root)
				j++;
			if (i == a.n || j == b.n) {
				same = i == a.n && j == b.n;
				break;
			}
			same = hx_node_equal(a.docs[i].root, b.docs[j].root);
			i++;
			j++;
		}
	} else {
		printf("# %s\n", hx_error_message());
		hx_error_clear();
	}
	hx_stream_release(&a);
	hx_stream_release(&b);
	return same;
}

/* ---- what a patched output changes --------------------------------- */

/* A line that is blank or only a comment. */
static int comment_line(const struct hx_line *l)
{
	size_t i = 0;

	while (i < l->len && (l->s[i] == ' ' || l->s[i] == '\t'))
		i++;
	return i == l->len || l->s[i] == '#' || l->s[i] == '\r';
}

/*
 * Lines that differ between two texts (removed plus added) in a plain
 * line diff; *gone gets the removed ones that are blank or comments (they
 * go with the entries they belong to).
 */
static size_t changed_lines(const char *a, size_t alen, const char *b,
                            size_t blen, size_t *gone)
{
	struct hx_line *la, *lb;
	struct hx_drec *r;
	size_t na = hx_lines_split(&la, a, alen, 0);
	size_t nb = hx_lines_split(&lb, b, blen, 0);
	size_t nr = hx_linediff(&r, la, na, lb, nb);
	size_t c = hx_linediff_changes(r, nr), i;

	*gone = 0;
	for (i = 0; i < nr; i++)
		if (r[i].delta == HX_DELTA_LEFT && comment_line(&r[i].line))
			++*gone;
	free(la);
	free(lb);
	free(r);
	return c;
}

/* Every document of a stream written by one emitter; -1 if it won't load. */
static int normalise(const char *text, size_t len, struct hx_strbuf *out)
{
	struct hx_stream st;
	size_t i;
	int rc = -1;

	hx_stream_init_buf(&st, "normalise", hx_xstrndup(text, len), len);
	if (hx_stream_load_all(&st) == 0) {
		for (i = 0; i < st.n; i++) {
			if (!st.docs[i].root)
				continue;
			hx_strbuf_adds(out, "---\n");
			hx_node_emit(out, st.docs[i].root);
		}
		rc = 0;
	}
	hx_error_clear();
	hx_stream_release(&st);
	return rc;
}

/*
 * How much a case's output changes beyond what its patches changed: the
 * changed lines of a line diff between input and output against the
 * changed lines once both are written by one emitter (which keeps no
 * comment and one indentation, so it shows the patches' changes only).
 * The first may exceed the second by SURGERY_MARGIN lines per case (a
 * flow collection a patch grows past one line is written again whole, a
 * last line without a line break gets one), not counting the comment and
 * blank lines that went with the entries a patch removed.
 */
#define SURGERY_MARGIN 2
static size_t total_raw, total_norm;

static void measure_case(const char *dir, const char *label,
                         const struct hx_strbuf *out)
{
	struct hx_strbuf ni = HX_STRBUF_INIT, no = HX_STRBUF_INIT;
	char *in;
	size_t inlen, raw, norm, gone, unused;
	char l[300];
	int pass;

	if (!exists(dir, "input.yaml"))
		return;
	in = slurp(dir, "input.yaml", &inlen);
	if (!in || normalise(in, inlen, &ni) < 0 ||
	    normalise(out->buf, out->len, &no) < 0) {
		free(in);
		hx_strbuf_release(&ni);
		hx_strbuf_release(&no);
		return;
	}
	raw = changed_lines(in, inlen, out->buf, out->len, &gone);
	norm = changed_lines(ni.buf, ni.len, no.buf, no.len, &unused);
	total_raw += raw;
	total_norm += norm;
	pass = raw - gone <= norm + SURGERY_MARGIN;
	snprintf(l, sizeof(l),
	         "changed lines of %s: %zu (%zu of them comments gone with "
	         "their entries), normalised %zu",
	         label, raw, gone, norm);
	report(pass, l, NULL);
	free(in);
	hx_strbuf_release(&ni);
	hx_strbuf_release(&no);
}

/* text without its lines that start with one of the prefixes */
static void drop_lines(struct hx_strbuf *out, const char *text, size_t len,
                       const char *const *prefixes)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
		int drop = 0, i;

		for (i = 0; prefixes[i] && !drop; i++)
			drop = !strncmp(p, prefixes[i], strlen(prefixes[i]));
		if (!drop)
			hx_strbuf_add(out, p, n);
		p += n;
	}
}

/*
 * A case whose documents are written anew (case.yaml "anew": they hold
 * aliases or merge keys, which no surgical edit can keep): the output must
 * be the emitter's own writing of the trees, but for the lines kept before
 * each document ("---", comments, directives).
 */
static void check_anew(const char *label, const struct hx_strbuf *out)
{
	static const char *const kept[] = {"#", "---", "%", NULL};
	static const char *const sep[] = {"---", NULL};
	struct hx_strbuf a = HX_STRBUF_INIT, b = HX_STRBUF_INIT,
	                 n = HX_STRBUF_INIT;
	char l[300];

	if (normalise(out->buf, out->len, &n) == 0) {
		drop_lines(&a, out->buf, out->len, kept);
		drop_lines(&b, n.buf, n.len, sep);
	}
	snprintf(l, sizeof(l), "%s: every document written anew by the emitter",
	         label);
	report(a.len && a.len == b.len && !memcmp(a.buf, b.buf, a.len), l,
	       NULL);
	hx_strbuf_release(&a);
	hx_strbuf_release(&b);
	hx_strbuf_release(&n);
}

/* VALGRIND (words split on spaces) runs before helm-x, as in make valgrind. */
static void add_wrapper(struct hx_strvec *argv)
{
	const char *w = getenv("VALGRIND");
	char *copy, *tok, *save = NULL;

	if (!w || !*w)
		return;
	copy = hx_xstrdup(w);
	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		hx_strvec_push(argv, tok);
	free(copy);
}

static const char *flag_of(const char *category)
{
	if (!strcmp(category, "jsonpatch"))
		return "--json-patch";
	if (!strcmp(category, "smp"))
		return "--strategic-merge-patch";
	if (!strcmp(category, "patches") || !strcmp(category, "migrate") ||
	    !strcmp(category, "surgical"))
		return "--patches";
	return NULL;
}

static void run_case(const char *hx, const char *root, const char *category,
                     const char *name)
{
	char *cat_dir = hx_path_join(root, category);
	char *dir = hx_path_join(cat_dir, name);
	struct hx_strvec argv = HX_STRVEC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT, err = HX_STRBUF_INIT;
	struct hx_stream cs = HX_STREAM_INIT;
	const struct hx_node *conf = NULL, *args;
	const char *flag = flag_of(category), *desc = NULL;
	char *want, *label, *nl;
	size_t wlen, i;
	int rc, exact = 0, update = getenv("UPDATE") && *getenv("UPDATE");
	int pass = 0;

	label = hx_path_join(category, name);
	add_wrapper(&argv);
	hx_strvec_pushl(&argv, hx, "patch", NULL);
	if (exists(dir, "input.yaml"))
		hx_strvec_push(&argv, "input.yaml");
	if (flag && exists(dir, "patch.yaml"))
		hx_strvec_pushl(&argv, flag, "patch.yaml", NULL);
	if (exists(dir, "case.yaml")) {
		char *p = hx_path_join(dir, "case.yaml");

		if (hx_stream_read(&cs, p) < 0 || hx_stream_load_all(&cs) < 0) {
			printf("# %s\n", hx_error_message());
			hx_error_clear();
		} else if (cs.n) {
			conf = cs.docs[0].root;
		}
		free(p);
	}
	if (conf) {
		desc = hx_node_str(hx_map_get(conf, "description"));
		exact = hx_map_get(conf, "exact") != NULL;
		args = hx_map_get(conf, "args");
		for (i = 0; args && args->kind == HX_SEQ && i < args->u.seq.n;
		     i++)
			hx_strvec_push(&argv,
			               hx_node_str(args->u.seq.items[i]));
	}
	rc = run(dir, argv.v, &out, &err);
	nl = strchr(err.buf, '\n');
	if (nl)
		*nl = '\0';
	if (exists(dir, "expected.err") && !update) {
		want = slurp(dir, "expected.err", &wlen);
		if (want && wlen && want[wlen - 1] == '\n')
			want[--wlen] = '\0';
		pass = rc == 1 && !out.len && want && !strcmp(err.buf, want);
		if (!pass)
			printf("# exit %d, stdout %zu bytes\n# got:  %s\n"
			       "# want: %s\n",
			       rc, out.len, err.buf, want ? want : "");
		free(want);
	} else if (exists(dir, "expected.yaml") && !update) {
		want = slurp(dir, "expected.yaml", &wlen);
		pass = rc == 0 && want &&
		       (exact ? out.len == wlen && !memcmp(out.buf, want, wlen)
		              : same_values(out.buf, out.len, want, wlen));
		if (!pass)
			printf("# exit %d: %s\n# --- got:\n%s# ---\n", rc,
			       err.buf, out.buf);
		free(want);
		if (rc == 0 && conf && hx_map_get(conf, "anew"))
			check_anew(label, &out);
		else if (rc == 0)
			measure_case(dir, label, &out);
	} else {
		if (rc == 0)
			spew(dir, "expected.yaml", out.buf, out.len);
		else
			spew(dir, "expected.err", err.buf, strlen(err.buf));
		printf("# wrote the expected output of %s; review it\n", label);
		pass = 0;
	}
	report(pass, label, desc);
	free(label);
	hx_stream_release(&cs);
	hx_strbuf_release(&out);
	hx_strbuf_release(&err);
	hx_strvec_clear(&argv);
	free(dir);
	free(cat_dir);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(struct hx_strvec *out, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			hx_strvec_push(out, e->d_name);
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
}

static void run_cases(const char *hx, const char *root)
{
	struct hx_strvec cats = HX_STRVEC_INIT;
	size_t i, j;

	list_dir(&cats, root);
	for (i = 0; i < cats.n; i++) {
		struct hx_strvec cases = HX_STRVEC_INIT;
		char *cd = hx_path_join(root, cats.v[i]);

		list_dir(&cases, cd);
		for (j = 0; j < cases.n; j++)
			run_case(hx, root, cats.v[i], cases.v[j]);
		hx_strvec_clear(&cases);
		free(cd);
	}
	hx_strvec_clear(&cats);
}

/* ---- surgical writing of the conformance vectors -------------------- */

static size_t surg_runs, surg_fails;

/*
 * The vector's document written in three indentations, with and without
 * comments everywhere; each, patched and written surgically, must read
 * back as the patched tree (surgcheck.h).
 */
static void surgery_property(const struct hx_node *doc, surg_apply_fn fn,
                             const void *ctx, const char *label)
{
	static const struct hx_emit_style styles[] = {
	        {2, 0, 1}, {4, 4, 1}, {2, 2, 1}};
	size_t i;
	int comments;

	for (i = 0; i < sizeof(styles) / sizeof(styles[0]); i++)
		for (comments = 0; comments < 2; comments++) {
			struct hx_strbuf text = HX_STRBUF_INIT;
			int rc;

			surg_render(&text, doc, &styles[i], comments);
			rc = surg_check(text.buf, text.len, fn, ctx, label);
			if (rc >= 0) {
				surg_runs++;
				if (!rc)
					surg_fails++;
			}
			hx_strbuf_release(&text);
		}
}

static void surgery_report(const char *what)
{
	char l[200];

	snprintf(l, sizeof(l),
	         "surgical writes of the %s vectors (%zu: three "
	         "indentations, with and without comments) read back as "
	         "the patched trees",
	         what, surg_runs);
	report(surg_runs > 0 && !surg_fails, l, NULL);
}

static int apply_jsonpatch(struct hx_arena *a, struct hx_node **root,
                           const void *ctx)
{
	return hx_jsonpatch_apply(a, root, ctx);
}

struct smp_ctx {
	const struct hx_node *patch;
	struct hx_stype t;
};

static int apply_smp(struct hx_arena *a, struct hx_node **root, const void *ctx)
{
	const struct smp_ctx *c = ctx;

	return hx_smp_apply(a, root, c->patch, c->t);
}

/* ---- JSON Patch conformance (json-patch-tests) ---------------------- */

static void run_jsonpatch_file(const char *dir, const char *file)
{
	char *path = hx_path_join(dir, file);
	struct hx_stream st;
	struct hx_arena a = HX_ARENA_INIT;
	const struct hx_node *recs;
	size_t i;

	if (hx_stream_read(&st, path) < 0 || !st.n ||
	    hx_doc_load(&st, &st.docs[0], &st.arena) < 0 ||
	    !(recs = st.docs[0].root) || recs->kind != HX_SEQ) {
		printf("# cannot load %s: %s\n", path, hx_error_message());
		hx_error_clear();
		report(0, file, "loads");
		hx_stream_release(&st);
		free(path);
		return;
	}
	for (i = 0; i < recs->u.seq.n; i++) {
		const struct hx_node *r = recs->u.seq.items[i];
		const struct hx_node *dis = hx_map_get(r, "disabled");
		const struct hx_node *expected = hx_map_get(r, "expected");
		const struct hx_node *error = hx_map_get(r, "error");
		const char *comment = hx_node_str(hx_map_get(r, "comment"));
		struct hx_node *doc;
		char label[128];
		long long b = 0;
		int rc, pass;

		if (dis && hx_node_resolve(dis, &b, NULL) == HX_TYPE_BOOL &&
		    b) {
			n_skip++;
			continue;
		}
		hx_arena_reset(&a);
		doc = hx_node_copy(&a, hx_map_get(r, "doc"));
		rc = hx_jsonpatch_apply(&a, &doc, hx_map_get(r, "patch"));
		if (error)
			pass = rc < 0;
		else
			pass = rc == 0 &&
			       (!expected || hx_node_equal(doc, expected));
		snprintf(label, sizeof(label), "jsonpatch/%s[%zu]", file, i);
		if (pass && !error)
			surgery_property(hx_map_get(r, "doc"), apply_jsonpatch,
			                 hx_map_get(r, "patch"), label);
		if (!pass)
			printf("# rc %d: %s\n", rc, hx_error_message());
		hx_error_clear();
		report(pass, label, comment ? comment : hx_node_str(error));
	}
	hx_arena_release(&a);
	hx_stream_release(&st);
	free(path);
}

/* ---- strategic merge conformance (apimachinery patch_test.go) ------- */

/* A document from a raw text field (group badjson), or NULL on error. */
static const struct hx_node *raw_doc(struct hx_stream *st, const char *text)
{
	hx_stream_init_buf(st, "raw", hx_xstrdup(text), strlen(text));
	if (hx_stream_load_all(st) < 0 || !st->n || !st->docs[0].root ||
	    st->docs[0].root->kind != HX_MAP) {
		hx_error_clear();
		return NULL;
	}
	return st->docs[0].root;
}

static void run_smp_variant(const struct hx_node *cases, const char *dir,
                            const char *v2, const char *v3, const char *label)
{
	struct hx_schemas schemas = HX_SCHEMAS_INIT;
	struct hx_arena a = HX_ARENA_INIT;
	char *p1 = hx_path_join(dir, v2), *p2 = hx_path_join(dir, v3);
	size_t i;

	if (hx_schemas_add_openapi(&schemas, p1) < 0 ||
	    hx_schemas_add_openapi(&schemas, p2) < 0) {
		printf("# %s\n", hx_error_message());
		hx_error_clear();
		report(0, label, "load the OpenAPI test schemas");
		goto out;
	}
	for (i = 0; i < cases->u.seq.n; i++) {
		const struct hx_node *c = cases->u.seq.items[i];
		const char *name = hx_node_str(hx_map_get(c, "name"));
		const char *schema = hx_node_str(hx_map_get(c, "schema"));
		const struct hx_node *orig = hx_map_get(c, "original");
		const struct hx_node *patch = hx_map_get(c, "patch");
		const struct hx_node *expected = hx_map_get(c, "expected");
		const struct hx_node *experr = hx_map_get(c, "expected_error");
		const char *oraw = hx_node_str(hx_map_get(c, "original_raw"));
		const char *praw = hx_node_str(hx_map_get(c, "patch_raw"));
		struct hx_stream ro = HX_STREAM_INIT, rp = HX_STREAM_INIT;
		struct hx_stype t =
		        hx_schemas_definition(&schemas, schema ? schema : "");
		struct hx_node *doc;
		char lbl[300];
		int rc = -1, pass;

		hx_arena_reset(&a);
		if (oraw)
			orig = raw_doc(&ro, oraw);
		if (praw)
			patch = raw_doc(&rp, praw);
		if (orig && patch && t.pos) {
			doc = hx_node_copy(&a, orig);
			rc = hx_smp_apply(&a, &doc, patch, t);
		} else {
			doc = NULL;
		}
		if (experr)
			pass = rc < 0;
		else
			pass = rc == 0 && expected &&
			       hx_node_equal(doc, expected);
		snprintf(lbl, sizeof(lbl), "smp/%s %s", label,
		         name ? name : "?");
		if (pass && !experr) {
			struct smp_ctx sc;

			sc.patch = patch;
			sc.t = t;
			surgery_property(orig, apply_smp, &sc, lbl);
		}
		if (!pass) {
			struct hx_strbuf sb = HX_STRBUF_INIT;

			if (doc && rc == 0)
				hx_node_emit_flow(&sb, doc);
			printf("# rc %d %s\n# got: %s\n", rc,
			       hx_error_message(), sb.buf);
			hx_strbuf_release(&sb);
		}
		hx_error_clear();
		report(pass, lbl, NULL);
		hx_stream_release(&ro);
		hx_stream_release(&rp);
	}
out:
	hx_arena_release(&a);
	hx_schemas_release(&schemas);
	free(p1);
	free(p2);
}

static void run_smp(const char *dir)
{
	char *path = hx_path_join(dir, "cases.yaml");
	struct hx_stream st;
	const struct hx_node *cases;

	if (hx_stream_read(&st, path) < 0 || !st.n ||
	    hx_doc_load(&st, &st.docs[0], &st.arena) < 0 ||
	    !(cases = hx_map_get(st.docs[0].root, "cases")) ||
	    cases->kind != HX_SEQ) {
		printf("# cannot load %s: %s\n", path, hx_error_message());
		hx_error_clear();
		report(0, "smp/cases.yaml", "loads");
	} else {
		/* merge item and precision item: v2 then v3 schemas */
		run_smp_variant(cases, dir, "testdata/swagger-merge-item.json",
		                "testdata/swagger-precision-item.json",
		                "openapi-v2");
		run_smp_variant(cases, dir,
		                "testdata/swagger-merge-item-v3.json",
		                "testdata/swagger-precision-item-v3.json",
		                "openapi-v3");
	}
	hx_stream_release(&st);
	free(path);
}

/* ---- kustomize build cases ------------------------------------------ */

/*
 * Cases that rely on kustomize ignoring a patch that matches nothing.
 * helm-x refuses that unless --allow-no-match: both are checked.
 */
static const char *const kz_no_match[] = {
        "ExtendedPatchNoMatch",
        "ExtendedPatchNoMatchMultiplePatch",
        NULL,
};

static int in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (!strcmp(*l, s))
			return 1;
	return 0;
}

/* Resources (depth first, bases before overlays) and the kustomization
 * files that carry patches, relative to the case's input dir. */
static int kz_collect(const char *root, const char *rel,
                      struct hx_strvec *inputs, struct hx_strvec *patches)
{
	static const char *const lists[] = {"resources", "bases"};
	char *dir = hx_path_join(root, rel);
	char *kfile = hx_path_join(dir, "kustomization.yaml");
	struct hx_stream st;
	const struct hx_node *kz;
	size_t i, j;
	int rc = -1;

	if (hx_stream_read(&st, kfile) < 0 || hx_stream_load_all(&st) < 0 ||
	    !st.n || !(kz = st.docs[0].root)) {
		printf("# %s\n", hx_error_message());
		hx_error_clear();
		goto out;
	}
	for (j = 0; j < 2; j++) {
		const struct hx_node *l = hx_map_get(kz, lists[j]);

		for (i = 0; l && l->kind == HX_SEQ && i < l->u.seq.n; i++) {
			const char *r = hx_node_str(l->u.seq.items[i]);
			char *relr = hx_path_join(rel, r ? r : "");
			char *full = hx_path_join(root, relr);
			struct stat sb;
			int sub = 0;

			if (stat(full, &sb) == 0 && S_ISDIR(sb.st_mode))
				sub = kz_collect(root, relr, inputs, patches);
			else
				hx_strvec_push(inputs, relr);
			free(relr);
			free(full);
			if (sub < 0)
				goto out;
		}
	}
	if (hx_map_get(kz, "patches") ||
	    hx_map_get(kz, "patchesStrategicMerge") ||
	    hx_map_get(kz, "patchesJson6902")) {
		char *p = hx_path_join(rel, "kustomization.yaml");

		hx_strvec_push(patches, p);
		free(p);
	}
	rc = 0;
out:
	hx_stream_release(&st);
	free(kfile);
	free(dir);
	return rc;
}

static void run_kz_case(const char *hx, const char *root, const char *name)
{
	char *cdir = hx_path_join(root, name);
	char *input = hx_path_join(cdir, "input");
	char *cjson = hx_path_join(cdir, "case.json");
	struct hx_strvec inputs = HX_STRVEC_INIT, patches = HX_STRVEC_INIT,
	                 argv = HX_STRVEC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT, err = HX_STRBUF_INIT;
	struct hx_stream cs;
	const char *build = ".";
	char *want = NULL, label[200];
	size_t wlen = 0, i;
	int rc, pass = 1, no_match = in_list(kz_no_match, name);

	if (hx_stream_read(&cs, cjson) == 0 && hx_stream_load_all(&cs) == 0 &&
	    cs.n && hx_node_str(hx_map_get(cs.docs[0].root, "build_dir")))
		build = hx_node_str(hx_map_get(cs.docs[0].root, "build_dir"));
	hx_error_clear();
	snprintf(label, sizeof(label), "kustomize/%s", name);
	if (kz_collect(input, build, &inputs, &patches) < 0) {
		report(0, label, "read its kustomization");
		goto out;
	}
	add_wrapper(&argv);
	hx_strvec_pushl(&argv, hx, "patch", NULL);
	for (i = 0; i < inputs.n; i++)
		hx_strvec_push(&argv, inputs.v[i]);
	for (i = 0; i < patches.n; i++)
		hx_strvec_pushl(&argv, "--patches", patches.v[i], NULL);
	if (no_match) {
		rc = run(input, argv.v, &out, &err);
		if (rc != 1 || out.len ||
		    !strstr(err.buf, "matched no document")) {
			printf("# without --allow-no-match: exit %d: %s\n", rc,
			       err.buf);
			pass = 0;
		}
		hx_strbuf_reset(&out);
		hx_strbuf_reset(&err);
		hx_strvec_push(&argv, "--allow-no-match");
	}
	rc = run(input, argv.v, &out, &err);
	want = slurp(cdir, "expected.yaml", &wlen);
	if (!(rc == 0 && want && same_values(out.buf, out.len, want, wlen))) {
		printf("# exit %d: %s\n# --- got:\n%s# --- kustomize:\n%s", rc,
		       err.buf, out.buf, want ? want : "");
		pass = 0;
	}
	report(pass, label,
	       no_match ? "a no-match is an error; with --allow-no-match the "
	                  "output is kustomize's"
	                : NULL);
out:
	hx_stream_release(&cs);
	hx_strvec_clear(&inputs);
	hx_strvec_clear(&patches);
	hx_strvec_clear(&argv);
	hx_strbuf_release(&out);
	hx_strbuf_release(&err);
	free(want);
	free(cjson);
	free(input);
	free(cdir);
}

static void run_kustomize(const char *hx, const char *root)
{
	struct hx_strvec cases = HX_STRVEC_INIT;
	size_t i;

	list_dir(&cases, root);
	for (i = 0; i < cases.n; i++) {
		char *cj = hx_path_join(cases.v[i], "case.json");

		if (exists(root, cj))
			run_kz_case(hx, root, cases.v[i]);
		free(cj);
	}
	hx_strvec_clear(&cases);
}

/* ---- helm-diff's output suite ------------------------------------------ */

static long long opt_int(const struct hx_node *opt, const char *key)
{
	const struct hx_node *n = hx_map_get(opt, key);
	long long v = 0;
	double f = 0;

	if (n && hx_node_resolve(n, &v, &f) == HX_TYPE_FLOAT)
		v = (long long)f;
	return v;
}

static void strings_of(struct hx_strvec *out, const struct hx_node *list)
{
	size_t i;

	for (i = 0; list && list->kind == HX_SEQ && i < list->u.seq.n; i++)
		hx_strvec_push(out, hx_node_str(list->u.seq.items[i]));
}

/* A set parsed from a text field. */
static int parse_set(struct hx_mset *set, const struct hx_node *text,
                     const char *ns, int normalize, int include_tests)
{
	struct hx_stream st;
	struct hx_manifest_opts mo = {ns, include_tests, normalize, 0, 0};
	int rc;

	hx_stream_init_buf(&st, "vector",
	                   hx_xstrndup(text->u.s.str, text->u.s.len),
	                   text->u.s.len);
	rc = hx_manifest_parse(set, &st, &mo);
	if (rc == 0)
		rc = hx_manifest_finish(set);
	hx_stream_release(&st);
	return rc;
}

static int helm_diff_lines(const struct hx_node *r, struct hx_strbuf *got)
{
	const struct hx_node *opt = hx_map_get(r, "options");
	const struct hx_node *old = hx_map_get(r, "old");
	const struct hx_node *new = hx_map_get(r, "new");
	struct hx_line *la, *lb;
	struct hx_drec *recs;
	int strip = (int)opt_int(opt, "strip_trailing_cr");
	size_t na, nb, n;

	na = hx_lines_split(&la, old->u.s.str, old->u.s.len, strip);
	nb = hx_lines_split(&lb, new->u.s.str, new->u.s.len, strip);
	n = hx_linediff(&recs, la, na, lb, nb);
	hx_linediff_print(got, recs, n, (int)opt_int(opt, "context"), 0);
	free(la);
	free(lb);
	free(recs);
	return 1;
}

static int helm_diff_parse(const struct hx_node *r, struct hx_strbuf *got)
{
	const struct hx_node *ex = hx_map_get(r, "excluded_hooks");
	struct hx_mset set = HX_MSET_INIT;
	size_t i;
	int has_test = 0;

	/* the CLI excludes the test hooks, or none with --include-tests:
	 * an exclusion list without "test" is not expressible */
	for (i = 0; ex && ex->kind == HX_SEQ && i < ex->u.seq.n; i++)
		has_test |= !strcmp(hx_node_str(ex->u.seq.items[i]), "test");
	if (ex && ex->kind == HX_SEQ && ex->u.seq.n && !has_test)
		return 0;
	if (parse_set(&set, hx_map_get(r, "input"),
	              hx_node_str(hx_map_get(r, "namespace")),
	              (int)opt_int(r, "normalize_manifests"),
	              !ex || !ex->u.seq.n) < 0) {
		hx_strbuf_addf(got, "error: %s\n", hx_error_message());
		hx_error_clear();
	}
	for (i = 0; i < set.n; i++)
		hx_strbuf_addf(got, "%s\n", set.v[i].key);
	hx_mset_release(&set);
	return 1;
}

/* 1 when run; 0 when the vector asks for what the CLI cannot express. */
static int helm_diff_report(const struct hx_node *r, struct hx_strbuf *got,
                            int *changed)
{
	const struct hx_node *opt = hx_map_get(r, "options");
	const char *out = hx_node_str(hx_map_get(opt, "output"));
	const char *ns = hx_node_str(hx_map_get(r, "namespace"));
	struct hx_strvec kinds = HX_STRVEC_INIT, res = HX_STRVEC_INIT;
	struct hx_mset old = HX_MSET_INIT, new = HX_MSET_INIT;
	struct hx_diff_opts o;
	double fr = 0;
	int norm = (int)opt_int(opt, "normalize_manifests");
	int tests = (int)opt_int(opt, "include_tests");

	if (!out || !strcmp(out, "template") ||
	    hx_map_get(opt, "owned_releases"))
		return 0;
	memset(&o, 0, sizeof(o));
	o.output = !strcmp(out, "simple") ? HX_DIFF_OUT_SIMPLE
	           : !strcmp(out, "json") ? HX_DIFF_OUT_JSON
	                                  : HX_DIFF_OUT_DIFF;
	o.context = (int)opt_int(opt, "context");
	o.strip_cr = (int)opt_int(opt, "strip_trailing_cr");
	o.show_secrets = (int)opt_int(opt, "show_secrets");
	o.show_secrets_decoded = (int)opt_int(opt, "show_secrets_decoded");
	if (hx_map_get(opt, "find_renames") &&
	    hx_node_resolve(hx_map_get(opt, "find_renames"), NULL, &fr) ==
	            HX_TYPE_INT)
		fr = (double)opt_int(opt, "find_renames");
	o.find_renames = fr;
	strings_of(&kinds, hx_map_get(opt, "suppress_kinds"));
	strings_of(&res, hx_map_get(opt, "suppress_regex"));
	o.suppress_kinds = &kinds;
	o.suppress_regex = &res;
	if (parse_set(&old, hx_map_get(r, "old"), ns, norm, tests) < 0 ||
	    parse_set(&new, hx_map_get(r, "new"), ns, norm, tests) < 0 ||
	    (*changed = hx_diff_report(got, &old, &new, &o)) < 0) {
		hx_strbuf_addf(got, "error: %s\n", hx_error_message());
		hx_error_clear();
	}
	hx_mset_release(&old);
	hx_mset_release(&new);
	hx_strvec_clear(&kinds);
	hx_strvec_clear(&res);
	return 1;
}

static void run_helm_diff(const char *dir)
{
	char *path = hx_path_join(dir, "vectors.json");
	struct hx_stream st;
	const struct hx_node *recs;
	size_t i, skipped = 0;

	if (hx_stream_read(&st, path) < 0 || !st.n ||
	    hx_doc_load(&st, &st.docs[0], &st.arena) < 0 ||
	    !(recs = st.docs[0].root) || recs->kind != HX_SEQ) {
		printf("# cannot load %s: %s\n", path, hx_error_message());
		hx_error_clear();
		report(0, "vectors.json", "loads");
		hx_stream_release(&st);
		free(path);
		return;
	}
	for (i = 0; i < recs->u.seq.n; i++) {
		const struct hx_node *r = recs->u.seq.items[i];
		const char *kind = hx_node_str(hx_map_get(r, "kind"));
		const struct hx_node *keys = hx_map_get(r, "expected_keys");
		const char *want = hx_node_str(hx_map_get(r, "expected"));
		struct hx_strbuf got = HX_STRBUF_INIT, w = HX_STRBUF_INIT;
		long long want_changed = opt_int(r, "expected_exit_changes");
		int changed = 0, ran = 0, pass;
		size_t k;

		if (kind && !strcmp(kind, "lines"))
			ran = helm_diff_lines(r, &got);
		else if (kind && !strcmp(kind, "parse"))
			ran = helm_diff_parse(r, &got);
		else if (kind && !strcmp(kind, "report"))
			ran = helm_diff_report(r, &got, &changed);
		if (!ran) {
			skipped++;
			hx_strbuf_release(&got);
			continue;
		}
		if (kind && !strcmp(kind, "parse")) {
			for (k = 0; keys && k < keys->u.seq.n; k++)
				hx_strbuf_addf(
				        &w, "%s\n",
				        hx_node_str(keys->u.seq.items[k]));
			want = w.buf ? w.buf : "";
		}
		pass = want && !strcmp(got.buf ? got.buf : "", want) &&
		       (strcmp(kind, "report") ||
		        changed == (want_changed ? 1 : 0));
		if (!pass)
			printf("# got (changes %d):\n%s# want (changes "
			       "%lld):\n%s",
			       changed, got.buf ? got.buf : "", want_changed,
			       want ? want : "");
		report(pass, hx_node_str(hx_map_get(r, "name")),
		       hx_node_str(hx_map_get(r, "expected_origin")));
		hx_strbuf_release(&got);
		hx_strbuf_release(&w);
	}
	printf("# %zu vectors need what helm x diff does not offer (the "
	       "template output, ownership, a hook exclusion list)\n",
	       skipped);
	hx_stream_release(&st);
	free(path);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--jsonpatch")) {
		if (!exists(argv[2], "tests.json")) {
			printf("# SKIP: no JSON Patch suite at %s\n", argv[2]);
			printf("1..0 # SKIP no suite\n");
			return 0;
		}
		run_jsonpatch_file(argv[2], "tests.json");
		run_jsonpatch_file(argv[2], "spec_tests.json");
		surgery_report("JSON Patch");
		printf("# %d disabled records not run\n", n_skip);
	} else if (argc == 3 && !strcmp(argv[1], "--smp")) {
		if (!exists(argv[2], "cases.yaml")) {
			printf("# SKIP: no strategic merge suite at %s\n",
			       argv[2]);
			printf("1..0 # SKIP no suite\n");
			return 0;
		}
		run_smp(argv[2]);
		surgery_report("strategic merge");
	} else if (argc == 4 && !strcmp(argv[1], "--kustomize")) {
		if (!exists(argv[3], "index.json")) {
			printf("# SKIP: no kustomize cases at %s\n", argv[3]);
			printf("1..0 # SKIP no suite\n");
			return 0;
		}
		run_kustomize(argv[2], argv[3]);
	} else if (argc == 3 && !strcmp(argv[1], "--helm-diff")) {
		if (!exists(argv[2], "vectors.json")) {
			printf("# SKIP: no helm-diff vectors at %s\n", argv[2]);
			printf("1..0 # SKIP no suite\n");
			return 0;
		}
		run_helm_diff(argv[2]);
	} else if (argc == 3) {
		run_cases(argv[1], argv[2]);
		printf("# changed lines over every case: %zu; normalised: "
		       "%zu\n",
		       total_raw, total_norm);
	} else {
		fprintf(stderr, "usage: patchcases HELM-X DIR | --jsonpatch "
		                "DIR | --smp DIR | --kustomize HELM-X DIR | "
		                "--helm-diff DIR\n");
		return 2;
	}
	printf("1..%d\n# %d passed, %d failed\n", n_run, n_run - n_fail,
	       n_fail);
	return n_fail ? 1 : 0;
}
