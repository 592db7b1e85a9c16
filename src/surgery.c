#include "hx/surgery.h"

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

struct surg {
	struct hx_surgery_out *o;
	struct hx_strbuf *sb; /* &o->fresh: where new text goes */
	size_t flushed;       /* sb's bytes up to here are pieces already */
	size_t total;         /* bytes of the pieces */
	const char *src;
	size_t len;
	struct hx_emit_style style;
	/*
	 * After lines written anew (which may end in a block scalar), the
	 * comment lines copied next must not read as its content: those
	 * right of column guard - 1 move to it, and with keep, blank lines
	 * (which a "|+" scalar would keep) go.  0: no guard.
	 */
	int guard, keep;
};

/* One entry of an original block collection, as offsets in src. */
struct ent {
	const struct hx_node *key; /* NULL in a list */
	const struct hx_node *val;
	size_t lead;  /* its comment lines start here (entry 0: none) */
	size_t line;  /* start of its first line */
	size_t start; /* its key, or its "-" */
	size_t xend;  /* after its last line */
	int used;
};

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

static void push(struct surg *s, size_t off, size_t len, int fresh)
{
	struct hx_surgery_out *o = s->o;
	struct hx_piece *last = o->n ? &o->p[o->n - 1] : NULL;

	if (!len)
		return;
	s->total += len;
	if (last && last->fresh == fresh && last->off + last->len == off) {
		last->len += len;
		return;
	}
	hx_grow(&o->p, &o->alloc, o->n + 1, sizeof(*o->p));
	o->p[o->n].off = off;
	o->p[o->n].len = len;
	o->p[o->n].fresh = fresh;
	o->n++;
}

/* The new text written since the last piece becomes one. */
static void flush(struct surg *s)
{
	size_t n = s->sb->len - s->flushed;

	push(s, s->flushed, n, 1);
	s->flushed = s->sb->len;
}

/* src[a, a + n) goes out as it is. */
static void copy(struct surg *s, size_t a, size_t n)
{
	flush(s);
	push(s, a, n, 0);
}

/* Bytes written so far. */
static size_t pos(const struct surg *s)
{
	return s->total + s->sb->len - s->flushed;
}

/* The last byte written, or -1. */
static int last_byte(const struct surg *s)
{
	const struct hx_piece *p;

	if (s->sb->len > s->flushed)
		return (unsigned char)s->sb->buf[s->sb->len - 1];
	if (!s->o->n)
		return -1;
	p = &s->o->p[s->o->n - 1];
	return (unsigned char)(p->fresh ? s->sb->buf
	                                : s->src)[p->off + p->len - 1];
}

/* A point to come back to when a way of writing does not work out. */
struct mark {
	size_t n, last_len, fresh, flushed, total;
};

static struct mark mark_here(const struct surg *s)
{
	struct mark m;

	m.n = s->o->n;
	m.last_len = m.n ? s->o->p[m.n - 1].len : 0;
	m.fresh = s->sb->len;
	m.flushed = s->flushed;
	m.total = s->total;
	return m;
}

static void back_to(struct surg *s, const struct mark *m)
{
	s->o->n = m->n;
	if (m->n)
		s->o->p[m->n - 1].len = m->last_len;
	s->sb->len = m->fresh;
	s->sb->buf[m->fresh] = '\0';
	s->flushed = m->flushed;
	s->total = m->total;
}

static void put(struct surg *s, size_t a, size_t b)
{
	while (s->guard && a < b) {
		const char *nl = memchr(s->src + a, '\n', b - a);
		size_t q = a, le = nl ? (size_t)(nl - s->src) + 1 : b;

		while (q < le && (s->src[q] == ' ' || s->src[q] == '\t'))
			q++;
		if (q == le && !nl) {
			if (b == s->len)
				a = b; /* blanks ending the document: the
				          scalar's */
			break; /* else indentation before a key: copied below */
		}
		if (q == le || s->src[q] == '\n' || s->src[q] == '\r') {
			/* its blanks would be the scalar's: the break alone */
			if (!s->keep)
				copy(s, q, le - q);
		} else if (s->src[q] == '#') {
			if (q - a >= (size_t)s->guard) {
				hx_strbuf_addchars(s->sb, ' ',
				                   (size_t)s->guard - 1);
				copy(s, q, le - q);
			} else {
				copy(s, a, le - a);
			}
		} else {
			s->guard = 0; /* content: the lines before have ended */
			break;
		}
		a = le;
	}
	if (b > a)
		copy(s, a, b - a);
}

/* A block collection's last value, and so on down. */
static const struct hx_node *last_leaf(const struct hx_node *n)
{
	while (n->kind == HX_MAP ? n->u.map.n > 0
	                         : n->kind == HX_SEQ && n->u.seq.n > 0)
		n = n->kind == HX_MAP ? n->u.map.pairs[n->u.map.n - 1].value
		                      : n->u.seq.items[n->u.seq.n - 1];
	return n;
}

/* Lines written anew for v in a collection at column col: guard them. */
static void fresh(struct surg *s, const struct hx_node *v, int col)
{
	const struct hx_node *l = last_leaf(v);

	/* only a block scalar reads the lines after it */
	if (l->style != HX_STYLE_LITERAL && l->style != HX_STYLE_FOLDED)
		return;
	s->guard = col + 1;
	s->keep = l->u.s.len >= 2 && l->u.s.str[l->u.s.len - 1] == '\n' &&
	          l->u.s.str[l->u.s.len - 2] == '\n';
}

static void indent(struct surg *s, int col)
{
	hx_strbuf_addchars(s->sb, ' ', (size_t)col);
}

/* A line written since mark that is not ended yet gets its line break. */
static void end_line(struct surg *s, size_t mark)
{
	if (pos(s) > mark && last_byte(s) != '\n')
		hx_strbuf_addch(s->sb, '\n');
}

static size_t line_start(const struct surg *s, size_t pos)
{
	while (pos > 0 && s->src[pos - 1] != '\n')
		pos--;
	return pos;
}

/*
 * After a value that ends at pos: the end of its line (after the line
 * break), when only blanks and a comment follow it there; 0 when anything
 * else does.  A block scalar ends with its lines: pos is a line start.
 */
static size_t line_end(const struct surg *s, size_t pos)
{
	const char *p = s->src + pos, *end = s->src + s->len;

	if (pos > s->len)
		return 0;
	if (pos && s->src[pos - 1] == '\n')
		return pos;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '#' &&
	    (p == s->src + pos || p[-1] == ' ' || p[-1] == '\t')) {
		p = memchr(p, '\n', (size_t)(end - p));
		return p ? (size_t)(p + 1 - s->src) : s->len;
	}
	if (p < end && *p == '\r')
		p++;
	if (p == end)
		return s->len;
	return *p == '\n' ? (size_t)(p + 1 - s->src) : 0;
}

/*
 * From a line start: the first byte past the indentation of the first line
 * that is neither blank nor a comment (len when there is none).
 */
static size_t next_content(const struct surg *s, size_t pos)
{
	while (pos < s->len) {
		const char *nl;
		size_t q = pos;

		while (q < s->len && (s->src[q] == ' ' || s->src[q] == '\t'))
			q++;
		if (q < s->len && s->src[q] != '#' && s->src[q] != '\n' &&
		    s->src[q] != '\r')
			return q;
		nl = memchr(s->src + q, '\n', s->len - q);
		if (!nl)
			return s->len;
		pos = (size_t)(nl + 1 - s->src);
	}
	return s->len;
}

/*
 * The entries of the original block collection o, or NULL when its text is
 * not laid out as this file expects (explicit "? key" entries, say): then
 * the collection is written anew.  new: free() it.
 */
static struct ent *entries(const struct surg *s, const struct hx_node *o)
{
	int map = o->kind == HX_MAP;
	size_t m = map ? o->u.map.n : o->u.seq.n, i, prev = 0;
	size_t col = o->col - 1;
	struct ent *e = hx_xcalloc(m, sizeof(*e));

	for (i = 0; i < m; i++) {
		struct ent *x = &e[i];

		x->key = map ? o->u.map.pairs[i].key : NULL;
		x->val = map ? o->u.map.pairs[i].value : o->u.seq.items[i];
		if (i == 0) {
			x->lead = x->line = x->start = o->start;
		} else {
			x->lead = prev;
			x->start = next_content(s, prev);
			x->line = line_start(s, x->start);
			if (x->line < prev || x->start - x->line != col)
				goto bad;
		}
		if (map ? x->key->start != x->start ||
		                    x->key->end > x->val->start
		        : s->src[x->start] != '-' || x->val->start <= x->start)
			goto bad;
		if (x->val->start > x->val->end || x->val->end > s->len)
			goto bad;
		x->xend = line_end(s, x->val->end);
		if (!x->xend)
			goto bad;
		prev = x->xend;
	}
	/*
	 * A block scalar that ends the text with no line break: a line
	 * written after it would give it one.  Written anew instead.
	 */
	if (m && s->len && s->src[s->len - 1] != '\n' &&
	    e[m - 1].xend == s->len) {
		const struct hx_node *l = last_leaf(e[m - 1].val);

		if (l->style == HX_STYLE_LITERAL || l->style == HX_STYLE_FOLDED)
			goto bad;
	}
	return e;
bad:
	free(e);
	return NULL;
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
static int column(const struct surg *s, size_t pos)
{
	return (int)(pos - line_start(s, pos));
}

static int is_empty_null(const struct hx_node *n)
{
	return n->kind == HX_SCALAR && n->style == HX_STYLE_PLAIN &&
	       !n->u.s.len && !n->tag;
}

static int coll(struct surg *s, const struct hx_node *now,
                const struct hx_node *o, int differs);

/*
 * Write what precedes entry j (x) of its collection: its comment lines,
 * its indentation.  Returns where its own text starts in src.  The first
 * entry written starts where the collection did (after "key:" and the
 * indentation, or after "- "), on a line begun by the parent.
 */
static size_t begin(struct surg *s, const struct ent *x, size_t j, int first,
                    int col)
{
	size_t p;

	if (j == 0) {
		if (!first)
			indent(s, col);
		return x->start;
	}
	if (!first) {
		put(s, x->lead, x->line);
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
	put(s, p, x->line);
	return x->line;
}

/*
 * Entry x of a collection at column col, whose value now is nv (not the
 * same as x->val): write it from `from` to the end of its last line.
 */
static void changed(struct surg *s, const struct ent *x, size_t from,
                    const struct hx_node *nv, int col)
{
	const struct hx_node *ov = x->val;
	struct hx_strbuf *sb = s->sb;
	struct hx_node t;
	int in_seq = x->key == NULL;

	if (is_block(ov) && is_block(nv) && ov->kind == nv->kind &&
	    same_tag(ov->tag, nv->tag)) {
		struct mark m = mark_here(s);

		put(s, from, ov->start);
		if (coll(s, nv, ov, 1) == 0)
			return;
		back_to(s, &m); /* its text is not laid out as entries */
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
		struct mark m = mark_here(s);

		put(s, from, ov->start);
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
			put(s, ov->end, x->xend);
			return;
		}
		back_to(s, &m);
	}
	/* anew, after the key or "-" */
	put(s, from, in_seq ? x->start + 1 : x->key->end);
	if (!in_seq)
		hx_strbuf_addch(sb, ':');
	s->guard = 0;
	hx_emit_value(sb, &t, col, in_seq, &s->style);
	fresh(s, &t, col);
}

/* Entry x, whose value now is v, written from `from` on. */
static void kept(struct surg *s, const struct ent *x, size_t from,
                 const struct hx_node *v, int col)
{
	if (same(v, x->val))
		put(s, from, x->xend);
	else
		changed(s, x, from, v, col);
}

/*
 * The i-th entry of collection o (column col), new to it: key k and value
 * v (k NULL in a list), in the quoting of o's strings (*quote: found once,
 * -1 until then).
 */
static void new_entry(struct surg *s, const struct hx_node *o,
                      const struct hx_node *k, const struct hx_node *v,
                      size_t i, int col, int *quote)
{
	struct hx_node t;

	if (*quote < 0)
		*quote = sibling_quote(o);
	if (i)
		indent(s, col);
	s->guard = 0;
	if (k)
		hx_emit_key(s->sb, k, col);
	else
		hx_strbuf_addch(s->sb, '-');
	t = restyle(v, *quote);
	hx_emit_value(s->sb, &t, col, k == NULL, &s->style);
	fresh(s, &t, col);
}

static long find_key(struct ent *e, size_t m, const struct hx_node *k,
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

static void map_body(struct surg *s, const struct hx_node *now,
                     const struct hx_node *o, struct ent *e)
{
	size_t m = o->u.map.n, i, hint = 0, mark = pos(s);
	int col = (int)o->col - 1, quote = -1;

	for (i = 0; i < now->u.map.n; i++) {
		const struct hx_node *k = now->u.map.pairs[i].key;
		const struct hx_node *v = now->u.map.pairs[i].value;
		long j = find_key(e, m, k, hint);

		end_line(s, mark);
		if (j >= 0) {
			struct ent *x = &e[j];
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
static void align(const struct hx_node *now, struct ent *e, size_t m,
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

static void seq_body(struct surg *s, const struct hx_node *now,
                     const struct hx_node *o, struct ent *e)
{
	size_t m = o->u.seq.n, n = now->u.seq.n, i, mark = pos(s);
	long *match = hx_xmalloc(n * sizeof(*match));
	int col = (int)o->col - 1, quote = -1;

	align(now, e, m, match);
	for (i = 0; i < n; i++) {
		const struct hx_node *v = now->u.seq.items[i];

		end_line(s, mark);
		if (match[i] >= 0) {
			struct ent *x = &e[match[i]];
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
static int coll(struct surg *s, const struct hx_node *now,
                const struct hx_node *o, int differs)
{
	struct ent *e;
	size_t xe = line_end(s, o->end);

	if (!xe)
		return -1;
	if (!differs && same(now, o)) {
		put(s, o->start, xe);
		return 0;
	}
	e = entries(s, o);
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
	struct surg s;
	struct mark m;
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
	xe = line_end(&s, orig->end);
	if (!xe)
		return -1;
	m = mark_here(&s);
	detect(orig, &s.style, &found);
	if (s.style.seq_indent && !(found & 1))
		s.style.step = s.style.seq_indent;
	put(&s, 0, orig->start);
	if (coll(&s, now, orig, 0) < 0) {
		back_to(&s, &m);
		return -1;
	}
	if (xe < len)
		end_line(&s, m.total);
	put(&s, xe, len);
	flush(&s);
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
