/*
 * The texts helm x diff compares two objects as: as they are, or for
 * Secrets with their values redacted to sizes, or decoded, as helm-diff
 * does (diffsecret.h).
 */
#include "hx/diffsecret.h"

#include <stdlib.h>
#include <string.h>

#include "hx/base64.h"
#include "hx/diffreport.h"
#include "hx/emit.h"
#include "hx/err.h"
#include "hx/manifest.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* The bytes a value of a Secret stands for: a scalar's text (decoded
 * when decode and it is base64), else the node as YAML. */
static struct hx_node *secret_bytes(struct hx_arena *a, const struct hx_node *v,
                                    int decode)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_node *r;

	if (v->kind == HX_SCALAR) {
		if (!decode ||
		    hx_base64_decode(&sb, v->u.s.str, v->u.s.len) < 0) {
			hx_strbuf_reset(&sb);
			hx_strbuf_add(&sb, v->u.s.str, v->u.s.len);
		}
	} else {
		hx_node_emit(&sb, v);
	}
	r = hx_node_new_scalar(
	        a, hx_arena_strndup(a, sb.buf ? sb.buf : "", sb.len), sb.len,
	        HX_STYLE_PLAIN);
	hx_strbuf_release(&sb);
	return r;
}

/* The values of field (data or stringData) into vals, key by key; a
 * field that is no map is one value named after the field. */
static void secret_field(struct hx_arena *a, struct hx_node *vals,
                         const struct hx_node *f, const char *name, int decode)
{
	size_t i;

	if (!f)
		return;
	if (f->kind != HX_MAP) {
		hx_map_set_node(a, vals,
		                hx_node_new_scalar(a, name, strlen(name),
		                                   HX_STYLE_PLAIN),
		                secret_bytes(a, f, decode));
		return;
	}
	for (i = 0; i < f->u.map.n; i++) {
		const struct hx_node *k = f->u.map.pairs[i].key;

		hx_map_set_node(
		        a, vals,
		        k->kind == HX_SCALAR ? hx_node_copy(a, k)
		                             : secret_bytes(a, k, 0),
		        secret_bytes(a, f->u.map.pairs[i].value, decode));
	}
}

/* A secret's values: data decoded (a value that is no base64 stands for
 * its own text), stringData folded in, as the API server does.  A map of
 * name -> bytes (scalar nodes); never NULL, so nothing falls back to the
 * text as written. */
static struct hx_node *secret_values(struct hx_arena *a,
                                     const struct hx_node *root)
{
	struct hx_node *vals = hx_node_new_map(a);

	if (!root || root->kind != HX_MAP)
		return vals;
	secret_field(a, vals, hx_map_get(root, "data"), "data", 1);
	secret_field(a, vals, hx_map_get(root, "stringData"), "stringData", 0);
	return vals;
}

static struct hx_node *load_text(struct hx_stream *st, const char *text,
                                 size_t len)
{
	hx_stream_init_buf(st, "secret", hx_xstrndup(text, len), len);
	if (!st->n || hx_doc_load(st, &st->docs[0], &st->arena) < 0) {
		hx_error_clear();
		return NULL;
	}
	return st->docs[0].root;
}

#define LAST_APPLIED "kubectl.kubernetes.io/last-applied-configuration"

/* kubectl apply's copy of the object, which holds its values too. */
static const struct hx_node *last_applied(const struct hx_node *root)
{
	const struct hx_node *v =
	        root ? hx_map_path(root, "metadata", "annotations", NULL)
	             : NULL;

	v = v && v->kind == HX_MAP ? hx_map_get(v, LAST_APPLIED) : NULL;
	return v && v->kind == HX_SCALAR ? v : NULL;
}

/* "REDACTED # (N bytes)" when theirs holds the same bytes as v, else
 * "-------- # (N bytes)" (old) or "++++++++ # (N bytes)" (new). */
static struct hx_node *redacted(struct hx_arena *a, const struct hx_node *v,
                                const struct hx_node *theirs, int is_old)
{
	struct hx_strbuf val = HX_STRBUF_INIT;
	struct hx_node *r;
	int same = theirs && theirs->kind == HX_SCALAR &&
	           theirs->u.s.len == v->u.s.len &&
	           !memcmp(theirs->u.s.str, v->u.s.str, v->u.s.len);

	hx_strbuf_addf(&val, "%s # (%zu bytes)",
	               same     ? "REDACTED"
	               : is_old ? "--------"
	                        : "++++++++",
	               v->u.s.len);
	r = hx_node_new_scalar(a, hx_arena_strndup(a, val.buf, val.len),
	                       val.len, HX_STYLE_SINGLE);
	hx_strbuf_release(&val);
	return r;
}

/*
 * The text a Secret is compared as: its comment line, then the object
 * re-serialized with sorted keys, the values (data and stringData
 * together) under "data" redacted key by key (see redacted()), and
 * kubectl's last-applied-configuration annotation redacted whole; with
 * decoded, the values themselves under "stringData".  A Secret that does
 * not load is one line that says so, never its text.
 */
static char *secret_text(const struct hx_mobj *m, const struct hx_node *mine,
                         const struct hx_node *theirs,
                         const struct hx_node *their_la, int is_old,
                         int decoded)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_stream st;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_node *root = load_text(&st, m->content, m->len), *copy, *sd;
	const struct hx_node *la;
	size_t i;
	char *r;

	if (!root || root->kind != HX_MAP) {
		hx_stream_release(&st);
		hx_strbuf_addf(&sb,
		               "# a Secret that is no YAML mapping: "
		               "%s # (%zu bytes)\n",
		               is_old ? "--------" : "++++++++", m->len);
		return hx_strbuf_detach(&sb, NULL);
	}
	/* re-serialised as the API server would: block style, sorted */
	copy = hx_manifest_canonical(&a, root, 1);
	hx_map_remove(copy, "data", 4);
	hx_map_remove(copy, "stringData", 10);
	la = last_applied(copy);
	if (la && !decoded) {
		struct hx_node *ann =
		        hx_map_path(copy, "metadata", "annotations", NULL);

		hx_map_set(&a, ann, LAST_APPLIED, strlen(LAST_APPLIED),
		           redacted(&a, la, their_la, is_old));
	}
	sd = hx_node_new_map(&a);
	for (i = 0; i < mine->u.map.n; i++) {
		const struct hx_node *k = mine->u.map.pairs[i].key;
		const struct hx_node *v = mine->u.map.pairs[i].value;

		hx_map_set_node(
		        &a, sd, hx_node_copy(&a, k),
		        decoded ? hx_node_copy(&a, v)
		                : redacted(&a, v,
		                           theirs ? hx_map_getn(theirs,
		                                                k->u.s.str,
		                                                k->u.s.len)
		                                  : NULL,
		                           is_old));
	}
	if (sd->u.map.n)
		hx_map_set(&a, copy, "stringData", 10, sd);
	copy = hx_manifest_canonical(&a, copy, 0);
	/* the values go under "data" when redacted, as helm-diff shows */
	for (i = 0; !decoded && i < copy->u.map.n; i++)
		if (hx_node_str(copy->u.map.pairs[i].key) &&
		    !strcmp(hx_node_str(copy->u.map.pairs[i].key),
		            "stringData"))
			copy->u.map.pairs[i].key = hx_node_new_scalar(
			        &a, "data", 4, HX_STYLE_PLAIN);
	if (m->len && m->content[0] == '#' && memchr(m->content, '\n', m->len))
		hx_strbuf_add(&sb, m->content,
		              (size_t)((const char *)memchr(m->content, '\n',
		                                            m->len) -
		                       m->content) +
		                      1);
	hx_node_emit(&sb, copy);
	r = hx_strbuf_detach(&sb, NULL);
	hx_stream_release(&st);
	hx_arena_release(&a);
	return r;
}

void hx_diff_texts(char **ot, char **nt, const struct hx_mobj *o,
                   const struct hx_mobj *n, const struct hx_diff_opts *opt)
{
	int secret = (!o || !strcmp(o->kind, "Secret")) &&
	             (!n || !strcmp(n->kind, "Secret"));

	*ot = *nt = NULL;
	if (secret && (!opt->show_secrets || opt->show_secrets_decoded)) {
		struct hx_arena a = HX_ARENA_INIT;
		struct hx_stream so, sn;
		struct hx_node *ro = NULL, *rn = NULL, *vo, *vn;

		memset(&so, 0, sizeof(so));
		memset(&sn, 0, sizeof(sn));
		if (o)
			ro = load_text(&so, o->content, o->len);
		if (n)
			rn = load_text(&sn, n->content, n->len);
		vo = secret_values(&a, ro);
		vn = secret_values(&a, rn);
		if (o)
			*ot = secret_text(o, vo, n ? vn : NULL,
			                  last_applied(rn), 1,
			                  opt->show_secrets_decoded);
		if (n)
			*nt = secret_text(n, vn, o ? vo : NULL,
			                  last_applied(ro), 0,
			                  opt->show_secrets_decoded);
		hx_stream_release(&so);
		hx_stream_release(&sn);
		hx_arena_release(&a);
	}
	if (o && !*ot)
		*ot = hx_xstrndup(o->content, o->len);
	if (n && !*nt)
		*nt = hx_xstrndup(n->content, n->len);
	if (!*ot)
		*ot = hx_xstrdup("");
	if (!*nt)
		*nt = hx_xstrdup("");
}
