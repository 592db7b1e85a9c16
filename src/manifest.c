#include "hx/manifest.h"

#include <stdlib.h>
#include <string.h>

#include "hx/emit.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

/* Go's strings.TrimSpace, ASCII. */
static void trim(const char **s, size_t *len)
{
	while (*len && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len && is_space((*s)[*len - 1]))
		(*len)--;
}

static const char *str_or_empty(const struct hx_node *n)
{
	const char *s = hx_node_str(n);

	return s ? s : "";
}

static int cmp_pairs(const void *a, const void *b)
{
	const struct hx_pair *x = a, *y = b;
	size_t lx = x->key->u.s.len, ly = y->key->u.s.len;
	int c = memcmp(x->key->u.s.str, y->key->u.s.str, lx < ly ? lx : ly);

	return c ? c : (lx > ly) - (lx < ly);
}

/*
 * A copy of n as a yaml re-marshal writes it: every map's keys sorted
 * (scalar keys only), block collections, quotes only where needed.
 */
static struct hx_node *sorted(struct hx_arena *a, const struct hx_node *n)
{
	struct hx_node *c = hx_node_copy(a, n);
	size_t i;

	c->flow = 0;
	if (c->kind == HX_SCALAR) {
		if (c->style == HX_STYLE_SINGLE || c->style == HX_STYLE_DOUBLE)
			c->style = HX_STYLE_ANY;
		else if (c->style == HX_STYLE_FOLDED)
			c->style = HX_STYLE_LITERAL;
	} else if (c->kind == HX_SEQ) {
		for (i = 0; i < c->u.seq.n; i++)
			c->u.seq.items[i] = sorted(a, c->u.seq.items[i]);
	} else if (c->kind == HX_MAP) {
		for (i = 0; i < c->u.map.n; i++) {
			if (c->u.map.pairs[i].key->kind != HX_SCALAR)
				return c;
			c->u.map.pairs[i].value =
			        sorted(a, c->u.map.pairs[i].value);
		}
		qsort(c->u.map.pairs, c->u.map.n, sizeof(*c->u.map.pairs),
		      cmp_pairs);
	}
	return c;
}

/* Group of an apiVersion: "apps/v1" -> "apps", "v1" -> "v1". */
static char *group_of(const char *api)
{
	const char *slash = strrchr(api, '/');

	return slash ? hx_xstrndup(api, (size_t)(slash - api))
	             : hx_xstrdup(api);
}

static int is_test_hook(const struct hx_node *ann)
{
	const char *h = hx_node_str(hx_map_get(ann, "helm.sh/hook"));

	return h && (!strcmp(h, "test") || !strcmp(h, "test-success"));
}

static void add(struct hx_mset *set, const struct hx_node *root,
                const char *text, size_t len, const char *source,
                const struct hx_manifest_opts *o)
{
	const struct hx_node *meta = hx_map_get(root, "metadata");
	const struct hx_node *ann = hx_map_get(meta, "annotations");
	const char *ns = str_or_empty(hx_map_get(meta, "namespace"));
	const char *base = hx_node_str(hx_map_get(ann, "helm-diff/base-name"));
	const char *policy =
	        hx_node_str(hx_map_get(ann, "helm.sh/resource-policy"));
	struct hx_mobj *m;
	struct hx_strbuf key = HX_STRBUF_INIT;

	hx_grow(&set->v, &set->alloc, set->n + 1, sizeof(*set->v));
	m = &set->v[set->n++];
	memset(m, 0, sizeof(*m));
	m->ns = hx_xstrdup(*ns ? ns : o->ns ? o->ns : "default");
	m->name = hx_xstrdup(base ? base
	                          : str_or_empty(hx_map_path(root, "metadata",
	                                                     "name", NULL)));
	m->kind = hx_xstrdup(str_or_empty(hx_map_get(root, "kind")));
	m->api = group_of(str_or_empty(hx_map_get(root, "apiVersion")));
	hx_strbuf_addf(&key, "%s, %s, %s (%s)", m->ns, m->name, m->kind,
	               m->api);
	m->key = hx_strbuf_detach(&key, NULL);
	m->content = hx_xstrndup(text, len);
	m->len = len;
	m->source = hx_xstrdup(source);
	m->keep = policy && !strcmp(policy, "keep");
	m->seq = set->n - 1;
}

/* One document (or list item) with its text; recursion for lists. */
static void add_doc(struct hx_mset *set, const struct hx_node *root,
                    const char *text, size_t len, const char *source,
                    const struct hx_manifest_opts *o, int depth)
{
	const char *api = str_or_empty(hx_map_get(root, "apiVersion"));
	const char *kind = str_or_empty(hx_map_get(root, "kind"));
	const struct hx_node *items = hx_map_get(root, "items");
	size_t klen = strlen(kind), i;
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_strbuf sb = HX_STRBUF_INIT;

	if (!root || root->kind != HX_MAP || (!*api && !*kind))
		return; /* comments only, or no object */
	if (klen >= 4 && !strcmp(kind + klen - 4, "List") && items &&
	    items->kind == HX_SEQ && depth < 8) {
		for (i = 0; i < items->u.seq.n; i++) {
			const struct hx_node *it = items->u.seq.items[i];

			hx_strbuf_reset(&sb);
			hx_node_emit(&sb, o->normalize ? sorted(&a, it) : it);
			add_doc(set, it, sb.buf, sb.len, source, o, depth + 1);
		}
		hx_strbuf_release(&sb);
		hx_arena_release(&a);
		return;
	}
	if ((!o->include_tests &&
	     is_test_hook(
	             hx_map_path(root, "metadata", "annotations", NULL))) ||
	    (o->no_hooks && hx_map_path(root, "metadata", "annotations",
	                                "helm.sh/hook", NULL)))
		return;
	if (o->normalize) {
		/* as helm-diff's yaml re-marshal: sorted keys, no comments,
		 * a closing newline */
		hx_node_emit(&sb, sorted(&a, root));
		add(set, root, sb.buf, sb.len, source, o);
	} else {
		add(set, root, text, len, source, o);
	}
	hx_strbuf_release(&sb);
	hx_arena_release(&a);
}

int hx_manifest_parse(struct hx_mset *set, struct hx_stream *st,
                      const struct hx_manifest_opts *o)
{
	struct hx_strbuf text = HX_STRBUF_INIT;
	size_t i;

	if (hx_stream_load_all(st) < 0)
		return -1;
	for (i = 0; i < st->n; i++) {
		const struct hx_doc *d = &st->docs[i];
		const char *p;
		size_t len, srclen = 0;
		char *src;

		if (d->deleted || !d->root)
			continue;
		hx_strbuf_reset(&text);
		hx_doc_write(&text, st, d);
		p = text.buf;
		len = text.len;
		/* the document marker line is not content */
		if (d->explicit_start && !d->inline_start && len >= 3 &&
		    !memcmp(p, "---", 3)) {
			const char *nl = memchr(p, '\n', len);
			size_t skip = nl ? (size_t)(nl - p) + 1 : len;

			p += skip;
			len -= skip;
		}
		trim(&p, &len);
		src = hx_doc_source(st, d, &srclen);
		add_doc(set, d->root, p, len, src ? src : st->name, o, 0);
		free(src);
	}
	hx_strbuf_release(&text);
	return 0;
}

static int cmp_objs(const void *a, const void *b)
{
	const struct hx_mobj *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->seq > y->seq) - (x->seq < y->seq);
}

int hx_manifest_finish(struct hx_mset *set)
{
	size_t i;

	if (set->n)
		qsort(set->v, set->n, sizeof(*set->v), cmp_objs);
	for (i = 1; i < set->n; i++)
		if (!strcmp(set->v[i - 1].key, set->v[i].key)) {
			hx_error_set("two objects are '%s': in '%s' and in "
			             "'%s'",
			             set->v[i].key, set->v[i - 1].source,
			             set->v[i].source);
			return -1;
		}
	return 0;
}

const struct hx_mobj *hx_manifest_find(const struct hx_mset *set,
                                       const char *key)
{
	size_t lo = 0, hi = set->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->v[mid].key, key);

		if (!c)
			return &set->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void hx_mset_release(struct hx_mset *set)
{
	size_t i;

	for (i = 0; i < set->n; i++) {
		struct hx_mobj *m = &set->v[i];

		free(m->key);
		free(m->ns);
		free(m->name);
		free(m->kind);
		free(m->api);
		free(m->content);
		free(m->source);
	}
	free(set->v);
	set->v = NULL;
	set->n = set->alloc = 0;
}
