/*
 * A HelmRelease's values (flux.h), composed as fluxcd/pkg's chartutil
 * composes them for helm-controller: each valuesFrom entry in order, then
 * spec.values, merged with MergeMaps; a targetPath set with helm's --set
 * parser (pkg/strvals), whose rules set_path follows.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/base64.h"
#include "hx/err.h"
#include "hx/flux.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* strvals' limits */
#define SET_MAX_INDEX 65536
#define SET_MAX_NESTED 30

static struct hx_node *scalar(struct hx_arena *a, const char *s, size_t n,
                              enum hx_style style)
{
	return hx_node_new_scalar(a, s, n, style);
}

struct hx_node *hx_flux_merge(struct hx_arena *a, const struct hx_node *x,
                              const struct hx_node *y)
{
	struct hx_node *out = hx_node_new_map(a);
	size_t i;

	for (i = 0; x && x->kind == HX_MAP && i < x->u.map.n; i++)
		hx_map_set_node(a, out, x->u.map.pairs[i].key,
		                x->u.map.pairs[i].value);
	for (i = 0; y && y->kind == HX_MAP && i < y->u.map.n; i++) {
		struct hx_node *k = y->u.map.pairs[i].key;
		struct hx_node *v = y->u.map.pairs[i].value;
		const char *ks = hx_node_str(k);
		struct hx_node *old = ks ? hx_map_get(out, ks) : NULL;

		if (v->kind == HX_MAP && old && old->kind == HX_MAP)
			v = hx_flux_merge(a, old, v);
		hx_map_set_node(a, out, k, v);
	}
	return out;
}

int hx_flux_merge_stream(struct hx_node **into, struct hx_arena *a,
                         struct hx_stream *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		/* sigs.k8s.io/yaml reads the first document */
		if (hx_doc_load(st, &st->docs[i], &st->arena) < 0)
			return -1;
		if (!st->docs[i].root)
			continue;
		if (st->docs[i].root->kind != HX_MAP) {
			hx_error_set_node(st->docs[i].root,
			                  "values must be a mapping");
			return -1;
		}
		*into = hx_flux_merge(a, *into, st->docs[i].root);
		break;
	}
	return 0;
}

/* ---- helm's --set notation (strvals) ----------------------------------- */

struct set_parser {
	struct hx_arena *a;
	const char *p, *end;
	int as_string;
	int depth; /* of key and list_item calls: a[0][0]... is bounded */
};

/* Lists in lists (a[0][0]...) nest this deep at most: Go's stack grows,
 * ours does not, and no tree here nests deeper than HX_MAX_DEPTH. */
#define SET_MAX_DEPTH 200

/* Bytes up to one of stop (consumed, in *last; 0 at the end), with '\'
 * escaping the next character; into sb. */
static void until(struct set_parser *t, const char *stop, struct hx_strbuf *sb,
                  int *last)
{
	hx_strbuf_reset(sb);
	*last = 0;
	while (t->p < t->end) {
		unsigned char c = (unsigned char)*t->p++;

		if (strchr(stop, c) && c) {
			*last = c;
			return;
		}
		if (c == '\\') {
			if (t->p >= t->end)
				return;
			c = (unsigned char)*t->p++;
			hx_strbuf_addch(sb, c);
			/* a UTF-8 character is one rune */
			while (c >= 0xc0 && t->p < t->end &&
			       ((unsigned char)*t->p & 0xc0) == 0x80)
				hx_strbuf_addch(sb, *t->p++);
			continue;
		}
		hx_strbuf_addch(sb, c);
	}
}

/* typedVal */
static struct hx_node *typed(struct set_parser *t, const char *s, size_t n)
{
	char *endp;
	long long v;
	char buf[32];

	if (t->as_string)
		return scalar(t->a, s, n, HX_STYLE_DOUBLE);
	if ((n == 4 && !strncasecmp(s, "true", 4)) ||
	    (n == 5 && !strncasecmp(s, "false", 5)))
		return scalar(
		        t->a, s[0] == 't' || s[0] == 'T' ? "true" : "false",
		        s[0] == 't' || s[0] == 'T' ? 4 : 5, HX_STYLE_PLAIN);
	if (n == 4 && !strncasecmp(s, "null", 4))
		return scalar(t->a, "null", 4, HX_STYLE_PLAIN);
	if (n == 1 && s[0] == '0')
		return scalar(t->a, "0", 1, HX_STYLE_PLAIN);
	if (n && s[0] != '0' && strlen(s) == n &&
	    strspn(s + (s[0] == '+' || s[0] == '-'), "0123456789") ==
	            n - (s[0] == '+' || s[0] == '-') &&
	    n > (size_t)(s[0] == '+' || s[0] == '-')) {
		errno = 0;
		v = strtoll(s, &endp, 10);
		if (errno == 0 && *endp == 0) {
			snprintf(buf, sizeof(buf), "%lld", v);
			return scalar(t->a, buf, strlen(buf), HX_STYLE_PLAIN);
		}
	}
	return scalar(t->a, s, n, HX_STYLE_DOUBLE);
}

/* valList: 1 with *out a list when the value is {a,b}, 0 when it is not a
 * list, -1 on error */
static int val_list(struct set_parser *t, struct hx_node **out)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	int last;

	if (t->p >= t->end || *t->p != '{')
		return 0;
	t->p++;
	*out = hx_node_new_seq(t->a);
	for (;;) {
		until(t, ",}", &sb, &last);
		if (!last) {
			hx_strbuf_release(&sb);
			hx_error_set("list must terminate with '}'");
			return -1;
		}
		hx_seq_append(t->a, *out,
		              typed(t, sb.buf ? sb.buf : "", sb.len));
		if (last == '}') {
			if (t->p < t->end && *t->p == ',')
				t->p++;
			hx_strbuf_release(&sb);
			return 1;
		}
	}
}

/* the value after '=': a {list} or a scalar up to ',' */
static struct hx_node *value(struct set_parser *t)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_node *v = NULL;
	int last, r = val_list(t, &v);

	if (r < 0)
		return NULL;
	if (r)
		return v;
	until(t, ",", &sb, &last);
	v = typed(t, sb.buf ? sb.buf : "", sb.len);
	hx_strbuf_release(&sb);
	return v;
}

static int key(struct set_parser *t, struct hx_node *data, int level);

static int parse_index(struct set_parser *t, long *i)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char *endp;
	int last;

	until(t, "]", &sb, &last);
	errno = 0;
	*i = sb.len ? strtol(sb.buf, &endp, 10) : 0;
	if (!last || !sb.len || *endp || errno) {
		hx_error_set("error parsing index: '%s' is no number",
		             sb.buf ? sb.buf : "");
		hx_strbuf_release(&sb);
		return -1;
	}
	hx_strbuf_release(&sb);
	if (*i < 0 || *i > SET_MAX_INDEX) {
		hx_error_set("index %ld out of range (0 to %d)", *i,
		             SET_MAX_INDEX);
		return -1;
	}
	return 0;
}

/* setIndex: list grown with nulls to hold i */
static void set_index(struct set_parser *t, struct hx_node *list, long i,
                      struct hx_node *v)
{
	while (list->u.seq.n <= (size_t)i)
		hx_seq_append(t->a, list,
		              scalar(t->a, "null", 4, HX_STYLE_PLAIN));
	list->u.seq.items[i] = v;
}

static int list_item_at(struct set_parser *t, struct hx_node *list, long i,
                        int level);

static int list_item(struct set_parser *t, struct hx_node *list, long i,
                     int level)
{
	int rc;

	if (++t->depth > SET_MAX_DEPTH) {
		hx_error_set("lists nested more than %d levels", SET_MAX_DEPTH);
		return -1;
	}
	rc = list_item_at(t, list, i, level);
	t->depth--;
	return rc;
}

static int list_item_at(struct set_parser *t, struct hx_node *list, long i,
                        int level)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	int last;

	until(t, "[.=", &sb, &last);
	if (sb.len) {
		hx_error_set("unexpected data at end of array index: '%s'",
		             sb.buf);
		hx_strbuf_release(&sb);
		return -1;
	}
	hx_strbuf_release(&sb);
	if (last == '=') {
		struct hx_node *v = value(t);

		if (!v)
			return -1;
		set_index(t, list, i, v);
		return 0;
	}
	if (last == '[') {
		long j;
		struct hx_node *inner = NULL;

		if (parse_index(t, &j) < 0)
			return -1;
		if ((size_t)i < list->u.seq.n &&
		    !hx_node_is_null(list->u.seq.items[i])) {
			inner = list->u.seq.items[i];
			if (inner->kind != HX_SEQ) {
				hx_error_set("index %ld holds no list", i);
				return -1;
			}
		}
		if (!inner)
			inner = hx_node_new_seq(t->a);
		if (list_item(t, inner, j, level) < 0)
			return -1;
		set_index(t, list, i, inner);
		return 0;
	}
	if (last == '.') {
		struct hx_node *inner = NULL;

		if ((size_t)i < list->u.seq.n &&
		    list->u.seq.items[i]->kind == HX_MAP)
			inner = list->u.seq.items[i];
		if (!inner)
			inner = hx_node_new_map(t->a);
		if (key(t, inner, level) < 0)
			return -1;
		set_index(t, list, i, inner);
		return 0;
	}
	hx_error_set("unexpected end after an array index");
	return -1;
}

/* One assignment into data: 0, 1 at the end of the text, -1 on error. */
static int key(struct set_parser *t, struct hx_node *data, int level)
{
	struct hx_strbuf k = HX_STRBUF_INIT;
	struct hx_node *old, *v;
	int last, rc = 0;

	until(t, "=[,.", &k, &last);
	old = k.len ? hx_map_getn(data, k.buf, k.len) : NULL;
	switch (last) {
	case 0:
		if (k.len) {
			hx_error_set("key '%s' has no value", k.buf);
			rc = -1;
		} else {
			rc = 1;
		}
		break;
	case '[': {
		long i;

		if (parse_index(t, &i) < 0) {
			rc = -1;
			break;
		}
		if (old && old->kind != HX_SEQ) {
			hx_error_set("key '%s' holds no list", k.buf);
			rc = -1;
			break;
		}
		v = old ? old : hx_node_new_seq(t->a);
		rc = list_item(t, v, i, level);
		if (k.len)
			hx_map_set(t->a, data, k.buf, k.len, v);
		break;
	}
	case '=':
		v = value(t);
		if (!v)
			rc = -1;
		else if (k.len)
			hx_map_set(t->a, data, k.buf, k.len, v);
		break;
	case ',':
		hx_error_set("key '%s' has no value (cannot end with ,)",
		             k.buf ? k.buf : "");
		rc = -1;
		break;
	case '.':
		if (++level > SET_MAX_NESTED) {
			hx_error_set("names nested more than %d levels",
			             SET_MAX_NESTED);
			rc = -1;
			break;
		}
		if (old && old->kind != HX_MAP) {
			hx_error_set("key '%s' holds no mapping", k.buf);
			rc = -1;
			break;
		}
		v = old ? old : hx_node_new_map(t->a);
		rc = key(t, v, level);
		if (rc == 1 && !v->u.map.n) {
			hx_error_set("key map '%s' has no value",
			             k.buf ? k.buf : "");
			rc = -1;
		}
		if (rc >= 0 && v->u.map.n && k.len)
			hx_map_set(t->a, data, k.buf, k.len, v);
		rc = rc < 0 ? -1 : 0;
		break;
	}
	hx_strbuf_release(&k);
	return rc;
}

int hx_flux_set_path(struct hx_arena *a, struct hx_node *values,
                     const char *expr, int as_string)
{
	struct set_parser t;
	int rc;

	t.a = a;
	t.p = expr;
	t.end = expr + strlen(expr);
	t.as_string = as_string;
	t.depth = 0;
	while ((rc = key(&t, values, 0)) == 0)
		;
	return rc < 0 ? -1 : 0;
}

/* ReplacePathValue and ReplacePathLiteralValue */
static int replace_path(struct hx_arena *a, struct hx_node *values,
                        const char *path, const char *data, size_t len,
                        int literal)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	int as_string = literal, rc;
	size_t i;

	hx_strbuf_adds(&sb, path);
	hx_strbuf_addch(&sb, '=');
	if (literal) {
		for (i = 0; i < len; i++) {
			if (strchr("\\,[]{}", data[i]) && data[i])
				hx_strbuf_addch(&sb, '\\');
			hx_strbuf_addch(&sb, data[i]);
		}
	} else {
		size_t s = 0, e = len;

		if (len && (data[0] == '\'' || data[0] == '"') &&
		    data[len - 1] == data[0]) {
			/* strings.Trim of both quote characters */
			while (s < e && (data[s] == '\'' || data[s] == '"'))
				s++;
			while (e > s &&
			       (data[e - 1] == '\'' || data[e - 1] == '"'))
				e--;
			as_string = 1;
		}
		hx_strbuf_add(&sb, data + s, e - s);
	}
	if (memchr(sb.buf, 0, sb.len)) {
		hx_strbuf_release(&sb);
		hx_error_set("the value holds a NUL byte");
		return -1;
	}
	rc = hx_flux_set_path(a, values, sb.buf, as_string);
	hx_strbuf_release(&sb);
	return rc;
}

/* ---- valuesFrom ------------------------------------------------------- */

static const char *entry_str(const struct hx_node *e, const char *k)
{
	const struct hx_node *v = hx_map_get(e, k);

	return v && !hx_node_is_null(v) ? hx_node_str(v) : NULL;
}

static int entry_bool(const struct hx_node *e, const char *k, int *out)
{
	const struct hx_node *v = hx_map_get(e, k);

	*out = 0;
	if (!v || hx_node_is_null(v))
		return 0;
	if (hx_node_resolve(v, NULL, NULL) != HX_TYPE_BOOL) {
		hx_error_set_node(v, "'%s' must be true or false", k);
		return -1;
	}
	*out = !strcasecmp(hx_node_str(v), "true") ||
	       !strcasecmp(hx_node_str(v), "yes") ||
	       !strcasecmp(hx_node_str(v), "on");
	return 0;
}

static int is_sops(const struct hx_node *root)
{
	const struct hx_node *data = hx_map_get(root, "data");
	size_t i;

	if (hx_map_get(root, "sops"))
		return 1;
	for (i = 0; data && data->kind == HX_MAP && i < data->u.map.n; i++) {
		const char *s = hx_node_str(data->u.map.pairs[i].value);

		if (s && !strncmp(s, "ENC[", 4))
			return 1;
	}
	return 0;
}

/*
 * The data under key of a ConfigMap or Secret object root: 1 with *out
 * (new), 0 when the key is not there, -1 on error.
 */
static int object_data(char **out, size_t *len, const struct hx_node *root,
                       int secret, const char *key)
{
	const struct hx_node *v;

	v = secret ? hx_map_path(root, "stringData", key, NULL) : NULL;
	if (v && hx_node_str(v)) {
		*out = hx_xstrndup(v->u.s.str, v->u.s.len);
		*len = v->u.s.len;
		return 1;
	}
	v = hx_map_path(root, "data", key, NULL);
	if (!v || hx_node_is_null(v))
		return 0;
	if (v->kind != HX_SCALAR) {
		hx_error_set_node(v, "data '%s' must be a string", key);
		return -1;
	}
	if (secret) {
		struct hx_strbuf sb = HX_STRBUF_INIT;

		if (hx_base64_decode(&sb, v->u.s.str, v->u.s.len) < 0) {
			hx_strbuf_release(&sb);
			hx_error_set_node(v, "data '%s' is no base64", key);
			return -1;
		}
		*out = hx_strbuf_detach(&sb, len);
		if (!*out)
			*out = hx_xstrdup("");
		return 1;
	}
	*out = hx_xstrndup(v->u.s.str, v->u.s.len);
	*len = v->u.s.len;
	return 1;
}

/* A --values-from FILE: an object of that kind, or the data itself. */
static int given_data(char **out, size_t *len, const char *path,
                      const char *kind, int secret, const char *key,
                      struct hx_flux_set *keep)
{
	const struct hx_flux_obj *o;
	size_t before = keep->n, i;

	if (hx_flux_load(keep, path, NULL) < 0)
		return -1;
	for (i = before; i < keep->n; i++) {
		o = &keep->objs[i];
		if (!strcmp(o->kind, kind) && !o->group_len) {
			int r = object_data(out, len, o->root, secret, key);

			if (r == 0)
				hx_error_set("%s: the %s has no key '%s'", path,
				             kind, key);
			return r > 0 ? 0 : -1;
		}
	}
	return hx_read_regular_file(out, len, path);
}

/* The values of data (YAML), merged into *result. */
static int merge_data(struct hx_node **result, struct hx_arena *a,
                      struct hx_flux_set *keep, const char *name, char *data,
                      size_t len)
{
	struct hx_stream *st = hx_xcalloc(1, sizeof(*st));

	hx_grow(&keep->streams, &keep->salloc, keep->nstreams + 1,
	        sizeof(*keep->streams));
	keep->streams[keep->nstreams++] = st;
	hx_strvec_push(&keep->dirs, ".");
	hx_stream_init_buf(st, name, data, len);
	return hx_flux_merge_stream(result, a, st);
}

static void warn_skip(struct hx_strvec *w, const struct hx_node *e,
                      const char *what)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_addf(&sb,
	               "%s:%u:%u: %s (optional: rendered "
	               "without it)",
	               e->file ? e->file : "?", e->line, e->col, what);
	hx_strvec_push(w, sb.buf);
	hx_strbuf_release(&sb);
}

static int values_from(struct hx_node **result, struct hx_arena *a,
                       struct hx_strvec *warnings,
                       const struct hx_flux_set *set,
                       const struct hx_flux_hr *hr, const struct hx_node *e,
                       const struct hx_flux_givens *given,
                       struct hx_flux_set *keep)
{
	const char *kind = entry_str(e, "kind"), *name = entry_str(e, "name");
	const char *vkey = entry_str(e, "valuesKey");
	const char *tpath = entry_str(e, "targetPath");
	const char *ns = hr->obj->ns, *file;
	const struct hx_flux_obj *o;
	struct hx_strbuf what = HX_STRBUF_INIT;
	int optional, literal, secret, r, rc = -1;
	char *data = NULL;
	size_t len = 0;

	if (e->kind != HX_MAP) {
		hx_error_set_node(e, "a valuesFrom entry must be a mapping");
		return -1;
	}
	if (entry_bool(e, "optional", &optional) < 0 ||
	    entry_bool(e, "literal", &literal) < 0)
		return -1;
	if (!kind || (strcmp(kind, "ConfigMap") && strcmp(kind, "Secret"))) {
		hx_error_set_node(e,
		                  "valuesFrom kind '%s': want ConfigMap or "
		                  "Secret",
		                  kind ? kind : "");
		return -1;
	}
	if (!name || !*name) {
		hx_error_set_node(e, "a valuesFrom entry needs 'name'");
		return -1;
	}
	secret = !strcmp(kind, "Secret");
	vkey = vkey && *vkey ? vkey : "values.yaml";
	hx_strbuf_addf(&what, "valuesFrom %s %s/%s", kind, ns, name);
	if ((file = hx_flux_given_find(given, kind, ns, name)) != NULL) {
		if (given_data(&data, &len, file, kind, secret, vkey, keep) < 0)
			goto out;
	} else {
		o = hx_flux_find(set, "", kind, ns, name);
		if (!o) {
			if (optional) {
				hx_strbuf_adds(&what, " is not among the PATH "
				                      "objects");
				warn_skip(warnings, e, what.buf);
				rc = 0;
				goto out;
			}
			hx_error_set_node(
			        e,
			        "%s is not among the PATH objects: add "
			        "its file, or give it with --values-from "
			        "%s/%s/%s=FILE",
			        what.buf, kind, ns, name);
			goto out;
		}
		if (secret && is_sops(o->root)) {
			if (optional) {
				hx_strbuf_adds(&what, " is SOPS-encrypted");
				warn_skip(warnings, e, what.buf);
				rc = 0;
				goto out;
			}
			hx_error_set_node(e,
			                  "%s is SOPS-encrypted: give it "
			                  "decrypted with --values-from "
			                  "%s/%s/%s=FILE (sops -d)",
			                  what.buf, kind, ns, name);
			goto out;
		}
		r = object_data(&data, &len, o->root, secret, vkey);
		if (r < 0)
			goto out;
		if (r == 0) {
			hx_strbuf_addf(&what, " has no key '%s'", vkey);
			if (optional) {
				warn_skip(warnings, e, what.buf);
				rc = 0;
				goto out;
			}
			hx_error_set_node(e, "%s", what.buf);
			goto out;
		}
	}
	if (tpath && *tpath) {
		*result = hx_flux_merge(a, *result, hr->values);
		if (replace_path(a, *result, tpath, data, len, literal) < 0) {
			hx_error_prefix("%s, targetPath '%.80s%s': ", what.buf,
			                tpath, strlen(tpath) > 80 ? "..." : "");
			hx_error_locate(e->file, e->line, e->col);
			goto out;
		}
		rc = 0;
		goto out;
	}
	rc = merge_data(result, a, keep, what.buf, data, len);
	data = NULL; /* the stream owns it */
	if (rc < 0) {
		/* at the entry: the data has no file of its own */
		char *head = NULL, *msg = NULL;

		const char *lc = "";
		size_t hl;

		hx_error_save(&head, &msg);
		/* "NAME:L:C: " -> "L:C" of the data */
		hl = head ? strlen(head) : 0;
		if (hl > 2) {
			size_t colons = 0, i = hl - 2;

			head[hl - 2] = 0;
			while (i > 0 && colons < 2)
				if (head[--i] == ':')
					colons++;
			if (colons == 2)
				lc = head + i + 1;
		}
		hx_error_set_node(e, "%s, key '%s'%s%s: %s", what.buf, vkey,
		                  *lc ? ", at " : "", lc, msg ? msg : "");
		free(head);
		free(msg);
	}
out:
	free(data);
	hx_strbuf_release(&what);
	return rc;
}

int hx_flux_values(struct hx_node **out, struct hx_arena *a,
                   struct hx_strvec *warnings, const struct hx_flux_set *set,
                   const struct hx_flux_hr *hr,
                   const struct hx_flux_givens *given, struct hx_flux_set *keep)
{
	struct hx_node *result = hx_node_new_map(a);
	size_t i;

	for (i = 0; hr->values_from && i < hr->values_from->u.seq.n; i++)
		if (values_from(&result, a, warnings, set, hr,
		                hr->values_from->u.seq.items[i], given,
		                keep) < 0)
			return -1;
	*out = hx_flux_merge(a, result, hr->values);
	return 0;
}
