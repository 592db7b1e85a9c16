#ifndef HX_EMIT_H
#define HX_EMIT_H

/*
 * Writing node trees as YAML that reads back as the same tree: Kubernetes
 * block style (2-space indent, lists not indented under their key), each
 * scalar in its own style when that is safe, short flow collections kept
 * on one line.
 */

struct hx_node;
struct hx_strbuf;

/* Emit a node tree in Kubernetes block style (ends with a newline). */
void hx_node_emit(struct hx_strbuf *sb, const struct hx_node *root);
/* Emit a node on one line, in flow style (for messages). */
void hx_node_emit_flow(struct hx_strbuf *sb, const struct hx_node *n);
/*
 * A node for a message: a scalar's text, a collection in flow style, at
 * most 60 bytes, control bytes escaped (hx_strbuf_add_quoted).
 */
void hx_node_describe(struct hx_strbuf *sb, const struct hx_node *n);

#endif
