#include "hx/surgery.h"
#include "hx/surgery_text.h"

#include <stdlib.h>
#include <string.h>

#include "hx/emit.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

/*
 * The original tree's nodes know the bytes they came from (node.h: start,
 * end).  A block collection is a run of entries, each one or more whole
 * lines: its key (or "-"), its value, the rest of its last line (a
 * comment), and before it the comment and blank lines that precede it.
 * Writing the patched tree walks both trees together: an entry whose value
 * did not change is copied, one that changed keeps its key's text and its
 * line's comment, a new one is written at the entries' column, a removed
 * one goes with its comments.  The first entry of a collection starts
 * where the collection does, after the parent's "key:" line or "- ".
 */

static int same_tag(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

/* Same text, style and shape: what the source says is what now holds. */
static int same(const struct hx_node *a, const struct hx_node *b)
{
	size_t i;

	if (a->kind != b->kind || a->flow != b->flow ||
	    !same_tag(a->tag, b->tag))
		return 0;
	switch (a->kind) {
	case HX_SCALAR:
		return a->style == b->style && a->u.s.len == b->u.s.len &&
		       !memcmp(a->u.s.str, b->u.s.str, a->u.s.len);
	case HX_SEQ:
		if (a->u.seq.n != b->u.seq.n)
			return 0;
		for (i = 0; i < a->u.seq.n; i++)
			if (!same(a->u.seq.items[i], b->u.seq.items[i]))
				return 0;
		return 1;
	default:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (i = 0; i < a->u.map.n; i++)
			if (!same(a->u.map.pairs[i].key,
			          b->u.map.pairs[i].key) ||
			    !same(a->u.map.pairs[i].value,
			          b->u.map.pairs[i].value))
				return 0;
		return 1;
	}
}

/* A collection written as lines of its own ("key:" / "-" entries). */
static int is_block(const struct hx_node *n)
{
	if (n->kind == HX_SCALAR || n->flow)
		return 0;
	return n->kind == HX_MAP ? n->u.map.n > 0 : n->u.seq.n > 0;
}

static int is_block_scalar(const struct hx_node *n)
{
	return n->kind == HX_SCALAR &&
	       (n->style == HX_STYLE_LITERAL || n->style == HX_STYLE_FOLDED);
}

/* A scalar that holds a string (a plain one that reads as no other type). */
static int is_str(const struct hx_node *n)
{
	if (n->kind != HX_SCALAR || n->tag)
		return 0;
	return n->style != HX_STYLE_PLAIN ||
	       hx_node_resolve(n, NULL, NULL) == HX_TYPE_STR;
}

/*
 * The quoting o's string values share: double or single quotes when at
 * least two and most of them have it, else 0.
 */
static int sibling_quote(const struct hx_node *o)
{
	size_t dq = 0, sq = 0, plain = 0, i,
	       n = o->kind == HX_MAP ? o->u.map.n : o->u.seq.n;

	for (i = 0; i < n; i++) {
		const struct hx_node *v = o->kind == HX_MAP
		                                  ? o->u.map.pairs[i].value
		                                  : o->u.seq.items[i];

		if (!is_str(v))
			continue;
		if (v->style == HX_STYLE_DOUBLE)
			dq++;
		else if (v->style == HX_STYLE_SINGLE)
			sq++;
		else if (v->style == HX_STYLE_PLAIN)
			plain++;
	}
	/* one quoted sibling is no habit (Helm 4's own annotation, say) */
	if (dq >= 2 && dq > sq + plain)
		return HX_STYLE_DOUBLE;
	if (sq >= 2 && sq > dq + plain)
		return HX_STYLE_SINGLE;
	return 0;
}

/*
 * n written at a place that quotes its strings as want (a style, or 0 for
 * no preference): a one-line string takes that quoting (plain only where
 * plain reads back as the same string).  A type never changes.
 */
static struct hx_node restyle(const struct hx_node *n, int want)
{
	struct hx_node t = *n;

	if (!want || !is_str(n) || memchr(n->u.s.str, '\n', n->u.s.len))
		return t;
	if (want == HX_STYLE_DOUBLE || want == HX_STYLE_SINGLE)
		t.style = (unsigned char)want;
	else if (want == HX_STYLE_PLAIN)
		t.style = HX_STYLE_ANY;
	return t;
}

/* The quoting of the scalar a new value replaces, or 0. */
static int replaced_quote(const struct hx_node *ov)
{
	if (!is_str(ov) || is_block_scalar(ov))
		return 0;
	return ov->style;
}

/* The column of src's byte pos (bytes, which is enough for a width). */
static int column(const struct hx_surg *s, size_t pos)
{
	return (int)(pos - hx_surg_line_start(s, pos));
}

static int is_empty_null(const struct hx_node *n)
{
	return n->kind == HX_SCALAR && n->style == HX_STYLE_PLAIN &&
	       !n->u.s.len && !n->tag;
}

static int coll(struct hx_surg *s, const struct hx_node *now,
                const struct hx_node *o, int differs);

/*
 * Write what precedes entry j (x) of its collection: its comment lines,
 * its indentation.  Returns where its own text starts in src.  The first
 * entry written starts where the collection did (after "key:" and the
 * indentation, or after "- "), on a line begun by the parent.
 */
static size_t begin(struct hx_surg *s, const struct hx_surg_ent *x, size_t j,
                    int first, int col)
{
	size_t p;

	if (j == 0) {
		if (!first)
			hx_surg_indent(s, col);
		return x->start;
	}
	if (!first) {
		hx_surg_put(s, x->lead, x->line);
		return x->line;
	}
	/* blank lines at the top go; comments stay, on the begun line */
	p = x->lead;
	while (p < x->line) {
		size_t q = p;

		while (q < x->line && (s->src[q] == ' ' || s->src[q] == '\t' ||
		                       s->src[q] == '\r'))
			q++;
		if (q < x->line && s->src[q] == '\n')
			p = q + 1;
		else
			break;
	}
	if (p == x->line)
		return x->start;
	while (s->src[p] == ' ' || s->src[p] == '\t')
		p++;
	hx_surg_put(s, p, x->line);
	return x->line;
}

/*
 * Entry x of a collection at column col, whose value now is nv (not the
 * same as x->val): write it from `from` to the end of its last line.
 */
static void changed(struct hx_surg *s, const struct hx_surg_ent *x, size_t from,
                    const struct hx_node *nv, int col)
{
	const struct hx_node *ov = x->val;
	struct hx_strbuf *sb = s->sb;
	struct hx_node t;
	int in_seq = x->key == NULL;

	if (is_block(ov) && is_block(nv) && ov->kind == nv->kind &&
	    same_tag(ov->tag, nv->tag)) {
		struct hx_surg_mark m = hx_surg_mark_here(s);

		hx_surg_put(s, from, ov->start);
		if (coll(s, nv, ov, 1) == 0)
			return;
		hx_surg_back_to(s,
		                &m); /* its text is not laid out as entries */
	}
	t = restyle(nv, replaced_quote(ov));
	/* lines replacing a block scalar's lines take its style */
	if (is_block_scalar(ov) && is_str(nv) && !nv->tag &&
	    memchr(nv->u.s.str, '\n', nv->u.s.len))
		t.style = ov->style;
	/* a flow collection the document wrote stays one, if it fits */
	if (ov->kind != HX_SCALAR && ov->flow && t.kind != HX_SCALAR)
		t.flow = 1;
	if (!is_block(ov)) {
		/* the value was on the key's line: replace it there */
		struct hx_surg_mark m = hx_surg_mark_here(s);

		hx_surg_put(s, from, ov->start);
		if (ov->start == ov->end && !is_empty_null(&t) &&
		    (s->src[ov->start - 1] != ' '))
			hx_strbuf_addch(sb, ' ');
		if (hx_emit_inline(sb, &t, column(s, ov->start))) {
			if (is_block_scalar(ov)) {
				hx_strbuf_addch(sb, '\n');
				return;
			}
			/* "{a: 1}# c": after a plain scalar '#' needs a blank
			 */
			if (ov->end < x->xend && s->src[ov->end] == '#')
				hx_strbuf_addch(sb, ' ');
			hx_surg_put(s, ov->end, x->xend);
			return;
		}
		hx_surg_back_to(s, &m);
	}
	/* anew, after the key or "-" */
	hx_surg_put(s, from, in_seq ? x->start + 1 : x->key->end);
	if (!in_seq)
		hx_strbuf_addch(sb, ':');
	s->guard = 0;
	hx_emit_value(sb, &t, col, in_seq, &s->style);
	hx_surg_fresh(s, &t, col);
}

/* Entry x, whose value now is v, written from `from` on. */
static void kept(struct hx_surg *s, const struct hx_surg_ent *x, size_t from,
                 const struct hx_node *v, int col)
{
	if (same(v, x->val))
		hx_surg_put(s, from, x->xend);
	else
		changed(s, x, from, v, col);
}

/*
 * The i-th entry of collection o (column col), new to it: key k and value
 * v (k NULL in a list), in the quoting of o's strings (*quote: found once,
 * -1 until then).
 */
static void new_entry(struct hx_surg *s, const struct hx_node *o,
                      const struct hx_node *k, const struct hx_node *v,
                      size_t i, int col, int *quote)
{
	struct hx_node t;

	if (*quote < 0)
		*quote = sibling_quote(o);
	if (i)
		hx_surg_indent(s, col);
	s->guard = 0;
	if (k)
		hx_emit_key(s->sb, k, col);
	else
		hx_strbuf_addch(s->sb, '-');
	t = restyle(v, *quote);
	hx_emit_value(s->sb, &t, col, k == NULL, &s->style);
	hx_surg_fresh(s, &t, col);
}

static long find_key(struct hx_surg_ent *e, size_t m, const struct hx_node *k,
                     size_t hint)
{
	size_t i;

	for (i = 0; i < m; i++) {
		size_t j = (hint + i) % m;

		if (!e[j].used && same(e[j].key, k))
			return (long)j;
	}
	return -1;
}

static void map_body(struct hx_surg *s, const struct hx_node *now,
                     const struct hx_node *o, struct hx_surg_ent *e)
{
	size_t m = o->u.map.n, i, hint = 0, mark = hx_surg_pos(s);
	int col = (int)o->col - 1, quote = -1;

	for (i = 0; i < now->u.map.n; i++) {
		const struct hx_node *k = now->u.map.pairs[i].key;
		const struct hx_node *v = now->u.map.pairs[i].value;
		long j = find_key(e, m, k, hint);

		hx_surg_end_line(s, mark);
		if (j >= 0) {
			struct hx_surg_ent *x = &e[j];
			size_t from = begin(s, x, (size_t)j, i == 0, col);

			x->used = 1;
			hint = (size_t)j + 1;
			kept(s, x, from, v, col);
		} else {
			new_entry(s, o, k, v, i, col, &quote);
		}
	}
}

/* A map's "name" (containers, ports, env: what a list's items go by). */
static const struct hx_node *name_of(const struct hx_node *n)
{
	const struct hx_node *v =
	        n->kind == HX_MAP ? hx_map_get(n, "name") : NULL;

	return v && v->kind == HX_SCALAR ? v : NULL;
}

/* How far ahead an unchanged item is looked for. */
#define WINDOW 64

/*
 * Pair now's items with the original ones: first the ones that did not
 * change, in order; then each changed item with an unpaired original item
 * between the same neighbours: the one with its name, else the next one
 * of its kind.  match[i] gets the original index or -1 (a new item).
 */
static void align(const struct hx_node *now, struct hx_surg_ent *e, size_t m,
                  long *match)
{
	size_t n = now->u.seq.n, i, j, c = 0, lo = 0;
	size_t *hi = hx_xmalloc((n + 1) * sizeof(*hi));

	for (i = 0; i < n; i++) {
		match[i] = -1;
		for (j = c; j < m && j < c + WINDOW; j++)
			if (!e[j].used && same(now->u.seq.items[i], e[j].val)) {
				match[i] = (long)j;
				e[j].used = 1;
				c = j + 1;
				break;
			}
	}
	/* hi[i]: the original index of the next unchanged item after i */
	hi[n] = m;
	for (i = n; i-- > 0;)
		hi[i] = match[i] >= 0 ? (size_t)match[i] : hi[i + 1];
	for (i = 0; i < n; i++) {
		const struct hx_node *it = now->u.seq.items[i], *name;
		long pick = -1;

		if (match[i] >= 0) {
			lo = (size_t)match[i] + 1;
			continue;
		}
		name = name_of(it);
		for (j = lo; j < hi[i + 1] && j < m; j++) {
			const struct hx_node *ov = e[j].val, *on;

			if (e[j].used || ov->kind != it->kind)
				continue;
			on = name_of(ov);
			if (name && on) {
				if (name->u.s.len == on->u.s.len &&
				    !memcmp(name->u.s.str, on->u.s.str,
				            on->u.s.len)) {
					pick = (long)j;
					break;
				}
			} else if (pick < 0 && (!name || !on)) {
				/* no name on one side: the first one will do,
				 * unless an item with the name comes later */
				pick = (long)j;
				if (!name)
					break;
			}
		}
		if (pick >= 0) {
			match[i] = pick;
			e[pick].used = 1;
			lo = (size_t)pick + 1;
		}
	}
	free(hi);
}

static void seq_body(struct hx_surg *s, const struct hx_node *now,
                     const struct hx_node *o, struct hx_surg_ent *e)
{
	size_t m = o->u.seq.n, n = now->u.seq.n, i, mark = hx_surg_pos(s);
	long *match = hx_xmalloc(n * sizeof(*match));
	int col = (int)o->col - 1, quote = -1;

	align(now, e, m, match);
	for (i = 0; i < n; i++) {
		const struct hx_node *v = now->u.seq.items[i];

		hx_surg_end_line(s, mark);
		if (match[i] >= 0) {
			struct hx_surg_ent *x = &e[match[i]];
			size_t from =
			        begin(s, x, (size_t)match[i], i == 0, col);

			kept(s, x, from, v, col);
		} else {
			new_entry(s, o, NULL, v, i, col, &quote);
		}
	}
	free(match);
}

/*
 * now over the original block collection o of the same kind, from
 * o->start to the end of o's last line (differs: the caller knows they
 * are not the same).  -1, having written nothing, when
 * o's text is not a run of entries as this file reads them (an explicit
 * "? key", an anchor or tag before the first key): the caller writes the
 * collection anew.
 */
static int coll(struct hx_surg *s, const struct hx_node *now,
                const struct hx_node *o, int differs)
{
	struct hx_surg_ent *e;
	size_t xe = hx_surg_line_end(s, o->end);

	if (!xe)
		return -1;
	if (!differs && same(now, o)) {
		hx_surg_put(s, o->start, xe);
		return 0;
	}
	e = hx_surg_entries(s, o);
	if (!e)
		return -1;
	if (o->kind == HX_MAP)
		map_body(s, now, o, e);
	else
		seq_body(s, now, o, e);
	free(e);
	return 0;
}

/*
 * The document's indentation: how far its first nested block mapping sits
 * right of its key, and its first block list.  found: bit 1, bit 2.
 */
static void detect(const struct hx_node *n, struct hx_emit_style *st,
                   int *found)
{
	size_t i;

	if (!is_block(n))
		return;
	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n && *found != 3; i++)
			detect(n->u.seq.items[i], st, found);
		return;
	}
	for (i = 0; i < n->u.map.n && *found != 3; i++) {
		const struct hx_node *k = n->u.map.pairs[i].key;
		const struct hx_node *v = n->u.map.pairs[i].value;

		if (!is_block(v) || v->line == k->line)
			continue;
		if (v->kind == HX_MAP && !(*found & 1) && v->col > k->col) {
			st->step = (int)(v->col - k->col);
			*found |= 1;
		} else if (v->kind == HX_SEQ && !(*found & 2) &&
		           v->col >= k->col) {
			st->seq_indent = (int)(v->col - k->col);
			*found |= 2;
		}
		detect(v, st, found);
	}
}

int hx_surgery_write(struct hx_surgery_out *out, const char *src, size_t len,
                     const struct hx_node *orig, const struct hx_node *now)
{
	struct hx_surg s;
	struct hx_surg_mark m;
	size_t xe;
	int found = 0;

	if (!orig || !now || !is_block(orig) || !is_block(now) ||
	    orig->kind != now->kind || !same_tag(orig->tag, now->tag) ||
	    orig->start > orig->end || orig->end > len)
		return -1;
	memset(&s, 0, sizeof(s));
	s.o = out;
	s.sb = &out->fresh;
	s.flushed = out->fresh.len;
	s.src = src;
	s.len = len;
	s.style = hx_emit_kubernetes;
	s.style.flow = 0; /* what a patch adds takes the block style */
	xe = hx_surg_line_end(&s, orig->end);
	if (!xe)
		return -1;
	m = hx_surg_mark_here(&s);
	detect(orig, &s.style, &found);
	if (s.style.seq_indent && !(found & 1))
		s.style.step = s.style.seq_indent;
	hx_surg_put(&s, 0, orig->start);
	if (coll(&s, now, orig, 0) < 0) {
		hx_surg_back_to(&s, &m);
		return -1;
	}
	if (xe < len)
		hx_surg_end_line(&s, m.total);
	hx_surg_put(&s, xe, len);
	hx_surg_flush(&s);
	return 0;
}

void hx_surgery_out_release(struct hx_surgery_out *o)
{
	hx_strbuf_release(&o->fresh);
	free(o->p);
	o->p = NULL;
	o->n = o->alloc = 0;
}

void hx_surgery_out_flatten(struct hx_strbuf *sb, const struct hx_piece *p,
                            size_t n, const char *src, const char *fresh)
{
	size_t i;

	for (i = 0; i < n; i++)
		hx_strbuf_add(sb, (p[i].fresh ? fresh : src) + p[i].off,
		              p[i].len);
}
