/* Unit tests: RFC 6901 pointers, RFC 6902 atomicity, RFC 7386 merge patch. */
#include "hx/jsonpatch.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "tap.h"

#include "hx/banned.h"

static struct hx_stream **streams;
static size_t nstreams, streams_alloc;

/* Parse a one-document YAML text; the tree lives until the end. */
static struct hx_node *yaml(const char *text)
{
	struct hx_stream *st = hx_xcalloc(1, sizeof(*st));

	hx_grow(&streams, &streams_alloc, nstreams + 1, sizeof(*streams));
	streams[nstreams++] = st;

	hx_stream_init_buf(st, "t.yaml", hx_xstrdup(text), strlen(text));
	if (hx_stream_load_all(st) < 0 || !st->n)
		return NULL;
	return st->docs[0].root;
}

static char *flow(const struct hx_node *n)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_node_emit_flow(&sb, n);
	return hx_strbuf_detach(&sb, NULL);
}

/* RFC 7386: merge patch into target and compare with want. */
static void merges(const char *target, const char *patch, const char *want)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_node *t = hx_node_copy(&a, yaml(target));
	struct hx_node *w = yaml(want);
	char *got;

	hx_mergepatch_apply(&a, &t, yaml(patch));
	got = flow(t);
	ok(hx_node_equal(t, w), "merge %s + %s = %s (got %s)", target, patch,
	   want, got);
	free(got);
	hx_arena_release(&a);
}

static void pointer(const char *doc, const char *ptr, const char *want)
{
	struct hx_node *d = yaml(doc), *n = hx_pointer_get(d, ptr);
	char *got = n ? flow(n) : NULL;

	if (want)
		is_str(got, want, "pointer '%s'", ptr);
	else
		ok(!n, "pointer '%s' resolves to nothing", ptr);
	free(got);
}

int main(void)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_node *doc, *before;
	size_t i;

	/* RFC 7386 section 3 and appendix A, as JSON values */
	merges("{a: b}", "{a: c}", "{a: c}");
	merges("{a: b}", "{b: c}", "{a: b, b: c}");
	merges("{a: b}", "{a: null}", "{}");
	merges("{a: b, b: c}", "{a: null}", "{b: c}");
	merges("{a: [b]}", "{a: c}", "{a: c}");
	merges("{a: c}", "{a: [b]}", "{a: [b]}");
	merges("{a: {b: c}}", "{a: {b: d, c: null}}", "{a: {b: d}}");
	merges("{a: [{b: c}]}", "{a: [1]}", "{a: [1]}");
	merges("[a, b]", "[c, d]", "[c, d]");
	merges("{a: b}", "[c]", "[c]");
	merges("{a: foo}", "null", "null");
	merges("{a: foo}", "bar", "bar");
	merges("{e: null}", "{a: 1}", "{e: null, a: 1}");
	merges("[1, 2]", "{a: b, c: null}", "{a: b}");
	merges("{}", "{a: {bb: {ccc: null}}}", "{a: {bb: {}}}");

	pointer("{a: 1}", "", "{a: 1}");
	pointer("{foo: [bar, baz]}", "/foo/0", "bar");
	pointer("{foo: [bar, baz], 'a/b': 1}", "/a~1b", "1");
	pointer("{'m~n': 8}", "/m~0n", "8");
	pointer("{'': 0}", "/", "0");
	pointer("{foo: [bar]}", "/foo/01", NULL);
	pointer("{foo: [bar]}", "/foo/-", NULL);
	pointer("{foo: [bar]}", "foo", NULL);
	pointer("{foo: [bar]}", "/foo/~2", NULL);

	/* atomic: a failing op leaves the document as it was */
	doc = hx_node_copy(&a, yaml("{a: 1, b: [x]}"));
	before = doc;
	hx_error_clear();
	ok(hx_jsonpatch_apply(&a, &doc,
	                      yaml("[{op: replace, path: /a, value: 2},"
	                           " {op: remove, path: /b/0},"
	                           " {op: test, path: /a, value: 3}]")) < 0,
	   "a failing test op fails the patch");
	ok(doc == before && hx_node_equal(doc, yaml("{a: 1, b: [x]}")),
	   "the document is unchanged after a failed patch");
	is_str(hx_error_message(),
	       "t.yaml:1:63: error: op 2 'test': test failed: '/a' is 2, not 3",
	       "the message names op index, op, pointer and values");
	hx_error_clear();

	ok(hx_jsonpatch_apply(&a, &doc,
	                      yaml("[{op: move, from: /b, path: /b/c}]")) < 0,
	   "move into its own child is refused");
	is_str(hx_error_message(),
	       "t.yaml:1:2: error: op 0 'move': cannot move '/b' into its own "
	       "child '/b/c'",
	       "move-into-child message");
	hx_error_clear();

	ok(hx_jsonpatch_apply(&a, &doc,
	                      yaml("[{op: add, path: '', value: "
	                           "[1]}]")) == 0 &&
	           hx_node_equal(doc, yaml("[1]")),
	   "add at the root replaces the document");
	ok(hx_jsonpatch_apply(&a, &doc, yaml("[{op: remove, path: ''}]")) < 0,
	   "removing the whole document is refused");
	hx_error_clear();
	ok(hx_jsonpatch_check(yaml("{op: add}")) < 0, "a non-list is refused");
	is_str(hx_error_message(),
	       "t.yaml:1:1: error: a JSON patch must be a list of operations",
	       "non-list message");
	hx_error_clear();
	ok(hx_jsonpatch_check(yaml("[{op: add, path: /a, value: 1}, 5]")) < 0,
	   "an op that is not a mapping is refused");
	is_str(hx_error_message(),
	       "t.yaml:1:33: error: op 1: an operation must be a mapping",
	       "non-mapping op message");
	hx_error_clear();

	/* values are copied: the patch tree may die before the document */
	{
		struct hx_node *ops =
		        yaml("[{op: add, path: /v, value: {k: [1, 2]}}]");
		struct hx_node *v = hx_map_get(ops->u.seq.items[0], "value");

		doc = hx_node_copy(&a, yaml("{}"));
		ok(hx_jsonpatch_apply(&a, &doc, ops) == 0 &&
		           hx_map_get(doc, "v") && hx_map_get(doc, "v") != v &&
		           hx_node_equal(hx_map_get(doc, "v"), v),
		   "added values are equal copies");
	}

	hx_arena_release(&a);
	for (i = 0; i < nstreams; i++) {
		hx_stream_release(streams[i]);
		free(streams[i]);
	}
	free(streams);
	return tap_done();
}
