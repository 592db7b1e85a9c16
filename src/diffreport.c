#include "hx/diffreport.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hx/diffsecret.h"
#include "hx/diffstruct.h"
#include "hx/emit.h"
#include "hx/err.h"
#include "hx/linediff.h"
#include "hx/manifest.h"
#include "hx/node.h"
#include "hx/select.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

enum change { CH_ADD, CH_REMOVE, CH_MODIFY };

struct entry {
	const struct hx_mobj *obj; /* for key, kind and the key's parts */
	enum change change;
	char *old_text, *new_text; /* owned: what the lines point into */
	struct hx_line *la, *lb;   /* owned */
	struct hx_drec *recs;      /* owned */
	size_t n;
};

struct report {
	struct entry *v;
	size_t n, alloc;
	int failed; /* a reported object is no YAML: the error is set */
};

/* ---- building the report ----------------------------------------------- */

static void entry_diff(struct entry *e, const struct hx_diff_opts *opt)
{
	size_t na = hx_lines_split(&e->la, e->old_text, strlen(e->old_text),
	                           opt->strip_cr);
	size_t nb = hx_lines_split(&e->lb, e->new_text, strlen(e->new_text),
	                           opt->strip_cr);

	e->n = hx_linediff(&e->recs, e->la, na, e->lb, nb);
}

static void entry_free(struct entry *e)
{
	free(e->old_text);
	free(e->new_text);
	free(e->la);
	free(e->lb);
	free(e->recs);
}

/*
 * Pairing read only the metadata of each object; one that is reported
 * must be YAML all through (errors at its lines, named by its source).
 */
static int check_yaml(const struct hx_mobj *m)
{
	struct hx_stream st;
	int rc;

	if (!m)
		return 0;
	/* the loader: syntax, and duplicate keys, at the object's lines */
	hx_stream_init_buf(&st, m->source, hx_xstrndup(m->content, m->len),
	                   m->len);
	rc = hx_stream_load_all(&st);
	hx_stream_release(&st);
	return rc;
}

/* helm-diff's doDiff: an entry when the two differ (either may be NULL). */
static void do_diff(struct report *r, const struct hx_mobj *key,
                    const struct hx_mobj *o, const struct hx_mobj *n,
                    const struct hx_diff_opts *opt)
{
	struct entry e;

	if (o && n && o->len == n->len &&
	    !memcmp(o->content, n->content, o->len))
		return;
	if (r->failed || check_yaml(o) < 0 || check_yaml(n) < 0) {
		r->failed = 1;
		return;
	}
	memset(&e, 0, sizeof(e));
	e.obj = key;
	e.change = !o ? CH_ADD : !n ? CH_REMOVE : CH_MODIFY;
	hx_diff_texts(&e.old_text, &e.new_text, o, n, opt);
	entry_diff(&e, opt);
	if (e.change == CH_MODIFY && !hx_linediff_changes(e.recs, e.n)) {
		entry_free(&e);
		return;
	}
	hx_grow(&r->v, &r->alloc, r->n + 1, sizeof(*r->v));
	r->v[r->n++] = e;
}

/* The closest added object of the same kind, for a removed one. */
static size_t find_rename(const struct hx_mobj *o, const struct hx_mobj **added,
                          size_t nadded, const struct hx_diff_opts *opt,
                          double *frac)
{
	size_t i, best = nadded;

	*frac = 1e300;
	for (i = 0; i < nadded; i++) {
		struct entry e;
		size_t ch;
		double f;

		if (!added[i] || strcmp(added[i]->kind, o->kind))
			continue;
		memset(&e, 0, sizeof(e));
		hx_diff_texts(&e.old_text, &e.new_text, o, added[i], opt);
		entry_diff(&e, opt);
		ch = hx_linediff_changes(e.recs, e.n);
		/* helm-diff compares float32 fractions */
		f = (double)((float)ch / (float)(e.n ? e.n : 1));
		if (ch && e.n && f > 0 && f < *frac) {
			*frac = f;
			best = i;
		}
		entry_free(&e);
	}
	return best;
}

static void build(struct report *r, const struct hx_mset *old,
                  const struct hx_mset *new, const struct hx_diff_opts *opt)
{
	const struct hx_mobj **removed =
	        hx_xcalloc(old->n + 1, sizeof(*removed));
	const struct hx_mobj **added = hx_xcalloc(new->n + 1, sizeof(*added));
	size_t i, nr = 0, na = 0;

	for (i = 0; i < old->n; i++) {
		const struct hx_mobj *n = hx_manifest_find(new, old->v[i].key);

		if (n)
			do_diff(r, &old->v[i], &old->v[i], n, opt);
		else
			removed[nr++] = &old->v[i];
	}
	for (i = 0; i < new->n; i++)
		if (!hx_manifest_find(old, new->v[i].key))
			added[na++] = &new->v[i];
	if (opt->find_renames > 0) {
		size_t k = 0;

		for (i = 0; i < nr; i++) {
			double f;
			size_t j = find_rename(removed[i], added, na, opt, &f);

			if (j < na && f < (double)(float)opt->find_renames) {
				do_diff(r, removed[i], removed[i], added[j],
				        opt);
				added[j] = NULL;
			} else {
				removed[k++] = removed[i];
			}
		}
		nr = k;
	}
	for (i = 0; i < nr; i++)
		if (!removed[i]->keep)
			do_diff(r, removed[i], removed[i], NULL, opt);
	for (i = 0; i < na; i++)
		if (added[i])
			do_diff(r, added[i], NULL, added[i], opt);
	free(removed);
	free(added);
}

/* Drop the records whose text a --suppress-output-line-regex matches. */
static int suppress_lines(struct report *r, const struct hx_strvec *res)
{
	struct hx_regex **re;
	size_t i, j, k;
	int rc = 0;

	if (!res || !res->n)
		return 0;
	re = hx_xcalloc(res->n, sizeof(*re));
	for (i = 0; i < res->n; i++)
		if (!(re[i] = hx_regex_new_search(res->v[i]))) {
			hx_error_prefix("--suppress-output-line-regex: ");
			rc = -1;
			goto out;
		}
	for (i = 0; i < r->n; i++) {
		struct entry *e = &r->v[i];

		for (j = k = 0; j < e->n; j++) {
			char *line = hx_xstrndup(e->recs[j].line.s,
			                         e->recs[j].line.len);
			int drop = 0;
			size_t q;

			for (q = 0; q < res->n && !drop; q++) {
				int m = hx_regex_match(re[q], line);

				if (m < 0) {
					/* the first line that hits a limit
					 * ends it, named in the error */
					free(line);
					rc = -1;
					goto out;
				}
				drop = m == 1;
			}
			free(line);
			if (!drop)
				e->recs[k++] = e->recs[j];
		}
		e->n = hx_linediff_changes(e->recs, k) ? k : 0;
	}
out:
	for (i = 0; i < res->n; i++)
		if (re[i])
			hx_regex_free(re[i]);
	free(re);
	return rc;
}

/* ---- printing ---------------------------------------------------------- */

static const char *const verbs[] = {
        "has been added:", "has been removed:", "has changed:"};
static const char *const plans[] = {"to be added.", "to be removed.",
                                    "to be changed."};
static const char *const changes[] = {"ADD", "REMOVE", "MODIFY"};

static int suppressed_kind(const struct entry *e, const struct hx_diff_opts *o)
{
	size_t i;

	for (i = 0; o->suppress_kinds && i < o->suppress_kinds->n; i++)
		if (!strcmp(o->suppress_kinds->v[i], e->obj->kind))
			return 1;
	return 0;
}

static void color_on(struct hx_strbuf *sb, int color, const char *code)
{
	if (color)
		hx_strbuf_adds(sb, code);
}

static void print_body(struct hx_strbuf *sb, const struct entry *e,
                       const struct hx_diff_opts *o)
{
	if (suppressed_kind(e, o)) {
		color_on(sb, o->color, "\033[33m");
		hx_strbuf_addf(sb,
		               "+ Changes suppressed on sensitive content of "
		               "type %s\n",
		               e->obj->kind);
		color_on(sb, o->color, "\033[0m");
		return;
	}
	hx_linediff_print(sb, e->recs, e->n, o->context, o->color);
}

static void print_diff(struct hx_strbuf *sb, const struct report *r,
                       const struct hx_diff_opts *o)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct entry *e = &r->v[i];

		color_on(sb, o->color, "\033[33m");
		if (!e->n)
			hx_strbuf_addf(sb,
			               "%s has changed, but diff is empty "
			               "after suppression.",
			               e->obj->key);
		else
			hx_strbuf_addf(sb, "%s %s", e->obj->key,
			               verbs[e->change]);
		color_on(sb, o->color, "\033[0m");
		hx_strbuf_addch(sb, '\n');
		if (e->n)
			print_body(sb, e, o);
	}
}

static void count(const struct report *r, size_t c[3])
{
	size_t i;

	c[0] = c[1] = c[2] = 0;
	for (i = 0; i < r->n; i++)
		c[r->v[i].change]++;
}

static void print_simple(struct hx_strbuf *sb, const struct report *r,
                         const struct hx_diff_opts *o)
{
	static const char *const colors[] = {"\033[32m", "\033[31m",
	                                     "\033[33m"};
	size_t i, c[3];

	for (i = 0; i < r->n; i++) {
		color_on(sb, o->color, colors[r->v[i].change]);
		hx_strbuf_addf(sb, "%s %s", r->v[i].obj->key,
		               plans[r->v[i].change]);
		color_on(sb, o->color, "\033[0m");
		hx_strbuf_addch(sb, '\n');
	}
	count(r, c);
	hx_strbuf_addf(sb,
	               "Plan: %zu to add, %zu to change, %zu to destroy, 0 to "
	               "change ownership.\n",
	               c[CH_ADD], c[CH_MODIFY], c[CH_REMOVE]);
}

static void print_json(struct hx_strbuf *sb, const struct report *r)
{
	size_t i;

	/* helm-diff's layout: "[" objects joined by "," "]" */
	hx_strbuf_addch(sb, '[');
	for (i = 0; i < r->n; i++) {
		const struct hx_mobj *m = r->v[i].obj;
		json_t *obj = json_object();
		char *text;

		json_object_set_new(obj, "api", json_string(m->api));
		json_object_set_new(obj, "kind", json_string(m->kind));
		json_object_set_new(obj, "namespace", json_string(m->ns));
		json_object_set_new(obj, "name", json_string(m->name));
		json_object_set_new(obj, "change",
		                    json_string(changes[r->v[i].change]));
		text = json_dumps(obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		if (i)
			hx_strbuf_addch(sb, ',');
		if (text)
			hx_strbuf_adds(sb, text);
		free(text);
		json_decref(obj);
	}
	hx_strbuf_adds(sb, "]\n");
}

static int looks_generated(const struct entry *e);

/*
 * helm-diff's structured output; returns how many entries it holds
 * (*gen: how many of them look generated).
 */
static size_t print_structured(struct hx_strbuf *sb, const struct report *r,
                               const struct hx_diff_opts *o, size_t *gen)
{
	size_t i, kept = 0;

	*gen = 0;

	hx_strbuf_addch(sb, '[');
	for (i = 0; i < r->n; i++) {
		const struct entry *e = &r->v[i];
		struct hx_dstruct_obj so;
		struct hx_strbuf one = HX_STRBUF_INIT;

		so.key = e->obj->key;
		so.kind = e->obj->kind;
		so.change = changes[e->change];
		so.old_text = e->old_text;
		so.new_text = e->new_text;
		so.suppressed = suppressed_kind(e, o);
		if (!hx_diff_struct_entry(&one, &so)) {
			hx_strbuf_adds(sb, kept ? ",\n" : "\n");
			hx_strbuf_add(sb, one.buf, one.len);
			kept++;
			*gen += looks_generated(e);
		}
		hx_strbuf_release(&one);
	}
	hx_strbuf_adds(sb, kept ? "\n]\n" : "]\n");
	return kept;
}

/* ---- Markdown for a pull-request comment -------------------------------
 * Every text from a manifest lands in a context of its own: a table cell
 * (a code span), the <summary> of an HTML block (HTML-escaped, in <code>),
 * or the diff's code fence.  In each, a control character is shown as
 * \xNN, so no name ends a table row or a block. */

static void add_ctl(struct hx_strbuf *sb, unsigned char c)
{
	hx_strbuf_addf(sb, "\\x%02x", c);
}

static int is_ctl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* s as a code span of a table cell: a fence longer than any backquote run
 * inside, '|' escaped as GFM tables need even in code, nothing else read
 * as Markdown (links, images, HTML, @mentions). */
static void md_cell(struct hx_strbuf *sb, const char *s)
{
	size_t run = 0, longest = 0, k, len = strlen(s);
	int pad;

	for (k = 0; k < len; k++) {
		run = s[k] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	if (!len)
		return;
	pad = s[0] == '`' || s[0] == ' ' || s[len - 1] == '`' ||
	      s[len - 1] == ' ';
	hx_strbuf_addchars(sb, '`', longest + 1);
	if (pad)
		hx_strbuf_addch(sb, ' ');
	for (k = 0; k < len; k++) {
		unsigned char c = (unsigned char)s[k];

		if (is_ctl(c)) {
			add_ctl(sb, c);
			continue;
		}
		if (c == '|')
			hx_strbuf_addch(sb, '\\');
		hx_strbuf_addch(sb, (char)c);
	}
	if (pad)
		hx_strbuf_addch(sb, ' ');
	hx_strbuf_addchars(sb, '`', longest + 1);
}

/* s in the <summary> of an HTML block, where Markdown escapes do not
 * work: HTML-escaped inside <code> (no @mention, no autolink). */
static void md_html(struct hx_strbuf *sb, const char *s)
{
	hx_strbuf_adds(sb, "<code>");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (is_ctl(c))
			add_ctl(sb, c);
		else if (c == '&')
			hx_strbuf_adds(sb, "&amp;");
		else if (c == '<')
			hx_strbuf_adds(sb, "&lt;");
		else if (c == '>')
			hx_strbuf_adds(sb, "&gt;");
		else if (c == '"')
			hx_strbuf_adds(sb, "&quot;");
		else if (c == '\'')
			hx_strbuf_adds(sb, "&#39;");
		else
			hx_strbuf_addch(sb, (char)c);
	}
	hx_strbuf_adds(sb, "</code>");
}

/* A diff body for a code fence: control characters but tab and newline
 * shown as \xNN. */
static void md_body(struct hx_strbuf *sb, const struct hx_strbuf *body)
{
	size_t k;

	for (k = 0; k < body->len; k++) {
		unsigned char c = (unsigned char)body->buf[k];

		if (is_ctl(c) && c != '\n' && c != '\t')
			add_ctl(sb, c);
		else
			hx_strbuf_addch(sb, (char)c);
	}
}

/* One object's <details> block. */
static void md_details(struct hx_strbuf *sb, const struct entry *e,
                       const struct hx_diff_opts *plain)
{
	static const char *const words[] = {"added", "removed", "changed"};
	struct hx_strbuf body = HX_STRBUF_INIT;
	size_t fence = 3, run = 0, k;

	if (e->n)
		print_body(&body, e, plain);
	/* a fence longer than any run of backquotes inside */
	for (k = 0; k < body.len; k++) {
		run = body.buf[k] == '`' ? run + 1 : 0;
		if (run >= fence)
			fence = run + 1;
	}
	hx_strbuf_adds(sb, "\n<details><summary>");
	md_html(sb, e->obj->key);
	hx_strbuf_addf(sb, " %s</summary>\n\n",
	               e->n ? words[e->change]
	                    : "changed (empty after suppression)");
	hx_strbuf_addchars(sb, '`', fence);
	hx_strbuf_adds(sb, "diff\n");
	md_body(sb, &body);
	hx_strbuf_addchars(sb, '`', fence);
	hx_strbuf_adds(sb, "\n\n</details>\n");
	hx_strbuf_release(&body);
}

/* An object too big for the comment: its key and its lines' count. */
static void md_cut(struct hx_strbuf *sb, const struct entry *e)
{
	size_t k, plus = 0, minus = 0;

	for (k = 0; k < e->n; k++) {
		plus += e->recs[k].delta == HX_DELTA_RIGHT;
		minus += e->recs[k].delta == HX_DELTA_LEFT;
	}
	hx_strbuf_adds(sb, "- ");
	md_cell(sb, e->obj->key);
	hx_strbuf_addf(sb, ": +%zu -%zu\n", plus, minus);
}

struct md_block {
	struct hx_strbuf text;
	size_t index; /* in the report */
	int cut;
};

static int md_larger(const void *a, const void *b)
{
	const struct md_block *x = *(const struct md_block *const *)a;
	const struct md_block *y = *(const struct md_block *const *)b;

	if (x->text.len != y->text.len)
		return x->text.len < y->text.len ? 1 : -1;
	return (x->index > y->index) - (x->index < y->index);
}

static void print_markdown(struct hx_strbuf *sb, const struct report *r,
                           const struct hx_diff_opts *o)
{
	static const char *const words[] = {"added", "removed", "changed"};
	struct hx_diff_opts plain = *o;
	struct md_block *blocks;
	struct md_block **order;
	struct hx_strbuf cuts = HX_STRBUF_INIT;
	size_t i, c[3], total, start = sb->len, ncut = 0, rows;

	plain.color = 0;
	count(r, c);
	if (!r->n) {
		hx_strbuf_adds(sb, "**helm x diff**: no changes.\n");
		return;
	}
	hx_strbuf_addf(sb,
	               "**helm x diff**: %zu to add, %zu to change, %zu to "
	               "destroy.\n\n| change | kind | namespace | name |\n"
	               "|---|---|---|---|\n",
	               c[CH_ADD], c[CH_MODIFY], c[CH_REMOVE]);
	for (rows = 0; rows < r->n; rows++) {
		const struct hx_mobj *m = r->v[rows].obj;
		size_t mark = sb->len;

		hx_strbuf_addf(sb, "| %s | ", words[r->v[rows].change]);
		md_cell(sb, m->kind);
		hx_strbuf_adds(sb, " (");
		md_cell(sb, m->api);
		hx_strbuf_adds(sb, ") | ");
		md_cell(sb, m->ns);
		hx_strbuf_adds(sb, " | ");
		md_cell(sb, m->name);
		hx_strbuf_adds(sb, " |\n");
		/* a table past the limit: the rest is counted */
		if (o->max_size && sb->len - start + 200 > o->max_size) {
			sb->len = mark;
			sb->buf[mark] = '\0';
			hx_strbuf_addf(
			        sb,
			        "\n... and %zu more objects (the comment "
			        "stops at %zu characters: see them all "
			        "with --output diff)\n",
			        r->n - rows, o->max_size);
			return;
		}
	}
	blocks = hx_xcalloc(r->n, sizeof(*blocks));
	order = hx_xcalloc(r->n, sizeof(*order));
	total = sb->len - start;
	for (i = 0; i < r->n; i++) {
		blocks[i].index = i;
		md_details(&blocks[i].text, &r->v[i], &plain);
		total += blocks[i].text.len;
		order[i] = &blocks[i];
	}
	/* past the limit: the largest objects become a line each, from
	 * the largest down, until the comment fits */
	if (o->max_size && total > o->max_size) {
		size_t room = 400; /* the cut lines' heading */

		qsort(order, r->n, sizeof(*order), md_larger);
		for (i = 0; i < r->n && total + room > o->max_size; i++) {
			struct hx_strbuf line = HX_STRBUF_INIT;

			md_cut(&line, &r->v[order[i]->index]);
			order[i]->cut = 1;
			total -= order[i]->text.len;
			room += line.len;
			hx_strbuf_release(&line);
			ncut++;
		}
	}
	for (i = 0; i < r->n; i++) {
		if (blocks[i].cut)
			md_cut(&cuts, &r->v[i]);
		else
			hx_strbuf_add(sb, blocks[i].text.buf,
			              blocks[i].text.len);
		hx_strbuf_release(&blocks[i].text);
	}
	if (ncut) {
		hx_strbuf_addf(sb,
		               "\n%zu object%s too big for a comment of %zu "
		               "characters (lines added and removed; see %s "
		               "with --output diff, or raise --max-size):\n\n",
		               ncut, ncut == 1 ? "" : "s", o->max_size,
		               ncut == 1 ? "it" : "them");
		hx_strbuf_add(sb, cuts.buf, cuts.len);
	}
	hx_strbuf_release(&cuts);
	free(blocks);
	free(order);
}

/* A line "checksum/NAME: ..." (an annotation key), after the diff's
 * indent. */
static int is_checksum_line(const struct hx_line *l)
{
	size_t k = 0;

	while (k < l->len && l->s[k] == ' ')
		k++;
	if (k < l->len && l->s[k] == '"')
		k++;
	return l->len - k > 9 && !memcmp(l->s + k, "checksum/", 9);
}

/*
 * A change a chart that generates values makes on every render: a
 * Secret's, or one only of checksum/ annotations (of such a Secret).
 */
static int looks_generated(const struct entry *e)
{
	size_t k;

	if (e->change != CH_MODIFY)
		return 0;
	if (!strcmp(e->obj->kind, "Secret"))
		return 1;
	for (k = 0; k < e->n; k++)
		if (e->recs[k].delta != HX_DELTA_COMMON &&
		    !is_checksum_line(&e->recs[k].line))
			return 0;
	return 1;
}

int hx_diff_report(struct hx_strbuf *out, const struct hx_mset *old,
                   const struct hx_mset *new, const struct hx_diff_opts *o)
{
	struct report r = {NULL, 0, 0, 0};
	size_t i, gen = 0;
	int changed;

	build(&r, old, new, o);
	if (r.failed) {
		changed = -1;
		goto out;
	}
	changed = r.n > 0;
	for (i = 0; i < r.n; i++)
		gen += looks_generated(&r.v[i]);
	if (o->generated)
		*o->generated = gen;
	if (o->ignore_generated)
		changed = r.n > gen;
	if (suppress_lines(&r, o->suppress_regex) < 0) {
		changed = -1;
		goto out;
	}
	switch (o->output) {
	case HX_DIFF_OUT_SIMPLE:
		print_simple(out, &r, o);
		break;
	case HX_DIFF_OUT_JSON:
		print_json(out, &r);
		break;
	case HX_DIFF_OUT_MARKDOWN:
		print_markdown(out, &r, o);
		break;
	case HX_DIFF_OUT_STRUCTURED:
		/* a MODIFY of no field is no change there */
		/* what it leaves out (no field changed) is no change */
		changed = print_structured(out, &r, o, &gen) >
		          (o->ignore_generated ? gen : 0);
		if (o->generated)
			*o->generated = gen;
		break;
	default:
		print_diff(out, &r, o);
		break;
	}
out:
	for (i = 0; i < r.n; i++)
		entry_free(&r.v[i]);
	free(r.v);
	return changed;
}
