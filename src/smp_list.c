/*
 * Strategic merge patch: lists (smp_merge.h) as apimachinery merges them,
 * mergeSlice with its Go slice semantics, and $setElementOrder.
 */
#include "hx/smp_merge.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/smp_order.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

/* ---- list element kinds (Go's reflect types after JSON decoding) ----- */

enum ekind { EK_NONE, EK_MAP, EK_SEQ, EK_STR, EK_NUM, EK_BOOL, EK_NULL };

static enum ekind ekind_of(const struct hx_node *n)
{
	switch (hx_node_resolve(n, NULL, NULL)) {
	case HX_TYPE_MAP:
		return EK_MAP;
	case HX_TYPE_SEQ:
		return EK_SEQ;
	case HX_TYPE_STR:
		return EK_STR;
	case HX_TYPE_INT:
	case HX_TYPE_FLOAT:
		return EK_NUM;
	case HX_TYPE_BOOL:
		return EK_BOOL;
	case HX_TYPE_NULL:
		return EK_NULL;
	}
	return EK_NONE;
}

static int elem_kind(struct hx_smp *s, enum ekind *out, const struct hx_node *a,
                     const struct hx_node *b, const struct hx_node *where)
{
	const struct hx_node *lists[2] = {a, b};
	enum ekind k = EK_NONE;
	size_t i, j;

	for (j = 0; j < 2; j++)
		for (i = 0; lists[j] && i < lists[j]->u.seq.n; i++) {
			enum ekind e = ekind_of(lists[j]->u.seq.items[i]);

			if (e == EK_SEQ) {
				hx_smp_error(
				        s, where,
				        "lists of lists are not supported");
				return -1;
			}
			if (k != EK_NONE && e != k) {
				hx_smp_error(s, where,
				             "list items are not all of "
				             "the same type");
				return -1;
			}
			k = e;
		}
	*out = k;
	return 0;
}

/* ---- arrays of nodes --------------------------------------------------- */

struct vec {
	struct hx_node **v;
	size_t n, alloc;
};

static void vec_push(struct vec *v, struct hx_node *n)
{
	hx_grow(&v->v, &v->alloc, v->n + 1, sizeof(*v->v));
	v->v[v->n++] = n;
}

static void vec_free(struct vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->alloc = 0;
}

static void vec_from_seq(struct vec *v, const struct hx_node *seq)
{
	size_t i;

	for (i = 0; seq && i < seq->u.seq.n; i++)
		vec_push(v, seq->u.seq.items[i]);
}

/*
 * A Go slice over a shared backing array.  apimachinery mutates the live
 * list in place (deleting entries shifts the backing array; appending
 * writes into its spare capacity) and later reads the same backing array
 * as "the live order"; the merged order depends on it.  Lists decoded by
 * encoding/json grow by appending, so their capacity is the next power of
 * two.
 */
struct goslice {
	struct hx_node **v; /* backing array, from the arena */
	size_t len, cap;
};

static size_t json_cap(size_t n)
{
	size_t c = 1;

	if (!n)
		return 0;
	while (c < n)
		c *= 2;
	return c;
}

static struct goslice go_new(struct hx_smp *s, size_t len, size_t cap)
{
	struct goslice g;

	g.v = cap ? hx_arena_alloc(s->a, cap * sizeof(*g.v)) : NULL;
	g.len = len;
	g.cap = cap;
	return g;
}

static struct goslice go_from_seq(struct hx_smp *s, const struct hx_node *seq)
{
	size_t n = seq ? seq->u.seq.n : 0;
	struct goslice g = go_new(s, n, json_cap(n));

	if (n)
		memcpy(g.v, seq->u.seq.items, n * sizeof(*g.v));
	return g;
}

static void go_append(struct hx_smp *s, struct goslice *g, struct hx_node *v)
{
	if (g->len == g->cap) {
		size_t cap =
		        g->cap ? (g->cap < 256 ? 2 * g->cap
		                               : g->cap + (g->cap + 768) / 4)
		               : 1;
		struct hx_node **nv = hx_arena_alloc(s->a, cap * sizeof(*nv));

		if (g->len)
			memcpy(nv, g->v, g->len * sizeof(*nv));
		g->v = nv;
		g->cap = cap;
	}
	g->v[g->len++] = v;
}

/* A vec (owned array) holding the slice's current items. */
static void vec_from_go(struct vec *v, const struct goslice *g)
{
	size_t i;

	for (i = 0; i < g->len; i++)
		vec_push(v, g->v[i]);
}

/* The merge key's value of a list item, or NULL. */
static const struct hx_node *mkv(const struct hx_node *item, const char *mk)
{
	return item->kind == HX_MAP ? hx_map_get(item, mk) : NULL;
}

/* Every item (and every order entry) must carry the merge key. */
static int check_merge_keys(struct hx_smp *s, const struct vec *items,
                            const char *mk, const char *field)
{
	size_t i;

	for (i = 0; i < items->n; i++)
		if (!mkv(items->v[i], mk)) {
			size_t mark = hx_smp_path_push_index(s, i);

			hx_smp_error(s, items->v[i],
			             "item of '%s' lacks merge key '%s'", field,
			             mk);
			hx_smp_path_pop(s, mark);
			return -1;
		}
	return 0;
}

/* apimachinery's normalizeSliceOrder: stable sort by order, with items
 * carrying "$patch: delete" moved to the end. */
static int normalize_slice(struct hx_smp *s, struct vec *v,
                           const struct vec *order, const char *mk,
                           const char *field)
{
	struct vec keep = {NULL, 0, 0}, del = {NULL, 0, 0};
	size_t i;

	if (mk) {
		if (check_merge_keys(s, v, mk, field) < 0 ||
		    check_merge_keys(s, order, mk, field) < 0)
			return -1;
		for (i = 0; i < v->n; i++) {
			const char *d = hx_smp_directive(v->v[i]);

			vec_push(d && !strcmp(d, "delete") ? &del : &keep,
			         v->v[i]);
		}
		v->n = 0;
		for (i = 0; i < keep.n; i++)
			vec_push(v, keep.v[i]);
	}
	hx_go_stable_sort(v->v, v->n, order->v, order->n, mk);
	for (i = 0; i < del.n; i++)
		vec_push(v, del.v[i]);
	vec_free(&keep);
	vec_free(&del);
	return 0;
}

/* apimachinery's mergeSortedSlice: interleave server-only items (left)
 * into patch items (right) by their positions in the live list. */
static void merge_sorted(struct vec *out, const struct vec *left,
                         const struct vec *right, const struct vec *server,
                         const char *mk)
{
	size_t i = 0, j = 0, k, size = left->n + right->n;
	struct hx_keyidx x;

	hx_keyidx_init(&x, server->v, server->n, mk);
	for (k = 0; k < size; k++) {
		if (i >= left->n) {
			vec_push(out, right->v[j++]);
		} else if (j >= right->n) {
			vec_push(out, left->v[i++]);
		} else {
			long li = hx_keyidx_find(&x, left->v[i]);
			long ri = hx_keyidx_find(&x, right->v[j]);

			if (li >= 0 && ri >= 0 && li < ri)
				vec_push(out, left->v[i++]);
			else
				vec_push(out, right->v[j++]);
		}
	}
	hx_keyidx_release(&x);
}

/* Split merged into items present in order and the rest; then sort each
 * part and interleave (normalizeElementOrder). */
static int enforce_order(struct hx_smp *s, struct vec *out,
                         const struct vec *merged,
                         const struct vec *patch_order,
                         const struct vec *server_order, const char *mk,
                         const char *field)
{
	struct vec in = {NULL, 0, 0}, rest = {NULL, 0, 0};
	struct hx_keyidx x;
	size_t i;
	int rc = -1;

	if (mk && check_merge_keys(s, merged, mk, field) < 0)
		return -1;
	hx_keyidx_init(&x, patch_order->v, patch_order->n, mk);
	for (i = 0; i < merged->n; i++)
		vec_push(hx_keyidx_find(&x, merged->v[i]) >= 0 ? &in : &rest,
		         merged->v[i]);
	hx_keyidx_release(&x);
	if (normalize_slice(s, &in, patch_order, mk, field) < 0 ||
	    normalize_slice(s, &rest, server_order, mk, field) < 0)
		goto out;
	merge_sorted(out, &rest, &in, server_order, mk);
	rc = 0;
out:
	vec_free(&in);
	vec_free(&rest);
	return rc;
}

static struct hx_node *
seq_from_vec(struct hx_smp *s, const struct hx_node *like, const struct vec *v)
{
	struct hx_node *seq = hx_node_new_seq(s->a);
	size_t i;

	if (like) {
		seq->file = like->file;
		seq->line = like->line;
		seq->col = like->col;
		seq->flow = like->flow;
	}
	for (i = 0; i < v->n; i++)
		hx_seq_append(s->a, seq, v->v[i]);
	return seq;
}

/* Go's deduplicateScalars, in place on the slice (order matters later). */
static void go_dedupe(struct goslice *g)
{
	long length = (long)g->len - 1, i, j;

	for (i = 0; i < length; i++)
		for (j = i + 1; j <= length; j++)
			if (hx_node_equal(g->v[i], g->v[j])) {
				g->v[j] = g->v[length];
				g->len = (size_t)length;
				length--;
				j--;
			}
}

/*
 * apimachinery's mergeSlice.  orig is the live list as a Go slice whose
 * backing array the caller may read again afterwards; *out is a new list.
 * field names the list in messages.
 */
static int merge_slice(struct hx_smp *s, struct vec *out, struct goslice orig,
                       const struct hx_node *patch, struct hx_stype items,
                       const char *mk, int delete_list, const char *field)
{
	struct vec plain = {NULL, 0, 0}, server = {NULL, 0, 0},
	           merged = {NULL, 0, 0}, pl = {NULL, 0, 0};
	struct goslice work;
	struct hx_keyidx live = {0}, mine = {0};
	enum ekind kind;
	struct hx_node origseq;
	size_t i, j, np = patch->u.seq.n, *at = NULL;
	int rc = -1, replace = 0;

	if (!orig.len && !np)
		return 0;
	memset(&origseq, 0, sizeof(origseq));
	origseq.kind = HX_SEQ;
	origseq.u.seq.items = orig.v;
	origseq.u.seq.n = orig.len;
	if (elem_kind(s, &kind, &origseq, patch, patch) < 0)
		return -1;
	if (kind != EK_MAP) {
		if (delete_list) {
			for (i = 0; i < orig.len; i++) {
				for (j = 0; j < np; j++)
					if (hx_node_equal(
					            orig.v[i],
					            patch->u.seq.items[j]))
						break;
				if (j == np)
					vec_push(out, orig.v[i]);
			}
			return 0;
		}
		/* both := append(original, patch...) shares the backing array
		 * when it has room; the dedupe then reorders it in place */
		if (orig.len + np <= orig.cap) {
			work = orig;
		} else {
			work = go_new(s, orig.len, orig.len + np);
			if (orig.len)
				memcpy(work.v, orig.v,
				       orig.len * sizeof(*work.v));
		}
		for (i = 0; i < np; i++)
			work.v[work.len++] =
			        hx_node_copy(s->a, patch->u.seq.items[i]);
		go_dedupe(&work);
		vec_from_go(&merged, &work);
		vec_from_seq(&pl, patch);
		vec_from_go(&server, &orig);
		rc = enforce_order(s, out, &merged, &pl, &server, NULL, field);
		goto done;
	}
	if (!mk) {
		hx_smp_error(s, patch,
		             "cannot merge list '%s' without a merge key",
		             field);
		return -1;
	}
	work = orig;
	for (i = 0; i < np; i++) {
		const struct hx_node *p = patch->u.seq.items[i];
		const char *d = hx_smp_directive(p);
		size_t mark = hx_smp_path_push_index(s, i);

		if (!d || !strcmp(d, "merge")) {
			vec_push(&plain, (struct hx_node *)(uintptr_t)p);
		} else if (!strcmp(d, "delete")) {
			const struct hx_node *v = mkv(p, mk);

			if (!v) {
				hx_smp_error(
				        s, p,
				        "item of '%s' lacks merge key '%s'",
				        field, mk);
				hx_smp_path_pop(s, mark);
				goto done;
			}
			/* append(original[:k], original[k+1:]...) */
			for (j = 0; j < work.len;) {
				const struct hx_node *ov = mkv(work.v[j], mk);

				if (ov && hx_node_equal(ov, v)) {
					memmove(&work.v[j], &work.v[j + 1],
					        (work.len - j - 1) *
					                sizeof(*work.v));
					work.len--;
					j = 0;
				} else {
					j++;
				}
			}
		} else {
			/* "replace": check_patch_values took the rest */
			replace = 1;
		}
		hx_smp_path_pop(s, mark);
	}
	if (replace) {
		work = go_new(s, 0, 0);
		for (i = 0; i < plain.n; i++)
			go_append(s, &work, hx_smp_strip(s, plain.v[i], 0));
		plain.n = 0;
	}
	/* the live order: after deletions, before additions */
	vec_from_go(&server, &work);
	/*
	 * Each patch item goes to the first item of work with its merge key
	 * (Go's index()): a live one, found through an index of the live
	 * items, else one this loop appended for an earlier patch item of
	 * that key, found through an index of the patch's items.  Linear in
	 * both lists.
	 */
	hx_keyidx_init(&live, server.v, server.n, mk);
	hx_keyidx_init(&mine, plain.v, plain.n, mk);
	at = hx_xcalloc(plain.n ? plain.n : 1, sizeof(*at));
	for (i = 0; i < plain.n; i++) {
		const struct hx_node *p = plain.v[i];
		size_t mark = hx_smp_path_push_index(s, i);
		long f;

		if (!mkv(p, mk)) {
			hx_smp_error(s, p, "item of '%s' lacks merge key '%s'",
			             field, mk);
			hx_smp_path_pop(s, mark);
			goto done;
		}
		f = hx_keyidx_find(&live, p);
		if (f < 0) {
			/* an item appended for an earlier patch item */
			f = hx_keyidx_find(&mine, p);
			f = f >= 0 && (size_t)f < i ? (long)at[f] : -1;
		}
		if (f >= 0) {
			at[i] = (size_t)f;
			if (s->merge_map(s, &work.v[f], p, items) < 0) {
				hx_smp_path_pop(s, mark);
				goto done;
			}
		} else {
			at[i] = work.len;
			go_append(s, &work, hx_smp_strip(s, p, 0));
		}
		hx_smp_path_pop(s, mark);
	}
	vec_from_go(&merged, &work);
	rc = enforce_order(s, out, &merged, &plain, &server, mk, field);
done:
	hx_keyidx_release(&live);
	hx_keyidx_release(&mine);
	free(at);
	vec_free(&plain);
	vec_free(&server);
	vec_free(&merged);
	vec_free(&pl);
	return rc;
}

/*
 * mergeSliceHandler: merge when the strategy says so, else take the patch.
 * A $deleteFromPrimitiveList list deletes whatever the strategy.  *raw is
 * set when out holds the patch's own items (not yet stripped).
 */
static int merge_list_field(struct hx_smp *s, struct vec *out,
                            struct goslice orig, const struct hx_node *patch,
                            const struct hx_smeta *meta, struct hx_stype ft,
                            int delete_list, const char *field, int *raw)
{
	*raw = 0;
	if ((meta->strategy & HX_STRAT_MERGE) || delete_list)
		return merge_slice(s, out, orig, patch, hx_stype_items(ft),
		                   meta->merge_key, delete_list, field);
	vec_from_seq(out, patch);
	*raw = 1;
	return 0;
}

/* validatePatchWithSetOrderList */
static int check_set_order(struct hx_smp *s, const struct hx_node *patch_list,
                           const struct hx_node *order, const char *mk,
                           const char *field, const struct hx_node *where)
{
	size_t pi = 0, si = 0;
	struct vec nd = {NULL, 0, 0};
	size_t i;
	int rc = 0;

	if (!patch_list || !order->u.seq.n || !patch_list->u.seq.n)
		return 0;
	for (i = 0; i < patch_list->u.seq.n; i++) {
		const struct hx_node *p = patch_list->u.seq.items[i];
		const char *d = mk ? hx_smp_directive(p) : NULL;

		if (mk && p->kind != HX_MAP) {
			hx_smp_error(s, p, "item of '%s' is not a mapping",
			             field);
			vec_free(&nd);
			return -1;
		}
		if (!d || strcmp(d, "delete"))
			vec_push(&nd, (struct hx_node *)(uintptr_t)p);
	}
	while (pi < nd.n && si < order->u.seq.n) {
		const struct hx_node *p = nd.v[pi];
		const struct hx_node *o = order->u.seq.items[si];
		int eq;

		if (hx_smp_directive(p)) {
			pi++;
			continue;
		}
		if (mk) {
			const struct hx_node *a = mkv(p, mk), *b = mkv(o, mk);

			if (!a || !b) {
				hx_smp_error(
				        s, a ? o : p,
				        "item of '%s' lacks merge key '%s'",
				        field, mk);
				rc = -1;
				break;
			}
			eq = hx_node_equal(a, b);
		} else {
			eq = hx_node_equal(p, o);
		}
		if (eq)
			pi++;
		si++;
	}
	if (!rc && pi < nd.n && si >= order->u.seq.n) {
		hx_smp_error(s, where,
		             "the order of '%s' in the patch doesn't match "
		             "'$setElementOrder/%s'",
		             field, field);
		rc = -1;
	}
	vec_free(&nd);
	return rc;
}

/* Is n one of the items of list? */
static int is_item_of(const struct hx_node *n, const struct hx_node *list)
{
	size_t i;

	for (i = 0; list && i < list->u.seq.n; i++)
		if (list->u.seq.items[i] == n)
			return 1;
	return 0;
}

/* apimachinery's mergePatchIntoOriginal for one $setElementOrder list. */
int hx_smp_set_element_order(struct hx_smp *s, struct hx_node *orig,
                             const struct hx_node *patch, size_t idx,
                             struct hx_stype t, unsigned char *done)
{
	const struct hx_pair *pair = &patch->u.map.pairs[idx];
	const char *field = pair->key->u.s.str + strlen(HX_SMP_SEO);
	size_t flen = pair->key->u.s.len - strlen(HX_SMP_SEO);
	const struct hx_node *order = pair->value, *ol, *pl;
	struct vec m = {NULL, 0, 0}, live = {NULL, 0, 0}, ord = {NULL, 0, 0},
	           res = {NULL, 0, 0};
	struct goslice backing;
	struct hx_smeta meta;
	struct hx_stype ft;
	enum ekind kind;
	struct hx_node *seq;
	long pidx;
	size_t mark, i;
	int rc = -1, raw = 0;

	if (order->kind != HX_SEQ) {
		hx_smp_error(s, order, "'%s' must be a list",
		             pair->key->u.s.str);
		return -1;
	}
	ol = hx_map_getn(orig, field, flen);
	pidx = hx_map_index(patch, field, flen);
	pl = pidx >= 0 ? patch->u.map.pairs[pidx].value : NULL;
	if (pl && hx_node_is_null(pl))
		return 0; /* the list is deleted: nothing to order */
	if ((ol && ol->kind != HX_SEQ) || (pl && pl->kind != HX_SEQ)) {
		hx_smp_error(s, order, "'%.*s' is not a list", (int)flen,
		             field);
		return -1;
	}
	if (!ol && !pl)
		return 0;
	mark = hx_smp_path_push(s, field, flen);
	ft = hx_stype_field(t, field, flen, &meta);
	if (check_set_order(s, pl, order, meta.merge_key, field, order) < 0)
		goto out;
	backing = go_from_seq(s, ol);
	if (ol && pl) {
		char *f = hx_xstrndup(field, flen);

		rc = merge_list_field(s, &m, backing, pl, &meta, ft, 0, f,
		                      &raw);
		free(f);
		if (rc < 0)
			goto out;
		rc = -1;
	} else if (pl) {
		vec_from_seq(&m, pl);
		raw = 1;
	} else {
		vec_from_go(&m, &backing);
	}
	if (elem_kind(s, &kind, ol, pl, order) < 0)
		goto out;
	/* the live list as the backing array shows it now */
	for (i = 0; ol && i < ol->u.seq.n; i++)
		vec_push(&live, backing.v[i]);
	vec_from_seq(&ord, order);
	if (enforce_order(s, &res, &m, &ord, &live,
	                  kind == EK_MAP ? meta.merge_key : NULL, field) < 0)
		goto out;
	seq = hx_node_new_seq(s->a);
	if (ol) {
		seq->file = ol->file;
		seq->line = ol->line;
		seq->col = ol->col;
		seq->flow = ol->flow;
	}
	for (i = 0; i < res.n; i++) {
		struct hx_node *it = res.v[i];

		if (raw && is_item_of(it, pl)) {
			const char *d = hx_smp_directive(it);

			if (d && !strcmp(d, "delete"))
				continue;
			it = hx_smp_strip(s, it, 0);
		}
		hx_seq_append(s->a, seq, it);
	}
	hx_map_set(s->a, orig, field, flen, seq);
	if (pidx >= 0)
		done[pidx] = 1;
	rc = 0;
out:
	hx_smp_path_pop(s, mark);
	vec_free(&m);
	vec_free(&live);
	vec_free(&ord);
	vec_free(&res);
	return rc;
}

int hx_smp_merge_list(struct hx_smp *s, struct hx_node **out,
                      const struct hx_node *orig, const struct hx_node *patch,
                      const struct hx_smeta *meta, struct hx_stype ft,
                      int delete_list, const char *field)
{
	struct vec items = {NULL, 0, 0};
	int raw, rc;

	rc = merge_list_field(s, &items, go_from_seq(s, orig), patch, meta, ft,
	                      delete_list, field, &raw);
	if (!rc)
		*out = raw ? hx_smp_strip(s, patch, 0)
		           : seq_from_vec(s, orig, &items);
	vec_free(&items);
	return rc;
}
