#ifndef HX_STRBUF_H
#define HX_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

#include "hx/compat.h"

/*
 * A growable string (git's strbuf).  buf is never NULL and always
 * NUL-terminated; appends abort the process on OOM.
 */
struct hx_strbuf {
	char *buf; /* owned, unless it is the shared empty string */
	size_t len;
	size_t alloc;
};

extern char hx_strbuf_empty[];
#define HX_STRBUF_INIT                                                         \
	{                                                                      \
		hx_strbuf_empty, 0, 0                                          \
	}

void hx_strbuf_init(struct hx_strbuf *sb);
void hx_strbuf_release(struct hx_strbuf *sb);
void hx_strbuf_grow(struct hx_strbuf *sb, size_t extra);
void hx_strbuf_reset(struct hx_strbuf *sb);
void hx_strbuf_add(struct hx_strbuf *sb, const void *data, size_t len);
void hx_strbuf_adds(struct hx_strbuf *sb, const char *s);
void hx_strbuf_addch(struct hx_strbuf *sb, int c);
void hx_strbuf_addchars(struct hx_strbuf *sb, int c, size_t n);
void hx_strbuf_addf(struct hx_strbuf *sb, const char *fmt, ...) HX_PRINTF(2, 3);
void hx_strbuf_vaddf(struct hx_strbuf *sb, const char *fmt, va_list ap)
        HX_PRINTF(2, 0);
void hx_strbuf_swap(struct hx_strbuf *a, struct hx_strbuf *b);
/*
 * Append len bytes of s for a message: control bytes (NUL included) as
 * \xNN, '\'' and '\\' escaped; other bytes (UTF-8 too) as they are.
 */
void hx_strbuf_add_quoted(struct hx_strbuf *sb, const char *s, size_t len);
/* s with a control character (NUL too) as \xNN and '\' as "\\": text
 * that prints as one visible line, one to one with s. */
void hx_strbuf_add_visible(struct hx_strbuf *sb, const char *s, size_t len);
/* Hand the string over (new: the caller frees it); sb is left empty. */
char *hx_strbuf_detach(struct hx_strbuf *sb, size_t *len);

#endif
