/*
 * Fuzz target: diff --three-way-merge's merge (hx_smp_threeway), on three
 * objects as a release, an upgrade and the cluster would hand them over.
 * Input: ORIGINAL \0 MODIFIED \0 CURRENT (one YAML document each; the
 * schema is MODIFIED's apiVersion and kind in the built-in table).  Each
 * is merged as a strategic merge and as a JSON merge patch.  Oracles: no
 * crash, leak or undefined behaviour (the sanitizers); a result is a map
 * that emits and parses again; and with the cluster holding the new
 * manifest itself (CURRENT = MODIFIED), nothing changes it: the result is
 * MODIFIED (unless MODIFIED holds a null, which a patch can only send as
 * "delete", a key a patch reads as a directive, "$...", or a key twice,
 * which helm's YAML reader refuses).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hx/emit.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/schema.h"
#include "hx/smp.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* The first document of buf, loaded into st's arena; NULL when none. */
static struct hx_node *load(struct hx_stream *st, const char *buf, size_t len)
{
	hx_stream_init_buf(st, "<fuzz>", hx_xstrndup(buf, len), len);
	if (!st->n || hx_doc_load(st, &st->docs[0], &st->arena) < 0)
		return NULL;
	return st->docs[0].root;
}

static const struct hx_schemas none = HX_SCHEMAS_INIT;

static struct hx_stype stype_of(const struct hx_node *m)
{
	const struct hx_node *api = hx_map_get(m, "apiVersion");
	const struct hx_node *kind = hx_map_get(m, "kind");
	const char *a = api ? hx_node_str(api) : NULL;
	const char *k = kind ? hx_node_str(kind) : NULL;
	const char *slash;

	if (!a || !k)
		return (struct hx_stype){0};
	slash = strchr(a, '/');
	return slash ? hx_schemas_lookup(&none, a, (size_t)(slash - a),
	                                 slash + 1, k)
	             : hx_schemas_lookup(&none, "", 0, a, k);
}

/* A null anywhere in n, or a map key starting with '$'. */
static int patch_cannot_say(const struct hx_node *n)
{
	size_t i;

	if (n->kind == HX_SCALAR)
		return hx_node_is_null(n);
	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (patch_cannot_say(n->u.seq.items[i]))
				return 1;
		return 0;
	}
	for (i = 0; i < n->u.map.n; i++) {
		const struct hx_node *k = n->u.map.pairs[i].key;

		if ((k->kind == HX_SCALAR && k->u.s.len &&
		     k->u.s.str[0] == '$') ||
		    patch_cannot_say(n->u.map.pairs[i].value))
			return 1;
	}
	return 0;
}

/* A result emits, and what it emits parses. */
static void check_emits(const struct hx_node *r)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_stream st;
	size_t len;
	char *buf;

	if (r->kind != HX_MAP)
		abort();
	hx_node_emit(&sb, r);
	buf = hx_strbuf_detach(&sb, &len);
	hx_stream_init_buf(&st, "<emitted>", buf ? buf : hx_xstrdup(""), len);
	if (!st.n || hx_doc_load(&st, &st.docs[0], &st.arena) < 0)
		abort();
	hx_stream_release(&st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hx_stream s[3];
	struct hx_node *t[3];
	const char *part[3];
	size_t len[3], i;
	struct hx_stype st;
	int merge_only;

	if (size > 64 * 1024 || fuzz_split(data, size, part, len, 3) < 3)
		return 0;
	memset(s, 0, sizeof(s));
	for (i = 0; i < 3; i++)
		t[i] = load(&s[i], part[i], len[i]);
	hx_error_clear();
	if (!t[0] || !t[1] || !t[2] || t[0]->kind != HX_MAP ||
	    t[1]->kind != HX_MAP || t[2]->kind != HX_MAP)
		goto out;
	st = stype_of(t[1]);
	for (merge_only = 0; merge_only < 2; merge_only++) {
		struct hx_arena a = HX_ARENA_INIT;
		struct hx_node *r;

		if (hx_smp_threeway(&a, &r, t[0], t[1], t[2], st, merge_only) ==
		    0)
			check_emits(r);
		hx_error_clear();
		/* the cluster as the new manifest: the upgrade changes
		 * nothing */
		if (!patch_cannot_say(t[1]) && !s[1].docs[0].dup_key &&
		    hx_smp_threeway(&a, &r, t[0], t[1], t[1], st, merge_only) ==
		            0 &&
		    !fuzz_same_tree(r, t[1]))
			abort();
		hx_error_clear();
		hx_arena_release(&a);
	}
out:
	for (i = 0; i < 3; i++)
		hx_stream_release(&s[i]);
	hx_error_release();
	return 0;
}
