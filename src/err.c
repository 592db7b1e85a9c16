#include "hx/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/node.h"
#include "hx/strbuf.h"

#include "hx/banned.h"

/*
 * The slot holds an optional position head ("file:1:2: ") and the message.
 * Both are kept apart so that prefixes go between them.
 */
/* one slot per thread: patching may run on several */
static _Thread_local struct hx_strbuf head = HX_STRBUF_INIT;
static _Thread_local struct hx_strbuf msg = HX_STRBUF_INIT;
static _Thread_local struct hx_strbuf full = HX_STRBUF_INIT;
static _Thread_local int is_set;

static void set_head(const char *file, unsigned line, unsigned col)
{
	hx_strbuf_reset(&head);
	if (!file)
		return;
	hx_strbuf_adds(&head, file);
	if (line) {
		hx_strbuf_addf(&head, ":%u", line);
		if (col)
			hx_strbuf_addf(&head, ":%u", col);
	}
	hx_strbuf_adds(&head, ": ");
}

static void set_msgv(const char *fmt, va_list ap) HX_PRINTF(1, 0);
static void set_msgv(const char *fmt, va_list ap)
{
	hx_strbuf_reset(&msg);
	hx_strbuf_vaddf(&msg, fmt, ap);
	is_set = 1;
}

void hx_error_set(const char *fmt, ...)
{
	va_list ap;

	set_head(NULL, 0, 0);
	va_start(ap, fmt);
	set_msgv(fmt, ap);
	va_end(ap);
}

void hx_error_set_errno(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	set_head(NULL, 0, 0);
	va_start(ap, fmt);
	set_msgv(fmt, ap);
	va_end(ap);
	hx_strbuf_addf(&msg, ": %s", strerror(e));
}

void hx_error_set_at(const char *file, unsigned line, unsigned col,
                     const char *fmt, ...)
{
	va_list ap;

	set_head(file, line, col);
	va_start(ap, fmt);
	set_msgv(fmt, ap);
	va_end(ap);
}

void hx_error_set_node(const struct hx_node *node, const char *fmt, ...)
{
	va_list ap;

	if (node)
		set_head(node->file, node->line, node->col);
	else
		set_head(NULL, 0, 0);
	va_start(ap, fmt);
	set_msgv(fmt, ap);
	va_end(ap);
}

void hx_error_locate(const char *file, unsigned line, unsigned col)
{
	if (!head.len)
		set_head(file, line, col);
}

void hx_error_prefix(const char *fmt, ...)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	hx_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	hx_strbuf_add(&sb, msg.buf, msg.len);
	hx_strbuf_swap(&sb, &msg);
	hx_strbuf_release(&sb);
	is_set = 1;
}

void hx_error_suffix(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hx_strbuf_vaddf(&msg, fmt, ap);
	va_end(ap);
	is_set = 1;
}

const char *hx_error_message(void)
{
	hx_strbuf_reset(&full);
	if (!is_set)
		return full.buf;
	hx_strbuf_add(&full, head.buf, head.len);
	hx_strbuf_adds(&full, "error: ");
	hx_strbuf_add(&full, msg.buf, msg.len);
	return full.buf;
}

int hx_error_is_set(void)
{
	return is_set;
}

void hx_error_clear(void)
{
	hx_strbuf_reset(&head);
	hx_strbuf_reset(&msg);
	is_set = 0;
}

void hx_error_release(void)
{
	hx_strbuf_release(&head);
	hx_strbuf_release(&msg);
	hx_strbuf_release(&full);
	is_set = 0;
}

/*
 * One line on f: prefix, then s with a control character but tab as
 * \xNN, so that a value from a chart or a HelmRelease (a newline in a
 * scalar) never splits the line or forges another.
 */
static void put_line(FILE *f, const char *prefix, const char *s)
{
	fputs(prefix, f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c < 0x20 && c != '\t') || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fputc('\n', f);
}

void hx_error_copy(FILE *f)
{
	if (!is_set)
		return;
	put_line(f, head.len ? "" : "helm-x: ", hx_error_message());
	fflush(f);
}

int hx_error_report(void)
{
	const char *m;

	if (!is_set)
		return 0;
	m = hx_error_message();
	put_line(stderr, head.len ? "" : "helm-x: ", m);
	hx_error_clear();
	hx_strbuf_release(&head);
	hx_strbuf_release(&msg);
	hx_strbuf_release(&full);
	return 1;
}

void hx_error_save(char **out_head, char **out_msg)
{
	*out_head = hx_strbuf_detach(&head, NULL);
	*out_msg = hx_strbuf_detach(&msg, NULL);
	is_set = 0;
	hx_strbuf_release(&full);
}

void hx_error_restore(const char *h, const char *m)
{
	hx_strbuf_reset(&head);
	hx_strbuf_reset(&msg);
	hx_strbuf_adds(&head, h);
	hx_strbuf_adds(&msg, m);
	is_set = 1;
}

int hx_error_exit(int rc)
{
	if (!rc)
		return 0;
	if (!is_set)
		hx_error_set("internal error: a step failed without a message");
	hx_error_report();
	/* every failure is 1 (2 is diff's "changes"); a child killed by
	 * signal N stays 128+N */
	return rc >= 128 ? rc : 1;
}

void hx_warning(const char *fmt, ...)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	hx_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	put_line(stderr, "helm-x: warning: ", sb.buf ? sb.buf : "");
	hx_strbuf_release(&sb);
}
