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

/*
 * How a document indents: a mapping under its key by step columns, a
 * list under its key by seq_indent (0 or step); with flow 0, collections
 * inside a block one are written in block style even when they were
 * flow (empty ones stay "{}" and "[]").  hx_emit_kubernetes is {2, 0, 1}.
 */
struct hx_emit_style {
	int step;
	int seq_indent;
	int flow;
};
extern const struct hx_emit_style hx_emit_kubernetes;

/* Emit a node tree in Kubernetes block style (ends with a newline). */
void hx_node_emit(struct hx_strbuf *sb, const struct hx_node *root);
/* Emit a node on one line, in flow style (for messages). */
void hx_node_emit_flow(struct hx_strbuf *sb, const struct hx_node *n);
/*
 * A node for a message: a scalar's text, a collection in flow style, at
 * most 60 bytes, control bytes escaped (hx_strbuf_add_quoted).
 */
void hx_node_describe(struct hx_strbuf *sb, const struct hx_node *n);

/*
 * Pieces for writing part of a document (surgery.c).  A map key and its
 * ':' at column indent.  The value after "key:" (in_seq 0) or "-" (in_seq
 * 1) at column indent: a leading space or line break, and every line
 * ended.  A scalar or a short flow collection on one line (returns 0 and
 * writes nothing when the node needs lines of its own).  A block
 * collection at column indent whose first line is already indented.
 */
void hx_emit_key(struct hx_strbuf *sb, const struct hx_node *k, int indent);
void hx_emit_value(struct hx_strbuf *sb, const struct hx_node *v, int indent,
                   int in_seq, const struct hx_emit_style *st);
int hx_emit_inline(struct hx_strbuf *sb, const struct hx_node *n, int indent);
void hx_emit_block(struct hx_strbuf *sb, const struct hx_node *n, int indent,
                   const struct hx_emit_style *st);

#endif
