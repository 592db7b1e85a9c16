#include "hx/jsonpatch.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

enum op { OP_ADD, OP_REMOVE, OP_REPLACE, OP_MOVE, OP_COPY, OP_TEST, OP_BAD };
static const char *const op_names[] = {"add",  "remove", "replace",
                                       "move", "copy",   "test"};

struct pointer {
	char **tok; /* owned, unescaped tokens */
	size_t n;
};

static void pointer_release(struct pointer *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free(p->tok[i]);
	free(p->tok);
	p->tok = NULL;
	p->n = 0;
}

/* Parse an RFC 6901 pointer; returns a static reason on failure. */
static const char *pointer_parse(struct pointer *out, const char *s)
{
	size_t alloc = 0;

	out->tok = NULL;
	out->n = 0;
	if (!*s)
		return NULL;
	if (*s != '/')
		return "must be empty or start with '/'";
	while (*s == '/') {
		struct hx_strbuf tok = HX_STRBUF_INIT;

		s++;
		while (*s && *s != '/') {
			if (*s == '~') {
				if (s[1] == '0')
					hx_strbuf_addch(&tok, '~');
				else if (s[1] == '1')
					hx_strbuf_addch(&tok, '/');
				else {
					hx_strbuf_release(&tok);
					pointer_release(out);
					return "'~' must be followed by '0' or "
					       "'1'";
				}
				s += 2;
			} else {
				hx_strbuf_addch(&tok, *s++);
			}
		}
		hx_grow(&out->tok, &alloc, out->n + 1, sizeof(*out->tok));
		out->tok[out->n++] = hx_strbuf_detach(&tok, NULL);
	}
	return NULL;
}

/* RFC 6901 array index: "0" or a decimal without leading zeros. */
static int parse_index(const char *t, size_t *out)
{
	size_t v = 0;
	const char *p;

	if (!*t || (t[0] == '0' && t[1]))
		return 0;
	for (p = t; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		if (v > ((size_t)-1 - 9) / 10)
			return 0;
		v = v * 10 + (size_t)(*p - '0');
	}
	*out = v;
	return 1;
}

/*
 * Walk tokens [0, n) from root; NULL when a step does not exist.  *reached
 * (when not NULL) gets the number of tokens that resolved.
 */
static struct hx_node *walk_to(struct hx_node *root, const struct pointer *p,
                               size_t n, size_t *reached)
{
	struct hx_node *cur = root, *next = root;
	size_t i, idx;

	for (i = 0; cur && i < n; i++) {
		const char *t = p->tok[i];

		if (cur->kind == HX_MAP)
			next = hx_map_getn(cur, t, strlen(t));
		else if (cur->kind == HX_SEQ && parse_index(t, &idx) &&
		         idx < cur->u.seq.n)
			next = cur->u.seq.items[idx];
		else
			next = NULL;
		if (!next)
			break;
		cur = next;
	}
	if (reached)
		*reached = i;
	return i == n ? cur : NULL;
}

static struct hx_node *walk(struct hx_node *root, const struct pointer *p,
                            size_t n)
{
	return walk_to(root, p, n, NULL);
}

struct hx_node *hx_pointer_get(struct hx_node *root, const char *ptr)
{
	struct pointer p;
	struct hx_node *n;

	if (pointer_parse(&p, ptr))
		return NULL;
	n = walk(root, &p, p.n);
	pointer_release(&p);
	return n;
}

static enum op op_of(const struct hx_node *opnode)
{
	const char *name = hx_node_str(hx_map_get(opnode, "op"));
	int i;

	if (!name)
		return OP_BAD;
	for (i = 0; i < OP_BAD; i++)
		if (!strcmp(name, op_names[i]))
			return (enum op)i;
	return OP_BAD;
}

static int check_pointer_member(const struct hx_node *op, size_t idx,
                                const char *name, const char *member)
{
	const struct hx_node *v = hx_map_get(op, member);
	struct pointer p;
	const char *why;

	if (!v) {
		hx_error_set_node(op, "op %zu '%s': missing '%s'", idx, name,
		                  member);
		return -1;
	}
	if (v->kind != HX_SCALAR ||
	    hx_node_resolve(v, NULL, NULL) == HX_TYPE_NULL) {
		hx_error_set_node(v, "op %zu '%s': '%s' must be a string", idx,
		                  name, member);
		return -1;
	}
	if (!hx_node_str(v)) {
		hx_error_set_node(v, "op %zu '%s': '%s' holds a NUL byte", idx,
		                  name, member);
		return -1;
	}
	why = pointer_parse(&p, v->u.s.str);
	if (why) {
		hx_error_set_node(v, "op %zu '%s': invalid pointer '%s': %s",
		                  idx, name, v->u.s.str, why);
		return -1;
	}
	pointer_release(&p);
	return 0;
}

static int check_op(const struct hx_node *op, size_t idx)
{
	const struct hx_node *opn;
	enum op kind;

	if (op->kind != HX_MAP) {
		hx_error_set_node(op, "op %zu: an operation must be a mapping",
		                  idx);
		return -1;
	}
	opn = hx_map_get(op, "op");
	if (!opn) {
		hx_error_set_node(op, "op %zu: missing 'op'", idx);
		return -1;
	}
	kind = op_of(op);
	if (kind == OP_BAD) {
		struct hx_strbuf sb = HX_STRBUF_INIT;

		if (opn->kind == HX_SCALAR)
			hx_strbuf_adds(&sb, opn->u.s.str);
		else
			hx_node_emit_flow(&sb, opn);
		hx_error_set_node(opn,
		                  "op %zu: unknown op '%s' (want add, remove, "
		                  "replace, move, copy or test)",
		                  idx, sb.buf);
		hx_strbuf_release(&sb);
		return -1;
	}
	if (check_pointer_member(op, idx, op_names[kind], "path") < 0)
		return -1;
	if ((kind == OP_MOVE || kind == OP_COPY) &&
	    check_pointer_member(op, idx, op_names[kind], "from") < 0)
		return -1;
	if ((kind == OP_ADD || kind == OP_REPLACE || kind == OP_TEST) &&
	    !hx_map_get(op, "value")) {
		hx_error_set_node(op, "op %zu '%s': missing 'value'", idx,
		                  op_names[kind]);
		return -1;
	}
	return 0;
}

int hx_jsonpatch_check(const struct hx_node *ops)
{
	size_t i;

	if (!ops || ops->kind != HX_SEQ) {
		hx_error_set_node(ops, "a JSON patch must be a list of "
		                       "operations");
		return -1;
	}
	for (i = 0; i < ops->u.seq.n; i++)
		if (check_op(ops->u.seq.items[i], i) < 0)
			return -1;
	return 0;
}

/* The state of one op, for messages. */
struct opctx {
	const struct hx_node *op;
	size_t idx;
	const char *name;
};

static void op_error(const struct opctx *c, const char *fmt, ...)
        HX_PRINTF(2, 3);
static void op_error(const struct opctx *c, const char *fmt, ...)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	hx_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	hx_error_set_node(c->op, "op %zu '%s': %s", c->idx, c->name, sb.buf);
	hx_strbuf_release(&sb);
}

/* "/a/b" of the first n tokens, escaped again, for messages. */
static char *pointer_prefix(const struct pointer *p, size_t n)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	size_t i;
	const char *s;

	for (i = 0; i < n; i++) {
		hx_strbuf_addch(&sb, '/');
		for (s = p->tok[i]; *s; s++) {
			if (*s == '~')
				hx_strbuf_adds(&sb, "~0");
			else if (*s == '/')
				hx_strbuf_adds(&sb, "~1");
			else
				hx_strbuf_addch(&sb, *s);
		}
	}
	return hx_strbuf_detach(&sb, NULL);
}

/* ptr for a message: at most 120 bytes of it, control bytes escaped. */
static void add_ptr(struct hx_strbuf *sb, const char *ptr, size_t len)
{
	if (len > 120) {
		hx_strbuf_add_quoted(sb, ptr, 100);
		hx_strbuf_addf(sb, "...(%zu bytes)", len);
	} else {
		hx_strbuf_add_quoted(sb, ptr, len);
	}
}

/* Find where the walk stops, to name the first missing member. */
static void missing_error(const struct opctx *c, struct hx_node *root,
                          const struct pointer *p, const char *what,
                          const char *ptr)
{
	struct hx_strbuf all = HX_STRBUF_INIT, part = HX_STRBUF_INIT;
	size_t i;

	/* one walk: i is the first token that does not exist */
	walk_to(root, p, p->n, &i);
	add_ptr(&all, ptr, strlen(ptr));
	if (i + 1 < p->n) {
		char *pre = pointer_prefix(p, i + 1);

		add_ptr(&part, pre, strlen(pre));
		free(pre);
		op_error(c, "%s '%s': '%s' does not exist", what, all.buf,
		         part.buf);
	} else {
		op_error(c, "%s '%s' does not exist", what, all.buf);
	}
	hx_strbuf_release(&all);
	hx_strbuf_release(&part);
}

static int do_add(struct hx_arena *a, const struct opctx *c,
                  struct hx_node **root, const struct pointer *p,
                  const char *ptr, struct hx_node *value)
{
	struct hx_node *parent;
	const char *last;
	size_t idx;

	if (!p->n) {
		*root = value;
		return 0;
	}
	parent = walk(*root, p, p->n - 1);
	last = p->tok[p->n - 1];
	if (!parent) {
		missing_error(c, *root, p, "path", ptr);
		return -1;
	}
	if (parent->kind == HX_MAP) {
		hx_map_set(a, parent, last, strlen(last), value);
		return 0;
	}
	if (parent->kind != HX_SEQ) {
		op_error(c, "path '%s': parent is a scalar", ptr);
		return -1;
	}
	if (!strcmp(last, "-")) {
		hx_seq_append(a, parent, value);
		return 0;
	}
	if (!parse_index(last, &idx)) {
		op_error(c, "path '%s': invalid array index '%s'", ptr, last);
		return -1;
	}
	if (idx > parent->u.seq.n) {
		op_error(c,
		         "path '%s': index %zu is out of range (list length "
		         "%zu)",
		         ptr, idx, parent->u.seq.n);
		return -1;
	}
	hx_seq_insert(a, parent, idx, value);
	return 0;
}

/* Detach the node at p; returns it, or NULL with the error set. */
static struct hx_node *do_remove(const struct opctx *c, struct hx_node **root,
                                 const struct pointer *p, const char *ptr)
{
	struct hx_node *parent, *old;
	const char *last;
	size_t idx;

	if (!p->n) {
		op_error(c, "cannot remove the whole document");
		return NULL;
	}
	parent = walk(*root, p, p->n - 1);
	last = p->tok[p->n - 1];
	if (parent && parent->kind == HX_MAP) {
		old = hx_map_getn(parent, last, strlen(last));
		if (old) {
			hx_map_remove(parent, last, strlen(last));
			return old;
		}
	} else if (parent && parent->kind == HX_SEQ) {
		if (!parse_index(last, &idx)) {
			op_error(c, "path '%s': invalid array index '%s'", ptr,
			         last);
			return NULL;
		}
		if (idx < parent->u.seq.n) {
			old = parent->u.seq.items[idx];
			hx_seq_remove(parent, idx);
			return old;
		}
	}
	missing_error(c, *root, p, "path", ptr);
	return NULL;
}

/*
 * Replace in place: a key keeps its position, an item its index.  A
 * missing member of an existing object is added at the end, as
 * `kubectl patch --type json` and kustomize do (helmfile's fixtures rely
 * on it); RFC 6902 leaves that case open and its suite only requires a
 * missing parent to fail, which it still does.
 */
static int do_replace(struct hx_arena *a, const struct opctx *c,
                      struct hx_node **root, const struct pointer *p,
                      const char *ptr, const struct hx_node *value)
{
	struct hx_node *parent = NULL;
	const char *last;
	size_t idx;

	if (p->n)
		parent = walk(*root, p, p->n - 1);
	if (!walk(*root, p, p->n)) {
		if (parent && parent->kind == HX_MAP) {
			last = p->tok[p->n - 1];
			hx_map_set(a, parent, last, strlen(last),
			           hx_node_copy(a, value));
			return 0;
		}
		if (parent && parent->kind == HX_SEQ &&
		    !parse_index(p->tok[p->n - 1], &idx)) {
			op_error(c, "path '%s': invalid array index '%s'", ptr,
			         p->tok[p->n - 1]);
			return -1;
		}
		missing_error(c, *root, p, "path", ptr);
		return -1;
	}
	if (!p->n) {
		*root = hx_node_copy(a, value);
		return 0;
	}
	last = p->tok[p->n - 1];
	if (parent->kind == HX_MAP) {
		hx_map_set(a, parent, last, strlen(last),
		           hx_node_copy(a, value));
	} else {
		parse_index(last, &idx);
		parent->u.seq.items[idx] = hx_node_copy(a, value);
	}
	return 0;
}

static int is_prefix(const struct pointer *a, const struct pointer *b)
{
	size_t i;

	if (a->n >= b->n)
		return 0;
	for (i = 0; i < a->n; i++)
		if (strcmp(a->tok[i], b->tok[i]))
			return 0;
	return 1;
}

static void describe(struct hx_strbuf *sb, const struct hx_node *n)
{
	size_t mark = sb->len;

	hx_node_emit_flow(sb, n);
	if (sb->len - mark > 60) {
		sb->len = mark + 57;
		hx_strbuf_adds(sb, "...");
	}
}

static int apply_op(struct hx_arena *a, struct hx_node **root,
                    const struct opctx *c)
{
	const char *ptr = hx_node_str(hx_map_get(c->op, "path"));
	const char *from_s = hx_node_str(hx_map_get(c->op, "from"));
	const struct hx_node *value = hx_map_get(c->op, "value");
	enum op kind = op_of(c->op);
	struct pointer p, from = {NULL, 0};
	struct hx_node *n;
	const struct hx_node *added = NULL;
	int rc = -1;

	if (pointer_parse(&p, ptr)) {
		op_error(c, "invalid pointer '%s'", ptr);
		return -1;
	}
	switch (kind) {
	case OP_ADD:
		n = hx_node_copy(a, value);
		rc = do_add(a, c, root, &p, ptr, n);
		added = n;
		break;
	case OP_REMOVE:
		rc = do_remove(c, root, &p, ptr) ? 0 : -1;
		break;
	case OP_REPLACE:
		rc = do_replace(a, c, root, &p, ptr, value);
		added = value;
		break;
	case OP_MOVE:
	case OP_COPY:
		pointer_parse(&from, from_s);
		n = walk(*root, &from, from.n);
		if (!n) {
			missing_error(c, *root, &from, "from", from_s);
			break;
		}
		if (kind == OP_MOVE) {
			if (is_prefix(&from, &p)) {
				op_error(c,
				         "cannot move '%s' into its own "
				         "child '%s'",
				         from_s, ptr);
				break;
			}
			if (!strcmp(from_s, ptr)) {
				rc = 0;
				break;
			}
			if (!do_remove(c, root, &from, from_s))
				break;
		} else {
			n = hx_node_copy(a, n);
		}
		rc = do_add(a, c, root, &p, ptr, n);
		added = n;
		break;
	case OP_TEST:
		n = walk(*root, &p, p.n);
		if (!n) {
			missing_error(c, *root, &p, "path", ptr);
			break;
		}
		if (!hx_node_equal(n, value)) {
			struct hx_strbuf got = HX_STRBUF_INIT,
			                 want = HX_STRBUF_INIT;

			describe(&got, n);
			describe(&want, value);
			op_error(c, "test failed: '%s' is %s, not %s", ptr,
			         got.buf, want.buf);
			hx_strbuf_release(&got);
			hx_strbuf_release(&want);
			break;
		}
		rc = 0;
		break;
	case OP_BAD:
		break;
	}
	/* what an op adds nests no deeper than a loaded document may */
	if (rc == 0 && added &&
	    p.n + hx_node_height(added) - 1 > HX_MAX_DEPTH) {
		op_error(c, "the result nests deeper than %d", HX_MAX_DEPTH);
		rc = -1;
	}
	pointer_release(&p);
	pointer_release(&from);
	return rc;
}

/*
 * kustomize's implied annotations: before an op under
 * /metadata/annotations/ (or a remove of the map itself) on an object
 * without the map, an empty one is put at the end of metadata; 1 when it
 * was.
 */
static int imply_annotations(struct hx_arena *a, struct hx_node *root,
                             const struct opctx *c)
{
	const char *ptr = hx_node_str(hx_map_get(c->op, "path"));
	static const char an[] = "/metadata/annotations";
	struct hx_node *md = hx_map_get(root, "metadata");

	if (!ptr || strncmp(ptr, an, sizeof(an) - 1))
		return 0;
	if (ptr[sizeof(an) - 1] != '/' &&
	    !(ptr[sizeof(an) - 1] == '\0' && op_of(c->op) == OP_REMOVE))
		return 0;
	if (!md || md->kind != HX_MAP || hx_map_get(md, "annotations"))
		return 0;
	hx_map_set(a, md, "annotations", 11, hx_node_new_map(a));
	return 1;
}

static int apply_ops(struct hx_arena *a, struct hx_node **root,
                     const struct hx_node *ops, int kustomize)
{
	struct hx_node *md, *an;
	int implied = 0;
	size_t i;

	if (hx_jsonpatch_check(ops) < 0)
		return -1;
	for (i = 0; i < ops->u.seq.n; i++) {
		struct opctx c;

		c.op = ops->u.seq.items[i];
		c.idx = i;
		c.name = op_names[op_of(c.op)];
		if (kustomize && imply_annotations(a, *root, &c))
			implied = 1;
		if (apply_op(a, root, &c) < 0)
			return -1;
	}
	/* an implied map left empty goes, as kustomize's does */
	md = implied ? hx_map_get(*root, "metadata") : NULL;
	an = md && md->kind == HX_MAP ? hx_map_get(md, "annotations") : NULL;
	if (an && an->kind == HX_MAP && !an->u.map.n)
		hx_map_remove(md, "annotations", 11);
	return 0;
}

int hx_jsonpatch_apply_owned(struct hx_arena *a, struct hx_node **root,
                             const struct hx_node *ops)
{
	return apply_ops(a, root, ops, 0);
}

int hx_jsonpatch_apply_kustomize(struct hx_arena *a, struct hx_node **root,
                                 const struct hx_node *ops)
{
	return apply_ops(a, root, ops, 1);
}

int hx_jsonpatch_apply(struct hx_arena *a, struct hx_node **root,
                       const struct hx_node *ops)
{
	/* all or nothing: work on a copy, keep it only when every op passed */
	struct hx_node *work = hx_node_clone(a, *root);

	if (hx_jsonpatch_apply_owned(a, &work, ops) < 0)
		return -1;
	*root = work;
	return 0;
}

static struct hx_node *merge(struct hx_arena *a, struct hx_node *target,
                             const struct hx_node *patch)
{
	size_t i;

	if (patch->kind != HX_MAP)
		return hx_node_copy(a, patch);
	if (!target || target->kind != HX_MAP) {
		target = hx_node_new_map(a);
		target->file = patch->file;
		target->line = patch->line;
		target->col = patch->col;
	}
	for (i = 0; i < patch->u.map.n; i++) {
		const struct hx_node *k = patch->u.map.pairs[i].key;
		const struct hx_node *v = patch->u.map.pairs[i].value;
		struct hx_node *old;

		if (k->kind != HX_SCALAR)
			continue;
		if (hx_node_is_null(v)) {
			hx_map_remove(target, k->u.s.str, k->u.s.len);
			continue;
		}
		old = hx_map_getn(target, k->u.s.str, k->u.s.len);
		if (old)
			hx_map_set(a, target, k->u.s.str, k->u.s.len,
			           merge(a, old, v));
		else
			hx_map_set_node(a, target, hx_node_copy(a, k),
			                merge(a, NULL, v));
	}
	return target;
}

void hx_mergepatch_apply(struct hx_arena *a, struct hx_node **root,
                         const struct hx_node *patch)
{
	*root = merge(a, *root, patch);
}
