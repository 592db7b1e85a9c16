/*
 * Writing documents (yamldoc.h): back from their slice, pieced together by
 * surgery.c, or emitted anew; the stream to a file.
 */
#include "hx/yamldoc.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/mapfile.h"
#include "hx/strbuf.h"
#include "hx/surgery.h"

#include "hx/banned.h"

/* Lines the emitter ended with LF alone get the CR the document uses. */
static void add_cr(struct hx_strbuf *sb)
{
	struct hx_strbuf crlf = HX_STRBUF_INIT;
	size_t i;

	for (i = 0; i < sb->len; i++) {
		if (sb->buf[i] == '\n' && (i == 0 || sb->buf[i - 1] != '\r'))
			hx_strbuf_addch(&crlf, '\r');
		hx_strbuf_addch(&crlf, sb->buf[i]);
	}
	hx_strbuf_swap(sb, &crlf);
	hx_strbuf_release(&crlf);
}

void hx_doc_update(struct hx_stream *st, struct hx_doc *doc)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *b = st->buf + doc->off;

	free(doc->out);
	free(doc->pieces);
	doc->out = NULL;
	doc->pieces = NULL;
	doc->npieces = 0;
	doc->modified = 1;
	if (!doc->root) {
		doc->deleted = 1;
		doc->out_len = 0;
		return;
	}
	/* a byte order mark on the content's own line stays first */
	if (!doc->off && !doc->body && doc->len >= 3 &&
	    !memcmp(b, "\xEF\xBB\xBF", 3))
		hx_strbuf_add(&sb, b, 3);
	/* UTF-16 (libyaml read it through its byte order mark): the bytes
	 * around the content are UTF-16 and the emitter writes UTF-8, so
	 * the document is written anew whole, in UTF-8, comments lost */
	if (doc->len >= 2 &&
	    (!memcmp(b, "\xFF\xFE", 2) || !memcmp(b, "\xFE\xFF", 2))) {
		hx_node_emit(&sb, doc->root);
		doc->out = hx_strbuf_detach(&sb, &doc->out_len);
		return;
	}
	if (doc->inline_start) {
		/* keep what came before the "---" line, then a bare marker */
		hx_strbuf_add(&sb, b, doc->body);
		hx_strbuf_adds(&sb, "---\n");
	} else {
		hx_strbuf_add(&sb, b, doc->body);
	}
	hx_node_emit(&sb, doc->root);
	/* the leading bytes already have their own CR */
	if (doc->crlf)
		add_cr(&sb);
	hx_strbuf_add(&sb, b + doc->tail, doc->len - doc->tail);
	doc->out = hx_strbuf_detach(&sb, &doc->out_len);
}

void hx_doc_rewrite(struct hx_stream *st, struct hx_doc *doc,
                    const struct hx_node *orig)
{
	struct hx_surgery_out so = HX_SURGERY_OUT_INIT;
	const char *src = st->buf + doc->off;

	if (!doc->spans || !doc->root || doc->inline_start ||
	    hx_surgery_write(&so, src, doc->len, orig, doc->root) < 0) {
		hx_surgery_out_release(&so);
		hx_doc_update(st, doc);
		return;
	}
	free(doc->out);
	free(doc->pieces);
	doc->modified = 1;
	if (doc->crlf) {
		/* lines written anew get the CR the document's lines have */
		struct hx_strbuf sb = HX_STRBUF_INIT;

		hx_surgery_out_flatten(&sb, so.p, so.n, src, so.fresh.buf);
		add_cr(&sb);
		hx_surgery_out_release(&so);
		doc->pieces = NULL;
		doc->npieces = 0;
		doc->out = hx_strbuf_detach(&sb, &doc->out_len);
		return;
	}
	doc->pieces = so.p;
	doc->npieces = so.n;
	doc->out = hx_strbuf_detach(&so.fresh, &doc->out_len);
}

void hx_doc_unpiece(const struct hx_stream *st, struct hx_doc *doc)
{
	char *flat;
	size_t len;

	if (!doc->pieces)
		return;
	flat = hx_doc_flatten(st, doc, &len);
	free(doc->out);
	free(doc->pieces);
	doc->pieces = NULL;
	doc->npieces = 0;
	doc->out = flat;
	doc->out_len = len;
}

char *hx_doc_flatten(const struct hx_stream *st, const struct hx_doc *doc,
                     size_t *len)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_doc_write(&sb, st, doc);
	return hx_strbuf_detach(&sb, len);
}

void hx_doc_write(struct hx_strbuf *sb, const struct hx_stream *st,
                  const struct hx_doc *doc)
{
	if (doc->pieces)
		hx_surgery_out_flatten(sb, doc->pieces, doc->npieces,
		                       st->buf + doc->off, doc->out);
	else if (doc->modified)
		hx_strbuf_add(sb, doc->out, doc->out_len);
	else
		hx_strbuf_add(sb, st->buf + doc->off, doc->len);
}

int hx_stream_write(FILE *f, const struct hx_stream *st, int *state)
{
	int first = 1;
	size_t i;

	hx_mapfile_probe(); /* a lost page shows now, not halfway through */
	if (hx_mapfile_changed()) {
		hx_error_set("'%s' changed while helm-x read it (it became "
		             "shorter)",
		             hx_mapfile_changed());
		return -1;
	}
	for (i = 0; i < st->n; i++) {
		const struct hx_doc *d = &st->docs[i];
		const char *p = d->modified ? d->out : st->buf + d->off;
		size_t n = d->modified ? d->out_len : d->len, j;
		int last;

		if (d->pieces) {
			const struct hx_piece *q = &d->pieces[d->npieces - 1];

			for (n = j = 0; j < d->npieces; j++)
				n += d->pieces[j].len;
			last = n ? (q->fresh ? d->out
			                     : st->buf + d->off)[q->off +
			                                         q->len - 1]
			         : 0;
		} else {
			last = n ? p[n - 1] : 0;
		}
		if (d->deleted || !n)
			continue;
		/* a document that follows needs the last line ended */
		if (*state == 2)
			fputc('\n', f);
		/* the first document of a later stream needs its own marker */
		if (first && *state && !d->explicit_start && !d->empty)
			fputs("---\n", f);
		if (!d->empty)
			first = 0;
		for (j = 0; d->pieces && j < d->npieces; j++) {
			const struct hx_piece *q = &d->pieces[j];
			const char *b = q->fresh ? d->out : st->buf + d->off;

			if (fwrite(b + q->off, 1, q->len, f) != q->len) {
				hx_error_set_errno("cannot write output");
				return -1;
			}
		}
		if (!d->pieces && fwrite(p, 1, n, f) != n) {
			hx_error_set_errno("cannot write output");
			return -1;
		}
		*state = last == '\n' ? 1 : 2;
	}
	if (hx_mapfile_changed()) {
		hx_error_set("'%s' changed while helm-x read it (it became "
		             "shorter)",
		             hx_mapfile_changed());
		return -1;
	}
	return 0;
}
