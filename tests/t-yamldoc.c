/* Unit tests: stream splitting, byte fidelity, loading, emitting. */
#include "hx/yamldoc.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "tap.h"

#include "hx/banned.h"

static void from_string(struct hx_stream *st, const char *name, const char *s)
{
	hx_stream_init_buf(st, name, hx_xstrdup(s), strlen(s));
}

/* Write a stream to a string with hx_stream_write. */
static char *write_all(const struct hx_stream *st, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);
	int state = 0;

	hx_stream_write(f, st, &state);
	fclose(f);
	*len = n;
	return buf;
}

/* Load one document from text and emit it again. */
static char *reemit(const char *text)
{
	struct hx_stream st;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char *r;

	from_string(&st, "t.yaml", text);
	if (hx_stream_load_all(&st) < 0 || !st.n || !st.docs[0].root) {
		hx_stream_release(&st);
		return hx_xstrdup(hx_error_message());
	}
	hx_node_emit(&sb, st.docs[0].root);
	r = hx_strbuf_detach(&sb, NULL);
	hx_stream_release(&st);
	return r;
}

static void emits(const char *in, const char *want, const char *what)
{
	char *got = reemit(in);

	is_str(got, want, "emit: %s", what);
	free(got);
}

static void load_fails(const char *in, const char *want, const char *what)
{
	struct hx_stream st;
	int rc;

	hx_error_clear();
	from_string(&st, "bad.yaml", in);
	rc = hx_stream_load_all(&st);
	ok(rc < 0, "refused: %s", what);
	is_str(hx_error_message(), want, "message: %s", what);
	hx_error_clear();
	hx_stream_release(&st);
}

/* Every document of a file, untouched, comes back byte for byte, and each
 * re-emitted document reads back as the same value. */
static void fidelity(const char *path)
{
	struct hx_stream st, again;
	char *buf, *out;
	size_t len, outlen, i;
	int same = 1;

	if (hx_read_file(&buf, &len, path) < 0) {
		ok(0, "read %s", path);
		return;
	}
	hx_stream_init_buf(&st, path, buf, len);
	out = write_all(&st, &outlen);
	ok(outlen == len && !memcmp(out, st.buf, len),
	   "%s: untouched stream is written byte for byte", path);
	free(out);
	ok(hx_stream_load_all(&st) == 0, "%s: loads", path);
	for (i = 0; i < st.n; i++)
		if (st.docs[i].root)
			hx_doc_update(&st, &st.docs[i]);
	out = write_all(&st, &outlen);
	hx_stream_init_buf(&again, "again", out, outlen);
	ok(hx_stream_load_all(&again) == 0, "%s: re-emitted stream loads",
	   path);
	ok(again.n == st.n, "%s: same number of documents (%zu, %zu)", path,
	   again.n, st.n);
	for (i = 0; i < st.n && i < again.n; i++) {
		const struct hx_node *a = st.docs[i].root,
		                     *b = again.docs[i].root;

		if ((a == NULL) != (b == NULL) || (a && !hx_node_equal(a, b))) {
			same = 0;
			printf("# document %zu differs\n", i);
		}
	}
	ok(same, "%s: re-emitted documents have the same values", path);
	/* the leading comment lines of each document are kept */
	for (i = 0; i < st.n && i < again.n; i++) {
		const struct hx_doc *a = &st.docs[i], *b = &again.docs[i];

		if (a->body != b->body ||
		    memcmp(st.buf + a->off, again.buf + b->off, a->body)) {
			same = 0;
			printf("# document %zu lost its leading lines\n", i);
		}
	}
	ok(same, "%s: leading lines (marker, # Source:) are kept", path);
	hx_stream_release(&again);
	hx_stream_release(&st);
}

static void splitting(void)
{
	struct hx_stream st;

	from_string(&st, "s",
	            "# c\n---\n# Source: a\n\n---\n# Source: b\nk: 1\n...\n"
	            "# after end\n---\nx: 2\n--- |\n  text\n---\nno newline");
	ok(st.n == 5, "split into 5 slices (got %zu)", st.n);
	if (st.n == 5) {
		ok(st.docs[0].empty && st.docs[0].explicit_start,
		   "comment preamble joins an empty explicit document");
		ok(!st.docs[1].empty && st.docs[1].tail < st.docs[1].len,
		   "'...' is the tail of its document");
		ok(st.docs[2].line == 9 && st.docs[2].body_line == 11,
		   "comments after '...' lead the next document (line %u, "
		   "body %u)",
		   st.docs[2].line, st.docs[2].body_line);
		ok(st.docs[3].inline_start,
		   "'--- |' starts its content inline");
		ok(st.docs[4].len == strlen("---\nno newline"),
		   "last document without newline");
	}
	hx_stream_release(&st);

	from_string(&st, "s", "a: 1\n---x: 2\n");
	ok(st.n == 1, "'---x' is not a marker");
	hx_stream_release(&st);
	from_string(&st, "s", "");
	ok(st.n == 0, "empty input has no documents");
	hx_stream_release(&st);
}

static void crlf(void)
{
	struct hx_stream st;
	char *out;
	size_t n, i;
	int only_crlf = 1;

	from_string(&st, "c",
	            "---\r\n# Source: x\r\na: 1\r\nb: |\r\n  l1\r\n  l2\r\n");
	ok(st.n == 1 && st.docs[0].crlf, "CRLF detected");
	if (hx_stream_load_all(&st) == 0 && st.docs[0].root) {
		hx_doc_update(&st, &st.docs[0]);
		out = write_all(&st, &n);
		for (i = 0; i < n; i++)
			if (out[i] == '\n' && (i == 0 || out[i - 1] != '\r'))
				only_crlf = 0;
		ok(only_crlf, "re-emitted CRLF document keeps CRLF");
		ok(n > 15 && !memcmp(out, "---\r\n# Source: x\r\na: 1\r\n", 24),
		   "CRLF leading lines kept");
		free(out);
	} else {
		ok(0, "CRLF document loads");
	}
	hx_stream_release(&st);
}

int main(void)
{
	splitting();
	crlf();
	fidelity("testdata/yaml/fidelity.yaml");
	fidelity("testdata/yaml/crlf.yaml");

	emits("a: 1\nb:\n  c: [x, y]\n  d: {cpu: 1}\n",
	      "a: 1\nb:\n  c: [x, y]\n  d: {cpu: 1}\n",
	      "short flow collections stay on one line");
	emits("l:\n- a\n- b: 1\n  c: 2\n- - x\n  - y\n",
	      "l:\n- a\n- b: 1\n  c: 2\n- - x\n  - y\n",
	      "sequences are not indented under their key");
	emits("s: 'q'\nd: \"yes\"\np: yes\ne:\nn: ~\n",
	      "s: 'q'\nd: \"yes\"\np: yes\ne:\nn: ~\n",
	      "scalar styles and texts are kept");
	emits("lit: |\n  a\n\n  b\nkeep: |+\n  k\n\nstrip: |-\n  s\nx: 1\n",
	      "lit: |\n  a\n\n  b\nkeep: |+\n  k\n\nstrip: |-\n  s\nx: 1\n",
	      "literal block scalars with their chomping");
	emits("f: >\n  a b\n  c\n\n  d\n", "f: >\n  a b c\n\n  d\n",
	      "folded scalar keeps its style");
	emits("f: >\n  a\n    more\n  b\n", "f: |\n  a\n    more\n  b\n",
	      "folded with more-indented lines becomes literal (same value)");
	emits("i: |2\n   lead\n", "i: |2\n   lead\n",
	      "indentation indicator when the text starts with a space");
	emits("a: &x {k: v}\nb: *x\n", "a: {k: v}\nb: {k: v}\n",
	      "aliases are expanded");
	emits("k: !!binary aGk=\n", "k: !!binary aGk=\n", "tags are kept");
	emits("!t []\n", "!t []\n",
	      "a tagged empty collection at the root: its tag once");
	emits("!t [a]\n", "!t\n- a\n",
	      "a tagged flow collection at the root: its tag on its own line");
	emits("{\"a\": [1, 2], \"b\": \"x\", \"t\": \"true\", \"e\": \"\"}\n",
	      "a:\n- 1\n- 2\nb: x\nt: \"true\"\ne: \"\"\n",
	      "a JSON document comes out in block style, quoting only when "
	      "needed");
	emits("k: \"multi\\nline\"\n", "k: \"multi\\nline\"\n",
	      "double quotes keep escapes");
	emits("k: plain\n  continued\n", "k: plain continued\n",
	      "multi-line plain scalar is folded onto one line");
	emits("- \n- x\n", "-\n- x\n", "null list items");
	emits("scalar\n", "scalar\n", "scalar document");
	emits("? [a, b]\n: v\n", "[a, b]: v\n", "a complex key");

	load_fails("a: 1\n  b: 2\n",
	           "bad.yaml:2:4: error: mapping values are "
	           "not allowed in this context",
	           "bad indentation");
	load_fails("---\nk: [a, b\n",
	           "bad.yaml:3:1: error: did not find expected ',' or ']' "
	           "(while parsing a flow sequence at line 2)",
	           "unclosed flow sequence");
	load_fails("x: 1\n---\nk: v\nk: w\n",
	           "bad.yaml:4:1: error: duplicate key 'k'", "duplicate key");
	load_fails("a: *nope\n", "bad.yaml:1:4: error: undefined alias '*nope'",
	           "undefined alias");
	load_fails(
	        "a: &a [1, *a]\n",
	        "bad.yaml:1:11: error: alias '*a' refers to its own collection",
	        "recursive alias");
	load_fails("a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	           "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	           "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	           "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	           "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	           "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	           "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	           "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	           "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h,*h]\n",
	           "bad.yaml:4:29: error: aliases expand to more than 10000 "
	           "nodes (billion laughs?)",
	           "billion laughs");
	return tap_done();
}
