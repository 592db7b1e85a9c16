#include "hx/emit.h"

#include <string.h>

#include "hx/node.h"
#include "hx/strbuf.h"

#include "hx/banned.h"

#define FLOW_MAX 80

static int is_indicator(int c)
{
	return strchr("-?:,[]{}#&*!|>'\"%@`", c) != NULL;
}

/*
 * The length (2 or 3 bytes) of a character at s[i] that no style but an
 * escape in double quotes keeps: a C1 control (U+0080..U+009F, NEL among
 * them, which libyaml refuses raw or reads as a line break), LS and PS
 * (line breaks in YAML 1.1), the BOM (skipped at a line's start), U+FFFE
 * and U+FFFF (not printable); else 0.  C0 controls are the callers'.
 */
static size_t special_at(const char *s, size_t len, size_t i)
{
	const unsigned char *u = (const unsigned char *)s + i;
	size_t left = len - i;

	if (left >= 2 && u[0] == 0xC2 && u[1] >= 0x80 && u[1] <= 0x9F)
		return 2;
	if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 &&
	    (u[2] == 0xA8 || u[2] == 0xA9))
		return 3;
	if (left >= 3 && u[0] == 0xEF &&
	    ((u[1] == 0xBB && u[2] == 0xBF) ||
	     (u[1] == 0xBF && (u[2] == 0xBE || u[2] == 0xBF))))
		return 3;
	return 0;
}

/* Can s be written as a plain scalar and read back as the same string? */
static int plain_ok(const char *s, size_t len, int flow, int must_be_str)
{
	size_t i;

	if (!len || s[0] == ' ' || s[len - 1] == ' ' || s[0] == '\t' ||
	    s[len - 1] == '\t' || s[len - 1] == ':')
		return 0;
	if (is_indicator((unsigned char)s[0])) {
		/* "-x", "--flag" are fine; "- x", "-" and the rest are not */
		if (s[0] != '-' || len < 2 || s[1] == ' ' || s[1] == '\t' ||
		    (len >= 3 && s[1] == '-' && s[2] == '-'))
			return 0;
	}
	if (len >= 3 && !memcmp(s, "...", 3))
		return 0;
	/* plain "<<" is YAML 1.1's merge key, which Kubernetes resolves */
	if (must_be_str && len == 2 && !memcmp(s, "<<", 2))
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* a tab inside is plain (leading and trailing ones are not) */
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return 0;
		if (c == ':' && (i + 1 == len || s[i + 1] == ' ' ||
		                 s[i + 1] == '\t' || flow))
			return 0;
		if (c == '#' && i > 0 && (s[i - 1] == ' ' || s[i - 1] == '\t'))
			return 0;
		if (flow && strchr(",[]{}", c))
			return 0;
		if (special_at(s, len, i))
			return 0;
	}
	if (must_be_str) {
		struct hx_node tmp;

		memset(&tmp, 0, sizeof(tmp));
		tmp.kind = HX_SCALAR;
		tmp.style = HX_STYLE_PLAIN;
		tmp.u.s.str = s;
		tmp.u.s.len = len;
		/* s is NUL-terminated in every node, so resolve can read it */
		if (hx_node_resolve(&tmp, NULL, NULL) != HX_TYPE_STR)
			return 0;
	}
	return 1;
}

static void emit_double(struct hx_strbuf *sb, const char *s, size_t len)
{
	size_t i;

	hx_strbuf_addch(sb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			hx_strbuf_add(sb, "\\\"", 2);
			continue;
		case '\\':
			hx_strbuf_add(sb, "\\\\", 2);
			continue;
		case '\n':
			hx_strbuf_add(sb, "\\n", 2);
			continue;
		case '\t':
			hx_strbuf_add(sb, "\\t", 2);
			continue;
		case '\r':
			hx_strbuf_add(sb, "\\r", 2);
			continue;
		case '\0':
			hx_strbuf_add(sb, "\\0", 2);
			continue;
		default:
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			hx_strbuf_addf(sb, "\\x%02X", c);
		} else if (special_at(s, len, i) == 2) {
			/* a C1 control: U+0080..U+009F */
			unsigned char c1 = (unsigned char)s[i + 1];

			if (c1 == 0x85)
				hx_strbuf_add(sb, "\\N", 2);
			else
				hx_strbuf_addf(sb, "\\x%02X", c1);
			i++;
		} else if (special_at(s, len, i) == 3) {
			unsigned char b1 = (unsigned char)s[i + 1],
			              b2 = (unsigned char)s[i + 2];

			if (c == 0xE2)
				hx_strbuf_add(sb, b2 == 0xA8 ? "\\L" : "\\P",
				              2);
			else if (b1 == 0xBB)
				hx_strbuf_add(sb, "\\uFEFF", 6);
			else
				hx_strbuf_addf(sb, "\\uFF%s",
				               b2 == 0xBE ? "FE" : "FF");
			i += 2;
		} else {
			hx_strbuf_addch(sb, c);
		}
	}
	hx_strbuf_addch(sb, '"');
}

static int single_ok(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f || special_at(s, len, i))
			return 0;
	}
	/* leading or trailing spaces survive single quotes on one line */
	return 1;
}

/* A scalar on one line (flow context when flow is set). */
static void emit_inline_scalar(struct hx_strbuf *sb, const struct hx_node *n,
                               int flow)
{
	const char *s = n->u.s.str;
	size_t len = n->u.s.len;

	if (n->tag) {
		hx_strbuf_adds(sb, n->tag);
		hx_strbuf_addch(sb, ' ');
	}
	switch (n->style) {
	case HX_STYLE_PLAIN:
		if (!len && !n->tag)
			return; /* a null written as nothing stays nothing */
		/* plain as it was read, when that reads back here too: a
		 * scalar read in flow context ("-", "? x") or from a column
		 * other than this one ("--- x", "...") may not be plain here */
		if (plain_ok(s, len, flow, 0))
			break;
		emit_double(sb, s, len);
		return;
	case HX_STYLE_ANY:
		if (plain_ok(s, len, flow, !n->tag))
			break;
		emit_double(sb, s, len);
		return;
	case HX_STYLE_SINGLE:
		if (single_ok(s, len)) {
			size_t i;

			hx_strbuf_addch(sb, '\'');
			for (i = 0; i < len; i++) {
				if (s[i] == '\'')
					hx_strbuf_addch(sb, '\'');
				hx_strbuf_addch(sb, s[i]);
			}
			hx_strbuf_addch(sb, '\'');
			return;
		}
		emit_double(sb, s, len);
		return;
	default:
		emit_double(sb, s, len);
		return;
	}
	hx_strbuf_add(sb, s, len);
}

/* Can the value be written as a block scalar that reads back the same? */
static int block_ok(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f ||
		    special_at(s, len, i))
			return 0;
		if (c == '\n' && i + 1 < len && s[i + 1] == '\r')
			return 0;
	}
	/* only line breaks: nothing to hold the indentation */
	for (i = 0; i < len && s[i] == '\n'; i++)
		;
	if (i == len)
		return 0;
	/* trailing white space on the last content line is kept by literals */
	return 1;
}

/* Lines at column indent, ind columns right of the parent's (1..9). */
static void emit_block_scalar(struct hx_strbuf *sb, const struct hx_node *n,
                              int indent, int ind)
{
	const char *s = n->u.s.str, *p, *end;
	size_t len = n->u.s.len, body_len = len, trailing = 0, i;
	int folded = n->style == HX_STYLE_FOLDED;
	int need_indicator = 0;

	while (body_len && s[body_len - 1] == '\n')
		body_len--, trailing++;
	/* first content line decides the indentation unless we say it */
	for (i = 0; i < body_len && s[i] == '\n'; i++)
		;
	if (i < body_len && (s[i] == ' ' || s[i] == '\t'))
		need_indicator = 1;
	if (folded) {
		/* more-indented lines and leading breaks do not fold: literal
		 */
		if (s[0] == '\n')
			folded = 0;
		for (i = 0; folded && i < body_len; i++)
			if ((i == 0 || s[i - 1] == '\n') &&
			    (s[i] == ' ' || s[i] == '\t'))
				folded = 0;
	}
	if (n->tag) {
		hx_strbuf_adds(sb, n->tag);
		hx_strbuf_addch(sb, ' ');
	}
	hx_strbuf_addch(sb, folded ? '>' : '|');
	if (need_indicator)
		hx_strbuf_addch(sb, (char)('0' + ind));
	if (trailing == 0)
		hx_strbuf_addch(sb, '-');
	else if (trailing > 1)
		hx_strbuf_addch(sb, '+');
	hx_strbuf_addch(sb, '\n');
	p = s;
	end = s + body_len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (le > p) {
			hx_strbuf_addchars(sb, ' ', (size_t)indent);
			hx_strbuf_add(sb, p, (size_t)(le - p));
		}
		hx_strbuf_addch(sb, '\n');
		if (!nl)
			break;
		if (folded)
			hx_strbuf_addch(sb, '\n');
		p = nl + 1;
		/* folded: a run of k breaks is k blank lines, not k+1 */
		while (folded && p < end && *p == '\n') {
			hx_strbuf_addch(sb, '\n');
			p++;
		}
	}
	for (i = 1; i < trailing; i++)
		hx_strbuf_addch(sb, '\n');
}

/* A null written as nothing (plain, empty, no tag). */
static int is_empty_null(const struct hx_node *n)
{
	return n->kind == HX_SCALAR && n->style == HX_STYLE_PLAIN &&
	       !n->u.s.len && !n->tag;
}

static void emit_flow_item(struct hx_strbuf *sb, const struct hx_node *n);

static void emit_flow(struct hx_strbuf *sb, const struct hx_node *n)
{
	size_t i;

	if (n->kind == HX_SCALAR) {
		emit_inline_scalar(sb, n, 1);
		return;
	}
	if (n->tag) {
		hx_strbuf_adds(sb, n->tag);
		hx_strbuf_addch(sb, ' ');
	}
	if (n->kind == HX_SEQ) {
		hx_strbuf_addch(sb, '[');
		for (i = 0; i < n->u.seq.n; i++) {
			if (i)
				hx_strbuf_add(sb, ", ", 2);
			emit_flow_item(sb, n->u.seq.items[i]);
		}
		hx_strbuf_addch(sb, ']');
		return;
	}
	hx_strbuf_addch(sb, '{');
	for (i = 0; i < n->u.map.n; i++) {
		const struct hx_node *v = n->u.map.pairs[i].value;

		if (i)
			hx_strbuf_add(sb, ", ", 2);
		emit_flow_item(sb, n->u.map.pairs[i].key);
		/* "{a: }": an empty value reads back as null */
		hx_strbuf_add(sb, ": ", 2);
		if (!is_empty_null(v))
			emit_flow(sb, v);
	}
	hx_strbuf_addch(sb, '}');
}

/* A list item or a key in flow: an empty null must be written "null". */
static void emit_flow_item(struct hx_strbuf *sb, const struct hx_node *n)
{
	if (is_empty_null(n))
		hx_strbuf_adds(sb, "null");
	else
		emit_flow(sb, n);
}

void hx_node_emit_flow(struct hx_strbuf *sb, const struct hx_node *n)
{
	emit_flow(sb, n);
}

void hx_node_describe(struct hx_strbuf *sb, const struct hx_node *n)
{
	struct hx_strbuf t = HX_STRBUF_INIT;

	if (!n)
		hx_strbuf_adds(&t, "(none)");
	else if (n->kind == HX_SCALAR)
		hx_strbuf_add(&t, n->u.s.str, n->u.s.len);
	else
		emit_flow(&t, n);
	if (t.len > 60) {
		hx_strbuf_add_quoted(sb, t.buf, 57);
		hx_strbuf_adds(sb, "...");
	} else {
		hx_strbuf_add_quoted(sb, t.buf, t.len);
	}
	hx_strbuf_release(&t);
}

static int is_empty_coll(const struct hx_node *n)
{
	return (n->kind == HX_SEQ && !n->u.seq.n) ||
	       (n->kind == HX_MAP && !n->u.map.n);
}

/*
 * Try the node as a one-line flow collection: empty collections always,
 * collections written in flow style when they still fit.
 */
static int try_flow(struct hx_strbuf *sb, const struct hx_node *n, int indent,
                    int keep_flow)
{
	size_t mark = sb->len;

	if (n->kind == HX_SCALAR ||
	    (!(n->flow && keep_flow) && !is_empty_coll(n)))
		return 0;
	emit_flow(sb, n);
	if (!is_empty_coll(n) && sb->len - mark + (size_t)indent > FLOW_MAX) {
		sb->len = mark;
		sb->buf[mark] = '\0';
		return 0;
	}
	return 1;
}

static int is_block_scalar(const struct hx_node *n)
{
	return n->kind == HX_SCALAR &&
	       (n->style == HX_STYLE_LITERAL || n->style == HX_STYLE_FOLDED) &&
	       block_ok(n->u.s.str, n->u.s.len);
}

static void emit_map(struct hx_strbuf *sb, const struct hx_node *m, int indent,
                     int first_inline, const struct hx_emit_style *st);
static void emit_seq(struct hx_strbuf *sb, const struct hx_node *s, int indent,
                     int first_inline, const struct hx_emit_style *st);

const struct hx_emit_style hx_emit_kubernetes = {2, 0, 1};

/* YAML's limit on an implicit key (libyaml refuses longer ones). */
#define IMPLICIT_KEY_MAX 1000

/*
 * A key and its ':'.  A key too long to be implicit is written as an
 * explicit "? KEY" line, with ':' on the next line at indent.
 */
static void emit_key(struct hx_strbuf *sb, const struct hx_node *k, int indent)
{
	size_t mark = sb->len;

	if (is_empty_null(k)) {
		hx_strbuf_adds(sb, "null:");
		return;
	}
	if (k->kind == HX_SCALAR) {
		struct hx_node tmp = *k;

		if (tmp.style == HX_STYLE_LITERAL ||
		    tmp.style == HX_STYLE_FOLDED)
			tmp.style = HX_STYLE_DOUBLE;
		emit_inline_scalar(sb, &tmp, 0);
	} else {
		emit_flow(sb, k);
	}
	if (sb->len - mark <= IMPLICIT_KEY_MAX) {
		hx_strbuf_addch(sb, ':');
		return;
	}
	/* too long for an implicit key: "? KEY" */
	hx_strbuf_grow(sb, 2);
	memmove(sb->buf + mark + 2, sb->buf + mark, sb->len - mark + 1);
	memcpy(sb->buf + mark, "? ", 2);
	sb->len += 2;
	hx_strbuf_addch(sb, '\n');
	hx_strbuf_addchars(sb, ' ', (size_t)indent);
	hx_strbuf_addch(sb, ':');
}

/* The value after "key:" (map) or "-" (sequence); ends the line(s). */
static void emit_value(struct hx_strbuf *sb, const struct hx_node *v,
                       int indent, int in_seq, const struct hx_emit_style *st)
{
	if (v->kind == HX_SCALAR) {
		if (is_block_scalar(v)) {
			hx_strbuf_addch(sb, ' ');
			emit_block_scalar(sb, v, indent + st->step, st->step);
			return;
		}
		if (v->u.s.len || v->tag || v->style != HX_STYLE_PLAIN)
			hx_strbuf_addch(sb, ' ');
		emit_inline_scalar(sb, v, 0);
		hx_strbuf_addch(sb, '\n');
		return;
	}
	hx_strbuf_addch(sb, ' ');
	if (try_flow(sb, v, indent, st->flow)) {
		hx_strbuf_addch(sb, '\n');
		return;
	}
	sb->len--; /* drop the space again */
	sb->buf[sb->len] = '\0';
	if (v->tag) {
		hx_strbuf_addch(sb, ' ');
		hx_strbuf_adds(sb, v->tag);
	}
	if (in_seq && !v->tag) {
		hx_strbuf_addch(sb, ' ');
		if (v->kind == HX_MAP)
			emit_map(sb, v, indent + 2, 1, st);
		else
			emit_seq(sb, v, indent + 2, 1, st);
		return;
	}
	hx_strbuf_addch(sb, '\n');
	if (v->kind == HX_MAP)
		emit_map(sb, v, indent + st->step, 0, st);
	else
		/* Kubernetes style: a list is not indented under its key */
		emit_seq(sb, v, in_seq ? indent + 2 : indent + st->seq_indent,
		         0, st);
}

static void emit_map(struct hx_strbuf *sb, const struct hx_node *m, int indent,
                     int first_inline, const struct hx_emit_style *st)
{
	size_t i;

	for (i = 0; i < m->u.map.n; i++) {
		if (i || !first_inline)
			hx_strbuf_addchars(sb, ' ', (size_t)indent);
		emit_key(sb, m->u.map.pairs[i].key, indent);
		emit_value(sb, m->u.map.pairs[i].value, indent, 0, st);
	}
}

static void emit_seq(struct hx_strbuf *sb, const struct hx_node *s, int indent,
                     int first_inline, const struct hx_emit_style *st)
{
	size_t i;

	for (i = 0; i < s->u.seq.n; i++) {
		if (i || !first_inline)
			hx_strbuf_addchars(sb, ' ', (size_t)indent);
		hx_strbuf_addch(sb, '-');
		emit_value(sb, s->u.seq.items[i], indent, 1, st);
	}
}

void hx_emit_key(struct hx_strbuf *sb, const struct hx_node *k, int indent)
{
	emit_key(sb, k, indent);
}

void hx_emit_value(struct hx_strbuf *sb, const struct hx_node *v, int indent,
                   int in_seq, const struct hx_emit_style *st)
{
	emit_value(sb, v, indent, in_seq, st);
}

int hx_emit_inline(struct hx_strbuf *sb, const struct hx_node *n, int indent)
{
	if (n->kind == HX_SCALAR) {
		if (is_block_scalar(n))
			return 0;
		emit_inline_scalar(sb, n, 0);
		return 1;
	}
	return try_flow(sb, n, indent, 1);
}

void hx_emit_block(struct hx_strbuf *sb, const struct hx_node *n, int indent,
                   const struct hx_emit_style *st)
{
	if (n->kind == HX_MAP)
		emit_map(sb, n, indent, 1, st);
	else
		emit_seq(sb, n, indent, 1, st);
}

void hx_node_emit(struct hx_strbuf *sb, const struct hx_node *root)
{
	if (is_empty_null(root)) {
		/* nothing at all would be no document */
		hx_strbuf_adds(sb, "null\n");
		return;
	}
	if (root->kind == HX_SCALAR) {
		if (is_block_scalar(root)) {
			emit_block_scalar(sb, root, 2, 2);
			return;
		}
		emit_inline_scalar(sb, root, 0);
		hx_strbuf_addch(sb, '\n');
		return;
	}
	/* a flow collection writes its own tag */
	if (try_flow(sb, root, 0, 1)) {
		hx_strbuf_addch(sb, '\n');
		return;
	}
	if (root->tag) {
		hx_strbuf_adds(sb, root->tag);
		hx_strbuf_addch(sb, '\n');
	}
	if (root->kind == HX_MAP)
		emit_map(sb, root, 0, 0, &hx_emit_kubernetes);
	else
		emit_seq(sb, root, 0, 0, &hx_emit_kubernetes);
}
