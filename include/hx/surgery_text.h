#ifndef HX_SURGERY_TEXT_H
#define HX_SURGERY_TEXT_H

/*
 * Inside the surgical writer: the output (pieces of the source and text
 * written anew) and the source's lines and entries, which surgery.c's
 * walk of the two trees writes with.  No other module includes this.
 */

#include <stddef.h>

#include "hx/emit.h"
#include "hx/surgery.h"

struct hx_node;
struct hx_strbuf;

/* One surgical write: where it goes and what it reads. */
struct hx_surg {
	struct hx_surgery_out *o;
	struct hx_strbuf *sb; /* &o->fresh: where new text goes */
	size_t flushed;       /* sb's bytes up to here are pieces already */
	size_t total;         /* bytes of the pieces */
	const char *src;
	size_t len;
	struct hx_emit_style style;
	/*
	 * After lines written anew (which may end in a block scalar), the
	 * comment lines copied next must not read as its content: those
	 * right of column guard - 1 move to it, and with keep, blank lines
	 * (which a "|+" scalar would keep) go.  0: no guard.
	 */
	int guard, keep;
};

/* One entry of an original block collection, as offsets in src. */
struct hx_surg_ent {
	const struct hx_node *key; /* NULL in a list */
	const struct hx_node *val;
	size_t lead;  /* its comment lines start here (entry 0: none) */
	size_t line;  /* start of its first line */
	size_t start; /* its key, or its "-" */
	size_t xend;  /* after its last line */
	int used;
};

/* A point to come back to when a way of writing does not work out. */
struct hx_surg_mark {
	size_t n, last_len, fresh, flushed, total;
};

/* A piece of src (fresh 0) or of the new text (fresh 1) appended. */
void hx_surg_push(struct hx_surg *s, size_t off, size_t len, int fresh);
/* The new text written since the last piece becomes one. */
void hx_surg_flush(struct hx_surg *s);
/* src[a, a + n) goes out as it is. */
void hx_surg_copy(struct hx_surg *s, size_t a, size_t n);
/* Bytes written so far; the last one, or -1. */
size_t hx_surg_pos(const struct hx_surg *s);
int hx_surg_last_byte(const struct hx_surg *s);
/* A point to come back to, and going back to it. */
struct hx_surg_mark hx_surg_mark_here(const struct hx_surg *s);
void hx_surg_back_to(struct hx_surg *s, const struct hx_surg_mark *m);
/* src[a, b) copied, comment lines after lines written anew moved left of
 * a block scalar's column (s->guard). */
void hx_surg_put(struct hx_surg *s, size_t a, size_t b);
/* A block collection's last value, and so on down. */
const struct hx_node *hx_surg_last_leaf(const struct hx_node *n);
/* Lines written anew for v in a collection at column col: guard them. */
void hx_surg_fresh(struct hx_surg *s, const struct hx_node *v, int col);
void hx_surg_indent(struct hx_surg *s, int col);
/* A line written since mark that is not ended yet gets its line break. */
void hx_surg_end_line(struct hx_surg *s, size_t mark);
/* The start of pos's line in src. */
size_t hx_surg_line_start(const struct hx_surg *s, size_t pos);
/* After a value that ends at pos: the end of its line when only blanks
 * and a comment follow there, else 0. */
size_t hx_surg_line_end(const struct hx_surg *s, size_t pos);
/* From a line start: the first content byte of the first line that is
 * neither blank nor a comment (len when there is none). */
size_t hx_surg_next_content(const struct hx_surg *s, size_t pos);
/* The entries of the original block collection o, or NULL when its text
 * is not laid out as expected (then it is written anew); free() it. */
struct hx_surg_ent *hx_surg_entries(const struct hx_surg *s,
                                    const struct hx_node *o);

#endif
