/*
 * Loading a document of a stream into a tree (yamldoc.h): libyaml's
 * events, with byte spans, aliases capped, duplicate keys noted.  The
 * stream itself (split, read, released) is yamlstream.c.
 */
#include "hx/yamldoc.h"
#include "hx/yamlresolve.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "hx/err.h"
#include "hx/util.h"

#include "hx/banned.h"

/* ---- loading -------------------------------------------------------- */

struct anchor {
	const char *name;     /* arena copy */
	struct hx_node *node; /* NULL while the node is still open */
};

struct frame {
	struct hx_node *node;
	struct hx_node *key; /* pending key of a map, or NULL */
	const char *anchor;  /* anchor to bind when the collection ends */
};

struct loader {
	struct hx_stream *st;
	struct hx_doc *doc;
	struct hx_arena *a;
	struct frame *stack;
	size_t depth, stack_alloc;
	struct anchor *anchors;
	size_t nanchors, anchors_alloc;
	struct hx_node *root;
	size_t nodes, alias_nodes;
	const struct hx_node *dup_key;
	/* libyaml's marks count characters; spans want bytes */
	const char *src;
	size_t src_len;
	int ascii;      /* no byte above 0x7F: a mark's index is its offset */
	int spans;      /* every span so far is right */
	size_t ci, bi;  /* slow path: character ci starts at byte bi */
	size_t bom_len; /* a byte order mark libyaml does not count */
};

static int is_ascii(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < n; i++)
		acc |= u[i];
	return acc < 0x80;
}

/* The byte offset in the document of the character a mark points to. */
static unsigned byte_at(struct loader *l, const yaml_mark_t *m)
{
	const unsigned char *u = (const unsigned char *)l->src;

	if (l->ascii)
		return (unsigned)m->index;
	if (m->index < l->ci) {
		l->ci = 0;
		l->bi = l->bom_len;
	}
	while (l->ci < m->index && l->bi < l->src_len) {
		unsigned char c = u[l->bi];

		l->bi += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
		l->ci++;
	}
	if (l->bi > l->src_len || l->ci != m->index) {
		l->spans = 0;
		return 0;
	}
	return (unsigned)l->bi;
}

static void set_pos(struct loader *l, struct hx_node *n, const yaml_mark_t *m)
{
	n->file = l->st->name;
	n->line = l->doc->line + (unsigned)m->line;
	n->col = (unsigned)m->column + 1;
	n->start = byte_at(l, m);
}

/*
 * Count n's nodes into *count (at most budget: -1 past it) and its height
 * (1 for a scalar) into *height.  Trees here nest at most HX_MAX_DEPTH
 * levels (the loader refuses deeper ones), which bounds the recursion.
 */
static int count_nodes(const struct hx_node *n, size_t budget, size_t *count,
                       size_t depth, size_t *height)
{
	size_t i;

	if (++*count > budget)
		return -1;
	if (depth > *height)
		*height = depth;
	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (count_nodes(n->u.seq.items[i], budget, count,
			                depth + 1, height) < 0)
				return -1;
	} else if (n->kind == HX_MAP) {
		for (i = 0; i < n->u.map.n; i++)
			if (count_nodes(n->u.map.pairs[i].key, budget, count,
			                depth + 1, height) < 0 ||
			    count_nodes(n->u.map.pairs[i].value, budget, count,
			                depth + 1, height) < 0)
				return -1;
	}
	return 0;
}

static void too_deep(struct loader *l, const yaml_mark_t *m)
{
	hx_error_set_at(l->st->name, l->doc->line + (unsigned)m->line,
	                (unsigned)m->column + 1, "nesting deeper than %d",
	                HX_MAX_DEPTH);
}

/* Bind the innermost open anchor of that name to its finished collection. */
static void bind_anchor(struct loader *l, const char *name, struct hx_node *n)
{
	size_t i;

	for (i = l->nanchors; i-- > 0;)
		if (!l->anchors[i].node && l->anchors[i].name == name) {
			l->anchors[i].node = n;
			return;
		}
}

static void open_anchor(struct loader *l, const char *name)
{
	hx_grow(&l->anchors, &l->anchors_alloc, l->nanchors + 1,
	        sizeof(*l->anchors));
	l->anchors[l->nanchors].name =
	        hx_arena_strndup(l->a, name, strlen(name));
	l->anchors[l->nanchors].node = NULL;
	l->nanchors++;
}

static int check_dups(struct loader *l, const struct hx_node *map);

/* Attach a finished node to its parent (or make it the root). */
static int attach(struct loader *l, struct hx_node *n)
{
	struct frame *f;

	l->nodes++;
	if (!l->depth) {
		l->root = n;
		return 0;
	}
	f = &l->stack[l->depth - 1];
	if (f->node->kind == HX_SEQ) {
		hx_seq_append(l->a, f->node, n);
	} else if (!f->key) {
		f->key = n;
	} else {
		struct hx_node *map = f->node;

		/* append without the look-up: duplicates are checked at the end
		 */
		if (map->u.map.n == map->u.map.alloc) {
			size_t cap =
			        map->u.map.alloc ? map->u.map.alloc * 2 : 4;
			struct hx_pair *p =
			        hx_arena_alloc(l->a, cap * sizeof(*p));

			if (map->u.map.n)
				memcpy(p, map->u.map.pairs,
				       map->u.map.n * sizeof(*p));
			map->u.map.pairs = p;
			map->u.map.alloc = cap;
		}
		map->u.map.pairs[map->u.map.n].key = f->key;
		map->u.map.pairs[map->u.map.n].value = n;
		map->u.map.n++;
		f->key = NULL;
	}
	return 0;
}

static int on_alias(struct loader *l, const yaml_event_t *e)
{
	const char *name = (const char *)e->data.alias.anchor;
	size_t budget, count = 0, height = 0, i;
	struct hx_node *n;

	for (i = l->nanchors; i-- > 0;)
		if (!strcmp(l->anchors[i].name, name))
			break;
	if (i == (size_t)-1) {
		hx_error_set_at(l->st->name,
		                l->doc->line + (unsigned)e->start_mark.line,
		                (unsigned)e->start_mark.column + 1,
		                "undefined alias '*%s'", name);
		return -1;
	}
	if (!l->anchors[i].node) {
		hx_error_set_at(l->st->name,
		                l->doc->line + (unsigned)e->start_mark.line,
		                (unsigned)e->start_mark.column + 1,
		                "alias '*%s' refers to its own collection",
		                name);
		return -1;
	}
	budget = HX_ALIAS_RATIO * l->nodes;
	if (budget < HX_ALIAS_MIN_BUDGET)
		budget = HX_ALIAS_MIN_BUDGET;
	if (l->alias_nodes > budget ||
	    count_nodes(l->anchors[i].node, budget - l->alias_nodes, &count, 1,
	                &height) < 0) {
		hx_error_set_at(l->st->name,
		                l->doc->line + (unsigned)e->start_mark.line,
		                (unsigned)e->start_mark.column + 1,
		                "aliases expand to more than %zu nodes "
		                "(billion laughs?)",
		                budget);
		return -1;
	}
	if (l->depth + height > HX_MAX_DEPTH) {
		too_deep(l, &e->start_mark);
		return -1;
	}
	l->alias_nodes += count;
	l->spans = 0; /* the copy's spans are the anchor's */
	n = hx_node_copy(l->a, l->anchors[i].node);
	return attach(l, n);
}

static size_t scalar_max = HX_SCALAR_MAX_DEFAULT;

void hx_yaml_set_scalar_max(size_t n)
{
	scalar_max = n;
}

static int on_scalar(struct loader *l, const yaml_event_t *e)
{
	struct hx_node *n = hx_arena_alloc(l->a, sizeof(*n));
	const char *tag = (const char *)e->data.scalar.tag;

	if (e->data.scalar.length > scalar_max) {
		char lim[32];

		hx_describe_size(lim, sizeof(lim), scalar_max);
		hx_error_set_at(l->st->name,
		                l->doc->line + (unsigned)e->start_mark.line,
		                (unsigned)e->start_mark.column + 1,
		                "a scalar of %zu bytes is larger than %s (the "
		                "limit is HELM_X_MAX_SCALAR_BYTES)",
		                e->data.scalar.length, lim);
		return -1;
	}

	n->kind = HX_SCALAR;
	switch (e->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		n->style = HX_STYLE_SINGLE;
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		n->style = HX_STYLE_DOUBLE;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
		n->style = HX_STYLE_LITERAL;
		break;
	case YAML_FOLDED_SCALAR_STYLE:
		n->style = HX_STYLE_FOLDED;
		break;
	default:
		n->style = HX_STYLE_PLAIN;
	}
	if (tag && strcmp(tag, "!"))
		n->tag = hx_yaml_tag(l->a, tag);
	else if (tag)
		n->style =
		        n->style == HX_STYLE_PLAIN ? HX_STYLE_DOUBLE : n->style;
	n->u.s.str = hx_arena_strndup(l->a, (const char *)e->data.scalar.value,
	                              e->data.scalar.length);
	n->u.s.len = e->data.scalar.length;
	set_pos(l, n, &e->start_mark);
	n->end = byte_at(l, &e->end_mark);
	if (e->data.scalar.anchor) {
		open_anchor(l, (const char *)e->data.scalar.anchor);
		l->anchors[l->nanchors - 1].node = n;
	}
	return attach(l, n);
}

static int on_start(struct loader *l, const yaml_event_t *e, int is_map)
{
	struct hx_node *n = hx_arena_alloc(l->a, sizeof(*n));
	const char *tag = is_map ? (const char *)e->data.mapping_start.tag
	                         : (const char *)e->data.sequence_start.tag;
	const char *anchor =
	        is_map ? (const char *)e->data.mapping_start.anchor
	               : (const char *)e->data.sequence_start.anchor;
	struct frame *f;

	if (l->depth >= HX_MAX_DEPTH) {
		too_deep(l, &e->start_mark);
		return -1;
	}
	n->kind = is_map ? HX_MAP : HX_SEQ;
	n->flow =
	        is_map ? e->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
	               : e->data.sequence_start.style ==
	                         YAML_FLOW_SEQUENCE_STYLE;
	if (tag && strcmp(tag, "!"))
		n->tag = hx_yaml_tag(l->a, tag);
	set_pos(l, n, &e->start_mark);
	if (anchor)
		open_anchor(l, anchor);
	hx_grow(&l->stack, &l->stack_alloc, l->depth + 1, sizeof(*l->stack));
	f = &l->stack[l->depth++];
	f->node = n;
	f->key = NULL;
	f->anchor = anchor ? l->anchors[l->nanchors - 1].name : NULL;
	return 0;
}

static int on_end(struct loader *l, const yaml_event_t *e)
{
	struct frame f = l->stack[--l->depth];
	struct hx_node *n = f.node;
	int rc = 0;

	if (n->flow)
		n->end = byte_at(l, &e->end_mark);
	else if (n->kind == HX_MAP && n->u.map.n)
		n->end = n->u.map.pairs[n->u.map.n - 1].value->end;
	else if (n->kind == HX_SEQ && n->u.seq.n)
		n->end = n->u.seq.items[n->u.seq.n - 1]->end;
	else
		n->end = n->start;

	if (f.node->kind == HX_MAP && check_dups(l, f.node) < 0)
		return -1;
	/* each merge key in turn (a map may hold more than one) */
	while (f.node->kind == HX_MAP && (rc = hx_yaml_merge(l->a, f.node)) > 0)
		l->spans = 0; /* the tree is no longer the text */
	if (rc < 0)
		return -1;
	if (f.anchor)
		bind_anchor(l, f.anchor, f.node);
	return attach(l, f.node);
}

static int cmp_keyp(const void *a, const void *b)
{
	const struct hx_node *x = *(const struct hx_node *const *)a;
	const struct hx_node *y = *(const struct hx_node *const *)b;
	size_t n = x->u.s.len < y->u.s.len ? x->u.s.len : y->u.s.len;
	int c = memcmp(x->u.s.str, y->u.s.str, n);

	if (c)
		return c;
	if (x->u.s.len != y->u.s.len)
		return x->u.s.len < y->u.s.len ? -1 : 1;
	/* equal keys: the later one (by position) is the duplicate */
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->col < y->col ? -1 : x->col > y->col;
}

static void note_dup(struct loader *l, const struct hx_node *k)
{
	if (!l->dup_key)
		l->dup_key = k;
}

static int check_dups(struct loader *l, const struct hx_node *map)
{
	size_t n = map->u.map.n, i, j;
	const struct hx_pair *p = map->u.map.pairs;

	if (n < 2 || l->dup_key)
		return 0;
	if (n <= 16) {
		for (i = 1; i < n; i++) {
			const struct hx_node *k = p[i].key;

			if (k->kind != HX_SCALAR)
				continue;
			for (j = 0; j < i; j++)
				if (p[j].key->kind == HX_SCALAR &&
				    p[j].key->u.s.len == k->u.s.len &&
				    !memcmp(p[j].key->u.s.str, k->u.s.str,
				            k->u.s.len)) {
					note_dup(l, k);
					return 0;
				}
		}
		return 0;
	} else {
		const struct hx_node **keys = hx_xmalloc(n * sizeof(*keys));
		size_t m = 0;

		for (i = 0; i < n; i++)
			if (p[i].key->kind == HX_SCALAR)
				keys[m++] = p[i].key;
		qsort(keys, m, sizeof(*keys), cmp_keyp);
		for (i = 1; i < m; i++)
			if (keys[i]->u.s.len == keys[i - 1]->u.s.len &&
			    !memcmp(keys[i]->u.s.str, keys[i - 1]->u.s.str,
			            keys[i]->u.s.len)) {
				note_dup(l, keys[i]);
				break;
			}
		free(keys);
	}
	return 0;
}

static void parse_error(struct loader *l, const yaml_parser_t *p)
{
	const yaml_mark_t *m = &p->problem_mark;
	const char *problem = p->problem ? p->problem : "malformed YAML";

	if (p->error == YAML_READER_ERROR) {
		/* the reader knows only a byte offset: count lines to it */
		const char *b = l->st->buf + l->doc->off, *q;
		size_t off = p->problem_offset < l->doc->len ? p->problem_offset
		                                             : l->doc->len;
		unsigned line = 0, col = 1;

		for (q = b; q < b + off; q++) {
			if (*q == '\n') {
				line++;
				col = 1;
			} else if (((unsigned char)*q & 0xC0) != 0x80) {
				col++; /* characters, not UTF-8 continuation
				          bytes */
			}
		}
		if (p->problem_value >= 0)
			hx_error_set_at(l->st->name, l->doc->line + line, col,
			                "%s (byte 0x%02X)", problem,
			                (unsigned)p->problem_value & 0xFF);
		else
			hx_error_set_at(l->st->name, l->doc->line + line, col,
			                "%s", problem);
		return;
	}

	if (p->context && p->context_mark.line != m->line)
		hx_error_set_at(l->st->name, l->doc->line + (unsigned)m->line,
		                (unsigned)m->column + 1, "%s (%s at line %u)",
		                problem, p->context,
		                l->doc->line + (unsigned)p->context_mark.line);
	else if (p->context)
		hx_error_set_at(l->st->name, l->doc->line + (unsigned)m->line,
		                (unsigned)m->column + 1, "%s (%s)", problem,
		                p->context);
	else
		hx_error_set_at(l->st->name, l->doc->line + (unsigned)m->line,
		                (unsigned)m->column + 1, "%s", problem);
}

/*
 * A JSON document (its root is a flow collection) is re-emitted in block
 * style, and its strings pick plain style where that reads back the same.
 */
static void unjson(struct hx_node *n)
{
	size_t i;

	switch (n->kind) {
	case HX_SCALAR:
		if (n->style == HX_STYLE_DOUBLE && !n->tag)
			n->style = HX_STYLE_ANY;
		break;
	case HX_SEQ:
		n->flow = 0;
		for (i = 0; i < n->u.seq.n; i++)
			unjson(n->u.seq.items[i]);
		break;
	case HX_MAP:
		n->flow = 0;
		for (i = 0; i < n->u.map.n; i++) {
			unjson(n->u.map.pairs[i].key);
			unjson(n->u.map.pairs[i].value);
		}
		break;
	}
}

/*
 * A carriage return without a line feed ends a line for YAML but not for
 * the splitter (nor for most tools): refused, so that a document's lines
 * are the same for both.
 */
static int lone_cr(const struct hx_stream *st, const struct hx_doc *doc)
{
	const char *b = st->buf + doc->off, *end = b + doc->len, *p = b;

	while ((p = memchr(p, '\r', (size_t)(end - p))) != NULL) {
		if (p + 1 == end || p[1] != '\n') {
			const char *q, *ls = b;
			unsigned line = doc->line;

			for (q = b; q < p; q++)
				if (*q == '\n') {
					line++;
					ls = q + 1;
				}
			hx_error_set_at(st->name, line, (unsigned)(p - ls) + 1,
			                "a carriage return without a line feed "
			                "(write LF or CR LF line ends)");
			return -1;
		}
		p++;
	}
	return 0;
}

int hx_doc_load(struct hx_stream *st, struct hx_doc *doc, struct hx_arena *a)
{
	struct loader l;
	yaml_parser_t parser;
	yaml_event_t e;
	int rc = -1, docs = 0, done = 0;

	doc->root = NULL;
	doc->dup_key = NULL;
	doc->spans = 0;
	if (doc->empty)
		return 0;
	if (lone_cr(st, doc) < 0)
		return -1;
	memset(&l, 0, sizeof(l));
	l.st = st;
	l.doc = doc;
	l.a = a;
	l.src = st->buf + doc->off;
	l.src_len = doc->len;
	l.ascii = is_ascii(l.src, l.src_len);
	l.bom_len = doc->off == 0 && doc->len >= 3 &&
	                            !memcmp(l.src, "\xEF\xBB\xBF", 3)
	                    ? 3
	                    : 0;
	/* a UTF-16 byte order mark: libyaml converts, offsets are not bytes */
	l.spans = !(doc->len >= 2 && (!memcmp(l.src, "\xFF\xFE", 2) ||
	                              !memcmp(l.src, "\xFE\xFF", 2)));
	l.bi = l.bom_len;
	if (!yaml_parser_initialize(&parser)) {
		hx_error_set("cannot initialize the YAML parser");
		return -1;
	}
	yaml_parser_set_input_string(
	        &parser, (const unsigned char *)st->buf + doc->off, doc->len);
	while (!done) {
		rc = 0;
		if (!yaml_parser_parse(&parser, &e)) {
			parse_error(&l, &parser);
			rc = -1;
			goto out;
		}
		switch (e.type) {
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				hx_error_set_at(
				        st->name,
				        doc->line + (unsigned)e.start_mark.line,
				        (unsigned)e.start_mark.column + 1,
				        "unexpected document start");
				yaml_event_delete(&e);
				rc = -1;
				goto out;
			}
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(&l, &e);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(&l, &e, 0);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(&l, &e, 1);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = on_end(&l, &e);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(&l, &e);
			break;
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		default:
			break;
		}
		yaml_event_delete(&e);
		if (rc < 0)
			goto out;
	}
	rc = -1;
	if (l.root && l.root->kind != HX_SCALAR && l.root->flow) {
		unjson(l.root);
		l.spans = 0; /* styles changed: the tree is not the text */
	}
	doc->root = l.root;
	doc->spans = l.root && l.spans;
	doc->dup_key = l.dup_key;
	if (!l.root)
		doc->empty = 1;
	rc = 0;
out:
	yaml_parser_delete(&parser);
	free(l.stack);
	free(l.anchors);
	return rc;
}

int hx_stream_load_all(struct hx_stream *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		struct hx_doc *d = &st->docs[i];

		if (hx_doc_load(st, d, &st->arena) < 0)
			return -1;
		if (d->dup_key) {
			hx_error_set_node(d->dup_key, "duplicate key '%s'",
			                  d->dup_key->u.s.str);
			return -1;
		}
	}
	return 0;
}
