/*
 * A YAML stream (yamldoc.h): its bytes read or mapped, split into
 * documents at their "---" and "..." lines without parsing, and what a
 * document's leading comments say ("# Source:").
 */
#include "hx/yamldoc.h"

#include <stdlib.h>
#include <string.h>

#include "hx/mapfile.h"
#include "hx/util.h"

#include "hx/banned.h"

/* ---- splitting ------------------------------------------------------ */

static int is_marker(const char *p, const char *end, char c)
{
	if (end - p < 3 || p[0] != c || p[1] != c || p[2] != c)
		return 0;
	return end - p == 3 || p[3] == ' ' || p[3] == '\t' || p[3] == '\r' ||
	       p[3] == '\n';
}

/* Line is blank, or a comment (first non-blank is '#'). */
static int is_blank_or_comment(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == end || *p == '#';
}

static int is_blank(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	return p == end;
}

struct splitter {
	struct hx_stream *st;
	size_t seg; /* start of the open segment */
	unsigned seg_line;
	size_t body; /* first content line, or SIZE_MAX */
	unsigned body_line;
	size_t end_marker; /* "..." line, or SIZE_MAX */
	int has_marker, inline_start;
};

static void seg_open(struct splitter *sp, size_t at, unsigned line)
{
	sp->seg = at;
	sp->seg_line = line;
	sp->body = (size_t)-1;
	sp->body_line = 0;
	sp->end_marker = (size_t)-1;
	sp->has_marker = 0;
	sp->inline_start = 0;
}

static void seg_close(struct splitter *sp, size_t at)
{
	struct hx_stream *st = sp->st;
	struct hx_doc *d;
	const char *b = st->buf + sp->seg;
	size_t len = at - sp->seg, tail, p;

	if (!len)
		return;
	hx_grow(&st->docs, &st->alloc, st->n + 1, sizeof(*st->docs));
	d = &st->docs[st->n++];
	memset(d, 0, sizeof(*d));
	d->off = sp->seg;
	d->len = len;
	d->line = sp->seg_line;
	d->explicit_start = (unsigned)sp->has_marker;
	d->inline_start = (unsigned)sp->inline_start;
	d->empty = sp->body == (size_t)-1;
	d->body = d->empty ? len : sp->body - sp->seg;
	d->body_line = sp->body_line;
	p = memchr(b, '\n', len)
	            ? (size_t)((const char *)memchr(b, '\n', len) - b)
	            : 0;
	d->crlf = p > 0 && b[p - 1] == '\r';
	/*
	 * The tail: a "..." line, and the column-0 comment lines (with blank
	 * lines between them) that end the document.  Comments indented may
	 * belong to a block scalar, so they stay in the body.
	 */
	tail = sp->end_marker != (size_t)-1 ? sp->end_marker - sp->seg : len;
	if (!d->empty) {
		size_t t = tail, keep = tail;

		while (t > d->body) {
			size_t ls = t - 1;

			/* t is at a line start; find the previous line */
			while (ls > d->body && b[ls - 1] != '\n')
				ls--;
			if (t - ls > 0 && b[ls] == '#')
				keep = ls;
			else if (!is_blank(b + ls, b + t))
				break;
			t = ls;
		}
		tail = keep;
	}
	d->tail = tail;
}

static void split(struct hx_stream *st)
{
	struct splitter sp;
	const char *buf = st->buf, *end = buf + st->len, *p = buf;
	unsigned line = 1;

	sp.st = st;
	seg_open(&sp, 0, 1);
	/* A byte order mark is not part of the first line's content. */
	if (end - p >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		const char *next = nl ? nl + 1 : end;
		const char *ls = (p == buf + 3 && line == 1) ? buf : p;

		if (is_marker(p, le, '-')) {
			if (sp.body != (size_t)-1 || sp.has_marker) {
				seg_close(&sp, (size_t)(ls - buf));
				seg_open(&sp, (size_t)(ls - buf), line);
			}
			sp.has_marker = 1;
			if (!is_blank_or_comment(p + 3, le)) {
				sp.inline_start = 1;
				sp.body = (size_t)(ls - buf);
				sp.body_line = line;
			}
		} else if (is_marker(p, le, '.')) {
			sp.end_marker = (size_t)(ls - buf);
			seg_close(&sp, (size_t)(next - buf));
			seg_open(&sp, (size_t)(next - buf), line + 1);
		} else if (sp.body == (size_t)-1 &&
		           (is_blank_or_comment(p, le) || *p == '%')) {
			/* leading comments and directives */
		} else if (sp.body == (size_t)-1) {
			sp.body = (size_t)(ls - buf);
			sp.body_line = line;
		}
		p = next;
		line++;
	}
	seg_close(&sp, st->len);
}

void hx_stream_init_buf(struct hx_stream *out, const char *name, char *buf,
                        size_t len)
{
	struct hx_stream init = HX_STREAM_INIT;

	*out = init;
	out->name = hx_xstrdup(name);
	out->buf = buf;
	out->len = len;
	split(out);
}

int hx_stream_read_mapped(struct hx_stream *out, const char *path)
{
	char *buf;
	size_t len;

	if (!hx_mapfile_map(&buf, &len, path))
		return hx_stream_read(out, path);
	hx_stream_init_buf(out, path, buf, len);
	return 0;
}

int hx_stream_read(struct hx_stream *out, const char *path)
{
	struct hx_stream init = HX_STREAM_INIT;
	char *buf;
	size_t len;

	*out = init;
	if (hx_read_file(&buf, &len, path) < 0)
		return -1;
	hx_stream_init_buf(out, strcmp(path, "-") ? path : "<stdin>", buf, len);
	return 0;
}

void hx_stream_release(struct hx_stream *st)
{
	size_t i;

	if (!st)
		return;
	for (i = 0; i < st->n; i++) {
		free(st->docs[i].out);
		free(st->docs[i].pieces);
	}
	free(st->docs);
	if (hx_mapfile_owns(st->buf))
		hx_mapfile_release(st->buf, st->len);
	else
		free(st->buf);
	free(st->name);
	hx_arena_release(&st->arena);
	st->docs = NULL;
	st->buf = st->name = NULL;
	st->n = st->alloc = st->len = 0;
}

char *hx_doc_source(const struct hx_stream *st, const struct hx_doc *doc,
                    size_t *len)
{
	const char *p = st->buf + doc->off, *end = p + doc->body;
	char *r = NULL;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (le - p > 10 && !memcmp(p, "# Source: ", 10)) {
			const char *e = le;

			while (e > p + 10 && (e[-1] == '\r' || e[-1] == ' '))
				e--;
			free(r);
			r = hx_xstrndup(p + 10, (size_t)(e - p - 10));
			if (len)
				*len = (size_t)(e - p - 10);
		}
		p = nl ? nl + 1 : end;
	}
	return r;
}
