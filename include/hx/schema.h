#ifndef HX_SCHEMA_H
#define HX_SCHEMA_H

#include <stddef.h>

#include "hx/yamldoc.h"

/*
 * Strategic-merge metadata: which lists merge by which key, which maps are
 * replaced.  Two sources answer through one cursor type: the built-in table
 * of Kubernetes kinds (generated into smp_meta.c) and OpenAPI v2/v3
 * documents given with --openapi (CRDs).
 */

enum hx_strategy {
	HX_STRAT_MERGE = 1,
	HX_STRAT_REPLACE = 2,
	HX_STRAT_RETAIN_KEYS = 4,
};

/* One node of the built-in trie; children are sorted by name. */
struct hx_smp_node {
	const char *name; /* field name, "[]" for list items */
	const char *merge_key;
	unsigned char strategy;
	unsigned short first, n; /* range in hx_smp_children */
};
struct hx_smp_kind {
	const char *kind, *group, *version;
	unsigned short root;
};
extern const struct hx_smp_node hx_smp_nodes[];
extern const unsigned short hx_smp_children[];
extern const struct hx_smp_kind hx_smp_kinds[];
extern const size_t hx_smp_nkinds;

struct hx_openapi;

/*
 * A position in a schema, passed by value.  pos is NULL where nothing is
 * known (unknown kinds, fields outside the schema): lists there are
 * replaced and maps merged.
 */
struct hx_stype {
	const struct hx_openapi *oa; /* NULL: the built-in table */
	const void *pos;             /* hx_smp_node or OpenAPI schema node */
};

struct hx_smeta {
	const char *merge_key; /* borrowed, NULL when none */
	unsigned strategy;     /* enum hx_strategy bits */
};

/* The type of a field of a map type; fills meta (zeroed when unknown). */
struct hx_stype hx_stype_field(struct hx_stype t, const char *name, size_t len,
                               struct hx_smeta *meta);
/* The type of the items of a list type. */
struct hx_stype hx_stype_items(struct hx_stype t);

/*
 * Every source of schemas: the OpenAPI files given (searched first, in
 * order) and the built-in table.
 */
struct hx_schemas {
	struct hx_openapi **oas; /* owned */
	size_t n, alloc;
};
#define HX_SCHEMAS_INIT                                                        \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Load an OpenAPI v2 (definitions) or v3 (components.schemas) file. */
int hx_schemas_add_openapi(struct hx_schemas *s, const char *path);
void hx_schemas_release(struct hx_schemas *s);

/*
 * The root type of a kind.  group is "" for the core group.  A version the
 * table does not know falls back to another version of the same kind.
 * Returns a type with pos NULL when the kind has no schema.
 */
struct hx_stype hx_schemas_lookup(const struct hx_schemas *s, const char *group,
                                  size_t group_len, const char *version,
                                  const char *kind);

/* The root type of an OpenAPI definition by name (tests). */
struct hx_stype hx_schemas_definition(const struct hx_schemas *s,
                                      const char *name);

#endif
