/*
 * What a patched document's metadata must stay (patchmeta.h): one
 * identity, Helm 4's filename annotation, label and annotation values as
 * strings.
 */
#include "hx/patchmeta.h"

#include <string.h>

#include "hx/docident.h"
#include "hx/node.h"

#include "hx/banned.h"

/* The first key that appears twice in m among names (NULL-ended). */
static const struct hx_node *dup_among(const struct hx_node *m,
                                       const char *const *names)
{
	size_t i, j;

	if (!m || m->kind != HX_MAP)
		return NULL;
	for (i = 1; i < m->u.map.n; i++) {
		const struct hx_node *k = m->u.map.pairs[i].key;
		const char *s = hx_node_str(k);
		size_t n;

		for (n = 0; s && names[n] && strcmp(names[n], s); n++)
			;
		if (!s || !names[n])
			continue;
		for (j = 0; j < i; j++) {
			const char *t = hx_node_str(m->u.map.pairs[j].key);

			if (t && !strcmp(t, s))
				return k;
		}
	}
	return NULL;
}

/* A duplicate apiVersion, kind, metadata, name or namespace key. */
const struct hx_node *hx_patchmeta_identity_dup(const struct hx_node *root)
{
	static const char *const top[] = {"apiVersion", "kind", "metadata",
	                                  NULL};
	static const char *const meta[] = {"name", "namespace", NULL};
	const struct hx_node *k = dup_among(root, top);

	return k ? k : dup_among(hx_map_get(root, "metadata"), meta);
}

/*
 * Helm 4 marks every document it sends a post-renderer with the chart file
 * it came from, and files the documents that come back by it: the
 * annotation must come back as it went, whatever the patches did to the
 * metadata around it.
 */
#define FILENAME_NOTE "postrenderer.helm.sh/postrender-filename"

const struct hx_node *hx_patchmeta_filename_note(const struct hx_node *root)
{
	const struct hx_node *n = hx_map_path(root, "metadata", "annotations",
	                                      FILENAME_NOTE, NULL);

	return n && n->kind == HX_SCALAR ? n : NULL;
}

void hx_patchmeta_keep_filename_note(struct hx_arena *a, struct hx_node *root,
                                     const struct hx_node *was)
{
	struct hx_node *meta, *notes;
	const struct hx_node *now;

	if (!root || root->kind != HX_MAP)
		return; /* deleted, or no longer an object */
	now = hx_patchmeta_filename_note(root);
	if (now && now->u.s.len == was->u.s.len &&
	    !memcmp(now->u.s.str, was->u.s.str, was->u.s.len))
		return;
	meta = hx_map_get(root, "metadata");
	if (!meta || meta->kind != HX_MAP) {
		meta = hx_node_new_map(a);
		hx_map_set(a, root, "metadata", 8, meta);
	}
	notes = hx_map_get(meta, "annotations");
	if (!notes || notes->kind != HX_MAP) {
		notes = hx_node_new_map(a);
		hx_map_set(a, meta, "annotations", 11, notes);
	}
	hx_map_set(a, notes, FILENAME_NOTE, sizeof FILENAME_NOTE - 1,
	           hx_node_copy(a, was));
}

/*
 * Label and annotation values are strings to the API server, which
 * refuses a number or a boolean there.  A value that the patches set to
 * one (area: 51) is written as the string it reads as ("51"), as
 * kustomize writes annotations and the labels of patchesStrategicMerge;
 * values the document already had are left as they were.
 */
static void stringify_meta(struct hx_arena *a, struct hx_node *root,
                           const struct hx_node *orig)
{
	static const char *const keys[] = {"labels", "annotations"};
	size_t i, k;

	for (k = 0; k < 2; k++) {
		struct hx_node *m =
		        hx_map_path(root, "metadata", keys[k], NULL);
		const struct hx_node *om =
		        hx_map_path(orig, "metadata", keys[k], NULL);

		for (i = 0; m && m->kind == HX_MAP && i < m->u.map.n; i++) {
			struct hx_node *v = m->u.map.pairs[i].value;
			const struct hx_node *key = m->u.map.pairs[i].key;
			const struct hx_node *was;
			struct hx_node *str;

			if (v->kind != HX_SCALAR || key->kind != HX_SCALAR ||
			    hx_node_is_null(v) ||
			    hx_node_resolve(v, NULL, NULL) == HX_TYPE_STR)
				continue;
			was = om && om->kind == HX_MAP
			              ? hx_map_getn(om, key->u.s.str,
			                            key->u.s.len)
			              : NULL;
			if (was && hx_node_equal(was, v))
				continue;
			str = hx_node_new_scalar(a, v->u.s.str, v->u.s.len,
			                         HX_STYLE_DOUBLE);
			str->file = v->file;
			str->line = v->line;
			str->col = v->col;
			m->u.map.pairs[i].value = str;
		}
	}
}

static int same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* The item of the list orig that is the object item (same identity). */
static const struct hx_node *orig_item(const struct hx_node *orig,
                                       const struct hx_node *item)
{
	const struct hx_node *items = orig ? hx_list_items(orig) : NULL;
	struct hx_ident want, have;
	size_t i;

	hx_ident_get(&want, item);
	for (i = 0; items && i < items->u.seq.n; i++) {
		hx_ident_get(&have, items->u.seq.items[i]);
		if (same_str(want.api_version, have.api_version) &&
		    same_str(want.kind, have.kind) &&
		    same_str(want.name, have.name) &&
		    same_str(want.ns, have.ns))
			return items->u.seq.items[i];
	}
	return NULL;
}

/* stringify_meta on a document, or on each item of a list document. */
static void stringify_doc(struct hx_arena *a, struct hx_node *root,
                          const struct hx_node *orig, size_t depth)
{
	struct hx_node *items = hx_list_items(root);
	size_t i;

	stringify_meta(a, root, orig);
	if (!items || depth >= HX_MAX_LIST_DEPTH)
		return;
	for (i = 0; i < items->u.seq.n; i++)
		stringify_doc(a, items->u.seq.items[i],
		              orig_item(orig, items->u.seq.items[i]),
		              depth + 1);
}

void hx_patchmeta_stringify(struct hx_arena *a, struct hx_node *root,
                            const struct hx_node *orig)
{
	stringify_doc(a, root, orig, 0);
}
