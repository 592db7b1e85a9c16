#ifndef HX_MANIFEST_H
#define HX_MANIFEST_H

#include <stddef.h>

struct hx_stream;

/*
 * The objects of a rendered stream, paired by `helm x diff` as helm-diff
 * pairs them: key "NAMESPACE, NAME, KIND (GROUP)" (an empty namespace is
 * the release's; GROUP is apiVersion without its version, "v1" for the
 * core group; annotation helm-diff/base-name stands for the name), the
 * content being the document's text with surrounding white space trimmed.
 */
struct hx_mobj {
	char *key;                    /* owned */
	char *ns, *name, *kind, *api; /* owned: the parts of the key */
	char *content;                /* owned, NUL-terminated */
	size_t len;
	char *source; /* owned: its "# Source:" file, or the stream's name */
	int keep;     /* annotation helm.sh/resource-policy: keep */
	size_t seq;   /* order of reading: ties in sorting keep it */
};

struct hx_mset {
	struct hx_mobj *v; /* owned, sorted by key after hx_manifest_parse */
	size_t n, alloc;
};
#define HX_MSET_INIT                                                           \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

struct hx_manifest_opts {
	const char *ns;    /* the release namespace; NULL: "default" */
	int include_tests; /* keep hooks "test" and "test-success" */
	int normalize;     /* content re-emitted with sorted keys */
	int no_hooks;      /* leave every hook out */
	int exact_names;   /* ignore helm-diff/base-name (lint's duplicates) */
};

/*
 * Add the objects of st to set: documents with neither apiVersion nor
 * kind are skipped, any kind ending in "List" gives its items, test hooks
 * are left out unless include_tests.  Sets the error and returns -1 on a
 * document that does not load.
 */
int hx_manifest_parse(struct hx_mset *set, struct hx_stream *st,
                      const struct hx_manifest_opts *o);

/*
 * Sort the set by key, once every stream is in; two objects with one key
 * are an error naming both sources.
 */
int hx_manifest_finish(struct hx_mset *set);

/* The object with key, or NULL. */
const struct hx_mobj *hx_manifest_find(const struct hx_mset *set,
                                       const char *key);

void hx_mset_release(struct hx_mset *set);

struct hx_arena;
struct hx_node;
/*
 * A copy of n (in a) as a yaml re-marshal writes it: every map's keys
 * sorted by their bytes (scalar keys only); with restyle, collections in
 * block style and scalars quoted only where needed.
 */
struct hx_node *hx_manifest_canonical(struct hx_arena *a,
                                      const struct hx_node *n, int restyle);

#endif
