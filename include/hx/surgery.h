#ifndef HX_SURGERY_H
#define HX_SURGERY_H

#include <stddef.h>

struct hx_node;
struct hx_strbuf;

/*
 * Surgical writing of a patched document.  orig is the tree hx_doc_load
 * read from src (the document's text, len bytes; its spans describe src),
 * now the patched tree.  Writes the whole document: src with orig's text
 * replaced by now, where every part of now that equals the part of orig at
 * the same place is copied from src byte for byte (indentation, comments,
 * quoting, blank lines), and only what differs is written anew, in the
 * document's own indentation and in the quoting of the scalar it replaces
 * or of its siblings.  A comment goes with the entry it precedes (or ends
 * the line of).  Returns -1, writing nothing, when orig's text has no
 * block collection at its root or when now's root is not one: the caller
 * then writes the whole document anew.
 */
int hx_surgery_write(struct hx_strbuf *sb, const char *src, size_t len,
                     const struct hx_node *orig, const struct hx_node *now);

#endif
