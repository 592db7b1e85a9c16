/* Unit tests: the line diff and its helm-diff printing. */
#include "hx/linediff.h"

#include <stdlib.h>
#include <string.h>

#include "hx/strbuf.h"
#include "hx/util.h"
#include "tap.h"

#include "hx/banned.h"

/* Diff two texts and print them with context; the printed text, new. */
static char *diff(const char *a, const char *b, int context, int strip_cr,
                  size_t *changes)
{
	struct hx_line *la, *lb;
	struct hx_drec *r;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	size_t na = hx_lines_split(&la, a, strlen(a), strip_cr);
	size_t nb = hx_lines_split(&lb, b, strlen(b), strip_cr);
	size_t n = hx_linediff(&r, la, na, lb, nb);

	if (changes)
		*changes = hx_linediff_changes(r, n);
	hx_linediff_print(&sb, r, n, context, 0);
	free(la);
	free(lb);
	free(r);
	return hx_strbuf_detach(&sb, NULL);
}

static void check(const char *a, const char *b, int context, const char *want,
                  const char *what)
{
	char *got = diff(a, b, context, 0, NULL);

	is_str(got, want, "%s", what);
	free(got);
}

int main(void)
{
	struct hx_line *l;
	struct hx_strbuf a = HX_STRBUF_INIT, b = HX_STRBUF_INIT;
	size_t n, changes, i;
	char *got;

	n = hx_lines_split(&l, "a\nb\n", 4, 0);
	ok(n == 3 && l[2].len == 0, "split: n newlines give n + 1 lines");
	free(l);
	n = hx_lines_split(&l, "a\r\nb", 4, 1);
	ok(n == 2 && l[0].len == 1, "split: strip_cr drops a closing CR");
	free(l);
	n = hx_lines_split(&l, "", 0, 0);
	ok(n == 1 && l[0].len == 0, "split: empty text is one empty line");
	free(l);

	check("", "", -1, "\n", "empty against empty: one common empty line");
	check("a\nb", "a\nb", -1, "  a\n  b\n", "identical: all common");
	check("a\nb", "c\nd", -1, "- a\n- b\n+ c\n+ d\n",
	      "all different: removed lines before added ones");
	check("", "x: 1", -1, "- \n+ x: 1\n",
	      "added to nothing: the empty line is removed");
	check("a\na\na\nb", "a\nb\na", -1, "  a\n- a\n- a\n  b\n+ a\n",
	      "repeated lines: helm-diff's choice");
	check("x", "a\nx\nx\nb", -1, "+ a\n+ x\n  x\n+ b\n",
	      "a lone line matches at its last place");
	check("1\n2\n3\n4\n5\n6\n7", "1\n2\n3\nX\n5\n6\n7", 1,
	      "...\n  3\n- 4\n+ X\n  5\n...\n", "context 1: '...' for runs");
	check("1\n2\n3", "1\n2\n3", 0, "...\n", "context 0, no change: '...'");
	got = diff("a\nb", "a\r\nb\r", 0, 1, &changes);
	ok(changes == 0, "strip_cr: CRLF against LF is no change");
	free(got);
	got = diff("a\nb", "a\r\nb\r", -1, 0, &changes);
	ok(changes == 4, "without strip_cr: CRLF lines differ");
	free(got);

	/* long inputs: 5,000 lines, every 100th changed, in linear space */
	for (i = 0; i < 5000; i++) {
		hx_strbuf_addf(&a, "line %zu\n", i);
		hx_strbuf_addf(
		        &b, i % 100 == 50 ? "changed %zu\n" : "line %zu\n", i);
	}
	got = diff(a.buf, b.buf, 0, 0, &changes);
	ok(changes == 100, "long input: 50 lines changed give 100 records");
	free(got);
	hx_strbuf_reset(&b);
	for (i = 0; i < 1000; i++)
		hx_strbuf_addf(&b, "other %zu\n", i);
	got = diff(a.buf, b.buf, -1, 0, &changes);
	ok(changes == 6000, "long input, all different");
	free(got);
	/* past HX_LINEDIFF_MAX_CELLS: removed then added, in linear time */
	hx_strbuf_reset(&a);
	hx_strbuf_reset(&b);
	for (i = 0; i < 30000; i++) {
		hx_strbuf_addf(&a, "a %zu\n", i);
		hx_strbuf_addf(&b, "b %zu\n", i);
	}
	got = diff(a.buf, b.buf, -1, 0, &changes);
	ok(changes == 60000 && !strncmp(got, "- a 0\n", 6) &&
	           strstr(got, "- a 29999\n+ b 0\n"),
	   "huge all-different inputs: removed, then added");
	free(got);
	hx_strbuf_release(&a);
	hx_strbuf_release(&b);
	return tap_done();
}
