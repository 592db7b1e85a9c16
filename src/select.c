#include "hx/select.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/alloc.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

struct hx_regex {
	/* shared by threads: matching only reads them */
	pcre2_code *code;
	pcre2_match_context *mctx;
	char *pattern;    /* owned, for messages */
	const char *file; /* borrowed, like the node's */
	unsigned line, col;
};

static struct hx_regex *regex_new(const char *pattern,
                                  const struct hx_node *node, int anchored)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_regex *re;
	int errcode;
	PCRE2_SIZE erroff;
	pcre2_code *code;

	/* anchored at both ends, and '$' only at the very end, as in Go;
	 * unanchored, the same 4 bytes in front keep the offsets */
	hx_strbuf_addf(&sb, anchored ? "^(?:%s)$" : "(?:)%s", pattern);
	code = pcre2_compile((PCRE2_SPTR)sb.buf, sb.len,
	                     PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &errcode,
	                     &erroff, NULL);
	hx_strbuf_release(&sb);
	if (!code) {
		PCRE2_UCHAR msg[256];
		/* the offset counts in the user's pattern, past "^(?:" and
		 * before ")$" */
		size_t off = erroff >= 4 ? (size_t)erroff - 4 : 0;

		if (off > strlen(pattern))
			off = strlen(pattern);
		pcre2_get_error_message(errcode, msg, sizeof(msg));
		hx_error_set_node(node,
		                  "invalid regular expression '%s': %s at "
		                  "offset %zu",
		                  pattern, (const char *)msg, off);
		return NULL;
	}
	re = hx_xcalloc(1, sizeof(*re));
	re->code = code;
	re->mctx = pcre2_match_context_create(NULL);
	if (!re->mctx)
		hx_oom(0);
	pcre2_set_match_limit(re->mctx, HX_REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(re->mctx, HX_REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(re->mctx, HX_REGEX_HEAP_LIMIT_KB);
	re->pattern = hx_xstrdup(pattern);
	if (node) {
		re->file = node->file;
		re->line = node->line;
		re->col = node->col;
	}
	return re;
}

struct hx_regex *hx_regex_new(const char *pattern, const struct hx_node *node)
{
	return regex_new(pattern, node, 1);
}

struct hx_regex *hx_regex_new_search(const char *pattern)
{
	return regex_new(pattern, NULL, 0);
}

int hx_regex_match(const struct hx_regex *re, const char *s)
{
	/* match data per call: a regex is matched from several threads */
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	PCRE2_UCHAR msg[256];
	int r;

	if (!md)
		hx_oom(0);
	r = pcre2_match(re->code, (PCRE2_SPTR)s, strlen(s), 0, 0, md, re->mctx);
	pcre2_match_data_free(md);
	if (r >= 0)
		return 1;
	if (r == PCRE2_ERROR_NOMATCH)
		return 0;
	/* a limit or bad input: an error, never "no match" */
	pcre2_get_error_message(r, msg, sizeof(msg));
	hx_error_set_at(re->file, re->line, re->col,
	                "regular expression '%s' on '%.100s': %s", re->pattern,
	                s, (const char *)msg);
	return -1;
}

void hx_regex_free(struct hx_regex *re)
{
	if (!re)
		return;
	pcre2_match_context_free(re->mctx);
	pcre2_code_free(re->code);
	free(re->pattern);
	free(re);
}

/* ---- selectors ------------------------------------------------------- */

enum op {
	OP_EQ,
	OP_NE,
	OP_IN,
	OP_NOTIN,
	OP_EXISTS,
	OP_NOTEXISTS,
	OP_GT,
	OP_LT
};

struct req {
	char *key;
	enum op op;
	struct hx_strvec values;
};

struct hx_selector {
	struct req *reqs;
	size_t n, alloc;
};

void hx_selector_free(struct hx_selector *sel)
{
	size_t i;

	if (!sel)
		return;
	for (i = 0; i < sel->n; i++) {
		free(sel->reqs[i].key);
		hx_strvec_clear(&sel->reqs[i].values);
	}
	free(sel->reqs);
	free(sel);
}

struct lexer {
	const char *text, *p;
	const struct hx_node *node;
};

static void skip_ws(struct lexer *lx)
{
	while (*lx->p == ' ' || *lx->p == '\t')
		lx->p++;
}

static int is_word(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	       c == '/';
}

/* A key or value; empty when none is there. */
static char *word(struct lexer *lx)
{
	const char *s;

	skip_ws(lx);
	s = lx->p;
	while (is_word((unsigned char)*lx->p))
		lx->p++;
	return hx_xstrndup(s, (size_t)(lx->p - s));
}

static int lex_error(struct lexer *lx, const char *what)
{
	hx_error_set_node(lx->node, "invalid selector '%s': %s at offset %zu",
	                  lx->text, what, (size_t)(lx->p - lx->text));
	return -1;
}

static int parse_set(struct lexer *lx, struct req *r)
{
	skip_ws(lx);
	if (*lx->p != '(')
		return lex_error(lx, "expected '('");
	lx->p++;
	for (;;) {
		char *v = word(lx);

		hx_strvec_push(&r->values, v);
		free(v);
		skip_ws(lx);
		if (*lx->p == ',') {
			lx->p++;
			continue;
		}
		if (*lx->p == ')') {
			lx->p++;
			return 0;
		}
		return lex_error(lx, "expected ',' or ')'");
	}
}

/* A base-10 integer, as Kubernetes parses the value of '>' and '<'. */
static int is_int(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int parse_req(struct lexer *lx, struct req *r)
{
	char *v;

	skip_ws(lx);
	if (*lx->p == '!') {
		lx->p++;
		r->op = OP_NOTEXISTS;
		r->key = word(lx);
		return *r->key ? 0 : lex_error(lx, "expected a key");
	}
	r->key = word(lx);
	if (!*r->key)
		return lex_error(lx, "expected a key");
	skip_ws(lx);
	if (!*lx->p || *lx->p == ',') {
		r->op = OP_EXISTS;
		return 0;
	}
	if (!strncmp(lx->p, "==", 2) || !strncmp(lx->p, "!=", 2)) {
		r->op = lx->p[0] == '!' ? OP_NE : OP_EQ;
		lx->p += 2;
	} else if (*lx->p == '=' || *lx->p == '>' || *lx->p == '<') {
		r->op = *lx->p == '=' ? OP_EQ : *lx->p == '>' ? OP_GT : OP_LT;
		lx->p++;
	} else if (!strncmp(lx->p, "in", 2) && !is_word(lx->p[2])) {
		lx->p += 2;
		r->op = OP_IN;
		return parse_set(lx, r);
	} else if (!strncmp(lx->p, "notin", 5) && !is_word(lx->p[5])) {
		lx->p += 5;
		r->op = OP_NOTIN;
		return parse_set(lx, r);
	} else {
		return lex_error(lx, "expected an operator");
	}
	v = word(lx);
	hx_strvec_push(&r->values, v);
	free(v);
	if ((r->op == OP_GT || r->op == OP_LT) && !is_int(r->values.v[0]))
		return lex_error(lx, "'>' and '<' want an integer");
	return 0;
}

struct hx_selector *hx_selector_parse(const char *text,
                                      const struct hx_node *node)
{
	struct hx_selector *sel = hx_xcalloc(1, sizeof(*sel));
	struct lexer lx = {text, text, node};

	skip_ws(&lx);
	while (*lx.p) {
		struct req *r;

		hx_grow(&sel->reqs, &sel->alloc, sel->n + 1,
		        sizeof(*sel->reqs));
		r = &sel->reqs[sel->n++];
		memset(r, 0, sizeof(*r));
		if (parse_req(&lx, r) < 0)
			goto fail;
		skip_ws(&lx);
		if (*lx.p == ',') {
			lx.p++;
			skip_ws(&lx);
			if (!*lx.p) {
				lex_error(&lx, "expected a requirement");
				goto fail;
			}
		} else if (*lx.p) {
			lex_error(&lx, "expected ','");
			goto fail;
		}
	}
	return sel;
fail:
	hx_selector_free(sel);
	return NULL;
}

static int in_values(const struct req *r, const char *v)
{
	size_t i;

	for (i = 0; i < r->values.n; i++)
		if (!strcmp(r->values.v[i], v))
			return 1;
	return 0;
}

int hx_selector_match(const struct hx_selector *sel, const struct hx_node *map)
{
	size_t i;

	for (i = 0; i < sel->n; i++) {
		const struct req *r = &sel->reqs[i];
		const char *v = hx_node_str(hx_map_get(map, r->key));
		char *end;
		long long have, want;

		switch (r->op) {
		case OP_EXISTS:
			if (!v)
				return 0;
			break;
		case OP_NOTEXISTS:
			if (v)
				return 0;
			break;
		case OP_EQ:
		case OP_IN:
			if (!v || !in_values(r, v))
				return 0;
			break;
		case OP_NE:
		case OP_NOTIN:
			/* as in Kubernetes: an absent key satisfies these */
			if (v && in_values(r, v))
				return 0;
			break;
		case OP_GT:
		case OP_LT:
			if (!v)
				return 0;
			have = strtoll(v, &end, 10);
			if (*end || !*v)
				return 0;
			want = strtoll(r->values.v[0], &end, 10);
			if (r->op == OP_GT ? !(have > want) : !(have < want))
				return 0;
			break;
		}
	}
	return 1;
}
