#include "hx/node.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/util.h"

#include "hx/banned.h"

/* ---- arena ---------------------------------------------------------- */

struct hx_arena_chunk {
	struct hx_arena_chunk *next;
	size_t size, used;
	/* data follows, 8-byte aligned */
	double data[];
};

#define ARENA_MIN 4096
#define ARENA_MAX (1024 * 1024)

static struct hx_arena_chunk *chunk_new(size_t size)
{
	struct hx_arena_chunk *c = hx_xmalloc(sizeof(*c) + size);

	c->next = NULL;
	c->size = size;
	c->used = 0;
	return c;
}

void *hx_arena_alloc(struct hx_arena *a, size_t n)
{
	struct hx_arena_chunk *c = a->head;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!c || c->size - c->used < n) {
		size_t size = a->next_size ? a->next_size : ARENA_MIN;

		if (a->next_size < ARENA_MAX)
			a->next_size = size * 2;
		if (size < n)
			size = n;
		c = chunk_new(size);
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *hx_arena_strndup(struct hx_arena *a, const char *s, size_t n)
{
	char *p = hx_arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void hx_arena_reset(struct hx_arena *a)
{
	struct hx_arena_chunk *c;

	if (!a->head)
		return;
	c = a->head->next;
	while (c) {
		struct hx_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head->next = NULL;
	a->head->used = 0;
}

void hx_arena_release(struct hx_arena *a)
{
	struct hx_arena_chunk *c = a->head;

	while (c) {
		struct hx_arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
	a->next_size = 0;
}

/* ---- nodes ---------------------------------------------------------- */

struct hx_node *hx_node_new_scalar(struct hx_arena *a, const char *s,
                                   size_t len, enum hx_style style)
{
	struct hx_node *n = hx_arena_alloc(a, sizeof(*n));

	n->kind = HX_SCALAR;
	n->style = (unsigned char)style;
	n->u.s.str = hx_arena_strndup(a, s, len);
	n->u.s.len = len;
	return n;
}

struct hx_node *hx_node_new_seq(struct hx_arena *a)
{
	struct hx_node *n = hx_arena_alloc(a, sizeof(*n));

	n->kind = HX_SEQ;
	return n;
}

struct hx_node *hx_node_new_map(struct hx_arena *a)
{
	struct hx_node *n = hx_arena_alloc(a, sizeof(*n));

	n->kind = HX_MAP;
	return n;
}

static void *arena_grow(struct hx_arena *a, void *old, size_t n, size_t *alloc,
                        size_t want, size_t elem)
{
	size_t cap = *alloc ? *alloc * 2 : 4;
	void *p;

	if (want <= *alloc)
		return old;
	while (cap < want)
		cap *= 2;
	p = hx_arena_alloc(a, cap * elem);
	if (n)
		memcpy(p, old, n * elem);
	*alloc = cap;
	return p;
}

/* A deep copy; with share, scalar text and tags are src's own. */
static struct hx_node *copy(struct hx_arena *a, const struct hx_node *src,
                            int share)
{
	struct hx_node *n = hx_arena_alloc(a, sizeof(*n));
	size_t i;

	*n = *src;
	if (src->tag && !share)
		n->tag = hx_arena_strndup(a, src->tag, strlen(src->tag));
	switch (src->kind) {
	case HX_SCALAR:
		if (!share)
			n->u.s.str =
			        hx_arena_strndup(a, src->u.s.str, src->u.s.len);
		break;
	case HX_SEQ:
		n->u.seq.alloc = src->u.seq.n;
		n->u.seq.items =
		        src->u.seq.n ? hx_arena_alloc(a, src->u.seq.n *
		                                                 sizeof(void *))
		                     : NULL;
		for (i = 0; i < src->u.seq.n; i++)
			n->u.seq.items[i] = copy(a, src->u.seq.items[i], share);
		break;
	case HX_MAP:
		n->u.map.alloc = src->u.map.n;
		n->u.map.pairs =
		        src->u.map.n
		                ? hx_arena_alloc(a,
		                                 src->u.map.n *
		                                         sizeof(struct hx_pair))
		                : NULL;
		for (i = 0; i < src->u.map.n; i++) {
			n->u.map.pairs[i].key =
			        copy(a, src->u.map.pairs[i].key, share);
			n->u.map.pairs[i].value =
			        copy(a, src->u.map.pairs[i].value, share);
		}
		break;
	}
	return n;
}

struct hx_node *hx_node_copy(struct hx_arena *a, const struct hx_node *src)
{
	return copy(a, src, 0);
}

struct hx_node *hx_node_clone(struct hx_arena *a, const struct hx_node *src)
{
	return copy(a, src, 1);
}

size_t hx_node_height(const struct hx_node *n)
{
	size_t i, h = 0, c;

	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if ((c = hx_node_height(n->u.seq.items[i])) > h)
				h = c;
	} else if (n->kind == HX_MAP) {
		for (i = 0; i < n->u.map.n; i++) {
			if ((c = hx_node_height(n->u.map.pairs[i].key)) > h)
				h = c;
			if ((c = hx_node_height(n->u.map.pairs[i].value)) > h)
				h = c;
		}
	}
	return h + 1;
}

static int key_is(const struct hx_node *k, const char *key, size_t len)
{
	return k->kind == HX_SCALAR && k->u.s.len == len &&
	       !memcmp(k->u.s.str, key, len);
}

long hx_map_index(const struct hx_node *map, const char *key, size_t len)
{
	size_t i;

	if (!map || map->kind != HX_MAP)
		return -1;
	/* The last of duplicate keys wins, as in Kubernetes' YAML reader. */
	for (i = map->u.map.n; i-- > 0;)
		if (key_is(map->u.map.pairs[i].key, key, len))
			return (long)i;
	return -1;
}

struct hx_node *hx_map_getn(const struct hx_node *map, const char *key,
                            size_t len)
{
	long i = hx_map_index(map, key, len);

	return i < 0 ? NULL : map->u.map.pairs[i].value;
}

struct hx_node *hx_map_get(const struct hx_node *map, const char *key)
{
	return hx_map_getn(map, key, strlen(key));
}

void hx_map_set_node(struct hx_arena *a, struct hx_node *map,
                     struct hx_node *key, struct hx_node *value)
{
	long i = key->kind == HX_SCALAR
	                 ? hx_map_index(map, key->u.s.str, key->u.s.len)
	                 : -1;

	if (i >= 0) {
		map->u.map.pairs[i].value = value;
		return;
	}
	map->u.map.pairs =
	        arena_grow(a, map->u.map.pairs, map->u.map.n, &map->u.map.alloc,
	                   map->u.map.n + 1, sizeof(struct hx_pair));
	map->u.map.pairs[map->u.map.n].key = key;
	map->u.map.pairs[map->u.map.n].value = value;
	map->u.map.n++;
}

void hx_map_set(struct hx_arena *a, struct hx_node *map, const char *key,
                size_t len, struct hx_node *value)
{
	long i = hx_map_index(map, key, len);

	if (i >= 0) {
		map->u.map.pairs[i].value = value;
		return;
	}
	hx_map_set_node(a, map, hx_node_new_scalar(a, key, len, HX_STYLE_ANY),
	                value);
}

int hx_map_remove(struct hx_node *map, const char *key, size_t len)
{
	long i = hx_map_index(map, key, len);
	int found = 0;

	while (i >= 0) {
		memmove(&map->u.map.pairs[i], &map->u.map.pairs[i + 1],
		        (map->u.map.n - (size_t)i - 1) *
		                sizeof(struct hx_pair));
		map->u.map.n--;
		found = 1;
		i = hx_map_index(map, key, len);
	}
	return found;
}

struct hx_node *hx_map_path(const struct hx_node *root, const char *key, ...)
{
	struct hx_node *n = hx_map_get(root, key);
	const char *k;
	va_list ap;

	va_start(ap, key);
	while (n && (k = va_arg(ap, const char *)) != NULL)
		n = hx_map_get(n, k);
	va_end(ap);
	return n;
}

void hx_seq_insert(struct hx_arena *a, struct hx_node *seq, size_t at,
                   struct hx_node *item)
{
	seq->u.seq.items =
	        arena_grow(a, seq->u.seq.items, seq->u.seq.n, &seq->u.seq.alloc,
	                   seq->u.seq.n + 1, sizeof(void *));
	memmove(&seq->u.seq.items[at + 1], &seq->u.seq.items[at],
	        (seq->u.seq.n - at) * sizeof(void *));
	seq->u.seq.items[at] = item;
	seq->u.seq.n++;
}

void hx_seq_append(struct hx_arena *a, struct hx_node *seq,
                   struct hx_node *item)
{
	hx_seq_insert(a, seq, seq->u.seq.n, item);
}

void hx_seq_remove(struct hx_node *seq, size_t at)
{
	memmove(&seq->u.seq.items[at], &seq->u.seq.items[at + 1],
	        (seq->u.seq.n - at - 1) * sizeof(void *));
	seq->u.seq.n--;
}

const char *hx_node_str(const struct hx_node *n)
{
	/* text with a NUL byte in it is no C string: never let it compare
	 * equal to a shorter one ("$patch\0x", "Pod\0...") */
	return n && n->kind == HX_SCALAR && strlen(n->u.s.str) == n->u.s.len
	               ? n->u.s.str
	               : NULL;
}

/* ---- YAML 1.1 type resolution --------------------------------------- */

static int one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
static const char *const trues[] = {"y",  "Y",  "yes",  "Yes",  "YES",  "on",
                                    "On", "ON", "true", "True", "TRUE", NULL};
static const char *const falses[] = {"n",     "N",     "no",    "No",
                                     "NO",    "off",   "Off",   "OFF",
                                     "false", "False", "FALSE", NULL};

/* Go's strconv.ParseInt(s, 0, 64) after yaml.v2 dropped the underscores. */
static int parse_int(const char *s, long long *out)
{
	char buf[80];
	size_t n = 0;
	const char *p;
	int neg = 0, base = 10;
	unsigned long long v = 0, limit;

	for (p = s; *p; p++) {
		if (*p == '_')
			continue;
		if (n + 1 >= sizeof(buf))
			return 0;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	p = buf;
	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		return 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B')) {
		base = 2;
		p += 2;
	} else if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O')) {
		base = 8;
		p += 2;
	} else if (p[0] == '0' && p[1]) {
		base = 8;
		p += 1;
	}
	if (!*p)
		return 0;
	limit = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *p; p++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (*p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (*p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			return 0;
		if (d >= base)
			return 0;
		if (v >
		    (limit - (unsigned long long)d) / (unsigned long long)base)
			return 0;
		v = v * (unsigned long long)base + (unsigned long long)d;
	}
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN
		                                              : -(long long)v;
	else
		*out = (long long)v;
	return 1;
}

/* yaml.v2: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$ */
static int is_float_syntax(const char *s)
{
	const char *p = s;
	int digits = 0;

	if (*p == '+' || *p == '-')
		p++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++, digits++;
		if (!digits)
			return 0;
	} else {
		while (*p >= '0' && *p <= '9')
			p++, digits++;
		if (!digits)
			return 0;
		if (*p == '.') {
			p++;
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		digits = 0;
		while (*p >= '0' && *p <= '9')
			p++, digits++;
		if (!digits)
			return 0;
	}
	return *p == '\0';
}

static int is_plain_tag(const char *tag, const char *want)
{
	return tag && !strcmp(tag, want);
}

/*
 * A number with '_' in it: yaml.v2 (Kubernetes' YAML reader, through
 * sigs.k8s.io/yaml) drops every '_' of a plain scalar that starts like a
 * number before it tries int and float, so "1_000" is 1000 and "1_0.0_1"
 * the float 10.01.
 */
static enum hx_type resolve_underscored(const char *s, long long *ival,
                                        double *fval)
{
	size_t n = strlen(s), i, j;
	char *plain = hx_xmalloc(n + 1);
	enum hx_type t = HX_TYPE_STR;
	long long iv;

	for (i = j = 0; i < n; i++)
		if (s[i] != '_')
			plain[j++] = s[i];
	plain[j] = '\0';
	if (parse_int(plain, &iv)) {
		if (ival)
			*ival = iv;
		t = HX_TYPE_INT;
	} else if (is_float_syntax(plain)) {
		if (fval)
			*fval = strtod(plain, NULL);
		t = HX_TYPE_FLOAT;
	}
	free(plain);
	return t;
}

enum hx_type hx_node_resolve(const struct hx_node *n, long long *ival,
                             double *fval)
{
	const char *s;
	long long iv;

	if (n->kind == HX_SEQ)
		return HX_TYPE_SEQ;
	if (n->kind == HX_MAP)
		return HX_TYPE_MAP;
	s = n->u.s.str;
	if (n->tag) {
		if (is_plain_tag(n->tag, "!!str") ||
		    is_plain_tag(n->tag, "!!binary") || n->tag[0] != '!' ||
		    n->tag[1] != '!')
			return HX_TYPE_STR;
	} else if (n->style != HX_STYLE_PLAIN) {
		/* quoted, block, and ANY (a string whose style is ours to pick)
		 */
		return HX_TYPE_STR;
	}
	if (n->tag && is_plain_tag(n->tag, "!!null"))
		return HX_TYPE_NULL;
	if (!strchr("-+.0123456789yYnNtTfFoO~", s[0]) || one_of(s, nulls)) {
		if (one_of(s, nulls))
			return HX_TYPE_NULL;
		return HX_TYPE_STR;
	}
	if (one_of(s, trues)) {
		if (ival)
			*ival = 1;
		return HX_TYPE_BOOL;
	}
	if (one_of(s, falses)) {
		if (ival)
			*ival = 0;
		return HX_TYPE_BOOL;
	}
	if (strchr(s, '_'))
		return resolve_underscored(s, ival, fval);
	if (parse_int(s, &iv)) {
		if (ival)
			*ival = iv;
		return HX_TYPE_INT;
	}
	if (!strcmp(s, ".inf") || !strcmp(s, ".Inf") || !strcmp(s, ".INF") ||
	    !strcmp(s, "+.inf") || !strcmp(s, "+.Inf") || !strcmp(s, "+.INF")) {
		if (fval)
			*fval = HUGE_VAL;
		return HX_TYPE_FLOAT;
	}
	if (!strcmp(s, "-.inf") || !strcmp(s, "-.Inf") || !strcmp(s, "-.INF")) {
		if (fval)
			*fval = -HUGE_VAL;
		return HX_TYPE_FLOAT;
	}
	if (!strcmp(s, ".nan") || !strcmp(s, ".NaN") || !strcmp(s, ".NAN")) {
		if (fval)
			*fval = NAN;
		return HX_TYPE_FLOAT;
	}
	if (is_float_syntax(s)) {
		if (fval)
			*fval = strtod(s, NULL);
		return HX_TYPE_FLOAT;
	}
	return HX_TYPE_STR;
}

int hx_node_is_null(const struct hx_node *n)
{
	return n->kind == HX_SCALAR &&
	       hx_node_resolve(n, NULL, NULL) == HX_TYPE_NULL;
}

int hx_node_equal(const struct hx_node *a, const struct hx_node *b)
{
	long long ia = 0, ib = 0;
	double fa = 0, fb = 0;
	enum hx_type ta = hx_node_resolve(a, &ia, &fa);
	enum hx_type tb = hx_node_resolve(b, &ib, &fb);
	size_t i;

	if (ta == HX_TYPE_INT && tb == HX_TYPE_FLOAT)
		return (double)ia == fb;
	if (ta == HX_TYPE_FLOAT && tb == HX_TYPE_INT)
		return fa == (double)ib;
	if (ta != tb)
		return 0;
	switch (ta) {
	case HX_TYPE_NULL:
		return 1;
	case HX_TYPE_BOOL:
	case HX_TYPE_INT:
		return ia == ib;
	case HX_TYPE_FLOAT:
		return fa == fb;
	case HX_TYPE_STR:
		return a->u.s.len == b->u.s.len &&
		       !memcmp(a->u.s.str, b->u.s.str, a->u.s.len);
	case HX_TYPE_SEQ:
		if (a->u.seq.n != b->u.seq.n)
			return 0;
		for (i = 0; i < a->u.seq.n; i++)
			if (!hx_node_equal(a->u.seq.items[i],
			                   b->u.seq.items[i]))
				return 0;
		return 1;
	case HX_TYPE_MAP:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (i = 0; i < a->u.map.n; i++) {
			const struct hx_node *k = a->u.map.pairs[i].key;
			const struct hx_node *v;

			if (k->kind != HX_SCALAR)
				return 0;
			v = hx_map_getn(b, k->u.s.str, k->u.s.len);
			if (!v || !hx_node_equal(a->u.map.pairs[i].value, v))
				return 0;
		}
		return 1;
	}
	return 0;
}

/*
 * A map's value for key as kustomize reads its files (Go's encoding/json):
 * the exact key, else one that differs only in case ("patchesJSON6902").
 */
const struct hx_node *hx_map_get_ci(const struct hx_node *map, const char *key)
{
	const struct hx_node *v = hx_map_get(map, key);
	size_t i;

	if (v || !map || map->kind != HX_MAP)
		return v;
	for (i = map->u.map.n; i-- > 0;) {
		const char *k = hx_node_str(map->u.map.pairs[i].key);

		if (k && !strcasecmp(k, key))
			return map->u.map.pairs[i].value;
	}
	return NULL;
}
