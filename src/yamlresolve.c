/*
 * What the YAML loader resolves beyond libyaml (yamlresolve.h): tags as
 * they are written back, and YAML 1.1 merge keys.
 */
#include "hx/yamlresolve.h"

#include <string.h>

#include "hx/err.h"
#include "hx/node.h"

#include "hx/banned.h"

/* Can s follow "!" or "!!" in a tag shorthand (no flow indicator, no "#",
 * no "!", no "%": URI characters that read back as themselves)? */
static int shorthand_ok(const char *s)
{
	static const char extra[] = "-;/?:@&=+$_.~*'()";

	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || strchr(extra, *s)))
			return 0;
	return 1;
}

/*
 * "!<tag>": the verbatim form, which needs no %TAG directive; a byte that
 * is no URI character there (libyaml decoded "%07" to it) is written as
 * %XX again.
 */
static const char *verbatim_tag(struct hx_arena *a, const char *tag)
{
	static const char keep[] = "-;/?:@&=+$,_.!~*'()[]";
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(tag), j = 2, i;
	char *t = hx_arena_alloc(a, 3 * n + 4);

	memcpy(t, "!<", 2);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tag[i];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || (c && strchr(keep, c))) {
			t[j++] = (char)c;
		} else {
			t[j++] = '%';
			t[j++] = hex[c >> 4];
			t[j++] = hex[c & 15];
		}
	}
	memcpy(t + j, ">", 2);
	return t;
}

/*
 * A tag as the emitter writes it back: the standard ones as "!!suffix", a
 * local one ("!foo") as it is, and any other (a %TAG handle's, resolved by
 * libyaml, or one a shorthand cannot spell) in the verbatim form.
 */
const char *hx_yaml_tag(struct hx_arena *a, const char *tag)
{
	static const char std[] = "tag:yaml.org,2002:";

	if (!tag)
		return NULL;
	if (!strncmp(tag, std, sizeof(std) - 1) &&
	    shorthand_ok(tag + sizeof(std) - 1)) {
		const char *suffix = tag + sizeof(std) - 1;
		size_t n = strlen(suffix);
		char *t = hx_arena_alloc(a, n + 3);

		t[0] = t[1] = '!';
		memcpy(t + 2, suffix, n + 1);
		return t;
	}
	if (tag[0] == '!' && shorthand_ok(tag + 1))
		return hx_arena_strndup(a, tag, strlen(tag));
	return verbatim_tag(a, tag);
}

/* Is k YAML 1.1's merge key: a plain "<<", or one tagged !!merge? */
static int is_merge_key(const struct hx_node *k)
{
	return k->kind == HX_SCALAR && k->u.s.len == 2 &&
	       !memcmp(k->u.s.str, "<<", 2) &&
	       ((k->style == HX_STYLE_PLAIN && !k->tag) ||
	        (k->tag && !strcmp(k->tag, "!!merge")));
}

/*
 * Resolve a merge key of map, as Kubernetes' YAML reader does: the keys
 * of the mapping (or of each mapping of the list, the first one winning)
 * that map does not set itself take the merge key's place, in their
 * order.  The tree is then no longer the text: the document is written
 * anew when patched.  1 when a merge key was resolved, 0 when there is
 * none, -1 on an error.
 */
int hx_yaml_merge(struct hx_arena *a, struct hx_node *map)
{
	struct hx_node *v, *one[1], **src;
	struct hx_pair *old, *pairs;
	size_t i, j, k, at, nsrc, n = 0, cap;

	for (at = 0; at < map->u.map.n; at++)
		if (is_merge_key(map->u.map.pairs[at].key))
			break;
	if (at == map->u.map.n)
		return 0; /* none (left) */
	v = map->u.map.pairs[at].value;
	if (v->kind == HX_MAP) {
		one[0] = v;
		src = one;
		nsrc = 1;
	} else if (v->kind == HX_SEQ) {
		src = v->u.seq.items;
		nsrc = v->u.seq.n;
	} else {
		src = NULL;
		nsrc = 0;
	}
	for (i = 0; i < nsrc && src; i++)
		if (src[i]->kind != HX_MAP)
			src = NULL;
	if (!src) {
		hx_error_set_node(map->u.map.pairs[at].key,
		                  "a merge key '<<' takes a mapping or a list "
		                  "of mappings");
		return -1;
	}
	cap = map->u.map.n;
	for (i = 0; i < nsrc; i++)
		cap += src[i]->u.map.n;
	old = map->u.map.pairs;
	pairs = hx_arena_alloc(a, cap * sizeof(*pairs));
	for (i = 0; i < at; i++)
		pairs[n++] = old[i];
	for (i = 0; i < nsrc; i++)
		for (j = 0; j < src[i]->u.map.n; j++) {
			const struct hx_node *key = src[i]->u.map.pairs[j].key;
			int taken = 0;

			if (key->kind != HX_SCALAR)
				continue;
			/* the map's own keys win, then earlier sources */
			for (k = 0; k < map->u.map.n && !taken; k++)
				taken = k != at &&
				        old[k].key->kind == HX_SCALAR &&
				        old[k].key->u.s.len == key->u.s.len &&
				        !memcmp(old[k].key->u.s.str,
				                key->u.s.str, key->u.s.len);
			for (k = at; k < n && !taken; k++)
				taken = pairs[k].key->u.s.len == key->u.s.len &&
				        !memcmp(pairs[k].key->u.s.str,
				                key->u.s.str, key->u.s.len);
			if (!taken)
				pairs[n++] = src[i]->u.map.pairs[j];
		}
	for (i = at + 1; i < map->u.map.n; i++)
		pairs[n++] = old[i];
	map->u.map.pairs = pairs;
	map->u.map.n = n;
	map->u.map.alloc = cap;
	return 1;
}
