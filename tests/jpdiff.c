/*
 * Differential test of JSON Patch (RFC 6902) against real kubectl.
 *
 *   jpdiff HELM-X KUBECTL [CASES [SEED]]
 *   jpdiff --vectors HELM-X KUBECTL SUITE-DIR DIFFERENCES
 *
 * Random mode: seeded random objects and lists of one to four operations
 * (add, remove, replace, move, copy, test; at existing, missing and
 * out-of-range places; keys needing ~0 and ~1; values YAML 1.1 could
 * misread), compared as in smpdiff:
 *   kubectl patch --local -f orig --type json -p OPS -o json
 * against helm-x's output passed through the same kubectl with no
 * operation.  Either both refuse the patch or both agree.  The generator
 * stays where RFC 6902 is precise or where helm-x follows kubectl on
 * purpose (replace of a missing object member adds it); where kubectl's
 * json-patch library departs from the RFC on its own (negative indices,
 * "01" as an index, copy from a missing path giving null, a test of a
 * missing path against null passing, a missing value taken as null), the
 * vectors mode below records it.
 *
 * Vectors mode: every enabled case of the JSON Patch suite (tests.json,
 * spec_tests.json in SUITE-DIR) goes through kubectl, its document wrapped
 * as member "d" of a ConfigMap and each pointer prefixed with "/d".  A case
 * where kubectl's result differs from the suite's is a difference; the
 * test passes when the differences are exactly those listed in DIFFERENCES
 * (one "FILE[INDEX]<TAB>why" per line, # comments), so the list in the
 * tests/README.md stays true for the kubectl at hand.  helm-x itself is held to
 * the suite by `patchcases --jsonpatch`.  Prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/emit.h"
#include "hx/err.h"
#include "hx/jsonpatch.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "kdiff.h"

#include "hx/banned.h"

struct files {
	char dir[32];
	char orig[64], patch[64], ours[64], k1[64], k2[64];
};

/* ---- generation ------------------------------------------------------- */

static const char *const keys[] = {"a", "b", "c", "d", "a/b", "m~n", "x y"};
static const char *const strs[] = {"v",   "w",    "on",   "010", "",
                                   "1e3", "null", "x: y", "-"};

#define NKEYS (sizeof(keys) / sizeof(*keys))
#define NSTRS (sizeof(strs) / sizeof(*strs))

static struct hx_node *str_node(struct hx_arena *a, const char *s)
{
	return hx_node_new_scalar(a, s, strlen(s), HX_STYLE_DOUBLE);
}

static struct hx_node *plain(struct hx_arena *a, const char *s)
{
	return hx_node_new_scalar(a, s, strlen(s), HX_STYLE_PLAIN);
}

static struct hx_node *gen_value(struct hx_arena *a, unsigned depth)
{
	struct hx_node *n;
	unsigned i, k;
	char num[16];

	if (!depth || chance(45)) {
		switch (rnd(5)) {
		case 0:
		case 1:
			return str_node(a, strs[rnd(NSTRS)]);
		case 2:
			snprintf(num, sizeof(num), "%u", rnd(30));
			return plain(a, num);
		case 3:
			return plain(a, chance(50) ? "true" : "false");
		default:
			return plain(a, "null");
		}
	}
	k = rnd(4);
	if (chance(50)) {
		n = hx_node_new_seq(a);
		for (i = 0; i < k; i++)
			hx_seq_append(a, n, gen_value(a, depth - 1));
	} else {
		n = hx_node_new_map(a);
		for (i = 0; i < k; i++) {
			const char *key = keys[rnd(NKEYS)];

			hx_map_set(a, n, key, strlen(key),
			           gen_value(a, depth - 1));
		}
	}
	return n;
}

/* A ConfigMap-shaped object whose "spec" holds the random part. */
static struct hx_node *gen_orig(struct hx_arena *a)
{
	struct hx_node *root = hx_node_new_map(a), *meta = hx_node_new_map(a);
	struct hx_node *spec = hx_node_new_map(a);
	unsigned i, k = 1 + rnd(4);

	hx_map_set(a, root, "apiVersion", 10, plain(a, "v1"));
	hx_map_set(a, root, "kind", 4, plain(a, "ConfigMap"));
	hx_map_set(a, meta, "name", 4, plain(a, "c"));
	hx_map_set(a, root, "metadata", 8, meta);
	for (i = 0; i < k; i++) {
		const char *key = keys[rnd(NKEYS)];

		hx_map_set(a, spec, key, strlen(key), gen_value(a, 3));
	}
	hx_map_set(a, root, "spec", 4, spec);
	return root;
}

/* Pointers of every node under /spec (collections and scalars). */
struct place {
	char *ptr;
	struct hx_node *node;
};

struct places {
	struct place v[512];
	size_t n;
};

static void add_escaped(struct hx_strbuf *sb, const char *s)
{
	for (; *s; s++) {
		if (*s == '~')
			hx_strbuf_adds(sb, "~0");
		else if (*s == '/')
			hx_strbuf_adds(sb, "~1");
		else
			hx_strbuf_addf(sb, "%c", *s);
	}
}

static void collect(struct places *pl, struct hx_node *n, const char *ptr)
{
	size_t i;

	if (pl->n == sizeof(pl->v) / sizeof(*pl->v))
		return;
	pl->v[pl->n].ptr = hx_xstrdup(ptr);
	pl->v[pl->n++].node = n;
	for (i = 0; i < (n->kind == HX_SEQ   ? n->u.seq.n
	                 : n->kind == HX_MAP ? n->u.map.n
	                                     : 0);
	     i++) {
		struct hx_strbuf sb = HX_STRBUF_INIT;
		struct hx_node *child;

		hx_strbuf_adds(&sb, ptr);
		hx_strbuf_adds(&sb, "/");
		if (n->kind == HX_SEQ) {
			hx_strbuf_addf(&sb, "%zu", i);
			child = n->u.seq.items[i];
		} else {
			add_escaped(&sb, n->u.map.pairs[i].key->u.s.str);
			child = n->u.map.pairs[i].value;
		}
		collect(pl, child, sb.buf);
		hx_strbuf_release(&sb);
	}
}

static void places_clear(struct places *pl)
{
	size_t i;

	for (i = 0; i < pl->n; i++)
		free(pl->v[i].ptr);
	pl->n = 0;
}

static const struct place *pick_where(const struct places *pl, int kind)
{
	size_t i, n = 0, want;

	for (i = 0; i < pl->n; i++)
		n += kind < 0 || pl->v[i].node->kind == kind;
	if (!n)
		return NULL;
	want = rnd((unsigned)n);
	for (i = 0; i < pl->n; i++)
		if ((kind < 0 || pl->v[i].node->kind == kind) && !want--)
			return &pl->v[i];
	return NULL;
}

/*
 * A pointer where "add" (and the targets of move and copy) may go: a key
 * of a map (present or not), an index up to the length or "-" of a list,
 * now and then one past the end (refused by both).
 */
static void add_target(struct hx_strbuf *sb, const struct places *pl)
{
	const struct place *p = pick_where(pl, chance(50) ? HX_SEQ : HX_MAP);

	if (!p)
		p = &pl->v[0]; /* /spec, a map */
	hx_strbuf_adds(sb, p->ptr);
	hx_strbuf_adds(sb, "/");
	if (p->node->kind == HX_MAP) {
		add_escaped(sb, keys[rnd(NKEYS)]);
	} else if (chance(25)) {
		hx_strbuf_adds(sb, "-");
	} else {
		size_t len = p->node->u.seq.n;

		hx_strbuf_addf(sb, "%zu",
		               chance(8) ? len + 1 : rnd((unsigned)len + 1));
	}
}

/* A pointer that is not there: a missing key, a missing parent, an index
 * at the end of a list. */
static void missing(struct hx_strbuf *sb, const struct places *pl,
                    int member_only)
{
	const struct place *p = pick_where(pl, HX_MAP);
	const struct place *s = pick_where(pl, HX_SEQ);

	if (!member_only && s && chance(30)) {
		hx_strbuf_addf(sb, "%s/%zu", s->ptr, s->node->u.seq.n);
		return;
	}
	hx_strbuf_adds(sb, p->ptr);
	if (!member_only && chance(30))
		hx_strbuf_adds(sb, "/nope");
	hx_strbuf_adds(sb, "/zz");
}

static void add_value(struct hx_strbuf *sb, struct hx_arena *a,
                      const struct hx_node *v)
{
	hx_strbuf_adds(sb, ", \"value\": ");
	if (!v)
		v = gen_value(a, 2);
	hx_node_emit_flow(sb, v);
}

/*
 * kubectl 1.32 panics (nil pointer in json-patch's lazyNode.equal) when a
 * test compares collections holding a null, so tests stay clear of them.
 */
static int null_inside(const struct hx_node *n)
{
	size_t i;

	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (hx_node_is_null(n->u.seq.items[i]) ||
			    null_inside(n->u.seq.items[i]))
				return 1;
	} else if (n->kind == HX_MAP) {
		for (i = 0; i < n->u.map.n; i++)
			if (hx_node_is_null(n->u.map.pairs[i].value) ||
			    null_inside(n->u.map.pairs[i].value))
				return 1;
	}
	return 0;
}

/* One operation against tree (as it is after the ops before it). */
static void gen_op(struct hx_strbuf *sb, struct hx_arena *a,
                   const struct places *pl)
{
	const struct place *p = pick_where(pl, -1);
	struct hx_strbuf to = HX_STRBUF_INIT;

	switch (rnd(6)) {
	case 0: /* add */
		add_target(&to, pl);
		hx_strbuf_addf(sb, "{\"op\": \"add\", \"path\": \"%s\"",
		               to.buf);
		add_value(sb, a, NULL);
		break;
	case 1: /* remove: present or missing */
		if (chance(80)) {
			hx_strbuf_addf(sb,
			               "{\"op\": \"remove\", \"path\": \"%s\"",
			               p->ptr);
		} else {
			missing(&to, pl, 0);
			hx_strbuf_addf(sb,
			               "{\"op\": \"remove\", \"path\": \"%s\"",
			               to.buf);
		}
		break;
	case 2: /* replace: present, missing member, missing elsewhere */
		if (chance(60)) {
			hx_strbuf_adds(&to, p->ptr);
		} else {
			missing(&to, pl, chance(60));
		}
		hx_strbuf_addf(sb, "{\"op\": \"replace\", \"path\": \"%s\"",
		               to.buf);
		add_value(sb, a, NULL);
		break;
	case 3: /* move */
	case 4: /* copy */
		add_target(&to, pl);
		hx_strbuf_addf(sb,
		               "{\"op\": \"%s\", \"from\": \"%s\", \"path\": "
		               "\"%s\"",
		               chance(50) ? "move" : "copy", p->ptr, to.buf);
		break;
	default: /* test: equal, different or missing (never against null) */
		if (chance(15)) {
			missing(&to, pl, 1);
			hx_strbuf_addf(sb,
			               "{\"op\": \"test\", \"path\": \"%s\"",
			               to.buf);
			add_value(sb, a, str_node(a, "v"));
		} else {
			const struct hx_node *v = chance(70) ? p->node : NULL;

			if (!v || null_inside(v))
				v = str_node(a, "v");
			hx_strbuf_addf(sb,
			               "{\"op\": \"test\", \"path\": \"%s\"",
			               p->ptr);
			add_value(sb, a, v);
		}
		break;
	}
	hx_strbuf_adds(sb, "}");
	hx_strbuf_release(&to);
}

/*
 * Up to four ops, each made against the document as the ones before left
 * it (applied here with the library); the first op that fails ends the
 * list, so a refused patch fails at its last op.
 */
static void gen_ops(struct hx_strbuf *ops, struct hx_arena *a,
                    struct hx_node *root)
{
	struct hx_strbuf wrap = HX_STRBUF_INIT;
	unsigned i, k = 1 + rnd(4);

	hx_strbuf_adds(ops, "[");
	for (i = 0; i < k; i++) {
		struct places pl = {.n = 0};
		struct hx_strbuf one = HX_STRBUF_INIT;
		struct hx_stream st;
		struct hx_node *spec = hx_map_get(root, "spec");
		int rc = -1;

		if (!spec || spec->kind != HX_MAP)
			break;
		collect(&pl, spec, "/spec");
		gen_op(&one, a, &pl);
		places_clear(&pl);
		if (i)
			hx_strbuf_adds(ops, ", ");
		hx_strbuf_adds(ops, one.buf);
		hx_strbuf_reset(&wrap);
		hx_strbuf_addf(&wrap, "[%s]", one.buf);
		hx_stream_init_buf(&st, "op", hx_xstrndup(wrap.buf, wrap.len),
		                   wrap.len);
		if (st.n && hx_doc_load(&st, &st.docs[0], &st.arena) == 0)
			rc = hx_jsonpatch_apply(a, &root, st.docs[0].root);
		hx_error_clear();
		hx_stream_release(&st);
		hx_strbuf_release(&one);
		if (rc)
			break;
	}
	hx_strbuf_adds(ops, "]");
	hx_strbuf_release(&wrap);
}

/* ---- comparing --------------------------------------------------------- */

/*
 * Patch orig with ops through helm-x and through kubectl; 1 when both
 * refuse or both give the same object.  *both_refuse tells which.
 */
static int compare(const char *hx, const char *kubectl, const struct files *f,
                   const char *ops, int *both_refuse, struct hx_strbuf *why)
{
	struct hx_strbuf pf = HX_STRBUF_INIT;
	struct hx_strvec hxa = HX_STRVEC_INIT, k1a = HX_STRVEC_INIT,
	                 k2a = HX_STRVEC_INIT;
	struct hx_stream s1, s2;
	struct hx_node *a, *b;
	int rh, rk, pass;

	hx_strbuf_addf(&pf, "patch: %s\n", ops);
	kd_spew(f->patch, pf.buf);
	hx_strvec_pushl(&hxa, hx, "patch", f->orig, "--json-patch", f->patch,
	                NULL);
	hx_strvec_pushl(&k1a, kubectl, "patch", "--local", "-f", f->orig,
	                "--type", "json", "-p", ops, "-o", "json", NULL);
	hx_strvec_pushl(&k2a, kubectl, "patch", "--local", "-f", f->ours,
	                "--type", "json", "-p", "[]", "-o", "json", NULL);
	rh = kd_run(hxa.v, f->ours);
	rk = kd_run(k1a.v, f->k1);
	memset(&s1, 0, sizeof(s1));
	memset(&s2, 0, sizeof(s2));
	*both_refuse = rh && rk;
	if (rh || rk) {
		pass = rh && rk;
		hx_strbuf_addf(why, "helm-x exit %d, kubectl exit %d", rh, rk);
	} else {
		kd_run(k2a.v, f->k2);
		a = kd_load(&s1, f->k1);
		b = kd_load(&s2, f->k2);
		pass = a && b && hx_node_equal(a, b);
		if (!pass && a && b) {
			hx_strbuf_adds(why, "kubectl: ");
			hx_node_emit_flow(why, a);
			hx_strbuf_adds(why, "\n# helm-x:  ");
			hx_node_emit_flow(why, b);
		}
	}
	hx_stream_release(&s1);
	hx_stream_release(&s2);
	hx_strvec_clear(&hxa);
	hx_strvec_clear(&k1a);
	hx_strvec_clear(&k2a);
	hx_strbuf_release(&pf);
	return pass;
}

static int random_mode(const char *hx, const char *kubectl,
                       const struct files *f, unsigned cases)
{
	unsigned c, failed = 0, refused = 0;
	struct hx_arena a = HX_ARENA_INIT;

	printf("# seed %llu\n", kd_rng);
	for (c = 1; c <= cases; c++) {
		struct hx_strbuf o = HX_STRBUF_INIT, ops = HX_STRBUF_INIT,
		                 why = HX_STRBUF_INIT;
		struct hx_node *root;
		int both, pass;

		hx_arena_reset(&a);
		root = gen_orig(&a);
		hx_node_emit_flow(&o, root);
		hx_strbuf_adds(&o, "\n");
		gen_ops(&ops, &a, hx_node_copy(&a, root));
		kd_spew(f->orig, o.buf);
		pass = compare(hx, kubectl, f, ops.buf, &both, &why);
		refused += pass && both;
		printf("%s %u - case %u%s\n", pass ? "ok" : "not ok", c, c,
		       both ? " (both refuse the patch)" : "");
		if (!pass) {
			failed++;
			printf("# %s\n# original: %s# ops: %s\n", why.buf,
			       o.buf, ops.buf);
		}
		hx_strbuf_release(&o);
		hx_strbuf_release(&ops);
		hx_strbuf_release(&why);
	}
	hx_arena_release(&a);
	printf("1..%u\n# %u agree (%u of them refused by both), %u differ\n",
	       cases, cases - failed, refused, failed);
	return failed ? 1 : 0;
}

/* ---- the RFC suite through kubectl ------------------------------------ */

/* A copy of ops with "/d" in front of every path and from. */
static struct hx_node *prefixed(struct hx_arena *a, const struct hx_node *ops)
{
	struct hx_node *out = hx_node_copy(a, ops);
	static const char *const fields[] = {"path", "from"};
	struct hx_strbuf sb = HX_STRBUF_INIT;
	size_t i, j;

	for (i = 0; out->kind == HX_SEQ && i < out->u.seq.n; i++) {
		struct hx_node *op = out->u.seq.items[i];

		for (j = 0; j < 2; j++) {
			struct hx_node *v = hx_map_get(op, fields[j]);
			if (!v || v->kind != HX_SCALAR ||
			    v->style == HX_STYLE_PLAIN ||
			    (v->u.s.str[0] && v->u.s.str[0] != '/'))
				continue; /* no string pointer: left as it is */
			hx_strbuf_reset(&sb);
			hx_strbuf_addf(&sb, "/d%s", v->u.s.str);
			hx_map_set(a, op, fields[j], strlen(fields[j]),
			           str_node(a, hx_arena_strndup(a, sb.buf,
			                                        sb.len)));
		}
	}
	hx_strbuf_release(&sb);
	return out;
}

/* Is FILE[INDEX] listed in the differences file?  Marks it seen. */
static int listed(struct hx_strvec *list, char *seen, const char *label)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (!strcmp(list->v[i], label)) {
			seen[i] = 1;
			return 1;
		}
	return 0;
}

static int load_list(struct hx_strvec *list, const char *path)
{
	char *buf, *line, *save = NULL;
	size_t len;

	if (hx_read_file(&buf, &len, path) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *tab = strchr(line, '\t');

		if (line[0] == '#' || !line[0])
			continue;
		if (tab)
			*tab = '\0';
		hx_strvec_push(list, line);
	}
	free(buf);
	return 0;
}

static void vectors_file(const char *kubectl, const struct files *f,
                         const char *dir, const char *file,
                         struct hx_strvec *list, char *seen, unsigned *n,
                         unsigned *failed, unsigned *differ)
{
	char *path = hx_path_join(dir, file);
	struct hx_stream st;
	struct hx_arena a = HX_ARENA_INIT;
	const struct hx_node *recs;
	size_t i;

	if (hx_stream_read(&st, path) < 0 || !st.n ||
	    hx_doc_load(&st, &st.docs[0], &st.arena) < 0 ||
	    !(recs = st.docs[0].root) || recs->kind != HX_SEQ) {
		printf("not ok %u - %s loads\n# %s\n", ++*n, path,
		       hx_error_message());
		hx_error_clear();
		++*failed;
		free(path);
		return;
	}
	for (i = 0; i < recs->u.seq.n; i++) {
		const struct hx_node *r = recs->u.seq.items[i];
		const struct hx_node *dis = hx_map_get(r, "disabled");
		const struct hx_node *expected = hx_map_get(r, "expected");
		const char *comment = hx_node_str(hx_map_get(r, "comment"));
		struct hx_strbuf o = HX_STRBUF_INIT, ops = HX_STRBUF_INIT;
		struct hx_strvec k = HX_STRVEC_INIT;
		struct hx_stream out;
		struct hx_node *doc, *got;
		char label[128];
		long long b = 0;
		int rk, agree, known;

		if (dis && hx_node_resolve(dis, &b, NULL) == HX_TYPE_BOOL && b)
			continue;
		hx_arena_reset(&a);
		hx_strbuf_adds(&o,
		               "{apiVersion: v1, kind: ConfigMap, metadata: "
		               "{name: v}, d: ");
		hx_node_emit_flow(&o, hx_map_get(r, "doc"));
		hx_strbuf_adds(&o, "}\n");
		kd_spew(f->orig, o.buf);
		hx_node_emit_flow(&ops, prefixed(&a, hx_map_get(r, "patch")));
		hx_strvec_pushl(&k, kubectl, "patch", "--local", "-f", f->orig,
		                "--type", "json", "-p", ops.buf, "-o", "json",
		                NULL);
		rk = kd_run(k.v, f->k1);
		memset(&out, 0, sizeof(out));
		got = rk ? NULL : kd_load(&out, f->k1);
		doc = got ? hx_map_get(got, "d") : NULL;
		if (hx_map_get(r, "error"))
			agree = rk != 0;
		else
			agree = rk == 0 &&
			        (!expected ||
			         (doc && hx_node_equal(doc, expected)));
		snprintf(label, sizeof(label), "%s[%zu]", file, i);
		known = listed(list, seen, label);
		*differ += !agree;
		printf("%s %u - %s %s%s\n", agree != known ? "ok" : "not ok",
		       ++*n, label, comment ? comment : "",
		       agree ? "" : " (kubectl differs)");
		if (agree == known) {
			++*failed;
			printf("# kubectl %s the suite, but %s listed\n# ops: "
			       "%s\n# kubectl exit %d\n",
			       agree ? "agrees with" : "differs from",
			       known ? "it is" : "it is not", ops.buf, rk);
		}
		hx_stream_release(&out);
		hx_strvec_clear(&k);
		hx_strbuf_release(&o);
		hx_strbuf_release(&ops);
	}
	hx_arena_release(&a);
	hx_stream_release(&st);
	free(path);
}

static int vectors_mode(const char *kubectl, const struct files *f,
                        const char *dir, const char *list_path)
{
	struct hx_strvec list = HX_STRVEC_INIT;
	unsigned n = 0, failed = 0, differ = 0;
	char *seen;
	size_t i;

	if (load_list(&list, list_path) < 0) {
		printf("not ok 1 - %s: %s\n1..1\n", list_path,
		       hx_error_message());
		return 1;
	}
	seen = hx_xcalloc(list.n + 1, 1);
	vectors_file(kubectl, f, dir, "tests.json", &list, seen, &n, &failed,
	             &differ);
	vectors_file(kubectl, f, dir, "spec_tests.json", &list, seen, &n,
	             &failed, &differ);
	for (i = 0; i < list.n; i++)
		if (!seen[i]) {
			printf("not ok %u - %s is listed but is no case\n", ++n,
			       list.v[i]);
			failed++;
		}
	printf("1..%u\n# kubectl differs from the suite on %u of %u cases\n", n,
	       differ, n);
	free(seen);
	hx_strvec_clear(&list);
	return failed ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct files f;
	int vectors = argc > 1 && !strcmp(argv[1], "--vectors");
	int rc;

	if (vectors) {
		argv++;
		argc--;
	}
	if (argc < 3 || (vectors && argc < 5)) {
		fprintf(stderr, "usage: jpdiff HELM-X KUBECTL [CASES [SEED]]\n"
		                "       jpdiff --vectors HELM-X KUBECTL "
		                "SUITE-DIR DIFFERENCES\n");
		return 2;
	}
	if (access(argv[2], X_OK) < 0) {
		printf("# SKIP: no kubectl at %s (run tests/tools.sh)\n",
		       argv[2]);
		printf("1..0 # SKIP kubectl missing\n");
		return 0;
	}
	snprintf(f.dir, sizeof(f.dir), "/tmp/hx-jpdiff.XXXXXX");
	if (!mkdtemp(f.dir))
		return 2;
	snprintf(f.orig, sizeof(f.orig), "%s/orig.yaml", f.dir);
	snprintf(f.patch, sizeof(f.patch), "%s/patch.yaml", f.dir);
	snprintf(f.ours, sizeof(f.ours), "%s/ours.yaml", f.dir);
	snprintf(f.k1, sizeof(f.k1), "%s/k1.json", f.dir);
	snprintf(f.k2, sizeof(f.k2), "%s/k2.json", f.dir);
	if (vectors) {
		rc = vectors_mode(argv[2], &f, argv[3], argv[4]);
	} else {
		unsigned cases =
		        argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 200;

		kd_rng = argc > 4 ? strtoull(argv[4], NULL, 10) : 20261202;
		if (!kd_rng)
			kd_rng = 1;
		rc = random_mode(argv[1], argv[2], &f, cases);
	}
	unlink(f.orig);
	unlink(f.patch);
	unlink(f.ours);
	unlink(f.k1);
	unlink(f.k2);
	rmdir(f.dir);
	return rc;
}
