/*
 * Strategic merge patch (smp.h): maps, directives and the entry points;
 * lists are in smp_list.c, the helpers both use in smp_util.c.
 */
#include "hx/smp.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/smp_merge.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

static int merge_map(struct hx_smp *s, struct hx_node **orig,
                     const struct hx_node *patch, struct hx_stype t);

static int retain_keys(struct hx_smp *s, struct hx_node *orig,
                       const struct hx_node *patch, const struct hx_node *list)
{
	size_t i, j;

	if (list->kind != HX_SEQ) {
		hx_smp_error(s, list, "'$retainKeys' must be a list of keys");
		return -1;
	}
	for (i = 0; i < patch->u.map.n; i++) {
		const struct hx_pair *p = &patch->u.map.pairs[i];

		if (hx_smp_is_directive(p->key) || hx_node_is_null(p->value))
			continue;
		for (j = 0; j < list->u.seq.n; j++)
			if (hx_node_equal(list->u.seq.items[j], p->key))
				break;
		if (j == list->u.seq.n) {
			hx_smp_error(
			        s, p->key,
			        "'$retainKeys' does not list '%s', which the "
			        "patch sets",
			        hx_node_str(p->key)
			                ? hx_node_str(p->key)
			                : "(a key that is no string)");
			return -1;
		}
	}
	for (i = 0; i < orig->u.map.n;) {
		const struct hx_node *k = orig->u.map.pairs[i].key;

		for (j = 0; j < list->u.seq.n; j++)
			if (hx_node_equal(list->u.seq.items[j], k))
				break;
		if (j == list->u.seq.n) {
			memmove(&orig->u.map.pairs[i],
			        &orig->u.map.pairs[i + 1],
			        (orig->u.map.n - i - 1) *
			                sizeof(*orig->u.map.pairs));
			orig->u.map.n--;
		} else {
			i++;
		}
	}
	return 0;
}

static int merge_field(struct hx_smp *s, struct hx_node *orig,
                       const struct hx_pair *pair, struct hx_stype t)
{
	const struct hx_node *k = pair->key, *pv = pair->value;
	const char *name = k->u.s.str;
	size_t len = k->u.s.len, mark;
	int delete_list = 0, rc = 0;
	struct hx_node *ov, *out = NULL;
	struct hx_smeta meta;
	struct hx_stype ft;

	if (hx_smp_key_starts(k, HX_SMP_DFPL)) {
		delete_list = 1;
		name += strlen(HX_SMP_DFPL);
		len -= strlen(HX_SMP_DFPL);
		if (pv->kind != HX_SEQ) {
			hx_smp_error(s, pv, "'%s' must be a list", k->u.s.str);
			return -1;
		}
	}
	if (hx_node_is_null(pv)) {
		hx_map_remove(orig, name, len);
		return 0;
	}
	ov = hx_map_getn(orig, name, len);
	if (!ov || ov->kind != pv->kind || pv->kind == HX_SCALAR) {
		if (!delete_list) {
			if (ov)
				hx_map_set(s->a, orig, name, len,
				           hx_smp_strip(s, pv, 1));
			else
				hx_map_set_node(s->a, orig,
				                hx_node_copy(s->a, k),
				                hx_smp_strip(s, pv, 1));
		}
		return 0;
	}
	mark = hx_smp_path_push(s, name, len);
	ft = hx_stype_field(t, name, len, &meta);
	if (pv->kind == HX_MAP) {
		if (meta.strategy & HX_STRAT_REPLACE)
			out = hx_smp_strip(s, pv, 0);
		else {
			out = ov;
			rc = merge_map(s, &out, pv, ft);
		}
	} else {
		char *field = hx_xstrndup(name, len);

		rc = hx_smp_merge_list(s, &out, ov, pv, &meta, ft, delete_list,
		                       field);
		free(field);
	}
	if (!rc)
		hx_map_set(s->a, orig, name, len, out);
	hx_smp_path_pop(s, mark);
	return rc;
}

static int merge_map(struct hx_smp *s, struct hx_node **orig,
                     const struct hx_node *patch, struct hx_stype t)
{
	const struct hx_node *dir = hx_map_get(patch, "$patch");
	const struct hx_node *rk = hx_map_get(patch, "$retainKeys");
	unsigned char *done = NULL;
	size_t i;
	int rc = -1;

	if (dir) {
		const char *d = hx_node_str(dir);

		if (d && !strcmp(d, "replace")) {
			*orig = hx_smp_strip(s, patch, 0);
			return 0;
		}
		if (d && !strcmp(d, "delete")) {
			struct hx_node *m = hx_node_new_map(s->a);

			if (*orig) {
				m->file = (*orig)->file;
				m->line = (*orig)->line;
				m->col = (*orig)->col;
			}
			*orig = m;
			return 0;
		}
		/* else "merge": check_patch_values refused other values */
	}
	if (!*orig || (*orig)->kind != HX_MAP) {
		*orig = hx_node_new_map(s->a);
		(*orig)->file = patch->file;
		(*orig)->line = patch->line;
		(*orig)->col = patch->col;
	}
	if (rk && retain_keys(s, *orig, patch, rk) < 0)
		return -1;
	done = hx_xcalloc(patch->u.map.n + 1, 1);
	for (i = 0; i < patch->u.map.n; i++)
		if (hx_smp_key_starts(patch->u.map.pairs[i].key, HX_SMP_SEO) &&
		    hx_smp_set_element_order(s, *orig, patch, i, t, done) < 0)
			goto out;
	for (i = 0; i < patch->u.map.n; i++) {
		const struct hx_pair *p = &patch->u.map.pairs[i];

		if (done[i] || p->key->kind != HX_SCALAR ||
		    hx_smp_key_is(p->key, "$patch") ||
		    hx_smp_key_is(p->key, "$retainKeys") ||
		    hx_smp_key_starts(p->key, HX_SMP_SEO))
			continue;
		if (merge_field(s, *orig, p, t) < 0)
			goto out;
	}
	rc = 0;
out:
	free(done);
	return rc;
}

/* The first "$patch" value in n that is not replace, delete or merge. */
static const struct hx_node *bad_patch_value(const struct hx_node *n)
{
	const struct hx_node *bad = NULL;
	size_t i;

	if (n->kind == HX_SEQ) {
		for (i = 0; !bad && i < n->u.seq.n; i++)
			bad = bad_patch_value(n->u.seq.items[i]);
		return bad;
	}
	if (n->kind != HX_MAP)
		return NULL;
	for (i = 0; !bad && i < n->u.map.n; i++) {
		const struct hx_pair *p = &n->u.map.pairs[i];
		const char *d = hx_node_str(p->value);

		if (hx_smp_key_is(p->key, "$patch") &&
		    (!d || (strcmp(d, "replace") && strcmp(d, "delete") &&
		            strcmp(d, "merge"))))
			return p->value;
		if (p->key->kind == HX_SCALAR)
			bad = bad_patch_value(p->value);
	}
	return bad;
}

/* Set s->path to where node sits below n; 1 when found. */
static int path_to(struct hx_smp *s, const struct hx_node *n,
                   const struct hx_node *node)
{
	size_t i, mark;

	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++) {
			mark = hx_smp_path_push_index(s, i);
			if (path_to(s, n->u.seq.items[i], node))
				return 1;
			hx_smp_path_pop(s, mark);
		}
	} else if (n->kind == HX_MAP) {
		for (i = 0; i < n->u.map.n; i++) {
			const struct hx_pair *p = &n->u.map.pairs[i];

			if (p->value == node)
				return 1;
			if (p->key->kind != HX_SCALAR)
				continue;
			mark = hx_smp_path_push(s, p->key->u.s.str,
			                        p->key->u.s.len);
			if (path_to(s, p->value, node))
				return 1;
			hx_smp_path_pop(s, mark);
		}
	}
	return 0;
}

/*
 * Every "$patch" in the patch holds replace, delete or merge: checked
 * before merging, so that a value of another type is an error wherever it
 * sits (a list item's directive would otherwise read as none).
 */
static int check_patch_values(struct hx_smp *s, const struct hx_node *patch)
{
	const struct hx_node *bad = bad_patch_value(patch);
	struct hx_strbuf sb = HX_STRBUF_INIT;

	if (!bad)
		return 0;
	path_to(s, patch, bad);
	hx_node_describe(&sb, bad);
	hx_smp_error(
	        s, bad,
	        "unknown $patch value '%s' (want replace, delete or merge)",
	        sb.buf);
	hx_strbuf_release(&sb);
	return -1;
}

static int smp_apply(struct hx_arena *a, struct hx_node **root,
                     const struct hx_node *patch, struct hx_stype t, int owned)
{
	struct hx_smp s;
	struct hx_node *work;
	int rc;

	if (patch->kind != HX_MAP) {
		hx_error_set_node(patch, "a strategic merge patch must be a "
		                         "mapping");
		return -1;
	}
	if ((*root)->kind != HX_MAP) {
		hx_error_set_node(patch, "strategic merge: the document is not "
		                         "a mapping");
		return -1;
	}
	s.a = a;
	s.merge_map = merge_map;
	hx_strbuf_init(&s.path);
	if (check_patch_values(&s, patch) < 0) {
		hx_strbuf_release(&s.path);
		return -1;
	}
	/* the caller's tree lives on, unless it is the caller's own copy */
	work = owned ? *root : hx_node_clone(a, *root);
	rc = merge_map(&s, &work, patch, t);
	hx_strbuf_release(&s.path);
	if (rc == 0)
		*root = work;
	return rc;
}

int hx_smp_apply(struct hx_arena *a, struct hx_node **root,
                 const struct hx_node *patch, struct hx_stype t)
{
	return smp_apply(a, root, patch, t, 0);
}

int hx_smp_apply_owned(struct hx_arena *a, struct hx_node **root,
                       const struct hx_node *patch, struct hx_stype t)
{
	return smp_apply(a, root, patch, t, 1);
}

int hx_smp_deletes_document(const struct hx_node *patch)
{
	const char *d = hx_smp_directive(patch);

	return d && !strcmp(d, "delete");
}
