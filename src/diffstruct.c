/*
 * helm-diff's --output structured, read from its diff/structured.go
 * (v3.15): the objects as JSON (sigs.k8s.io/yaml: YAML 1.1 scalars, map
 * keys as strings, numbers as float64), a merge patch from old to new as
 * evanphx/json-patch's CreateMergePatch makes it, walked into field
 * changes (walkPatch, diffArrayNodes), and printed as Go's encoding/json
 * prints with two-space indents.
 */
#include "hx/diffstruct.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* ---- YAML as Go's JSON sees it ----------------------------------------- */

/* NULL with *bad set: a value JSON has not (.inf, .nan). */
static json_t *to_json(const struct hx_node *n, int *bad)
{
	long long iv = 0;
	double fv = 0;
	json_t *out;
	size_t i;

	if (!n)
		return json_null();
	switch (hx_node_resolve(n, &iv, &fv)) {
	case HX_TYPE_NULL:
		return json_null();
	case HX_TYPE_BOOL:
		return json_boolean(iv != 0);
	case HX_TYPE_INT:
		return json_real((double)iv); /* Go: float64 */
	case HX_TYPE_FLOAT:
		if (!isfinite(fv)) {
			*bad = 1;
			return NULL;
		}
		return json_real(fv);
	case HX_TYPE_STR:
		return json_stringn_nocheck(n->u.s.str, n->u.s.len);
	case HX_TYPE_SEQ:
		out = json_array();
		for (i = 0; i < n->u.seq.n; i++) {
			json_t *v = to_json(n->u.seq.items[i], bad);

			if (!v) {
				json_decref(out);
				return NULL;
			}
			json_array_append_new(out, v);
		}
		return out;
	case HX_TYPE_MAP:
		out = json_object();
		for (i = 0; i < n->u.map.n; i++) {
			const struct hx_node *k = n->u.map.pairs[i].key;
			json_t *v;
			char *key;

			if (k->kind != HX_SCALAR) {
				*bad = 1;
				json_decref(out);
				return NULL;
			}
			v = to_json(n->u.map.pairs[i].value, bad);
			if (!v) {
				json_decref(out);
				return NULL;
			}
			/* the last of duplicate keys wins, as in Go */
			key = hx_xstrndup(k->u.s.str, k->u.s.len);
			json_object_set_new_nocheck(out, key, v);
			free(key);
		}
		return out;
	}
	*bad = 1;
	return NULL;
}

/* The object of a compared text; NULL (no error) for an empty one. */
static json_t *load(const char *text, int *bad)
{
	struct hx_stream st;
	json_t *out = NULL;
	size_t i;

	hx_stream_init_buf(&st, "<diff>", hx_xstrdup(text), strlen(text));
	for (i = 0; i < st.n && !out; i++) {
		if (st.docs[i].empty)
			continue;
		if (hx_doc_load(&st, &st.docs[i], &st.arena) < 0) {
			hx_error_clear();
			*bad = 1;
			break;
		}
		if (st.docs[i].root)
			out = to_json(st.docs[i].root, bad);
		/* manifestToJSON unmarshals into a map: a list is no object */
		if (out && !json_is_object(out) && !json_is_null(out)) {
			json_decref(out);
			out = NULL;
			*bad = 1;
		}
	}
	hx_stream_release(&st);
	return out;
}

static int is_nil(json_t *v)
{
	return !v || json_is_null(v);
}

static int is_scalar(json_t *v)
{
	return json_is_string(v) || json_is_boolean(v) || json_is_number(v);
}

/* ---- CreateMergePatch (evanphx/json-patch v5) --------------------------- */

static int same_kind(json_t *a, json_t *b)
{
	if (json_is_boolean(a) && json_is_boolean(b))
		return 1;
	return json_typeof(a) == json_typeof(b);
}

/* getDiff: what a merge patch from a to b holds (objects both). */
static json_t *object_diff(json_t *a, json_t *b)
{
	json_t *into = json_object();
	const char *k;
	json_t *bv;

	json_object_foreach(b, k, bv)
	{
		json_t *av = json_object_get(a, k);

		if (!av || !same_kind(av, bv)) {
			json_object_set(into, k, bv);
		} else if (json_is_object(av)) {
			json_t *d = object_diff(av, bv);

			if (json_object_size(d))
				json_object_set(into, k, d);
			json_decref(d);
		} else if (!json_is_null(av) && !json_equal(av, bv)) {
			json_object_set(into, k, bv);
		}
	}
	json_object_foreach(a, k, bv)
	{
		if (!json_object_get(b, k))
			json_object_set_new(into, k, json_null());
	}
	return into;
}

/*
 * createNodePatch: the merge patch between two values, NULL when it is
 * empty; *bad when CreateMergePatch refuses them (an array and a
 * non-array, a non-object, arrays of other lengths or of non-objects).
 */
static json_t *node_patch(json_t *a, json_t *b, int *bad)
{
	json_t *p;
	size_t i;

	if (json_is_array(a) && json_is_array(b)) {
		if (json_array_size(a) != json_array_size(b)) {
			*bad = 1;
			return NULL;
		}
		p = json_array();
		for (i = 0; i < json_array_size(a); i++) {
			json_t *x = json_array_get(a, i),
			       *y = json_array_get(b, i);

			if (!json_is_object(x) || !json_is_object(y)) {
				*bad = 1;
				json_decref(p);
				return NULL;
			}
			json_array_append_new(p, object_diff(x, y));
		}
		return p; /* an array is never "{}" */
	}
	if (!json_is_object(a) || !json_is_object(b)) {
		*bad = 1;
		return NULL;
	}
	p = object_diff(a, b);
	if (!json_object_size(p)) {
		json_decref(p);
		return NULL;
	}
	return p;
}

/* ---- walking the patch into changes ------------------------------------ */

struct change {
	char *path, *field;
	const char *what;
	json_t *old_v, *new_v; /* owned references, NULL: none */
};

struct walk {
	struct change *v;
	size_t n, alloc;
	int bad;
};

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* formatPath: "a.b[0].c"; splitTokens: the last token is the field. */
static void add_change(struct walk *w, const struct hx_strvec *tok,
                       const char *what, json_t *o, json_t *n)
{
	struct hx_strbuf p = HX_STRBUF_INIT;
	struct change *c;
	size_t i;

	for (i = 0; i + 1 < tok->n; i++) {
		const char *t = tok->v[i];

		if (!*t)
			continue;
		if (all_digits(t))
			hx_strbuf_addf(&p, "[%s]", t);
		else
			hx_strbuf_addf(&p, "%s%s", p.len ? "." : "", t);
	}
	hx_grow(&w->v, &w->alloc, w->n + 1, sizeof(*w->v));
	c = &w->v[w->n++];
	c->path = hx_strbuf_detach(&p, NULL);
	c->field = hx_xstrdup(tok->n ? tok->v[tok->n - 1] : "");
	c->what = what;
	c->old_v = is_nil(o) ? NULL : json_incref(o);
	c->new_v = is_nil(n) ? NULL : json_incref(n);
}

static void walk_patch(struct walk *w, struct hx_strvec *tok, json_t *patch,
                       json_t *o, json_t *n);

static void push_tok(struct hx_strvec *tok, const char *t)
{
	hx_strvec_push(tok, t);
}

static void pop_tok(struct hx_strvec *tok)
{
	free(tok->v[--tok->n]);
	tok->v[tok->n] = NULL;
}

/* diffArrayNodes: index by index; a null item counts as none (Go's nil). */
static void diff_arrays(struct walk *w, struct hx_strvec *tok, json_t *o,
                        json_t *n)
{
	size_t lo = json_is_array(o) ? json_array_size(o) : 0;
	size_t ln = json_is_array(n) ? json_array_size(n) : 0;
	size_t i, max = lo > ln ? lo : ln;

	for (i = 0; i < max && !w->bad; i++) {
		json_t *ov = i < lo ? json_array_get(o, i) : NULL;
		json_t *nv = i < ln ? json_array_get(n, i) : NULL;
		char idx[32];

		snprintf(idx, sizeof idx, "%zu", i);
		push_tok(tok, idx);
		if (!is_nil(ov) && !is_nil(nv)) {
			if (json_equal(ov, nv)) {
				/* nothing */
			} else if (is_scalar(ov) && is_scalar(nv)) {
				add_change(w, tok, "replace", ov, nv);
			} else {
				json_t *sub = node_patch(ov, nv, &w->bad);

				if (!w->bad && !sub)
					add_change(w, tok, "replace", ov, nv);
				else if (sub)
					walk_patch(w, tok, sub, ov, nv);
				json_decref(sub);
			}
		} else if (!is_nil(ov)) {
			add_change(w, tok, "remove", ov, NULL);
		} else if (!is_nil(nv)) {
			add_change(w, tok, "add", NULL, nv);
		}
		pop_tok(tok);
	}
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void walk_patch(struct walk *w, struct hx_strvec *tok, json_t *patch,
                       json_t *o, json_t *n)
{
	if (json_is_object(patch)) {
		const char **keys;
		const char *k;
		json_t *v;
		size_t i = 0, nk = json_object_size(patch);

		if (!nk)
			return;
		keys = hx_xcalloc(nk, sizeof(*keys));
		json_object_foreach(patch, k, v) keys[i++] = k;
		qsort(keys, nk, sizeof(*keys), cmp_key);
		for (i = 0; i < nk && !w->bad; i++) {
			push_tok(tok, keys[i]);
			walk_patch(
			        w, tok, json_object_get(patch, keys[i]),
			        json_is_object(o) ? json_object_get(o, keys[i])
			                          : NULL,
			        json_is_object(n) ? json_object_get(n, keys[i])
			                          : NULL);
			pop_tok(tok);
		}
		free(keys);
	} else if (json_is_array(patch)) {
		diff_arrays(w, tok, o, n);
	} else if (is_nil(patch)) {
		add_change(w, tok, "remove", o, NULL);
	} else if (is_nil(o)) {
		add_change(w, tok, "add", NULL, n);
	} else if (!json_equal(o, n)) {
		add_change(w, tok, "replace", o, n);
	}
}

/* ---- Go's encoding/json ------------------------------------------------- */

/* strconv.FormatFloat(f, 'f' or 'e', -1, 64) as encoding/json uses it. */
static void go_float(struct hx_strbuf *sb, double f)
{
	char buf[64], digits[32];
	int p, exp10 = 0, nd = 0, i;
	double a = fabs(f);
	char *e;

	for (p = 1; p <= 17; p++) {
		snprintf(buf, sizeof buf, "%.*e", p - 1, f);
		if (strtod(buf, NULL) == f)
			break;
	}
	/* buf: [-]D[.DDD]e[+-]XX: its digits and exponent */
	for (e = buf; *e && *e != 'e'; e++)
		if (*e >= '0' && *e <= '9' && nd < 31)
			digits[nd++] = *e;
	digits[nd] = '\0';
	exp10 = *e ? (int)strtol(e + 1, NULL, 10) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		digits[--nd] = '\0';
	if (f < 0 || (f == 0 && signbit(f)))
		hx_strbuf_addch(sb, '-');
	if (a != 0 && (a < 1e-6 || a >= 1e21)) {
		hx_strbuf_addch(sb, digits[0]);
		if (nd > 1)
			hx_strbuf_addf(sb, ".%s", digits + 1);
		/* Go: e-7 (its cleanup of e-07), e+21 */
		hx_strbuf_addf(sb, "e%c%d", exp10 < 0 ? '-' : '+',
		               exp10 < 0 ? -exp10 : exp10);
		return;
	}
	if (a == 0) {
		hx_strbuf_addch(sb, '0');
		return;
	}
	if (exp10 < 0) {
		hx_strbuf_adds(sb, "0.");
		for (i = -1; i > exp10; i--)
			hx_strbuf_addch(sb, '0');
		hx_strbuf_adds(sb, digits);
		return;
	}
	for (i = 0; i <= exp10; i++)
		hx_strbuf_addch(sb, i < nd ? digits[i] : '0');
	if (nd > exp10 + 1)
		hx_strbuf_addf(sb, ".%s", digits + exp10 + 1);
}

/* encoding/json's string: HTML characters and U+2028/9 escaped too. */
static void go_string(struct hx_strbuf *sb, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i;

	hx_strbuf_addch(sb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\') {
			hx_strbuf_addch(sb, '\\');
			hx_strbuf_addch(sb, (char)c);
		} else if (c == '\n') {
			hx_strbuf_adds(sb, "\\n");
		} else if (c == '\r') {
			hx_strbuf_adds(sb, "\\r");
		} else if (c == '\t') {
			hx_strbuf_adds(sb, "\\t");
		} else if (c == '\b') {
			hx_strbuf_adds(sb, "\\b");
		} else if (c == '\f') {
			hx_strbuf_adds(sb, "\\f");
		} else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
			hx_strbuf_addf(sb, "\\u00%c%c", hex[c >> 4],
			               hex[c & 15]);
		} else if (c == 0xe2 && i + 2 < len &&
		           (unsigned char)s[i + 1] == 0x80 &&
		           ((unsigned char)s[i + 2] == 0xa8 ||
		            (unsigned char)s[i + 2] == 0xa9)) {
			hx_strbuf_addf(sb, "\\u202%c",
			               (unsigned char)s[i + 2] == 0xa8 ? '8'
			                                               : '9');
			i += 2;
		} else {
			hx_strbuf_addch(sb, (char)c);
		}
	}
	hx_strbuf_addch(sb, '"');
}

static void indent(struct hx_strbuf *sb, int depth)
{
	int i;

	hx_strbuf_addch(sb, '\n');
	for (i = 0; i < depth; i++)
		hx_strbuf_adds(sb, "  ");
}

/* A value as json.Encoder with SetIndent("", "  ") writes it. */
static void go_value(struct hx_strbuf *sb, json_t *v, int depth)
{
	size_t i, n;

	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		const char **keys;
		const char *k;
		json_t *x;

		n = json_object_size(v);
		if (!n) {
			hx_strbuf_adds(sb, "{}");
			return;
		}
		keys = hx_xcalloc(n, sizeof(*keys));
		i = 0;
		json_object_foreach(v, k, x) keys[i++] = k;
		qsort(keys, n, sizeof(*keys), cmp_key);
		hx_strbuf_addch(sb, '{');
		for (i = 0; i < n; i++) {
			indent(sb, depth + 1);
			go_string(sb, keys[i], strlen(keys[i]));
			hx_strbuf_adds(sb, ": ");
			go_value(sb, json_object_get(v, keys[i]), depth + 1);
			if (i + 1 < n)
				hx_strbuf_addch(sb, ',');
		}
		free(keys);
		indent(sb, depth);
		hx_strbuf_addch(sb, '}');
		return;
	}
	case JSON_ARRAY:
		n = json_array_size(v);
		if (!n) {
			hx_strbuf_adds(sb, "[]");
			return;
		}
		hx_strbuf_addch(sb, '[');
		for (i = 0; i < n; i++) {
			indent(sb, depth + 1);
			go_value(sb, json_array_get(v, i), depth + 1);
			if (i + 1 < n)
				hx_strbuf_addch(sb, ',');
		}
		indent(sb, depth);
		hx_strbuf_addch(sb, ']');
		return;
	case JSON_STRING:
		go_string(sb, json_string_value(v), json_string_length(v));
		return;
	case JSON_INTEGER:
		go_float(sb, (double)json_integer_value(v));
		return;
	case JSON_REAL:
		go_float(sb, json_real_value(v));
		return;
	case JSON_TRUE:
		hx_strbuf_adds(sb, "true");
		return;
	case JSON_FALSE:
		hx_strbuf_adds(sb, "false");
		return;
	default:
		hx_strbuf_adds(sb, "null");
		return;
	}
}

/* ---- the entry ------------------------------------------------------------
 */

struct meta {
	char *api, *kind, *ns, *name; /* owned, NULL: empty */
};

static void meta_take(char **dst, json_t *v)
{
	if (!*dst && json_is_string(v) && *json_string_value(v))
		*dst = hx_xstrdup(json_string_value(v));
}

/* populateMetadata: the old object's, then the new one's, then the key. */
static void meta_fill(struct meta *m, json_t *obj)
{
	json_t *md;

	if (!json_is_object(obj))
		return;
	meta_take(&m->api, json_object_get(obj, "apiVersion"));
	meta_take(&m->kind, json_object_get(obj, "kind"));
	md = json_object_get(obj, "metadata");
	if (json_is_object(md)) {
		meta_take(&m->name, json_object_get(md, "name"));
		meta_take(&m->ns, json_object_get(md, "namespace"));
	}
}

/* loadFromKey's `([a-z0-9-]+), ([a-z0-9.-]+), (\w+) \(([^)]+)\)`. */
static void meta_from_key(struct meta *m, const char *key)
{
	static const char re[] = "([a-z0-9-]+), ([a-z0-9.-]+), (\\w+) "
	                         "\\(([^)]+)\\)";
	char **slots[4];
	pcre2_code *code;
	pcre2_match_data *md;
	int err, i;
	PCRE2_SIZE off;

	slots[0] = &m->ns;
	slots[1] = &m->name;
	slots[2] = &m->kind;
	slots[3] = &m->api;
	code = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err,
	                     &off, NULL);
	if (!code)
		return;
	md = pcre2_match_data_create_from_pattern(code, NULL);
	if (md && pcre2_match(code, (PCRE2_SPTR)key, strlen(key), 0, 0, md,
	                      NULL) >= 5) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);

		for (i = 0; i < 4; i++)
			if (!*slots[i])
				*slots[i] = hx_xstrndup(key + ov[2 * i + 2],
				                        ov[2 * i + 3] -
				                                ov[2 * i + 2]);
	}
	pcre2_match_data_free(md);
	pcre2_code_free(code);
}

static void field(struct hx_strbuf *sb, int depth, const char *name,
                  const char *s, int *first)
{
	if (!s || !*s)
		return; /* omitempty */
	if (!*first)
		hx_strbuf_addch(sb, ',');
	*first = 0;
	indent(sb, depth);
	hx_strbuf_addf(sb, "\"%s\": ", name);
	go_string(sb, s, strlen(s));
}

static int exists(const char *text)
{
	for (; *text; text++)
		if (*text != ' ' && *text != '\n' && *text != '\t' &&
		    *text != '\r')
			return 1;
	return 0;
}

int hx_diff_struct_entry(struct hx_strbuf *sb, const struct hx_dstruct_obj *o)
{
	struct walk w = {NULL, 0, 0, 0};
	struct meta m = {NULL, NULL, NULL, NULL};
	struct hx_strvec tok = HX_STRVEC_INIT;
	json_t *oj, *nj;
	size_t i;
	int first = 1, modify = !strcmp(o->change, "MODIFY");

	oj = load(o->old_text, &w.bad);
	nj = w.bad ? NULL : load(o->new_text, &w.bad);
	if (!w.bad && !o->suppressed && modify && oj && nj) {
		/* CreateMergePatch takes objects here: else it refuses */
		json_t *patch = json_is_object(oj) && json_is_object(nj)
		                        ? object_diff(oj, nj)
		                        : NULL;

		if (!patch)
			w.bad = 1;
		else
			walk_patch(&w, &tok, patch, oj, nj);
		json_decref(patch);
	}
	if (w.bad) {
		/* helm-diff's fallback: a warning, the key and the change */
		hx_warning("failed to build structured entry for %s (kind: %s, "
		           "changeType: %s): an object is no JSON object, or "
		           "holds .inf or .nan",
		           o->key, o->kind, o->change);
		hx_strbuf_adds(sb, "  {");
		field(sb, 2, "name", o->key, &first);
		field(sb, 2, "changeType", o->change, &first);
		hx_strbuf_adds(sb,
		               ",\n    \"resourceStatus\": {\n      "
		               "\"oldExists\": false,\n      \"newExists\": "
		               "false\n    }\n  }");
		goto out;
	}
	if (modify && !o->suppressed && !w.n) {
		json_decref(oj);
		json_decref(nj);
		hx_strvec_clear(&tok);
		return 1;
	}
	meta_fill(&m, oj);
	meta_fill(&m, nj);
	if (!m.api || !m.kind || !m.ns || !m.name)
		meta_from_key(&m, o->key);
	hx_strbuf_adds(sb, "  {");
	field(sb, 2, "apiVersion", m.api, &first);
	field(sb, 2, "kind", m.kind, &first);
	field(sb, 2, "namespace", m.ns, &first);
	field(sb, 2, "name", m.name, &first);
	field(sb, 2, "changeType", o->change, &first);
	hx_strbuf_addf(sb,
	               "%s\n    \"resourceStatus\": {\n      \"oldExists\": "
	               "%s,\n      \"newExists\": %s\n    }",
	               first ? "" : ",", exists(o->old_text) ? "true" : "false",
	               exists(o->new_text) ? "true" : "false");
	if (w.n) {
		hx_strbuf_adds(sb, ",\n    \"changes\": [");
		for (i = 0; i < w.n; i++) {
			struct change *c = &w.v[i];
			int f = 1;

			hx_strbuf_adds(sb, i ? ",\n      {" : "\n      {");
			field(sb, 4, "path", c->path, &f);
			field(sb, 4, "field", c->field, &f);
			field(sb, 4, "change", c->what, &f);
			if (c->old_v) {
				hx_strbuf_adds(sb, ",\n        \"oldValue\": ");
				go_value(sb, c->old_v, 4);
			}
			if (c->new_v) {
				hx_strbuf_adds(sb, ",\n        \"newValue\": ");
				go_value(sb, c->new_v, 4);
			}
			hx_strbuf_adds(sb, "\n      }");
		}
		hx_strbuf_adds(sb, "\n    ]");
	}
	if (o->suppressed)
		hx_strbuf_adds(sb, ",\n    \"changesSuppressed\": true");
	hx_strbuf_adds(sb, "\n  }");
out:
	for (i = 0; i < w.n; i++) {
		free(w.v[i].path);
		free(w.v[i].field);
		json_decref(w.v[i].old_v);
		json_decref(w.v[i].new_v);
	}
	free(w.v);
	free(m.api);
	free(m.kind);
	free(m.ns);
	free(m.name);
	json_decref(oj);
	json_decref(nj);
	hx_strvec_clear(&tok);
	return 0;
}
