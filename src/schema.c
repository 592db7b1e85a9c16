#include "hx/schema.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/util.h"

#include "hx/banned.h"

/* ---- built-in table -------------------------------------------------- */

static const struct hx_smp_node *builtin_child(const struct hx_smp_node *n,
                                               const char *name, size_t len)
{
	size_t lo = 0, hi = n->n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct hx_smp_node *c =
		        &hx_smp_nodes[hx_smp_children[n->first + mid]];
		size_t clen = strlen(c->name);
		int cmp = memcmp(c->name, name, clen < len ? clen : len);

		/* a prefix sorts first; name may hold NUL bytes */
		if (!cmp && clen != len)
			cmp = clen < len ? -1 : 1;
		if (!cmp)
			return c;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* ---- OpenAPI --------------------------------------------------------- */

struct defn {
	const char *name; /* borrowed from the document */
	const struct hx_node *schema;
};

struct gvk {
	const char *group, *version, *kind; /* borrowed */
	const struct hx_node *schema;
};

struct hx_openapi {
	struct hx_stream st; /* owns the parsed document */
	struct defn *defs;   /* sorted by name */
	size_t ndefs;
	struct gvk *gvks;
	size_t ngvks, gvks_alloc;
	const char
	        *ref_prefix; /* "#/definitions/" or "#/components/schemas/" */
};

static int cmp_defn(const void *a, const void *b)
{
	return strcmp(((const struct defn *)a)->name,
	              ((const struct defn *)b)->name);
}

static const struct hx_node *find_def(const struct hx_openapi *oa,
                                      const char *name)
{
	struct defn key = {name, NULL}, *d;

	d = bsearch(&key, oa->defs, oa->ndefs, sizeof(*oa->defs), cmp_defn);
	return d ? d->schema : NULL;
}

/* Follow $ref (and a single-entry allOf wrapping one) to a schema. */
static const struct hx_node *resolve(const struct hx_openapi *oa,
                                     const struct hx_node *s)
{
	int depth;

	for (depth = 0; s && depth < 32; depth++) {
		const char *ref = hx_node_str(hx_map_get(s, "$ref"));
		size_t plen = strlen(oa->ref_prefix);

		if (!ref)
			return s;
		if (strncmp(ref, oa->ref_prefix, plen))
			return NULL;
		s = find_def(oa, ref + plen);
	}
	return s;
}

/*
 * The schemas one look-up has entered: each is walked once, so allOf
 * entries that refer back to their own definition (or to one another)
 * cost no more than the schemas there are.
 */
struct seen {
	const struct hx_node **v;
	size_t n, alloc;
	unsigned depth; /* of the allOf nesting, capped at ALLOF_MAX */
};
#define ALLOF_MAX 64

/* 1 if s was entered before (else it is noted now). */
static int seen_before(struct seen *seen, const struct hx_node *s)
{
	size_t i;

	for (i = 0; i < seen->n; i++)
		if (seen->v[i] == s)
			return 1;
	hx_grow(&seen->v, &seen->alloc, seen->n + 1, sizeof(*seen->v));
	seen->v[seen->n++] = s;
	return 0;
}

static const struct hx_node *property_in(const struct hx_openapi *oa,
                                         const struct hx_node *s,
                                         const char *name, size_t len,
                                         struct seen *seen)
{
	const struct hx_node *p, *all;
	size_t i;

	s = resolve(oa, s);
	if (!s || seen->depth >= ALLOF_MAX || seen_before(seen, s))
		return NULL;
	p = hx_map_getn(hx_map_get(s, "properties"), name, len);
	if (p)
		return p;
	all = hx_map_get(s, "allOf");
	seen->depth++;
	for (i = 0; all && all->kind == HX_SEQ && i < all->u.seq.n && !p; i++)
		p = property_in(oa, all->u.seq.items[i], name, len, seen);
	seen->depth--;
	return p;
}

/* A property of an object schema, looking through allOf. */
static const struct hx_node *oa_property(const struct hx_openapi *oa,
                                         const struct hx_node *s,
                                         const char *name, size_t len)
{
	struct seen seen = {NULL, 0, 0, 0};
	const struct hx_node *p = property_in(oa, s, name, len, &seen);

	free(seen.v);
	return p;
}

static const struct hx_node *items_in(const struct hx_openapi *oa,
                                      const struct hx_node *s,
                                      struct seen *seen)
{
	const struct hx_node *it, *all;
	size_t i;

	s = resolve(oa, s);
	if (!s || seen->depth >= ALLOF_MAX || seen_before(seen, s))
		return NULL;
	it = hx_map_get(s, "items");
	if (it)
		return it;
	all = hx_map_get(s, "allOf");
	seen->depth++;
	for (i = 0; all && all->kind == HX_SEQ && i < all->u.seq.n && !it; i++)
		it = items_in(oa, all->u.seq.items[i], seen);
	seen->depth--;
	return it;
}

static const struct hx_node *oa_items(const struct hx_openapi *oa,
                                      const struct hx_node *s)
{
	struct seen seen = {NULL, 0, 0, 0};
	const struct hx_node *it = items_in(oa, s, &seen);

	free(seen.v);
	/* a list where the schema has an object: apimachinery takes the
	 * object's schema for the items */
	return it ? it : resolve(oa, s);
}

static unsigned parse_strategy(const char *s)
{
	unsigned r = 0;

	while (s && *s) {
		const char *comma = strchr(s, ',');
		size_t n = comma ? (size_t)(comma - s) : strlen(s);

		if (n == 5 && !strncmp(s, "merge", 5))
			r |= HX_STRAT_MERGE;
		else if (n == 7 && !strncmp(s, "replace", 7))
			r |= HX_STRAT_REPLACE;
		else if (n == 10 && !strncmp(s, "retainKeys", 10))
			r |= HX_STRAT_RETAIN_KEYS;
		s = comma ? comma + 1 : NULL;
	}
	return r;
}

/* ---- cursors ---------------------------------------------------------- */

struct hx_stype hx_stype_field(struct hx_stype t, const char *name, size_t len,
                               struct hx_smeta *meta)
{
	struct hx_stype r = {t.oa, NULL};

	meta->merge_key = NULL;
	meta->strategy = 0;
	if (!t.pos)
		return r;
	if (!t.oa) {
		const struct hx_smp_node *c = builtin_child(t.pos, name, len);

		if (c) {
			meta->merge_key = c->merge_key;
			meta->strategy = c->strategy;
			r.pos = c;
		}
		return r;
	} else {
		const struct hx_node *p = oa_property(t.oa, t.pos, name, len);

		if (p) {
			meta->merge_key = hx_node_str(
			        hx_map_get(p, "x-kubernetes-patch-merge-key"));
			meta->strategy = parse_strategy(hx_node_str(
			        hx_map_get(p, "x-kubernetes-patch-strategy")));
			r.pos = p;
		}
		return r;
	}
}

struct hx_stype hx_stype_items(struct hx_stype t)
{
	struct hx_stype r = {t.oa, NULL};

	if (!t.pos)
		return r;
	if (!t.oa)
		r.pos = builtin_child(t.pos, "[]", 2);
	else
		r.pos = oa_items(t.oa, t.pos);
	return r;
}

/* ---- loading OpenAPI --------------------------------------------------- */

static void add_gvks(struct hx_openapi *oa, const struct hx_node *schema)
{
	const struct hx_node *l =
	        hx_map_get(schema, "x-kubernetes-group-version-kind");
	size_t i;

	for (i = 0; l && l->kind == HX_SEQ && i < l->u.seq.n; i++) {
		const struct hx_node *e = l->u.seq.items[i];
		struct gvk *g;

		if (!hx_node_str(hx_map_get(e, "kind")))
			continue;
		hx_grow(&oa->gvks, &oa->gvks_alloc, oa->ngvks + 1,
		        sizeof(*oa->gvks));
		g = &oa->gvks[oa->ngvks++];
		g->group = hx_node_str(hx_map_get(e, "group"));
		g->version = hx_node_str(hx_map_get(e, "version"));
		g->kind = hx_node_str(hx_map_get(e, "kind"));
		if (!g->group)
			g->group = "";
		if (!g->version)
			g->version = "";
		g->schema = schema;
	}
}

static void openapi_free(struct hx_openapi *oa)
{
	if (!oa)
		return;
	hx_stream_release(&oa->st);
	free(oa->defs);
	free(oa->gvks);
	free(oa);
}

int hx_schemas_add_openapi(struct hx_schemas *s, const char *path)
{
	struct hx_openapi *oa = hx_xcalloc(1, sizeof(*oa));
	const struct hx_node *root, *defs;
	size_t i;

	if (hx_stream_read(&oa->st, path) < 0 ||
	    hx_stream_load_all(&oa->st) < 0)
		goto fail;
	root = oa->st.n ? oa->st.docs[0].root : NULL;
	defs = hx_map_get(root, "definitions");
	oa->ref_prefix = "#/definitions/";
	if (!defs) {
		defs = hx_map_path(root, "components", "schemas", NULL);
		oa->ref_prefix = "#/components/schemas/";
	}
	if (!defs || defs->kind != HX_MAP) {
		hx_error_set_at(path, 0, 0,
		                "not an OpenAPI document: no 'definitions' "
		                "(v2) or 'components.schemas' (v3)");
		goto fail;
	}
	oa->defs = hx_xcalloc(defs->u.map.n, sizeof(*oa->defs));
	for (i = 0; i < defs->u.map.n; i++) {
		const char *name = hx_node_str(defs->u.map.pairs[i].key);

		if (!name)
			continue;
		oa->defs[oa->ndefs].name = name;
		oa->defs[oa->ndefs].schema = defs->u.map.pairs[i].value;
		oa->ndefs++;
		add_gvks(oa, defs->u.map.pairs[i].value);
	}
	qsort(oa->defs, oa->ndefs, sizeof(*oa->defs), cmp_defn);
	hx_grow(&s->oas, &s->alloc, s->n + 1, sizeof(*s->oas));
	s->oas[s->n++] = oa;
	return 0;
fail:
	openapi_free(oa);
	return -1;
}

void hx_schemas_release(struct hx_schemas *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		openapi_free(s->oas[i]);
	free(s->oas);
	s->oas = NULL;
	s->n = s->alloc = 0;
}

static int cmp_kind(const struct hx_smp_kind *k, const char *kind,
                    const char *group, size_t glen)
{
	int c = strcmp(k->kind, kind);

	if (c)
		return c;
	c = strncmp(k->group, group, glen);
	if (!c && k->group[glen])
		c = 1;
	return c;
}

struct hx_stype hx_schemas_lookup(const struct hx_schemas *s, const char *group,
                                  size_t group_len, const char *version,
                                  const char *kind)
{
	struct hx_stype r = {NULL, NULL};
	size_t i, lo = 0, hi = hx_smp_nkinds, first;

	for (i = 0; s && i < s->n; i++) {
		const struct hx_openapi *oa = s->oas[i];
		size_t j;

		for (j = 0; j < oa->ngvks; j++) {
			const struct gvk *g = &oa->gvks[j];

			if (!strcmp(g->kind, kind) &&
			    strlen(g->group) == group_len &&
			    !strncmp(g->group, group, group_len) &&
			    !strcmp(g->version, version)) {
				r.oa = oa;
				r.pos = g->schema;
				return r;
			}
		}
	}
	/* first entry of (kind, group), then its versions follow */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (cmp_kind(&hx_smp_kinds[mid], kind, group, group_len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	for (i = first; i < hx_smp_nkinds &&
	                !cmp_kind(&hx_smp_kinds[i], kind, group, group_len);
	     i++)
		if (!strcmp(hx_smp_kinds[i].version, version)) {
			r.pos = &hx_smp_nodes[hx_smp_kinds[i].root];
			return r;
		}
	if (first < hx_smp_nkinds &&
	    !cmp_kind(&hx_smp_kinds[first], kind, group, group_len))
		r.pos = &hx_smp_nodes[hx_smp_kinds[first].root];
	return r;
}

struct hx_stype hx_schemas_definition(const struct hx_schemas *s,
                                      const char *name)
{
	struct hx_stype r = {NULL, NULL};
	size_t i;

	for (i = 0; i < s->n; i++) {
		const struct hx_node *d = find_def(s->oas[i], name);

		if (d) {
			r.oa = s->oas[i];
			r.pos = d;
			break;
		}
	}
	return r;
}
