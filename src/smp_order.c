#include "hx/smp_order.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hx/node.h"
#include "hx/util.h"

#include "hx/banned.h"

/* The merge key's value of a list item, or NULL. */
static const struct hx_node *mkv(const struct hx_node *item, const char *mk)
{
	return item->kind == HX_MAP ? hx_map_get(item, mk) : NULL;
}

static uint64_t mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 33);
}

static uint64_t hash_bytes(const char *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

/*
 * A hash that agrees with hx_node_equal: equal nodes hash alike (numbers
 * by their double value, since 1 == 1.0; maps whatever their key order).
 */
static uint64_t hash_node(const struct hx_node *n)
{
	long long iv = 0;
	double fv = 0;
	uint64_t h, bits;
	size_t i;

	switch (hx_node_resolve(n, &iv, &fv)) {
	case HX_TYPE_NULL:
		return 1;
	case HX_TYPE_BOOL:
		return 2 + (uint64_t)iv;
	case HX_TYPE_INT:
		fv = (double)iv;
		/* fall through */
	case HX_TYPE_FLOAT:
		if (fv == 0)
			fv = 0; /* -0.0 == 0.0 */
		if (fv != fv)
			return 3;
		memcpy(&bits, &fv, sizeof(bits));
		return mix(bits);
	case HX_TYPE_STR:
		return hash_bytes(n->u.s.str, n->u.s.len);
	case HX_TYPE_SEQ:
		h = 4;
		for (i = 0; i < n->u.seq.n; i++)
			h = mix(h ^ hash_node(n->u.seq.items[i]));
		return h;
	case HX_TYPE_MAP:
		h = 5 + n->u.map.n;
		for (i = 0; i < n->u.map.n; i++) {
			const struct hx_node *k = n->u.map.pairs[i].key;

			if (k->kind == HX_SCALAR)
				h += mix(hash_bytes(k->u.s.str, k->u.s.len) ^
				         hash_node(n->u.map.pairs[i].value));
		}
		return h;
	}
	return 0;
}

/* An item's hash for the index: its merge key's, or its own. */
static uint64_t item_hash(const struct hx_node *item, const char *mk)
{
	const struct hx_node *k = mk ? mkv(item, mk) : item;

	return k ? hash_node(k) : 0; /* 0: no merge key */
}

/* Lists this short are scanned: a table would cost more. */
#define KEYIDX_MIN 8

void hx_keyidx_init(struct hx_keyidx *x, struct hx_node *const *v, size_t n,
                    const char *mk)
{
	size_t i, *tail;

	x->v = v;
	x->n = n;
	x->mk = mk;
	x->nb = 0;
	x->head = x->next = NULL;
	x->hash = NULL;
	if (n <= KEYIDX_MIN)
		return;
	x->nb = 16;
	while (x->nb < 2 * n)
		x->nb *= 2;
	x->head = hx_xmalloc(x->nb * sizeof(*x->head));
	tail = hx_xmalloc(x->nb * sizeof(*tail));
	x->next = hx_xmalloc((n + 1) * sizeof(*x->next));
	x->hash = hx_xmalloc((n + 1) * sizeof(*x->hash));
	for (i = 0; i < x->nb; i++)
		x->head[i] = tail[i] = (size_t)-1;
	for (i = 0; i < n; i++) {
		size_t b;

		x->hash[i] = item_hash(v[i], mk);
		b = (size_t)x->hash[i] & (x->nb - 1);
		x->next[i] = (size_t)-1;
		if (tail[b] == (size_t)-1)
			x->head[b] = i;
		else
			x->next[tail[b]] = i;
		tail[b] = i;
	}
	free(tail);
}

void hx_keyidx_release(struct hx_keyidx *x)
{
	free(x->head);
	free(x->next);
	free(x->hash);
}

long hx_keyidx_find(const struct hx_keyidx *x, const struct hx_node *item)
{
	const struct hx_node *a = x->mk ? mkv(item, x->mk) : item;
	uint64_t h;
	size_t i;

	if (!x->nb) {
		for (i = 0; i < x->n; i++) {
			const struct hx_node *b =
			        x->mk ? mkv(x->v[i], x->mk) : x->v[i];

			if ((!a && !b) || (a && b && hx_node_equal(a, b)))
				return (long)i;
		}
		return -1;
	}
	h = item_hash(item, x->mk);

	for (i = x->head[(size_t)h & (x->nb - 1)]; i != (size_t)-1;
	     i = x->next[i]) {
		const struct hx_node *b;

		if (x->hash[i] != h)
			continue;
		b = x->mk ? mkv(x->v[i], x->mk) : x->v[i];
		if ((!a && !b) || (a && b && hx_node_equal(a, b)))
			return (long)i;
	}
	return -1;
}

/*
 * Go's sort.SliceStable (insertion sort on blocks of 20, then SymMerge),
 * replayed exactly: apimachinery's comparator is not a strict order when an
 * item is missing from the order list, so only the same algorithm gives the
 * same result.
 */
struct sorter {
	struct hx_node **v;
	long *ix; /* each item's index in the order list, or -1 */
};

static int s_less(const struct sorter *st, size_t i, size_t j)
{
	return st->ix[i] < 0 || st->ix[j] < 0 || st->ix[i] < st->ix[j];
}

static void s_swap(struct sorter *st, size_t i, size_t j)
{
	struct hx_node *t = st->v[i];
	long x = st->ix[i];

	st->v[i] = st->v[j];
	st->v[j] = t;
	st->ix[i] = st->ix[j];
	st->ix[j] = x;
}

static void insertion_sort(struct sorter *st, size_t a, size_t b)
{
	size_t i, j;

	for (i = a + 1; i < b; i++)
		for (j = i; j > a && s_less(st, j, j - 1); j--)
			s_swap(st, j, j - 1);
}

static void swap_range(struct sorter *st, size_t a, size_t b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		s_swap(st, a + i, b + i);
}

static void rotate(struct sorter *st, size_t a, size_t m, size_t b)
{
	size_t i = m - a, j = b - m;

	while (i != j) {
		if (i > j) {
			swap_range(st, m - i, m, j);
			i -= j;
		} else {
			swap_range(st, m - i, m + j - i, i);
			j -= i;
		}
	}
	swap_range(st, m - i, m, i);
}

static void sym_merge(struct sorter *st, size_t a, size_t m, size_t b)
{
	size_t i, j, k, mid, n, start, r, p, end;

	if (m - a == 1) {
		i = m;
		j = b;
		while (i < j) {
			size_t h = (i + j) / 2;

			if (s_less(st, h, a))
				i = h + 1;
			else
				j = h;
		}
		for (k = a; k + 1 < i; k++)
			s_swap(st, k, k + 1);
		return;
	}
	if (b - m == 1) {
		i = a;
		j = m;
		while (i < j) {
			size_t h = (i + j) / 2;

			if (!s_less(st, m, h))
				i = h + 1;
			else
				j = h;
		}
		for (k = m; k > i; k--)
			s_swap(st, k, k - 1);
		return;
	}
	mid = (a + b) / 2;
	n = mid + m;
	if (m > mid) {
		start = n - b;
		r = mid;
	} else {
		start = a;
		r = m;
	}
	p = n - 1;
	while (start < r) {
		size_t c = (start + r) / 2;

		if (!s_less(st, p - c, c))
			start = c + 1;
		else
			r = c;
	}
	end = n - start;
	if (start < m && m < end)
		rotate(st, start, m, end);
	if (a < start && start < mid)
		sym_merge(st, a, start, mid);
	if (mid < end && end < b)
		sym_merge(st, mid, end, b);
}

void hx_go_stable_sort(struct hx_node **v, size_t n,
                       struct hx_node *const *order, size_t norder,
                       const char *mk)
{
	struct sorter st = {v, hx_xmalloc((n + 1) * sizeof(long))};
	struct hx_keyidx x;
	size_t block = 20, a, b;

	/* each item's place in the order, looked up once */
	hx_keyidx_init(&x, order, norder, mk);
	for (a = 0; a < n; a++)
		st.ix[a] = hx_keyidx_find(&x, v[a]);
	hx_keyidx_release(&x);

	for (a = 0, b = block; b <= n; a = b, b += block)
		insertion_sort(&st, a, b);
	insertion_sort(&st, a, n);
	while (block < n) {
		for (a = 0, b = 2 * block; b <= n; a = b, b += 2 * block)
			sym_merge(&st, a, a + block, b);
		if (a + block < n)
			sym_merge(&st, a, a + block, n);
		block *= 2;
	}
	free(st.ix);
}
