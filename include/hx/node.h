#ifndef HX_NODE_H
#define HX_NODE_H

#include <stddef.h>
#include <stdint.h>

/*
 * The YAML node tree.  Every node lives in an arena (one per document) and
 * dies with it; a node moved into another document is copied with
 * hx_node_copy().  Scalars keep their text and style; their type is resolved
 * only on demand (hx_node_resolve), with the YAML 1.1 rules that
 * Kubernetes' YAML library uses.
 */

struct hx_arena_chunk;

struct hx_arena {
	struct hx_arena_chunk *head; /* owned list, newest first */
	size_t next_size;
};
#define HX_ARENA_INIT                                                          \
	{                                                                      \
		NULL, 0                                                        \
	}

/* Memory from the arena, 8-byte aligned, zeroed; never NULL. */
void *hx_arena_alloc(struct hx_arena *a, size_t n);
char *hx_arena_strndup(struct hx_arena *a, const char *s, size_t n);
/* Free everything but the newest chunk, which is kept for reuse. */
void hx_arena_reset(struct hx_arena *a);
void hx_arena_release(struct hx_arena *a);

enum hx_node_kind { HX_SCALAR, HX_SEQ, HX_MAP };

enum hx_style {
	HX_STYLE_ANY = 0, /* pick plain when safe, else double quotes */
	HX_STYLE_PLAIN,
	HX_STYLE_SINGLE,
	HX_STYLE_DOUBLE,
	HX_STYLE_LITERAL,
	HX_STYLE_FOLDED,
};

enum hx_type {
	HX_TYPE_NULL,
	HX_TYPE_BOOL,
	HX_TYPE_INT,
	HX_TYPE_FLOAT,
	HX_TYPE_STR,
	HX_TYPE_SEQ,
	HX_TYPE_MAP,
};

struct hx_pair;

struct hx_node {
	unsigned char kind;  /* enum hx_node_kind */
	unsigned char style; /* enum hx_style, scalars */
	unsigned char flow;  /* collection was written in flow style */
	unsigned line, col;  /* 1-based position in file; 0 when made up */
	/*
	 * Bytes [start, end) of the document's source text the loader read
	 * the node from (anchor and tag included); for a block collection,
	 * end is its last value's end.  Only hx_doc_load sets them, and
	 * only the tree it returns may use them: a copy carries them along
	 * to places they do not describe.
	 */
	unsigned start, end;
	const char *file; /* borrowed name of the source, or NULL */
	const char *tag;  /* explicit tag ("!!str", "!foo"), or NULL */
	union {
		struct {
			const char *str; /* NUL-terminated */
			size_t len;
		} s;
		struct {
			struct hx_node **items;
			size_t n, alloc;
		} seq;
		struct {
			struct hx_pair *pairs;
			size_t n, alloc;
		} map;
	} u;
};

struct hx_pair {
	struct hx_node *key;
	struct hx_node *value;
};

struct hx_node *hx_node_new_scalar(struct hx_arena *a, const char *s,
                                   size_t len, enum hx_style style);
struct hx_node *hx_node_new_seq(struct hx_arena *a);
struct hx_node *hx_node_new_map(struct hx_arena *a);
/* Deep copy of n into arena a. */
struct hx_node *hx_node_copy(struct hx_arena *a, const struct hx_node *n);
/*
 * The same, sharing scalar text and tags with n (nothing changes a
 * scalar's text in place): for a working copy of a tree that lives at
 * least as long, in the same arena or a longer-lived one.
 */
struct hx_node *hx_node_clone(struct hx_arena *a, const struct hx_node *n);

/*
 * Levels of n: 1 for a scalar or an empty collection.  Like every tree walk
 * here it recurses: trees are loaded at most HX_MAX_DEPTH deep (yamldoc.h)
 * and patches check what they build, which bounds it.
 */
size_t hx_node_height(const struct hx_node *n);

/* Map look-up by key text; NULL when absent (borrowed). */
struct hx_node *hx_map_get(const struct hx_node *map, const char *key);
struct hx_node *hx_map_getn(const struct hx_node *map, const char *key,
                            size_t len);
/*
 * A map's value for key as kustomize reads its files (Go's encoding/json):
 * the exact key, else one that differs only in case ("patchesJSON6902").
 */
const struct hx_node *hx_map_get_ci(const struct hx_node *map, const char *key);
/* Index of key in map, or -1. */
long hx_map_index(const struct hx_node *map, const char *key, size_t len);
/* Set key to value: replaced in place when present, else appended. */
void hx_map_set(struct hx_arena *a, struct hx_node *map, const char *key,
                size_t len, struct hx_node *value);
void hx_map_set_node(struct hx_arena *a, struct hx_node *map,
                     struct hx_node *key, struct hx_node *value);
/* Remove key; returns 1 if it was there. */
int hx_map_remove(struct hx_node *map, const char *key, size_t len);
/* Walk a dotted list of keys: hx_map_path(root, "metadata", "name", NULL). */
struct hx_node *hx_map_path(const struct hx_node *root, const char *key, ...)
        __attribute__((sentinel));

void hx_seq_append(struct hx_arena *a, struct hx_node *seq,
                   struct hx_node *item);
void hx_seq_insert(struct hx_arena *a, struct hx_node *seq, size_t at,
                   struct hx_node *item);
void hx_seq_remove(struct hx_node *seq, size_t at);

/*
 * Scalar text when n is a scalar, else NULL (borrowed).  NULL too for text
 * holding a NUL byte, which no C string comparison may see.
 */
const char *hx_node_str(const struct hx_node *n);

/*
 * Resolve a node's type.  For scalars: quoted and block styles and explicit
 * !!str are strings; plain scalars follow YAML 1.1 (null ~ empty, yes/no/on/
 * off/true/false and their cases, ints with 0x/0o/0b/leading-0 octal and _,
 * floats with .inf/.nan).  For INT, *ival holds the value when it fits in
 * int64 (else the type is FLOAT); for FLOAT, *fval.  Either may be NULL.
 */
enum hx_type hx_node_resolve(const struct hx_node *n, long long *ival,
                             double *fval);
/* 1 if a scalar is null (plain ~, null, Null, NULL or empty). */
int hx_node_is_null(const struct hx_node *n);

/*
 * Equality of values as JSON sees them: maps compare unordered, sequences in
 * order, scalars by resolved type and value (1 == 1.0, "1" != 1).
 */
int hx_node_equal(const struct hx_node *a, const struct hx_node *b);

#endif
