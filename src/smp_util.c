/*
 * What the strategic merge's files share (smp_merge.h): its messages, the
 * path of the place being merged, directive keys, patch values stripped
 * of directives.
 */
#include "hx/smp_merge.h"

#include <stdarg.h>
#include <string.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"

#include "hx/banned.h"

void hx_smp_error(struct hx_smp *s, const struct hx_node *where,
                  const char *fmt, ...)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	hx_strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	hx_error_set_node(where, "strategic merge: %s at '%s'", sb.buf,
	                  s->path.len ? s->path.buf : "/");
	hx_strbuf_release(&sb);
}

size_t hx_smp_path_push(struct hx_smp *s, const char *key, size_t len)
{
	size_t mark = s->path.len, i;

	hx_strbuf_addch(&s->path, '/');
	for (i = 0; i < len; i++) {
		if (key[i] == '~')
			hx_strbuf_add(&s->path, "~0", 2);
		else if (key[i] == '/')
			hx_strbuf_add(&s->path, "~1", 2);
		else
			hx_strbuf_addch(&s->path, key[i]);
	}
	return mark;
}

size_t hx_smp_path_push_index(struct hx_smp *s, size_t i)
{
	size_t mark = s->path.len;

	hx_strbuf_addf(&s->path, "/%zu", i);
	return mark;
}

void hx_smp_path_pop(struct hx_smp *s, size_t mark)
{
	s->path.len = mark;
	s->path.buf[mark] = '\0';
}

int hx_smp_key_starts(const struct hx_node *k, const char *prefix)
{
	size_t n = strlen(prefix);

	return k->kind == HX_SCALAR && k->u.s.len >= n &&
	       !memcmp(k->u.s.str, prefix, n);
}

int hx_smp_key_is(const struct hx_node *k, const char *s)
{
	return k->kind == HX_SCALAR && k->u.s.len == strlen(s) &&
	       !memcmp(k->u.s.str, s, k->u.s.len);
}

int hx_smp_is_directive(const struct hx_node *k)
{
	return hx_smp_key_is(k, "$patch") || hx_smp_key_is(k, "$retainKeys") ||
	       hx_smp_key_starts(k, HX_SMP_SEO) ||
	       hx_smp_key_starts(k, HX_SMP_DFPL);
}

const char *hx_smp_directive(const struct hx_node *m)
{
	return m->kind == HX_MAP ? hx_node_str(hx_map_get(m, "$patch")) : NULL;
}

/*
 * A copy of a patch value taken whole, without directives.  drop_nulls also
 * drops map entries whose value is null (apimachinery's
 * discardNullValuesFromPatch, for values that had nothing to merge into).
 */
struct hx_node *hx_smp_strip(struct hx_smp *s, const struct hx_node *n,
                             int drop_nulls)
{
	struct hx_node *c;
	size_t i;

	if (n->kind == HX_SCALAR)
		return hx_node_copy(s->a, n);
	if (n->kind == HX_SEQ) {
		c = hx_node_new_seq(s->a);
		*c = *n;
		c->u.seq.items = NULL;
		c->u.seq.n = c->u.seq.alloc = 0;
		for (i = 0; i < n->u.seq.n; i++) {
			const char *d = hx_smp_directive(n->u.seq.items[i]);

			if (d && !strcmp(d, "delete"))
				continue;
			hx_seq_append(
			        s->a, c,
			        hx_smp_strip(s, n->u.seq.items[i], drop_nulls));
		}
		return c;
	}
	c = hx_node_new_map(s->a);
	*c = *n;
	c->u.map.pairs = NULL;
	c->u.map.n = c->u.map.alloc = 0;
	for (i = 0; i < n->u.map.n; i++) {
		const struct hx_pair *p = &n->u.map.pairs[i];

		if (hx_smp_is_directive(p->key) ||
		    (drop_nulls && hx_node_is_null(p->value)))
			continue;
		hx_map_set_node(s->a, c, hx_node_copy(s->a, p->key),
		                hx_smp_strip(s, p->value, drop_nulls));
	}
	return c;
}
