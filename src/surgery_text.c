/*
 * The surgical writer's output and its reading of the source
 * (surgery_text.h): pieces, marks to go back to, lines, entries.
 */
#include "hx/surgery_text.h"

#include <stdlib.h>
#include <string.h>

#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

void hx_surg_push(struct hx_surg *s, size_t off, size_t len, int fresh)
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
void hx_surg_flush(struct hx_surg *s)
{
	size_t n = s->sb->len - s->flushed;

	hx_surg_push(s, s->flushed, n, 1);
	s->flushed = s->sb->len;
}

/* src[a, a + n) goes out as it is. */
void hx_surg_copy(struct hx_surg *s, size_t a, size_t n)
{
	hx_surg_flush(s);
	hx_surg_push(s, a, n, 0);
}

/* Bytes written so far. */
size_t hx_surg_pos(const struct hx_surg *s)
{
	return s->total + s->sb->len - s->flushed;
}

/* The last byte written, or -1. */
int hx_surg_last_byte(const struct hx_surg *s)
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

struct hx_surg_mark hx_surg_mark_here(const struct hx_surg *s)
{
	struct hx_surg_mark m;

	m.n = s->o->n;
	m.last_len = m.n ? s->o->p[m.n - 1].len : 0;
	m.fresh = s->sb->len;
	m.flushed = s->flushed;
	m.total = s->total;
	return m;
}

void hx_surg_back_to(struct hx_surg *s, const struct hx_surg_mark *m)
{
	s->o->n = m->n;
	if (m->n)
		s->o->p[m->n - 1].len = m->last_len;
	s->sb->len = m->fresh;
	s->sb->buf[m->fresh] = '\0';
	s->flushed = m->flushed;
	s->total = m->total;
}

void hx_surg_put(struct hx_surg *s, size_t a, size_t b)
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
				hx_surg_copy(s, q, le - q);
		} else if (s->src[q] == '#') {
			if (q - a >= (size_t)s->guard) {
				hx_strbuf_addchars(s->sb, ' ',
				                   (size_t)s->guard - 1);
				hx_surg_copy(s, q, le - q);
			} else {
				hx_surg_copy(s, a, le - a);
			}
		} else {
			s->guard = 0; /* content: the lines before have ended */
			break;
		}
		a = le;
	}
	if (b > a)
		hx_surg_copy(s, a, b - a);
}

/* A block collection's last value, and so on down. */
const struct hx_node *hx_surg_last_leaf(const struct hx_node *n)
{
	while (n->kind == HX_MAP ? n->u.map.n > 0
	                         : n->kind == HX_SEQ && n->u.seq.n > 0)
		n = n->kind == HX_MAP ? n->u.map.pairs[n->u.map.n - 1].value
		                      : n->u.seq.items[n->u.seq.n - 1];
	return n;
}

/* Lines written anew for v in a collection at column col: guard them. */
void hx_surg_fresh(struct hx_surg *s, const struct hx_node *v, int col)
{
	const struct hx_node *l = hx_surg_last_leaf(v);

	/* only a block scalar reads the lines after it */
	if (l->style != HX_STYLE_LITERAL && l->style != HX_STYLE_FOLDED)
		return;
	s->guard = col + 1;
	s->keep = l->u.s.len >= 2 && l->u.s.str[l->u.s.len - 1] == '\n' &&
	          l->u.s.str[l->u.s.len - 2] == '\n';
}

void hx_surg_indent(struct hx_surg *s, int col)
{
	hx_strbuf_addchars(s->sb, ' ', (size_t)col);
}

/* A line written since mark that is not ended yet gets its line break. */
void hx_surg_end_line(struct hx_surg *s, size_t mark)
{
	if (hx_surg_pos(s) > mark && hx_surg_last_byte(s) != '\n')
		hx_strbuf_addch(s->sb, '\n');
}

size_t hx_surg_line_start(const struct hx_surg *s, size_t pos)
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
size_t hx_surg_line_end(const struct hx_surg *s, size_t pos)
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
size_t hx_surg_next_content(const struct hx_surg *s, size_t pos)
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
struct hx_surg_ent *hx_surg_entries(const struct hx_surg *s,
                                    const struct hx_node *o)
{
	int map = o->kind == HX_MAP;
	size_t m = map ? o->u.map.n : o->u.seq.n, i, prev = 0;
	size_t col = o->col - 1;
	struct hx_surg_ent *e = hx_xcalloc(m, sizeof(*e));

	for (i = 0; i < m; i++) {
		struct hx_surg_ent *x = &e[i];

		x->key = map ? o->u.map.pairs[i].key : NULL;
		x->val = map ? o->u.map.pairs[i].value : o->u.seq.items[i];
		if (i == 0) {
			x->lead = x->line = x->start = o->start;
		} else {
			x->lead = prev;
			x->start = hx_surg_next_content(s, prev);
			x->line = hx_surg_line_start(s, x->start);
			if (x->line < prev || x->start - x->line != col)
				goto bad;
		}
		if (map ? x->key->start != x->start ||
		                    x->key->end > x->val->start
		        : s->src[x->start] != '-' || x->val->start <= x->start)
			goto bad;
		if (x->val->start > x->val->end || x->val->end > s->len)
			goto bad;
		x->xend = hx_surg_line_end(s, x->val->end);
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
		const struct hx_node *l = hx_surg_last_leaf(e[m - 1].val);

		if (l->style == HX_STYLE_LITERAL || l->style == HX_STYLE_FOLDED)
			goto bad;
	}
	return e;
bad:
	free(e);
	return NULL;
}
