#ifndef HX_LINEDIFF_H
#define HX_LINEDIFF_H

#include <stddef.h>

struct hx_strbuf;

/*
 * Line diff for `helm x diff`, printing in helm-diff's format.  The
 * records are the ones helm-diff gives for the same lines (its diff picks
 * a longest common subsequence with fixed tie-breaks: a removed line
 * before an added one, a lone line matched at its last place), computed
 * here in linear space: equal ends trimmed, then Hirschberg's divide and
 * conquer over LCS score rows, no n x m table.
 */

enum hx_delta {
	HX_DELTA_COMMON,
	HX_DELTA_LEFT,  /* only in the old text: "- " */
	HX_DELTA_RIGHT, /* only in the new text: "+ " */
};

struct hx_line {
	const char *s; /* borrowed; not NUL-terminated */
	size_t len;
};

struct hx_drec {
	enum hx_delta delta;
	struct hx_line line;
};

/*
 * Split text on '\n' as Go's strings.Split does: n newlines give n + 1
 * lines (the last may be empty).  With strip_cr, a '\r' ending a line is
 * dropped.  *out is new (free it); returns the count.
 */
size_t hx_lines_split(struct hx_line **out, const char *text, size_t len,
                      int strip_cr);

/*
 * Past this many line pairs in the part that differs (after the equal
 * ends), the LCS would take quadratic time: that part is shown as removed
 * then added instead (hostile or huge inputs stay linear).
 */
#define HX_LINEDIFF_MAX_CELLS 4e8

/* Diff a against b; *out is new (free it); returns the record count. */
size_t hx_linediff(struct hx_drec **out, const struct hx_line *a, size_t na,
                   const struct hx_line *b, size_t nb);

/* Records that are not common. */
size_t hx_linediff_changes(const struct hx_drec *r, size_t n);

/*
 * Print records as helm-diff does: "+ ", "- " or two spaces before each
 * line (an empty common line as a bare newline); with context >= 0, only
 * lines at most context records from a change, each run of the others as
 * one "...".  With color, added lines are green and removed ones red.
 */
void hx_linediff_print(struct hx_strbuf *sb, const struct hx_drec *r, size_t n,
                       int context, int color);

#endif
