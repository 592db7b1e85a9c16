#include "hx/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/alloc.h"

#include "hx/banned.h"

char hx_strbuf_empty[1];

void hx_strbuf_init(struct hx_strbuf *sb)
{
	sb->buf = hx_strbuf_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void hx_strbuf_release(struct hx_strbuf *sb)
{
	if (sb->alloc)
		free(sb->buf);
	hx_strbuf_init(sb);
}

void hx_strbuf_grow(struct hx_strbuf *sb, size_t extra)
{
	size_t want = sb->len + extra + 1;
	size_t n;

	if (want <= sb->alloc)
		return;
	n = sb->alloc ? sb->alloc : 64;
	while (n < want)
		n = n / 2 * 3 + 16;
	if (sb->alloc) {
		sb->buf = hx_xrealloc(sb->buf, n);
	} else {
		sb->buf = hx_xmalloc(n);
		sb->buf[0] = '\0';
	}
	sb->alloc = n;
}

void hx_strbuf_reset(struct hx_strbuf *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

void hx_strbuf_add(struct hx_strbuf *sb, const void *data, size_t len)
{
	if (!len)
		return;
	hx_strbuf_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void hx_strbuf_adds(struct hx_strbuf *sb, const char *s)
{
	hx_strbuf_add(sb, s, strlen(s));
}

void hx_strbuf_addch(struct hx_strbuf *sb, int c)
{
	hx_strbuf_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void hx_strbuf_addchars(struct hx_strbuf *sb, int c, size_t n)
{
	if (!n)
		return;
	hx_strbuf_grow(sb, n);
	memset(sb->buf + sb->len, c, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void hx_strbuf_vaddf(struct hx_strbuf *sb, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0)
		return;
	hx_strbuf_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void hx_strbuf_addf(struct hx_strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hx_strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void hx_strbuf_swap(struct hx_strbuf *a, struct hx_strbuf *b)
{
	struct hx_strbuf t = *a;

	*a = *b;
	*b = t;
}

char *hx_strbuf_detach(struct hx_strbuf *sb, size_t *len)
{
	char *r;

	if (len)
		*len = sb->len;
	if (!sb->alloc)
		r = hx_xstrdup("");
	else
		r = sb->buf;
	hx_strbuf_init(sb);
	return r;
}

void hx_strbuf_add_quoted(struct hx_strbuf *sb, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\' || c == '\'')
			hx_strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			hx_strbuf_addf(sb, "\\x%02x", c);
		else
			hx_strbuf_addch(sb, c);
	}
}

void hx_strbuf_add_visible(struct hx_strbuf *sb, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\\')
			hx_strbuf_adds(sb, "\\\\");
		else if (c < 0x20 || c == 0x7f)
			hx_strbuf_addf(sb, "\\x%02x", c);
		else
			hx_strbuf_addch(sb, c);
	}
}
