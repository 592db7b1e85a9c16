#include "hx/linediff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

size_t hx_lines_split(struct hx_line **out, const char *text, size_t len,
                      int strip_cr)
{
	size_t n = 1, i, k = 0, start = 0;
	struct hx_line *v;

	for (i = 0; i < len; i++)
		n += text[i] == '\n';
	v = hx_xcalloc(n, sizeof(*v));
	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		v[k].s = text + start;
		v[k].len = i - start;
		if (strip_cr && v[k].len && v[k].s[v[k].len - 1] == '\r')
			v[k].len--;
		k++;
		start = i + 1;
	}
	*out = v;
	return n;
}

/* The lines being compared, with a hash each to skip most memcmp. */
struct seq {
	const struct hx_line *l;
	const uint64_t *h;
	size_t n;
};

struct out {
	struct hx_drec *v;
	size_t n, alloc;
};

static uint64_t hash(const struct hx_line *l)
{
	uint64_t h = 1469598103934665603ULL;
	size_t i;

	for (i = 0; i < l->len; i++)
		h = (h ^ (unsigned char)l->s[i]) * 1099511628211ULL;
	return h;
}

static int same(const struct seq *a, size_t i, const struct seq *b, size_t j)
{
	return a->h[i] == b->h[j] && a->l[i].len == b->l[j].len &&
	       !memcmp(a->l[i].s, b->l[j].s, a->l[i].len);
}

static void emit(struct out *o, enum hx_delta d, const struct hx_line *l)
{
	hx_grow(&o->v, &o->alloc, o->n + 1, sizeof(*o->v));
	o->v[o->n].delta = d;
	o->v[o->n++].line = *l;
}

static struct seq sub(const struct seq *s, size_t from, size_t to)
{
	struct seq r = {s->l + from, s->h + from, to - from};

	return r;
}

/*
 * row[j] = LCS(a, b[0..j)) for j = 0..b->n, or with reverse set,
 * LCS(a, b[j..n)) (both walked from their ends).  row and tmp hold
 * b->n + 1 entries.
 */
static void lcs_row(size_t *row, size_t *tmp, const struct seq *a,
                    const struct seq *b, int reverse)
{
	size_t i, j, m = b->n;

	memset(row, 0, (m + 1) * sizeof(*row));
	for (i = 0; i < a->n; i++) {
		size_t ai = reverse ? a->n - 1 - i : i;

		tmp[0] = 0;
		for (j = 0; j < m; j++) {
			size_t bj = reverse ? m - 1 - j : j;

			if (same(a, ai, b, bj))
				tmp[j + 1] = row[j] + 1;
			else
				tmp[j + 1] = row[j + 1] >= tmp[j] ? row[j + 1]
				                                  : tmp[j];
		}
		memcpy(row, tmp, (m + 1) * sizeof(*row));
	}
}

/* One old line against b: matched at its last place in b, if any. */
static void one_row(struct out *o, const struct seq *a, const struct seq *b)
{
	size_t j, found = b->n;

	for (j = b->n; j-- > 0;)
		if (same(a, 0, b, j)) {
			found = j;
			break;
		}
	if (found == b->n)
		emit(o, HX_DELTA_LEFT, &a->l[0]);
	for (j = 0; j < b->n; j++)
		emit(o, j == found ? HX_DELTA_COMMON : HX_DELTA_RIGHT,
		     j == found ? &a->l[0] : &b->l[j]);
}

static void hirschberg(struct out *o, const struct seq *a, const struct seq *b)
{
	size_t i, j, mid, split = 0, best = 0, m = b->n;
	size_t *fwd, *bwd, *tmp;
	struct seq a1, a2, b1, b2;

	if (!a->n) {
		for (j = 0; j < m; j++)
			emit(o, HX_DELTA_RIGHT, &b->l[j]);
		return;
	}
	if (!m) {
		for (i = 0; i < a->n; i++)
			emit(o, HX_DELTA_LEFT, &a->l[i]);
		return;
	}
	if (a->n == 1) {
		one_row(o, a, b);
		return;
	}
	mid = a->n / 2;
	a1 = sub(a, 0, mid);
	a2 = sub(a, mid, a->n);
	fwd = hx_xcalloc(m + 1, sizeof(*fwd));
	bwd = hx_xcalloc(m + 1, sizeof(*bwd));
	tmp = hx_xcalloc(m + 1, sizeof(*tmp));
	lcs_row(fwd, tmp, &a1, b, 0);
	lcs_row(bwd, tmp, &a2, b, 1);
	/* bwd[k] is LCS(a2, the last k lines of b); the first best split */
	for (j = 0; j <= m; j++)
		if (!j || fwd[j] + bwd[m - j] > best) {
			best = fwd[j] + bwd[m - j];
			split = j;
		}
	free(fwd);
	free(bwd);
	free(tmp);
	b1 = sub(b, 0, split);
	b2 = sub(b, split, m);
	hirschberg(o, &a1, &b1);
	hirschberg(o, &a2, &b2);
}

size_t hx_linediff(struct hx_drec **out, const struct hx_line *a, size_t na,
                   const struct hx_line *b, size_t nb)
{
	struct out o = {NULL, 0, 0};
	uint64_t *ha = hx_xcalloc(na + 1, sizeof(*ha));
	uint64_t *hb = hx_xcalloc(nb + 1, sizeof(*hb));
	struct seq sa = {a, ha, na}, sb = {b, hb, nb}, ma, mb;
	size_t i, j, start = 0, end = 0;

	for (i = 0; i < na; i++)
		ha[i] = hash(&a[i]);
	for (i = 0; i < nb; i++)
		hb[i] = hash(&b[i]);
	while (start < na && start < nb && same(&sa, start, &sb, start))
		start++;
	/* as helm-diff: the common end stops short of the common start */
	for (i = na, j = nb; i > 0 && j > 0 && i - 1 > start && j - 1 > start &&
	                     same(&sa, i - 1, &sb, j - 1);
	     i--, j--)
		end++;
	for (i = 0; i < start; i++)
		emit(&o, HX_DELTA_COMMON, &a[i]);
	ma = sub(&sa, start, na - end);
	mb = sub(&sb, start, nb - end);
	if ((double)ma.n * (double)mb.n > HX_LINEDIFF_MAX_CELLS) {
		/* quadratic time past this: the middle as removed, then
		 * added, in linear time */
		for (i = 0; i < ma.n; i++)
			emit(&o, HX_DELTA_LEFT, &ma.l[i]);
		for (i = 0; i < mb.n; i++)
			emit(&o, HX_DELTA_RIGHT, &mb.l[i]);
	} else {
		hirschberg(&o, &ma, &mb);
	}
	for (i = na - end; i < na; i++)
		emit(&o, HX_DELTA_COMMON, &a[i]);
	free(ha);
	free(hb);
	*out = o.v;
	return o.n;
}

size_t hx_linediff_changes(const struct hx_drec *r, size_t n)
{
	size_t i, c = 0;

	for (i = 0; i < n; i++)
		c += r[i].delta != HX_DELTA_COMMON;
	return c;
}

static void print_one(struct hx_strbuf *sb, const struct hx_drec *r, int color)
{
	const char *pre = r->delta == HX_DELTA_RIGHT  ? "+ "
	                  : r->delta == HX_DELTA_LEFT ? "- "
	                                              : "  ";

	if (r->delta == HX_DELTA_COMMON && !r->line.len) {
		hx_strbuf_addch(sb, '\n');
		return;
	}
	if (color && r->delta != HX_DELTA_COMMON)
		hx_strbuf_adds(sb, r->delta == HX_DELTA_RIGHT ? "\033[32m"
		                                              : "\033[31m");
	hx_strbuf_adds(sb, pre);
	hx_strbuf_add(sb, r->line.s, r->line.len);
	if (color && r->delta != HX_DELTA_COMMON)
		hx_strbuf_adds(sb, "\033[0m");
	hx_strbuf_addch(sb, '\n');
}

void hx_linediff_print(struct hx_strbuf *sb, const struct hx_drec *r, size_t n,
                       int context, int color)
{
	size_t i, *dist;
	size_t far = (size_t)-1, last;
	int omitting = 0;

	if (context < 0) {
		for (i = 0; i < n; i++)
			print_one(sb, &r[i], color);
		return;
	}
	/* each record's distance to the nearest change, before or after */
	dist = hx_xcalloc(n + 1, sizeof(*dist));
	for (i = 0, last = far; i < n; i++) {
		if (r[i].delta != HX_DELTA_COMMON)
			last = i;
		dist[i] = last == far ? far : i - last;
	}
	for (i = n, last = far; i-- > 0;) {
		if (r[i].delta != HX_DELTA_COMMON)
			last = i;
		if (last != far && last - i < dist[i])
			dist[i] = last - i;
	}
	for (i = 0; i < n; i++) {
		if (dist[i] > (size_t)context) {
			if (!omitting)
				hx_strbuf_adds(sb, "...\n");
			omitting = 1;
		} else {
			omitting = 0;
			print_one(sb, &r[i], color);
		}
	}
	free(dist);
}
