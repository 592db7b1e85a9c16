#include "hx/manifest.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hx/emit.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

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

static int cmp_pairs(const void *a, const void *b)
{
	const struct hx_pair *x = a, *y = b;
	size_t lx = x->key->u.s.len, ly = y->key->u.s.len;
	int c = memcmp(x->key->u.s.str, y->key->u.s.str, lx < ly ? lx : ly);

	return c ? c : (lx > ly) - (lx < ly);
}

struct hx_node *hx_manifest_canonical(struct hx_arena *a,
                                      const struct hx_node *n, int restyle)
{
	struct hx_node *c = hx_node_copy(a, n);
	size_t i;

	if (restyle) {
		c->flow = 0;
		if (c->kind == HX_SCALAR && (c->style == HX_STYLE_SINGLE ||
		                             c->style == HX_STYLE_DOUBLE))
			c->style = HX_STYLE_ANY;
		else if (c->kind == HX_SCALAR && c->style == HX_STYLE_FOLDED)
			c->style = HX_STYLE_LITERAL;
		/* a string of several lines as go-yaml writes it (helm-diff's
		 * re-marshal, kustomize's output): a literal block */
		if (c->kind == HX_SCALAR && c->style != HX_STYLE_PLAIN &&
		    memchr(c->u.s.str, '\n', c->u.s.len))
			c->style = HX_STYLE_LITERAL;
	}
	if (c->kind == HX_SEQ) {
		for (i = 0; i < c->u.seq.n; i++)
			c->u.seq.items[i] = hx_manifest_canonical(
			        a, c->u.seq.items[i], restyle);
	} else if (c->kind == HX_MAP) {
		for (i = 0; i < c->u.map.n; i++) {
			if (c->u.map.pairs[i].key->kind != HX_SCALAR)
				return c;
			c->u.map.pairs[i].value = hx_manifest_canonical(
			        a, c->u.map.pairs[i].value, restyle);
		}
		if (c->u.map.n > 1) /* an empty map has no pairs array */
			qsort(c->u.map.pairs, c->u.map.n,
			      sizeof(*c->u.map.pairs), cmp_pairs);
	}
	return c;
}

static struct hx_node *sorted(struct hx_arena *a, const struct hx_node *n)
{
	return hx_manifest_canonical(a, n, 1);
}

/* Group of an apiVersion: "apps/v1" -> "apps", "v1" -> "v1". */
static char *group_of(const char *api)
{
	const char *slash = strrchr(api, '/');

	return slash ? hx_xstrndup(api, (size_t)(slash - api))
	             : hx_xstrdup(api);
}

/* What pairing needs of an object: its apiVersion, kind and metadata. */
struct meta {
	char *api, *kind, *ns, *name;
	char *hook, *base, *policy; /* annotations, or NULL */
};

static void meta_release(struct meta *m)
{
	free(m->api);
	free(m->kind);
	free(m->ns);
	free(m->name);
	free(m->hook);
	free(m->base);
	free(m->policy);
	memset(m, 0, sizeof(*m));
}

/* A name or kind as it is printed and paired: visible (see
 * hx_strbuf_add_visible), so neither a NUL cuts it short nor a newline or
 * ESC reaches a terminal or forges a line. */
static char *visible(const char *s, size_t len)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_add_visible(&sb, s, len);
	return hx_strbuf_detach(&sb, NULL);
}

static char *dup_str(const struct hx_node *n)
{
	return n && n->kind == HX_SCALAR ? visible(n->u.s.str, n->u.s.len)
	                                 : NULL;
}

static void meta_of_tree(struct meta *m, const struct hx_node *root)
{
	const struct hx_node *meta = hx_map_get(root, "metadata");
	const struct hx_node *ann = hx_map_get(meta, "annotations");

	m->api = dup_str(hx_map_get(root, "apiVersion"));
	m->kind = dup_str(hx_map_get(root, "kind"));
	m->ns = dup_str(hx_map_get(meta, "namespace"));
	m->name = dup_str(hx_map_get(meta, "name"));
	m->hook = dup_str(hx_map_get(ann, "helm.sh/hook"));
	m->base = dup_str(hx_map_get(ann, "helm-diff/base-name"));
	m->policy = dup_str(hx_map_get(ann, "helm.sh/resource-policy"));
}

/*
 * The metadata of one document from libyaml's events, building no tree and
 * stopping once apiVersion, kind and metadata are read: most documents of a
 * diff need nothing else.  Returns 0, or -1 when the
 * document wants the full loader (anchors and aliases, a non-mapping
 * root, a parse error: the loader gives the message).
 */
static int meta_of_events(struct meta *m, const char *text, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t e;
	/* path[d]: the key being read at depth d (1: root, 2: metadata,
	 * 3: annotations), or NULL when that level is not followed */
	char *key[4] = {NULL, NULL, NULL, NULL};
	int depth = 0, skip = 0, want_key[4] = {0, 0, 0, 0}, rc = -1;
	int done = 0;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	while (!done) {
		if (!yaml_parser_parse(&parser, &e))
			goto out;
		switch (e.type) {
		case YAML_STREAM_END_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			done = 1;
			break;
		case YAML_ALIAS_EVENT:
			yaml_event_delete(&e);
			goto out;
		case YAML_SCALAR_EVENT:
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT: {
			const yaml_char_t *anchor =
			        e.type == YAML_SCALAR_EVENT
			                ? e.data.scalar.anchor
			        : e.type == YAML_MAPPING_START_EVENT
			                ? e.data.mapping_start.anchor
			                : e.data.sequence_start.anchor;

			if (anchor) {
				yaml_event_delete(&e);
				goto out;
			}
			if (skip) {
				skip += e.type != YAML_SCALAR_EVENT;
				break;
			}
			if (!depth) {
				if (e.type != YAML_MAPPING_START_EVENT) {
					yaml_event_delete(&e);
					goto out;
				}
				depth = 1;
				want_key[1] = 1;
				break;
			}
			if (want_key[depth]) {
				/* a key: followed only when it is a scalar */
				free(key[depth]);
				key[depth] =
				        e.type == YAML_SCALAR_EVENT
				                ? hx_xstrndup(
				                          (const char *)e.data
				                                  .scalar.value,
				                          e.data.scalar.length)
				                : NULL;
				want_key[depth] = 0;
				if (e.type != YAML_SCALAR_EVENT)
					skip = 1;
				break;
			}
			want_key[depth] = 1;
			if (e.type == YAML_SCALAR_EVENT) {
				const char *k = key[depth];
				char *v = visible(
				        (const char *)e.data.scalar.value,
				        e.data.scalar.length);
				char **slot = NULL;

				if (k && depth == 1 && !strcmp(k, "apiVersion"))
					slot = &m->api;
				else if (k && depth == 1 && !strcmp(k, "kind"))
					slot = &m->kind;
				else if (k && depth == 2 && !strcmp(k, "name"))
					slot = &m->name;
				else if (k && depth == 2 &&
				         !strcmp(k, "namespace"))
					slot = &m->ns;
				else if (k && depth == 3 &&
				         !strcmp(k, "helm.sh/hook"))
					slot = &m->hook;
				else if (k && depth == 3 &&
				         !strcmp(k, "helm-diff/base-name"))
					slot = &m->base;
				else if (k && depth == 3 &&
				         !strcmp(k, "helm.sh/resource-policy"))
					slot = &m->policy;
				if (slot) {
					free(*slot);
					*slot = v;
				} else {
					free(v);
				}
				break;
			}
			/* a collection value: metadata and its annotations
			 * are followed, the rest skipped */
			if (e.type == YAML_MAPPING_START_EVENT && depth < 3 &&
			    key[depth] &&
			    !strcmp(key[depth],
			            depth == 1 ? "metadata" : "annotations")) {
				depth++;
				want_key[depth] = 1;
			} else {
				skip = 1;
			}
			break;
		}
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (skip) {
				skip--;
				break;
			}
			free(key[depth]);
			key[depth] = NULL;
			depth--;
			/* metadata read and apiVersion and kind known: the
			 * rest (spec, data) is not needed */
			if (depth == 1 && m->api && m->kind)
				done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
	}
	rc = 0;
out:
	for (depth = 0; depth < 4; depth++)
		free(key[depth]);
	yaml_parser_delete(&parser);
	return rc;
}

static int is_test_hook(const char *h)
{
	return h && (!strcmp(h, "test") || !strcmp(h, "test-success"));
}

static void add(struct hx_mset *set, const struct meta *mt, const char *text,
                size_t len, const char *source,
                const struct hx_manifest_opts *o)
{
	struct hx_mobj *m;
	struct hx_strbuf key = HX_STRBUF_INIT;

	hx_grow(&set->v, &set->alloc, set->n + 1, sizeof(*set->v));
	m = &set->v[set->n++];
	memset(m, 0, sizeof(*m));
	m->ns = hx_xstrdup(mt->ns && *mt->ns ? mt->ns
	                   : o->ns           ? o->ns
	                                     : "default");
	m->name = hx_xstrdup(mt->base && !o->exact_names ? mt->base
	                     : mt->name                  ? mt->name
	                                                 : "");
	m->kind = hx_xstrdup(mt->kind ? mt->kind : "");
	m->api = group_of(mt->api ? mt->api : "");
	hx_strbuf_addf(&key, "%s, %s, %s (%s)", m->ns, m->name, m->kind,
	               m->api);
	m->key = hx_strbuf_detach(&key, NULL);
	m->content = hx_xstrndup(text, len);
	m->len = len;
	m->source = hx_xstrdup(source);
	m->keep = mt->policy && !strcmp(mt->policy, "keep");
	m->seq = set->n - 1;
}

/* Leave it out?  Test hooks (unless asked for), every hook with no_hooks. */
static int left_out(const struct meta *mt, const struct hx_manifest_opts *o)
{
	return (!o->include_tests && is_test_hook(mt->hook)) ||
	       (o->no_hooks && mt->hook);
}

static int is_list(const struct meta *mt)
{
	size_t klen = mt->kind ? strlen(mt->kind) : 0;

	return klen >= 4 && !strcmp(mt->kind + klen - 4, "List");
}

/* One document (or list item) as a tree; recursion for lists. */
static void add_tree(struct hx_mset *set, const struct hx_node *root,
                     const char *text, size_t len, const char *source,
                     const struct hx_manifest_opts *o, int depth)
{
	const struct hx_node *items = hx_map_get(root, "items");
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct meta mt;
	size_t i;

	memset(&mt, 0, sizeof(mt));
	if (!root || root->kind != HX_MAP)
		return;
	meta_of_tree(&mt, root);
	if (!mt.api && !mt.kind) {
		/* comments only, or no object */
	} else if (is_list(&mt) && items && items->kind == HX_SEQ &&
	           depth < 8) {
		for (i = 0; i < items->u.seq.n; i++) {
			const struct hx_node *it = items->u.seq.items[i];

			hx_strbuf_reset(&sb);
			hx_node_emit(&sb, o->normalize ? sorted(&a, it) : it);
			add_tree(set, it, sb.buf, sb.len, source, o, depth + 1);
		}
	} else if (left_out(&mt, o)) {
		/* a hook left out */
	} else if (o->normalize) {
		/* as helm-diff's yaml re-marshal: sorted keys, no comments,
		 * a closing newline */
		hx_node_emit(&sb, sorted(&a, root));
		add(set, &mt, sb.buf, sb.len, source, o);
	} else {
		add(set, &mt, text, len, source, o);
	}
	meta_release(&mt);
	hx_strbuf_release(&sb);
	hx_arena_release(&a);
}

/* Load text as one document; its tree or NULL with the error set. */
static int add_loaded(struct hx_mset *set, const char *name, const char *text,
                      size_t len, const char *source,
                      const struct hx_manifest_opts *o)
{
	struct hx_stream one;
	int rc = 0;

	hx_stream_init_buf(&one, name, hx_xstrndup(text, len), len);
	if (hx_stream_load_all(&one) < 0)
		rc = -1;
	else if (one.n)
		add_tree(set, one.docs[0].root, text, len, source, o, 0);
	hx_stream_release(&one);
	return rc;
}

/*
 * A document that did not load: the message again from the stream itself,
 * so its lines are the file's.
 */
static void locate_error(struct hx_stream *st, struct hx_doc *d)
{
	char *head = NULL, *msg = NULL;

	hx_error_save(&head, &msg);
	hx_error_clear();
	if (hx_doc_load(st, d, &st->arena) == 0) {
		if (d->dup_key)
			hx_error_set_node(d->dup_key, "duplicate key '%s'",
			                  d->dup_key->u.s.str);
		else
			hx_error_restore(head, msg);
	}
	free(head);
	free(msg);
}

int hx_manifest_parse(struct hx_mset *set, struct hx_stream *st,
                      const struct hx_manifest_opts *o)
{
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < st->n; i++) {
		struct hx_doc *d = &st->docs[i];
		const char *p;
		size_t len, srclen = 0;
		struct meta mt;
		char *src;

		hx_doc_unpiece(st, d); /* the objects point into its bytes */
		p = d->modified ? d->out : st->buf + d->off;
		len = d->modified ? d->out_len : d->len;

		if (d->deleted || d->empty)
			continue;
		/* the document marker line is not content */
		if (len >= 3 && !memcmp(p, "---", 3) &&
		    (len == 3 || p[3] == '\n' || p[3] == '\r')) {
			const char *nl = memchr(p, '\n', len);
			size_t skip = nl ? (size_t)(nl - p) + 1 : len;

			p += skip;
			len -= skip;
		}
		trim(&p, &len);
		src = hx_doc_source(st, d, &srclen);
		memset(&mt, 0, sizeof(mt));
		if (o->normalize || meta_of_events(&mt, p, len) < 0 ||
		    is_list(&mt)) {
			/* the loader: lists, normalisation, anchors, errors
			 * (at the stream's lines) */
			rc = add_loaded(set, st->name, p, len,
			                src ? src : st->name, o);
			if (rc < 0)
				locate_error(st, &st->docs[i]);
		} else if ((mt.api || mt.kind) && !left_out(&mt, o)) {
			add(set, &mt, p, len, src ? src : st->name, o);
		}
		meta_release(&mt);
		free(src);
	}
	return rc;
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
