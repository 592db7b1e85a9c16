/*
 * The object an upgrade leaves in the cluster (smp.h, hx_smp_threeway):
 * apimachinery's three-way strategic merge patch, built from the release's
 * manifest (original), the new manifest (modified) and the live object
 * (current) as Helm 3's client builds it, then applied to current as the
 * API server applies it.  The patch is built in two parts, as
 * CreateThreeWayMergePatch does: the deletions (what original had and
 * modified has not) and the delta (what modified sets that current does
 * not hold), merged into one patch.
 */
#include "hx/smp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

struct tw {
	struct hx_arena *a;
	/* 1: the deletions part (apimachinery's IgnoreChangesAndAdditions);
	 * 0: the delta part (IgnoreDeletions) */
	int deletions;
};

/* Go's reflect types of JSON-decoded values. */
enum jtype { J_NULL, J_BOOL, J_NUM, J_STR, J_SEQ, J_MAP };

static enum jtype jtype_of(const struct hx_node *n)
{
	if (n->kind == HX_MAP)
		return J_MAP;
	if (n->kind == HX_SEQ)
		return J_SEQ;
	switch (hx_node_resolve(n, NULL, NULL)) {
	case HX_TYPE_NULL:
		return J_NULL;
	case HX_TYPE_BOOL:
		return J_BOOL;
	case HX_TYPE_INT:
	case HX_TYPE_FLOAT:
		return J_NUM;
	default:
		return J_STR;
	}
}

/* A plain scalar: "null" is null, "delete" a string. */
static struct hx_node *scalar(struct tw *w, const char *s)
{
	return hx_node_new_scalar(w->a, s, strlen(s), HX_STYLE_PLAIN);
}

static void set(struct tw *w, struct hx_node *map, const char *key, size_t len,
                struct hx_node *v)
{
	hx_map_set(w->a, map, key, len, v);
}

/* null for each key of o that m lacks: deletes it. */
static void null_missing(struct tw *w, struct hx_node *patch,
                         const struct hx_node *o, const struct hx_node *m)
{
	size_t i;

	for (i = 0; i < o->u.map.n; i++) {
		const struct hx_node *k = o->u.map.pairs[i].key;

		if (k->kind == HX_SCALAR &&
		    !hx_map_getn(m, k->u.s.str, k->u.s.len))
			set(w, patch, k->u.s.str, k->u.s.len,
			    scalar(w, "null"));
	}
}

/* "$setElementOrder/KEY" and its kin. */
static void set_directive(struct tw *w, struct hx_node *map, const char *prefix,
                          const struct hx_node *key, struct hx_node *v)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_addf(&sb, "%s/%.*s", prefix, (int)key->u.s.len, key->u.s.str);
	set(w, map, sb.buf, sb.len, v);
	hx_strbuf_release(&sb);
}

/*
 * A scalar as Go's fmt %v prints the decoded value: how apimachinery sorts
 * and pairs list items.  Into buf (a string's own text is returned).
 */
static const char *go_text(const struct hx_node *n, char *buf, size_t size)
{
	long long iv;
	double fv;

	if (!n)
		return "<nil>";
	if (n->kind != HX_SCALAR)
		return "map[...]";
	switch (hx_node_resolve(n, &iv, &fv)) {
	case HX_TYPE_NULL:
		return "<nil>";
	case HX_TYPE_BOOL: {
		char c = n->u.s.str[0];

		return c == 't' || c == 'T' || c == 'y' || c == 'Y' ||
		                       ((c == 'o' || c == 'O') &&
		                        (n->u.s.str[1] == 'n' ||
		                         n->u.s.str[1] == 'N'))
		               ? "true"
		               : "false";
	}
	case HX_TYPE_INT:
		snprintf(buf, size, "%lld", iv);
		return buf;
	case HX_TYPE_FLOAT:
		snprintf(buf, size, "%.17g", fv);
		return buf;
	default:
		return n->u.s.str;
	}
}

static int same_text(const struct hx_node *x, const struct hx_node *y)
{
	char b1[40], b2[40];

	return !strcmp(go_text(x, b1, sizeof(b1)), go_text(y, b2, sizeof(b2)));
}

static struct hx_node *diff_maps(struct tw *w, const struct hx_node *o,
                                 const struct hx_node *m, struct hx_stype t,
                                 int retain);

/* ---- lists with the merge strategy ----------------------------------- */

struct lists {
	struct hx_node *add, *del, *order; /* patch, parallel lists; or NULL */
};

static int is_map_list(const struct hx_node *o, const struct hx_node *m)
{
	const struct hx_node *first =
	        o->u.seq.n ? o->u.seq.items[0] : m->u.seq.items[0];

	return first->kind == HX_MAP;
}

/* 1 when every item of both lists has the same Go type (and none is a
 * list): apimachinery refuses other lists (sliceElementType). */
static int uniform(const struct hx_node *o, const struct hx_node *m)
{
	enum jtype want =
	        jtype_of(o->u.seq.n ? o->u.seq.items[0] : m->u.seq.items[0]);
	size_t i;

	if (want == J_SEQ)
		return 0;
	for (i = 0; i < o->u.seq.n; i++)
		if (jtype_of(o->u.seq.items[i]) != want)
			return 0;
	for (i = 0; i < m->u.seq.n; i++)
		if (jtype_of(m->u.seq.items[i]) != want)
			return 0;
	return 1;
}

/* Lists of maps merged by mk (diffListsOfMaps and its order list). */
static int diff_map_lists(struct tw *w, struct lists *out,
                          const struct hx_node *o, const struct hx_node *m,
                          struct hx_stype it, const char *mk, int retain)
{
	size_t i, j, no = o->u.seq.n, nm = m->u.seq.n;
	char *used = hx_xcalloc(no ? no : 1, 1);
	struct hx_node *patch = hx_node_new_seq(w->a);
	int order_same = no == nm;

	for (i = 0; i < no; i++)
		if (!hx_map_get(o->u.seq.items[i], mk))
			goto no_key;
	for (i = 0; i < nm; i++)
		if (!hx_map_get(m->u.seq.items[i], mk))
			goto no_key;
	for (i = 0; i < nm; i++) {
		const struct hx_node *mi = m->u.seq.items[i];
		const struct hx_node *mv = hx_map_get(mi, mk);

		if (order_same &&
		    !same_text(hx_map_get(o->u.seq.items[i], mk), mv))
			order_same = 0;
		for (j = 0; j < no; j++)
			if (!used[j] &&
			    same_text(hx_map_get(o->u.seq.items[j], mk), mv))
				break;
		if (j < no) {
			struct hx_node *sub;

			used[j] = 1;
			sub = diff_maps(w, o->u.seq.items[j], mi, it, retain);
			if (!sub) {
				free(used);
				return -1;
			}
			if (sub->u.map.n) {
				set(w, sub, mk, strlen(mk),
				    hx_node_clone(w->a, mv));
				hx_seq_append(w->a, patch, sub);
			}
		} else if (!w->deletions) {
			hx_seq_append(w->a, patch, hx_node_clone(w->a, mi));
		}
	}
	if (w->deletions)
		for (j = 0; j < no; j++) {
			struct hx_node *d;

			if (used[j])
				continue;
			d = hx_node_new_map(w->a);
			set(w, d, mk, strlen(mk),
			    hx_node_clone(w->a,
			                  hx_map_get(o->u.seq.items[j], mk)));
			set(w, d, "$patch", 6, scalar(w, "delete"));
			hx_seq_append(w->a, patch, d);
		}
	free(used);
	if (patch->u.seq.n)
		out->add = patch;
	if (nm && (patch->u.seq.n || (!w->deletions && !order_same))) {
		out->order = hx_node_new_seq(w->a);
		for (i = 0; i < nm; i++) {
			struct hx_node *k = hx_node_new_map(w->a);

			set(w, k, mk, strlen(mk),
			    hx_node_clone(w->a,
			                  hx_map_get(m->u.seq.items[i], mk)));
			hx_seq_append(w->a, out->order, k);
		}
	}
	return 0;
no_key:
	free(used);
	hx_error_set("a list item has no '%s', the key the list merges by", mk);
	return -1;
}

static int cmp_text(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The items' %v texts, sorted (sortScalars); texts live in bufs. */
static const char **sorted_texts(const struct hx_node *l, char (*bufs)[40])
{
	const char **v = hx_xcalloc(l->u.seq.n ? l->u.seq.n : 1, sizeof(*v));
	size_t i;

	for (i = 0; i < l->u.seq.n; i++)
		v[i] = go_text(l->u.seq.items[i], bufs[i], sizeof(bufs[i]));
	if (l->u.seq.n > 1)
		qsort(v, l->u.seq.n, sizeof(*v), cmp_text);
	return v;
}

/* The item of l whose %v text is s. */
static const struct hx_node *item_with_text(const struct hx_node *l,
                                            const char *s)
{
	char b[40];
	size_t i;

	for (i = 0; i < l->u.seq.n; i++)
		if (!strcmp(go_text(l->u.seq.items[i], b, sizeof(b)), s))
			return l->u.seq.items[i];
	return NULL;
}

/* Lists of scalars merged as sets (diffListsOfScalars). */
static void diff_scalar_lists(struct tw *w, struct lists *out,
                              const struct hx_node *o, const struct hx_node *m)
{
	size_t no = o->u.seq.n, nm = m->u.seq.n, i = 0, j = 0;
	char(*ob)[40] = hx_xcalloc(no ? no : 1, sizeof(*ob));
	char(*mb)[40] = hx_xcalloc(nm ? nm : 1, sizeof(*mb));
	const char **os = sorted_texts(o, ob), **ms = sorted_texts(m, mb);
	struct hx_node *add = hx_node_new_seq(w->a);
	struct hx_node *del = hx_node_new_seq(w->a);

	while (i < no || j < nm) {
		int c = i >= no ? 1 : j >= nm ? -1 : strcmp(os[i], ms[j]);

		if (c == 0) {
			i++;
			j++;
		} else if (c < 0) {
			/* in o alone; deduplicated */
			if (w->deletions &&
			    !(i > 0 && !strcmp(os[i - 1], os[i])))
				hx_seq_append(
				        w->a, del,
				        hx_node_clone(w->a, item_with_text(
				                                    o, os[i])));
			i++;
		} else {
			if (!w->deletions)
				hx_seq_append(
				        w->a, add,
				        hx_node_clone(w->a, item_with_text(
				                                    m, ms[j])));
			j++;
		}
	}
	if (add->u.seq.n)
		out->add = add;
	if (del->u.seq.n)
		out->del = del;
	if (nm && (w->deletions ? del->u.seq.n > 0 : !hx_node_equal(o, m)))
		out->order = hx_node_clone(w->a, m);
	free(os);
	free(ms);
	free(ob);
	free(mb);
}

/* A list field with the merge strategy (handleSliceDiff, diffLists). */
static int diff_lists(struct tw *w, struct hx_node *patch,
                      const struct hx_node *key, const struct hx_node *o,
                      const struct hx_node *m, struct hx_stype it,
                      const char *mk, int retain)
{
	struct lists l = {NULL, NULL, NULL};

	if (!o->u.seq.n) {
		if (m->u.seq.n && !w->deletions)
			set(w, patch, key->u.s.str, key->u.s.len,
			    hx_node_clone(w->a, m));
		return 0;
	}
	if (!uniform(o, m)) {
		/* apimachinery gives up on these: take the list whole */
		if (!w->deletions && !hx_node_equal(o, m))
			set(w, patch, key->u.s.str, key->u.s.len,
			    hx_node_clone(w->a, m));
		return 0;
	}
	if (is_map_list(o, m)) {
		if (!mk) {
			hx_error_set("a merged list of maps has no merge key");
			return -1;
		}
		if (diff_map_lists(w, &l, o, m, it, mk, retain) < 0)
			return -1;
	} else {
		diff_scalar_lists(w, &l, o, m);
	}
	if (l.add)
		set(w, patch, key->u.s.str, key->u.s.len, l.add);
	if (l.del)
		set_directive(w, patch, "$deleteFromPrimitiveList", key, l.del);
	if (l.order)
		set_directive(w, patch, "$setElementOrder", key, l.order);
	return 0;
}

/* ---- maps ------------------------------------------------------------- */

static int cmp_keys(const void *x, const void *y)
{
	const struct hx_node *a = *(const struct hx_node *const *)x;
	const struct hx_node *b = *(const struct hx_node *const *)y;

	return strcmp(a->u.s.str, b->u.s.str);
}

/* The $retainKeys list: modified's keys whose value is not null, sorted. */
static struct hx_node *retain_list(struct tw *w, const struct hx_node *m)
{
	struct hx_node *l = hx_node_new_seq(w->a);
	size_t i;

	for (i = 0; i < m->u.map.n; i++)
		if (!hx_node_is_null(m->u.map.pairs[i].value))
			hx_seq_append(
			        w->a, l,
			        hx_node_clone(w->a, m->u.map.pairs[i].key));
	if (l->u.seq.n > 1)
		qsort(l->u.seq.items, l->u.seq.n, sizeof(*l->u.seq.items),
		      cmp_keys);
	return l;
}

static int diff_field(struct tw *w, struct hx_node *patch,
                      const struct hx_pair *mp, const struct hx_node *ov,
                      struct hx_stype t)
{
	const struct hx_node *k = mp->key, *mv = mp->value;
	struct hx_smeta meta;
	struct hx_stype ft;
	struct hx_node *sub;

	if (!ov) {
		if (!w->deletions)
			set(w, patch, k->u.s.str, k->u.s.len,
			    hx_node_clone(w->a, mv));
		return 0;
	}
	if (jtype_of(ov) != jtype_of(mv)) {
		if (!w->deletions)
			set(w, patch, k->u.s.str, k->u.s.len,
			    hx_node_clone(w->a, mv));
		return 0;
	}
	ft = hx_stype_field(t, k->u.s.str, k->u.s.len, &meta);
	if (mv->kind == HX_MAP) {
		if (meta.strategy & HX_STRAT_REPLACE) {
			if (!w->deletions)
				set(w, patch, k->u.s.str, k->u.s.len,
				    hx_node_clone(w->a, mv));
			return 0;
		}
		sub = diff_maps(w, ov, mv, ft,
		                (meta.strategy & HX_STRAT_RETAIN_KEYS) != 0);
		if (!sub)
			return -1;
		if (sub->u.map.n)
			set(w, patch, k->u.s.str, k->u.s.len, sub);
		return 0;
	}
	if (mv->kind == HX_SEQ && (meta.strategy & HX_STRAT_MERGE))
		return diff_lists(w, patch, k, ov, mv, hx_stype_items(ft),
		                  meta.merge_key,
		                  (meta.strategy & HX_STRAT_RETAIN_KEYS) != 0);
	if (!w->deletions && !hx_node_equal(ov, mv))
		set(w, patch, k->u.s.str, k->u.s.len, hx_node_clone(w->a, mv));
	return 0;
}

/*
 * The patch from o to m (diffMaps), in w's part: an empty map when nothing
 * differs, NULL with the error set.  retain: the map has the retainKeys
 * strategy.
 */
static struct hx_node *diff_maps(struct tw *w, const struct hx_node *o,
                                 const struct hx_node *m, struct hx_stype t,
                                 int retain)
{
	struct hx_node *patch = hx_node_new_map(w->a);
	size_t i;

	for (i = 0; i < m->u.map.n; i++) {
		const struct hx_pair *mp = &m->u.map.pairs[i];

		if (mp->key->kind != HX_SCALAR || !hx_node_str(mp->key))
			continue;
		if (diff_field(
		            w, patch, mp,
		            hx_map_getn(o, mp->key->u.s.str, mp->key->u.s.len),
		            t) < 0)
			return NULL;
	}
	if (w->deletions)
		null_missing(w, patch, o, m);
	/*
	 * apimachinery also sends $retainKeys when the live map merely holds
	 * more keys than modified; the API server then clears them and
	 * defaults them again.  Without a server to default them, the live
	 * object's are kept: $retainKeys only where modified changed the map.
	 */
	if (retain && patch->u.map.n) {
		struct hx_node *l = retain_list(w, m);

		if (l->u.seq.n)
			set(w, patch, "$retainKeys", 11, l);
	}
	return patch;
}

/* ---- JSON merge patch (kinds without a schema) ------------------------ */

/* evanphx/json-patch's CreateMergePatch of o and m (RFC 7386). */
static struct hx_node *merge_patch(struct tw *w, const struct hx_node *o,
                                   const struct hx_node *m)
{
	struct hx_node *patch = hx_node_new_map(w->a);
	size_t i;

	for (i = 0; i < m->u.map.n; i++) {
		const struct hx_pair *mp = &m->u.map.pairs[i];
		const struct hx_node *ov;

		if (mp->key->kind != HX_SCALAR)
			continue;
		ov = hx_map_getn(o, mp->key->u.s.str, mp->key->u.s.len);
		if (ov && ov->kind == HX_MAP && mp->value->kind == HX_MAP) {
			struct hx_node *sub = merge_patch(w, ov, mp->value);

			if (sub->u.map.n)
				set(w, patch, mp->key->u.s.str,
				    mp->key->u.s.len, sub);
		} else if (!ov || !hx_node_equal(ov, mp->value)) {
			set(w, patch, mp->key->u.s.str, mp->key->u.s.len,
			    hx_node_clone(w->a, mp->value));
		}
	}
	null_missing(w, patch, o, m);
	return patch;
}

/* ---- the two parts as one patch ---------------------------------------- */

static int is_parallel_key(const struct hx_node *k)
{
	const char *s = hx_node_str(k);

	return s && (!strcmp(s, "$retainKeys") ||
	             !strncmp(s, "$setElementOrder/", 17) ||
	             !strncmp(s, "$deleteFromPrimitiveList/", 25));
}

static struct hx_node *merge_patches(struct tw *w, struct hx_node *base,
                                     const struct hx_node *p,
                                     struct hx_stype t);

/* Position of item in l, by merge key (or value when mk is NULL); -1. */
static long index_in(const struct hx_node *l, const struct hx_node *item,
                     const char *mk)
{
	const struct hx_node *v = mk ? hx_map_get(item, mk) : item;
	size_t i;

	for (i = 0; v && i < l->u.seq.n; i++) {
		const struct hx_node *x = l->u.seq.items[i];
		const struct hx_node *xv = mk ? hx_map_get(x, mk) : x;

		if (xv && (mk ? same_text(xv, v) : hx_node_equal(xv, v)))
			return (long)i;
	}
	return -1;
}

/*
 * mergeSortedSlice: left's items (in their order) put among right's (in
 * theirs), each before the first right item that comes after it in
 * server; appended to out.
 */
static void interleave(struct tw *w, struct hx_node *out,
                       const struct hx_node *left, const struct hx_node *right,
                       const struct hx_node *server, const char *mk)
{
	size_t i = 0, j = 0, k, n = left->u.seq.n + right->u.seq.n;

	for (k = 0; k < n; k++) {
		long li, ri;

		if (i >= left->u.seq.n) {
			hx_seq_append(w->a, out, right->u.seq.items[j++]);
			continue;
		}
		if (j >= right->u.seq.n) {
			hx_seq_append(w->a, out, left->u.seq.items[i++]);
			continue;
		}
		li = index_in(server, left->u.seq.items[i], mk);
		ri = index_in(server, right->u.seq.items[j], mk);
		if (li >= 0 && ri >= 0 && li < ri)
			hx_seq_append(w->a, out, left->u.seq.items[i++]);
		else
			hx_seq_append(w->a, out, right->u.seq.items[j++]);
	}
}

/*
 * Two patch lists of one field merged as mergeSlice does it: items of
 * both merged by key (lists of maps) or kept once (scalars); p's items in
 * p's order, base's others in base's order, interleaved by their places
 * in base (normalizeElementOrder, mergeSortedSlice).
 */
static struct hx_node *merge_patch_lists(struct tw *w, struct hx_node *base,
                                         const struct hx_node *p,
                                         struct hx_stype it, const char *mk)
{
	struct hx_node *right = hx_node_new_seq(w->a);
	struct hx_node *left = hx_node_new_seq(w->a);
	struct hx_node *out = hx_node_new_seq(w->a);
	size_t i;

	if (mk)
		for (i = 0; i < base->u.seq.n; i++)
			if (base->u.seq.items[i]->kind != HX_MAP ||
			    !hx_map_get(base->u.seq.items[i], mk))
				return hx_node_clone(w->a, p);
	for (i = 0; i < p->u.seq.n; i++) {
		struct hx_node *pi = p->u.seq.items[i];
		long at;

		if (mk && (pi->kind != HX_MAP || !hx_map_get(pi, mk)))
			return hx_node_clone(w->a, p);
		at = index_in(base, pi, mk);
		hx_seq_append(w->a, right,
		              at < 0 || !mk
		                      ? hx_node_clone(w->a, pi)
		                      : merge_patches(w, base->u.seq.items[at],
		                                      pi, it));
	}
	for (i = 0; i < base->u.seq.n; i++)
		if (index_in(p, base->u.seq.items[i], mk) < 0)
			hx_seq_append(w->a, left, base->u.seq.items[i]);
	interleave(w, out, left, right, base, mk);
	return out;
}

/*
 * A list whose $setElementOrder p brings, merged as mergePatchIntoOriginal
 * does it: the two lists merged, then the items the order names in its
 * order, base's others among them by their places in base's list.
 */
static struct hx_node *merge_ordered(struct tw *w, struct hx_node *base,
                                     const struct hx_node *p,
                                     const struct hx_node *order,
                                     struct hx_stype t)
{
	const char *name = hx_node_str(order) + 17;
	struct hx_node *bl = hx_map_get(base, name), *merged, *named, *rest;
	const struct hx_node *pl = hx_map_get(p, name), *seo;
	struct hx_node *out;
	struct hx_smeta meta;
	struct hx_stype ft = hx_stype_field(t, name, strlen(name), &meta);
	const char *mk = meta.merge_key;
	size_t i, j;

	seo = hx_map_getn(p, hx_node_str(order), strlen(hx_node_str(order)));
	if (bl && bl->kind != HX_SEQ)
		bl = NULL;
	if (pl && pl->kind != HX_SEQ)
		pl = NULL;
	if (!seo || seo->kind != HX_SEQ || (!bl && !pl))
		return NULL;
	merged = bl && pl ? merge_patch_lists(w, bl, pl, hx_stype_items(ft), mk)
	         : bl     ? bl
	                  : hx_node_clone(w->a, pl);
	named = hx_node_new_seq(w->a);
	rest = hx_node_new_seq(w->a);
	for (i = 0; i < seo->u.seq.n; i++)
		for (j = 0; j < merged->u.seq.n; j++)
			if (index_in(seo, merged->u.seq.items[j], mk) ==
			    (long)i)
				hx_seq_append(w->a, named,
				              merged->u.seq.items[j]);
	for (j = 0; j < merged->u.seq.n; j++)
		if (index_in(seo, merged->u.seq.items[j], mk) < 0)
			hx_seq_append(w->a, rest, merged->u.seq.items[j]);
	out = hx_node_new_seq(w->a);
	interleave(w, out, rest, named, bl ? bl : rest, mk);
	return out;
}

/*
 * p merged into base as apimachinery's mergeMap does it for
 * CreateThreeWayMergePatch (no parallel list merged: base's
 * $setElementOrder and $retainKeys stand, both come from the new manifest).
 */
static struct hx_node *merge_patches(struct tw *w, struct hx_node *base,
                                     const struct hx_node *p, struct hx_stype t)
{
	struct hx_strvec done = HX_STRVEC_INIT;
	size_t i;

	/* the lists p orders first, each with its order */
	for (i = 0; i < p->u.map.n; i++) {
		const struct hx_node *k = p->u.map.pairs[i].key;
		const char *ks = hx_node_str(k);
		struct hx_node *l;

		if (!ks || strncmp(ks, "$setElementOrder/", 17) ||
		    !(l = merge_ordered(w, base, p, k, t)))
			continue;
		set(w, base, ks + 17, strlen(ks + 17), l);
		if (!hx_map_get(base, ks))
			set(w, base, ks, strlen(ks),
			    hx_node_clone(w->a, p->u.map.pairs[i].value));
		hx_strvec_push(&done, ks + 17);
	}
	for (i = 0; i < p->u.map.n; i++) {
		const struct hx_pair *pp = &p->u.map.pairs[i];
		const struct hx_node *k = pp->key;
		struct hx_node *bv;
		struct hx_smeta meta;
		struct hx_stype ft;

		if (k->kind != HX_SCALAR || !hx_node_str(k) ||
		    hx_strvec_has(&done, k->u.s.str))
			continue;
		bv = hx_map_getn(base, k->u.s.str, k->u.s.len);
		if (bv && is_parallel_key(k))
			continue;
		if (!bv || jtype_of(bv) != jtype_of(pp->value) ||
		    bv->kind == HX_SCALAR) {
			set(w, base, k->u.s.str, k->u.s.len,
			    hx_node_clone(w->a, pp->value));
			continue;
		}
		ft = hx_stype_field(t, k->u.s.str, k->u.s.len, &meta);
		if (meta.strategy & HX_STRAT_REPLACE)
			set(w, base, k->u.s.str, k->u.s.len,
			    hx_node_clone(w->a, pp->value));
		else if (bv->kind == HX_MAP)
			set(w, base, k->u.s.str, k->u.s.len,
			    merge_patches(w, bv, pp->value, ft));
		else if (meta.strategy & HX_STRAT_MERGE)
			set(w, base, k->u.s.str, k->u.s.len,
			    merge_patch_lists(w, bv, pp->value,
			                      hx_stype_items(ft),
			                      meta.merge_key));
		else
			set(w, base, k->u.s.str, k->u.s.len,
			    hx_node_clone(w->a, pp->value));
	}
	hx_strvec_clear(&done);
	return base;
}

int hx_smp_threeway(struct hx_arena *a, struct hx_node **out,
                    const struct hx_node *orig, const struct hx_node *mod,
                    const struct hx_node *cur, struct hx_stype t,
                    int merge_only)
{
	struct tw w = {a, 1};
	struct hx_node *r, *p, *d;

	if (orig->kind != HX_MAP || mod->kind != HX_MAP ||
	    cur->kind != HX_MAP) {
		hx_error_set("three-way merge: an object is not a mapping");
		return -1;
	}
	r = hx_node_clone(a, cur);
	if (merge_only) {
		p = merge_patch(&w, orig, mod);
		if (p->u.map.n &&
		    hx_smp_apply_owned(a, &r, p, (struct hx_stype){0}) < 0)
			return -1;
		*out = r;
		return 0;
	}
	/* the deletions, from the release's manifest to the new one, and
	 * the delta, from the live object to the new manifest: one patch */
	p = diff_maps(&w, orig, mod, t, 0);
	w.deletions = 0;
	if (!p || !(d = diff_maps(&w, cur, mod, t, 0)))
		return -1;
	p = merge_patches(&w, p, d, t);
	if (p->u.map.n && hx_smp_apply_owned(a, &r, p, t) < 0)
		return -1;
	*out = r;
	return 0;
}
