#ifndef HX_SURGERY_H
#define HX_SURGERY_H

#include <stddef.h>

#include "hx/strbuf.h"

struct hx_node;

/*
 * A surgically written document: its bytes are the pieces in order, each
 * a run of the source text (fresh 0) or of the text written anew (fresh
 * 1).  Unchanged parts are never copied until the document is written.
 */
struct hx_piece {
	size_t off, len;
	int fresh;
};
struct hx_surgery_out {
	struct hx_strbuf fresh; /* the text written anew */
	struct hx_piece *p;     /* owned */
	size_t n, alloc;
};
#define HX_SURGERY_OUT_INIT                                                    \
	{                                                                      \
		HX_STRBUF_INIT, NULL, 0, 0                                     \
	}
void hx_surgery_out_release(struct hx_surgery_out *o);
/* Append the document's bytes (pieces of src and of o->fresh) to sb. */
void hx_surgery_out_flatten(struct hx_strbuf *sb, const struct hx_piece *p,
                            size_t n, const char *src, const char *fresh);

/*
 * Surgical writing of a patched document.  orig is the tree hx_doc_load
 * read from src (the document's text, len bytes; its spans describe src),
 * now the patched tree.  Writes the whole document: src with orig's text
 * replaced by now, where every part of now that equals the part of orig at
 * the same place is taken from src byte for byte (indentation, comments,
 * quoting, blank lines), and only what differs is written anew, in the
 * document's own indentation and in the quoting of the scalar it replaces
 * or of its siblings.  A comment goes with the entry it precedes (or ends
 * the line of).  out gets the pieces (it starts empty).  Returns -1,
 * writing nothing, when orig's text has no
 * block collection at its root or when now's root is not one: the caller
 * then writes the whole document anew.
 */
int hx_surgery_write(struct hx_surgery_out *out, const char *src, size_t len,
                     const struct hx_node *orig, const struct hx_node *now);

#endif
