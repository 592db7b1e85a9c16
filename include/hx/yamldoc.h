#ifndef HX_YAMLDOC_H
#define HX_YAMLDOC_H

#include <stddef.h>
#include <stdio.h>

#include "hx/emit.h"
#include "hx/node.h"
#include "hx/surgery.h"

struct hx_strbuf;

/*
 * A multi-document YAML stream.  The stream owns its input bytes; each
 * document is a slice of them, split on column-0 "---" and "..." lines (which
 * YAML forbids inside content).  A document that nothing changed is written
 * back from its slice, byte for byte; a patched one keeps its text where
 * the patch did not change it (hx_doc_rewrite); a document built anew is
 * emitted in Kubernetes block style between its own leading lines (marker,
 * comments such as "# Source: ...") and its trailing comment lines.
 */
struct hx_doc {
	size_t off, len; /* the slice in the stream buffer */
	size_t body;     /* offset in the slice where content starts */
	size_t tail;     /* offset of trailing comment / "..." lines, or len */
	unsigned line;   /* 1-based line of the slice's first byte */
	unsigned body_line;
	unsigned explicit_start : 1; /* has a "---" line */
	unsigned inline_start : 1;   /* content on the "---" line itself */
	unsigned crlf : 1;           /* lines end in CR LF */
	unsigned empty : 1;          /* only comments, blanks and markers */
	unsigned modified : 1;       /* out holds the re-emitted document */
	unsigned deleted : 1;        /* a patch removed the whole document */
	unsigned spans : 1;   /* the loaded tree's node spans are its text */
	struct hx_node *root; /* loaded tree (borrowed from an arena) */
	const struct hx_node *dup_key; /* first duplicate key, when loaded */
	char *out;                     /* owned: emitted bytes when modified */
	size_t out_len;
	/*
	 * A surgically written document (hx_doc_rewrite): its bytes are
	 * these pieces of the slice (off from the slice's start) and of out
	 * (which then holds only the text written anew).  NULL otherwise.
	 */
	struct hx_piece *pieces; /* owned */
	size_t npieces;
};

struct hx_stream {
	char *name; /* owned: the name used in messages */
	char *buf;  /* owned: the input bytes, NUL-terminated */
	size_t len;
	struct hx_doc *docs; /* owned array */
	size_t n, alloc;
	struct hx_arena arena; /* trees loaded with hx_stream_load_all */
	/* helm template's output: its "# Source:" lines name chart files */
	int from_chart;
};
#define HX_STREAM_INIT                                                         \
	{                                                                      \
		NULL, NULL, 0, NULL, 0, 0, HX_ARENA_INIT, 0                    \
	}

/* Split buf (steals it, even on failure) into documents. */
void hx_stream_init_buf(struct hx_stream *out, const char *name, char *buf,
                        size_t len);
/* Read path ("-" = stdin, named "<stdin>") and split it. */
int hx_stream_read(struct hx_stream *out, const char *path);
/*
 * The same, mapping a big file instead of reading it (mapfile.h): only
 * for streams whose output goes through hx_stream_write, which refuses
 * to write when a mapped file changed meanwhile.
 */
int hx_stream_read_mapped(struct hx_stream *out, const char *path);
void hx_stream_release(struct hx_stream *st);

/*
 * Parse one document into a tree allocated in arena a (doc->root, NULL for an
 * empty document).  Malformed YAML sets "FILE:LINE:COL: error: ..." and
 * returns -1.  Aliases are expanded, with a hard cap on the nodes they may
 * create.  Duplicate keys are recorded in doc->dup_key, not refused: the
 * last one wins, as in Kubernetes' reader.
 */
int hx_doc_load(struct hx_stream *st, struct hx_doc *doc, struct hx_arena *a);
/* Load every document into st->arena; refuses duplicate keys. */
int hx_stream_load_all(struct hx_stream *st);

/* Re-emit doc->root into doc->out and set doc->modified. */
void hx_doc_update(struct hx_stream *st, struct hx_doc *doc);
/*
 * The same for a patched document: orig is the tree hx_doc_load gave
 * (untouched), doc->root the patched one.  Written surgically
 * (surgery.h) when the spans allow; else as hx_doc_update does.
 */
void hx_doc_rewrite(struct hx_stream *st, struct hx_doc *doc,
                    const struct hx_node *orig);
/*
 * The document's output bytes (original, re-emitted or pieced together) as
 * one new buffer (free() it); *len gets their count.
 */
char *hx_doc_flatten(const struct hx_stream *st, const struct hx_doc *doc,
                     size_t *len);
/* A pieced document's bytes become one run in doc->out. */
void hx_doc_unpiece(const struct hx_stream *st, struct hx_doc *doc);
/* Append the document's output bytes (original or re-emitted). */
void hx_doc_write(struct hx_strbuf *sb, const struct hx_stream *st,
                  const struct hx_doc *doc);
/*
 * Write every document.  *state starts at 0 and carries over between the
 * streams written to one output: a later stream's first document gets a
 * "---" line when it has none.  Returns -1 (error set) on a write error,
 * and, writing nothing, when a mapped input changed (mapfile.h).
 */
int hx_stream_write(FILE *f, const struct hx_stream *st, int *state);

/*
 * The path of the document's last "# Source: PATH" line among its leading
 * lines (helm template writes one per document), or NULL.  new: free() it.
 * *len (when len is not NULL) gets its length: the text may hold NUL bytes.
 */
char *hx_doc_source(const struct hx_stream *st, const struct hx_doc *doc,
                    size_t *len);

/*
 * Deepest nesting of collections a loaded document may have (Kubernetes
 * objects nest a few dozen levels): deeper is an error while parsing, so
 * that every tree walk is bounded.
 */
#define HX_MAX_DEPTH 1000

/*
 * The longest scalar a document may hold (Kubernetes keeps whole objects
 * under about 1.5 MiB): longer is an error while parsing.
 */
#define HX_SCALAR_MAX_DEFAULT ((size_t)64 << 20)
void hx_yaml_set_scalar_max(size_t n);

/* Maximum nodes that aliases may add to one document (billion laughs). */
#define HX_ALIAS_MIN_BUDGET 10000
#define HX_ALIAS_RATIO 10

#endif
