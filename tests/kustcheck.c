/*
 * The data-driven --patches cases, checked against real kubectl kustomize.
 *
 *   kustcheck KUBECTL DIR...
 *
 * For every case DIR/<case>/ with an expected.yaml (the output helm-x must
 * give, checked by patchcases), the case's files are copied to a temporary
 * dir with a kustomization.yaml made from its patch.yaml (a list or a
 * single entry goes under 'patches:'; kustomization keys stay as they are)
 * and 'resources: [input.yaml]'; `kubectl kustomize` of that dir must give
 * the same objects as expected.yaml (matched by apiVersion, kind,
 * namespace and name, compared as values; kustomize reorders keys and
 * objects).  An inline patch written as a mapping or a list (helm-x takes
 * those) is given to kustomize as text.  A case whose case.yaml says
 * 'kustomize: differs' (with 'kustomize_why') documents a deliberate
 * difference: kustomize must give something else, or refuse the case.  Cases
 * whose case.yaml has 'args' (helm-x flags with no kustomize equivalent) are
 * not checked.  Prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/emit.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "kdiff.h"

#include "hx/banned.h"

static unsigned n_run, n_fail;

static struct hx_node *load_first(struct hx_stream *st, const char *dir,
                                  const char *name)
{
	char *p = hx_path_join(dir, name);
	struct hx_node *r = NULL;

	if (access(p, R_OK) == 0)
		r = kd_load(st, p);
	free(p);
	return r;
}

/*
 * kustomize takes an inline patch only as text; helm-x takes a mapping or
 * a list too.  Write those as block text.
 */
static void stringify_patches(struct hx_arena *a, struct hx_node *list)
{
	size_t i;

	for (i = 0; list && list->kind == HX_SEQ && i < list->u.seq.n; i++) {
		struct hx_node *e = list->u.seq.items[i];
		struct hx_node *p = hx_map_get(e, "patch");
		struct hx_strbuf sb = HX_STRBUF_INIT;

		if (!p || p->kind == HX_SCALAR)
			continue;
		hx_node_emit(&sb, p);
		hx_map_set(a, e, "patch", 5,
		           hx_node_new_scalar(
		                   a, hx_arena_strndup(a, sb.buf, sb.len),
		                   sb.len, HX_STYLE_LITERAL));
		hx_strbuf_release(&sb);
	}
}

/* Does DIR/patch.yaml load and hold no document (comments, "---")? */
static int placeholder(const char *dir)
{
	char *p = hx_path_join(dir, "patch.yaml");
	struct hx_stream st;
	int r = 0;
	size_t i;

	memset(&st, 0, sizeof(st));
	if (hx_stream_read(&st, p) == 0 && hx_stream_load_all(&st) == 0) {
		r = 1;
		for (i = 0; i < st.n; i++)
			if (st.docs[i].root)
				r = 0;
	}
	hx_error_clear();
	hx_stream_release(&st);
	free(p);
	return r;
}

/* The kustomization text for a case's patch.yaml. */
static int kustomization(struct hx_strbuf *out, const char *dir)
{
	struct hx_stream st;
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_node *p, *k;

	memset(&st, 0, sizeof(st));
	p = load_first(&st, dir, "patch.yaml");
	if (!p && placeholder(dir)) {
		p = hx_node_new_map(&a);
	} else if (!p) {
		hx_stream_release(&st);
		return -1;
	}
	if (p->kind == HX_SEQ || hx_map_get(p, "patch") ||
	    hx_map_get(p, "path")) {
		k = hx_node_new_map(&a);
		if (p->kind != HX_SEQ) {
			struct hx_node *list = hx_node_new_seq(&a);

			hx_seq_append(&a, list, p);
			p = list;
		}
		hx_map_set(&a, k, "patches", 7, p);
	} else {
		k = hx_node_copy(&a, p);
	}
	stringify_patches(&a, hx_map_get(k, "patches"));
	{
		struct hx_node *res = hx_node_new_seq(&a);

		hx_seq_append(&a, res,
		              hx_node_new_scalar(&a, "input.yaml", 10,
		                                 HX_STYLE_PLAIN));
		hx_map_set(&a, k, "resources", 9, res);
	}
	hx_node_emit(out, k);
	hx_arena_release(&a);
	hx_stream_release(&st);
	return 0;
}

static const char *field(const struct hx_node *doc, const char *a,
                         const char *b)
{
	const char *s = hx_node_str(b ? hx_map_path(doc, a, b, NULL)
	                              : hx_map_get(doc, a));

	return s ? s : "";
}

static int same_object(const struct hx_node *x, const struct hx_node *y)
{
	return !strcmp(field(x, "apiVersion", NULL),
	               field(y, "apiVersion", NULL)) &&
	       !strcmp(field(x, "kind", NULL), field(y, "kind", NULL)) &&
	       !strcmp(field(x, "metadata", "name"),
	               field(y, "metadata", "name")) &&
	       !strcmp(field(x, "metadata", "namespace"),
	               field(y, "metadata", "namespace"));
}

/*
 * Do the two streams hold the same objects?  Says which one differs in
 * why otherwise.
 */
/* The objects of a node: itself, or the items of a list kind (kustomize
 * writes those out one by one). */
static void collect(const struct hx_node *n, const struct hx_node ***v,
                    size_t *len, size_t *alloc, int depth)
{
	const char *kind = field(n, "kind", NULL);
	const struct hx_node *items = hx_map_get(n, "items");
	size_t k = strlen(kind), i;

	if (k >= 4 && !strcmp(kind + k - 4, "List") && items &&
	    items->kind == HX_SEQ && depth < 8) {
		for (i = 0; i < items->u.seq.n; i++)
			collect(items->u.seq.items[i], v, len, alloc,
			        depth + 1);
		return;
	}
	hx_grow(v, alloc, *len + 1, sizeof(**v));
	(*v)[(*len)++] = n;
}

static void objects(const struct hx_stream *st, const struct hx_node ***v,
                    size_t *len)
{
	size_t i, alloc = 0;

	*v = NULL;
	*len = 0;
	for (i = 0; i < st->n; i++)
		if (st->docs[i].root)
			collect(st->docs[i].root, v, len, &alloc, 0);
}

static int same_objects(const struct hx_stream *a, const struct hx_stream *b,
                        struct hx_strbuf *why)
{
	const struct hx_node **va, **vb;
	size_t i, j, na, nb;
	int r = 1;

	objects(a, &va, &na);
	objects(b, &vb, &nb);
	for (i = 0; i < na && r; i++) {
		const struct hx_node *x = va[i];
		const struct hx_node *y = NULL;

		for (j = 0; j < nb && !y; j++)
			if (same_object(x, vb[j]))
				y = vb[j];
		if (!y || !hx_node_equal(x, y)) {
			hx_strbuf_addf(why, "%s %s: ", field(x, "kind", NULL),
			               field(x, "metadata", "name"));
			if (!y) {
				hx_strbuf_adds(why,
				               "not in kustomize's output");
			} else {
				hx_strbuf_adds(why, "\n#   kustomize: ");
				hx_node_emit_flow(why, y);
				hx_strbuf_adds(why, "\n#   helm-x:    ");
				hx_node_emit_flow(why, x);
			}
			r = 0;
		}
	}
	if (r && na != nb) {
		hx_strbuf_addf(why, "%zu objects, kustomize gives %zu", na, nb);
		r = 0;
	}
	free(va);
	free(vb);
	return r;
}

static void copy_case(const char *from, const char *to)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	size_t i;

	if (hx_list_dir(&names, from, 1) < 0)
		hx_error_clear();
	for (i = 0; i < names.n; i++) {
		char *f = hx_path_join(from, names.v[i]);
		char *t = hx_path_join(to, names.v[i]);
		char *buf;
		size_t len;

		if (hx_read_regular_file(&buf, &len, f) == 0) {
			if (hx_write_new_file(t, buf, len) < 0)
				hx_error_clear();
			free(buf);
		} else {
			hx_error_clear();
		}
		free(f);
		free(t);
	}
	hx_strvec_clear(&names);
}

static void remove_case(const char *dir)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	size_t i;

	if (hx_list_dir(&names, dir, 0) < 0)
		hx_error_clear();
	for (i = 0; i < names.n; i++) {
		char *f = hx_path_join(dir, names.v[i]);

		unlink(f);
		free(f);
	}
	hx_strvec_clear(&names);
	rmdir(dir);
}

static void check_case(const char *kubectl, const char *dir, const char *label)
{
	char tmp[] = "/tmp/hx-kustcheck.XXXXXX";
	struct hx_stream conf, want, got;
	struct hx_strbuf k = HX_STRBUF_INIT, why = HX_STRBUF_INIT;
	struct hx_strvec argv = HX_STRVEC_INIT;
	const struct hx_node *c;
	const char *differs = NULL;
	char *kpath, *out, *wpath;
	int rc, same, pass;

	memset(&conf, 0, sizeof(conf));
	memset(&want, 0, sizeof(want));
	memset(&got, 0, sizeof(got));
	c = load_first(&conf, dir, "case.yaml");
	if (c && hx_map_get(c, "args")) {
		hx_stream_release(&conf);
		return;
	}
	if (c)
		differs = hx_node_str(hx_map_get(c, "kustomize"));
	if (!mkdtemp(tmp)) {
		hx_stream_release(&conf);
		return;
	}
	copy_case(dir, tmp);
	kpath = hx_path_join(tmp, "kustomization.yaml");
	out = hx_path_join(tmp, "kustomize.out");
	wpath = hx_path_join(dir, "expected.yaml");
	if (kustomization(&k, dir) < 0) {
		hx_strbuf_adds(&why, "patch.yaml does not load");
		same = 0;
		rc = -1;
	} else {
		kd_spew(kpath, k.buf);
		hx_strvec_pushl(&argv, kubectl, "kustomize", tmp, NULL);
		rc = kd_run(argv.v, out);
		if (rc == 0 && hx_stream_read(&got, out) == 0 &&
		    hx_stream_load_all(&got) == 0 &&
		    hx_stream_read(&want, wpath) == 0 &&
		    hx_stream_load_all(&want) == 0) {
			same = same_objects(&want, &got, &why) &&
			       same_objects(&got, &want, &why);
		} else {
			hx_strbuf_addf(&why, "kubectl kustomize exit %d %s", rc,
			               hx_error_message());
			hx_error_clear();
			same = 0;
		}
	}
	/* a documented difference: kustomize gives another result, or
	 * refuses what helm-x takes */
	pass = differs && !strcmp(differs, "differs") ? !same : same;
	n_run++;
	printf("%s %u - %s%s\n", pass ? "ok" : "not ok", n_run, label,
	       differs ? " (a documented difference)" : "");
	if (!pass) {
		n_fail++;
		printf("# %s\n", differs ? "kustomize now agrees: drop "
		                           "'kustomize: differs'"
		                         : why.buf);
	}
	remove_case(tmp);
	free(kpath);
	free(out);
	free(wpath);
	hx_strvec_clear(&argv);
	hx_strbuf_release(&k);
	hx_strbuf_release(&why);
	hx_stream_release(&conf);
	hx_stream_release(&want);
	hx_stream_release(&got);
}

int main(int argc, char **argv)
{
	int i;

	if (argc < 3) {
		fprintf(stderr, "usage: kustcheck KUBECTL DIR...\n");
		return 2;
	}
	if (access(argv[1], X_OK) < 0) {
		printf("# SKIP: no kubectl at %s (run tests/tools.sh)\n",
		       argv[1]);
		printf("1..0 # SKIP kubectl missing\n");
		return 0;
	}
	for (i = 2; i < argc; i++) {
		struct hx_strvec cases = HX_STRVEC_INIT;
		size_t j;

		if (hx_list_dir(&cases, argv[i], 1) < 0) {
			printf("not ok %u - %s: %s\n", ++n_run, argv[i],
			       hx_error_message());
			n_fail++;
			hx_error_clear();
			continue;
		}
		for (j = 0; j < cases.n; j++) {
			char *dir = hx_path_join(argv[i], cases.v[j]);
			char *exp = hx_path_join(dir, "expected.yaml");

			if (access(exp, R_OK) == 0)
				check_case(argv[1], dir, dir);
			free(exp);
			free(dir);
		}
		hx_strvec_clear(&cases);
	}
	printf("1..%u\n# %u of %u cases agree with kubectl kustomize (or "
	       "differ as documented)\n",
	       n_run, n_run - n_fail, n_run);
	return n_fail ? 1 : 0;
}
