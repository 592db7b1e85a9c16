/*
 * The property every surgical write must have (surgery.h): what it writes
 * reads back as the patched tree, scalar for scalar (text and type), and
 * a tree the patch left alone is written back byte for byte.  Shared by
 * the unit tests (mutations of every data-driven input) and patchcases
 * (the JSON Patch and strategic merge conformance vectors).
 */
#ifndef HX_SURGCHECK_H
#define HX_SURGCHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/emit.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/surgery.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

/* Same shape, keys in the same order, scalars of the same text and type
 * (nulls of any spelling). */
__attribute__((unused)) static int surg_equal(const struct hx_node *a,
                                              const struct hx_node *b)
{
	size_t i;

	if (a->kind != b->kind)
		return 0;
	switch (a->kind) {
	case HX_SCALAR:
		if (hx_node_resolve(a, NULL, NULL) !=
		    hx_node_resolve(b, NULL, NULL))
			return 0;
		/* a null written as nothing reads back as "null" in flow */
		return hx_node_is_null(a) ||
		       (a->u.s.len == b->u.s.len &&
		        !memcmp(a->u.s.str, b->u.s.str, a->u.s.len));
	case HX_SEQ:
		if (a->u.seq.n != b->u.seq.n)
			return 0;
		for (i = 0; i < a->u.seq.n; i++)
			if (!surg_equal(a->u.seq.items[i], b->u.seq.items[i]))
				return 0;
		return 1;
	default:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (i = 0; i < a->u.map.n; i++)
			if (!surg_equal(a->u.map.pairs[i].key,
			                b->u.map.pairs[i].key) ||
			    !surg_equal(a->u.map.pairs[i].value,
			                b->u.map.pairs[i].value))
				return 0;
		return 1;
	}
}

/* Changes root (a copy) in arena a; returns -1 when the change fails. */
typedef int (*surg_apply_fn)(struct hx_arena *a, struct hx_node **root,
                             const void *ctx);

/*
 * Load text as one document, apply fn to a copy of its tree, write it
 * surgically and read that back.  Returns 1 when it reads back as the
 * changed tree (and, with fn NULL, is the text itself), 0 when not (and
 * says why), -1 when it does not apply (the text is no document with
 * spans, or fn failed).
 */
__attribute__((unused)) static int surg_check(const char *text, size_t len,
                                              surg_apply_fn fn, const void *ctx,
                                              const char *label)
{
	struct hx_stream st, back;
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_surgery_out so = HX_SURGERY_OUT_INIT;
	struct hx_node *now;
	int rc = -1;

	hx_stream_init_buf(&st, "surg", hx_xstrndup(text, len), len);
	memset(&back, 0, sizeof(back));
	if (st.n != 1 || hx_doc_load(&st, &st.docs[0], &st.arena) < 0 ||
	    !st.docs[0].spans) {
		hx_error_clear();
		hx_stream_release(&st);
		return -1;
	}
	now = hx_node_copy(&a, st.docs[0].root);
	if (fn && fn(&a, &now, ctx) < 0) {
		hx_error_clear();
		goto out;
	}
	if (hx_surgery_write(&so, text, len, st.docs[0].root, now) < 0) {
		/* not a block collection any more: not surgery's to write */
		goto out;
	}
	hx_surgery_out_flatten(&sb, so.p, so.n, text, so.fresh.buf);
	rc = 0;
	hx_stream_init_buf(&back, "back", hx_xstrndup(sb.buf, sb.len), sb.len);
	if (back.n != 1 || hx_doc_load(&back, &back.docs[0], &back.arena) < 0) {
		printf("# %s: the output does not load: %s\n", label,
		       hx_error_message());
		hx_error_clear();
	} else if (!back.docs[0].root || !surg_equal(back.docs[0].root, now)) {
		printf("# %s: the output reads back as another tree\n", label);
	} else if (!fn && (sb.len != len || memcmp(sb.buf, text, len))) {
		printf("# %s: nothing changed, yet the text did\n", label);
	} else {
		rc = 1;
	}
	if (rc != 1) {
		struct hx_strbuf t = HX_STRBUF_INIT;

		hx_node_emit_flow(&t, now);
		printf("# input:\n%s\n# wanted: %s\n# output:\n%s\n", text,
		       t.buf, sb.buf);
		hx_strbuf_release(&t);
	}
out:
	hx_strbuf_release(&sb);
	hx_surgery_out_release(&so);
	hx_arena_release(&a);
	hx_stream_release(&st);
	hx_stream_release(&back);
	return rc;
}

/*
 * A tree as the text of a document: in block style with the given
 * indentation, optionally with a comment line after every line and a
 * comment at every line's end (only for trees without block scalars).
 */
__attribute__((unused)) static void surg_render(struct hx_strbuf *out,
                                                const struct hx_node *n,
                                                const struct hx_emit_style *st,
                                                int comments)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *p, *end;

	if (n->kind == HX_SCALAR ||
	    (n->kind == HX_MAP ? !n->u.map.n : !n->u.seq.n))
		hx_node_emit(&sb, n);
	else
		hx_emit_block(&sb, n, 0, st);
	if (!comments) {
		hx_strbuf_add(out, sb.buf, sb.len);
		hx_strbuf_release(&sb);
		return;
	}
	hx_strbuf_adds(out, "# first\n");
	for (p = sb.buf, end = sb.buf + sb.len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		hx_strbuf_add(out, p, (size_t)(le - p));
		hx_strbuf_adds(out, "  # at the end\n# a line\n");
		p = nl ? nl + 1 : end;
	}
	hx_strbuf_release(&sb);
}

/*
 * Changes for the property: op (0 .. SURG_OPS - 1: remove the first,
 * last or middle entry, replace a value by a string, a map or lines, add
 * an entry at the end or the start, swap two) at the k-th collection of a
 * pre-order walk.
 */
struct surg_mutation {
	size_t k;
	int op;
};
#define SURG_OPS 9

__attribute__((unused)) static struct hx_node *
surg_scalar(struct hx_arena *a, const char *s, enum hx_style style)
{
	return hx_node_new_scalar(a, s, strlen(s), style);
}

/* A new value: a map holding a list and a string that needs quotes. */
static struct hx_node *surg_nested(struct hx_arena *a)
{
	struct hx_node *m = hx_node_new_map(a), *l = hx_node_new_seq(a);

	hx_seq_append(a, l, surg_scalar(a, "1", HX_STYLE_PLAIN));
	hx_seq_append(a, l, surg_scalar(a, "two: 2", HX_STYLE_ANY));
	hx_map_set(a, m, "list", 4, l);
	hx_map_set(a, m, "yes", 3, surg_scalar(a, "yes", HX_STYLE_DOUBLE));
	return m;
}

static size_t surg_count(const struct hx_node *n)
{
	return n->kind == HX_MAP ? n->u.map.n : n->u.seq.n;
}

static void surg_set_at(struct hx_node *n, size_t i, struct hx_node *v)
{
	if (n->kind == HX_MAP)
		n->u.map.pairs[i].value = v;
	else
		n->u.seq.items[i] = v;
}

static void surg_remove_at(struct hx_node *n, size_t i)
{
	if (n->kind == HX_MAP)
		hx_map_remove(n, n->u.map.pairs[i].key->u.s.str,
		              n->u.map.pairs[i].key->u.s.len);
	else
		hx_seq_remove(n, i);
}

static void surg_change(struct hx_arena *a, struct hx_node *n, int op)
{
	size_t c = surg_count(n);

	switch (op) {
	case 0: /* the first entry goes */
	case 1: /* the last */
	case 2: /* the middle one */
		if (c && (n->kind == HX_SEQ ||
		          n->u.map.pairs[op == 0   ? 0
		                         : op == 1 ? c - 1
		                                   : c / 2]
		                          .key->kind == HX_SCALAR))
			surg_remove_at(n, op == 0   ? 0
			                  : op == 1 ? c - 1
			                            : c / 2);
		break;
	case 3: /* the first value becomes a string */
		if (c)
			surg_set_at(n, 0,
			            surg_scalar(a, "new value", HX_STYLE_ANY));
		break;
	case 4: /* the last value becomes a map */
		if (c)
			surg_set_at(n, c - 1, surg_nested(a));
		break;
	case 5: /* the middle value becomes lines */
		if (c)
			surg_set_at(n, c / 2,
			            surg_scalar(a, "line 1\n  line 2\n",
			                        HX_STYLE_LITERAL));
		break;
	case 6: /* a new entry at the end */
		if (n->kind == HX_MAP)
			hx_map_set(a, n, "zz-added", 8, surg_nested(a));
		else
			hx_seq_append(a, n, surg_nested(a));
		break;
	case 7: /* a new entry at the start (lists) / everything goes */
		if (n->kind == HX_SEQ)
			hx_seq_insert(a, n, 0,
			              surg_scalar(a, "first", HX_STYLE_ANY));
		else
			n->u.map.n = 0;
		break;
	default: /* the first two swap */
		if (c >= 2 && n->kind == HX_SEQ) {
			struct hx_node *t = n->u.seq.items[0];

			n->u.seq.items[0] = n->u.seq.items[1];
			n->u.seq.items[1] = t;
		} else if (c >= 2) {
			struct hx_pair t = n->u.map.pairs[0];

			n->u.map.pairs[0] = n->u.map.pairs[1];
			n->u.map.pairs[1] = t;
		}
		break;
	}
}

/* Apply the mutation at the k-th collection (pre-order); 1 when found. */
static int surg_walk(struct hx_arena *a, struct hx_node *n, size_t *k, int op)
{
	size_t i;

	if (n->kind == HX_SCALAR)
		return 0;
	if ((*k)-- == 0) {
		surg_change(a, n, op);
		return 1;
	}
	for (i = 0; i < surg_count(n); i++)
		if (surg_walk(a,
		              n->kind == HX_MAP ? n->u.map.pairs[i].value
		                                : n->u.seq.items[i],
		              k, op))
			return 1;
	return 0;
}

__attribute__((unused)) static int
surg_mutate(struct hx_arena *a, struct hx_node **root, const void *ctx)
{
	const struct surg_mutation *m = ctx;
	size_t k = m->k;

	return surg_walk(a, *root, &k, m->op) ? 0 : -1;
}

#endif
