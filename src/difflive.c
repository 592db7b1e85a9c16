/*
 * helm x diff --three-way-merge (difflive.h): the release side becomes the
 * live objects, the new side what the upgrade leaves of them.
 */
#include "hx/difflive.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/alloc.h"
#include "hx/err.h"
#include "hx/kubectl.h"
#include "hx/manifest.h"
#include "hx/node.h"
#include "hx/schema.h"
#include "hx/smp.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/streams.h"
#include "hx/tmpdir.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* An object of a stream, as the pairing sees it. */
struct obj {
	struct hx_node *root; /* borrowed (the arena) */
	const char *api, *kind, *name;
	char *ns;       /* owned: the object's namespace, or the release's */
	char *key;      /* owned: "GROUP KIND NS NAME" */
	size_t st, doc; /* where it is: stream and document */
	int replaced;   /* the live object stands in for it */
};

struct objs {
	struct obj *v;
	size_t n, alloc;
};

static void objs_release(struct objs *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		free(o->v[i].ns);
		free(o->v[i].key);
	}
	free(o->v);
	memset(o, 0, sizeof(*o));
}

static const char *str_at(const struct hx_node *root, const char *k1,
                          const char *k2)
{
	const struct hx_node *n =
	        k2 ? hx_map_path(root, k1, k2, NULL) : hx_map_get(root, k1);

	return n ? hx_node_str(n) : NULL;
}

/* "apps/v1" -> "apps"; "v1" -> "". */
static char *group_of(const char *api)
{
	const char *slash = strchr(api, '/');

	return slash ? hx_xstrndup(api, (size_t)(slash - api)) : hx_xstrdup("");
}

static char *key_of(const char *api, const char *kind, const char *ns,
                    const char *name)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char *g = group_of(api);

	hx_strbuf_addf(&sb, "%s %s %s %s", g, kind, ns, name);
	free(g);
	return hx_strbuf_detach(&sb, NULL);
}

/* A Kubernetes object that is no hook and no List: the others stay as they
 * are on both sides. */
static int fill(struct obj *o, struct hx_node *root, const char *ns)
{
	const char *own_ns;
	size_t klen;

	memset(o, 0, sizeof(*o));
	if (!root || root->kind != HX_MAP)
		return 0;
	o->api = str_at(root, "apiVersion", NULL);
	o->kind = str_at(root, "kind", NULL);
	o->name = str_at(root, "metadata", "name");
	if (!o->api || !o->kind || !o->name || !*o->name ||
	    hx_map_path(root, "metadata", "annotations", "helm.sh/hook", NULL))
		return 0;
	klen = strlen(o->kind);
	if (klen >= 4 && !strcmp(o->kind + klen - 4, "List"))
		return 0;
	own_ns = str_at(root, "metadata", "namespace");
	o->root = root;
	o->ns = hx_xstrdup(own_ns && *own_ns ? own_ns : ns);
	o->key = key_of(o->api, o->kind, o->ns, o->name);
	return 1;
}

/* Every object of the streams (their documents loaded into a). */
static int collect(struct objs *out, struct hx_streams *s, const char *ns,
                   struct hx_arena *a)
{
	size_t i, j;

	for (i = 0; i < s->n; i++)
		for (j = 0; j < s->v[i].n; j++) {
			struct hx_doc *d = &s->v[i].docs[j];
			struct obj o;

			if (hx_doc_load(&s->v[i], d, a) < 0)
				return -1;
			if (!fill(&o, d->root, ns))
				continue;
			o.st = i;
			o.doc = j;
			hx_grow(&out->v, &out->alloc, out->n + 1,
			        sizeof(*out->v));
			out->v[out->n++] = o;
		}
	return 0;
}

static int cmp_obj(const void *x, const void *y)
{
	return strcmp(((const struct obj *)x)->key,
	              ((const struct obj *)y)->key);
}

static int cmp_pos(const void *x, const void *y)
{
	const struct obj *a = x, *b = y;

	if (a->st != b->st)
		return a->st < b->st ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static struct obj *find(struct objs *o, char *key)
{
	struct obj probe;

	memset(&probe, 0, sizeof(probe));
	probe.key = key;
	return o->n ? bsearch(&probe, o->v, o->n, sizeof(*o->v), cmp_obj)
	            : NULL;
}

/* ---- reading the live objects ------------------------------------------ */

/* "Deployment.v1.apps", "ConfigMap.v1.": a kind at a version, for kubectl. */
static char *type_of(const struct obj *o)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *slash = strchr(o->api, '/');

	if (slash)
		hx_strbuf_addf(&sb, "%s.%s.%.*s", o->kind, slash + 1,
		               (int)(slash - o->api), o->api);
	else
		hx_strbuf_addf(&sb, "%s.%s.", o->kind, o->api);
	return hx_strbuf_detach(&sb, NULL);
}

/* The kind kubectl named in "doesn't have a resource type \"X\"", or NULL. */
static char *unknown_type(const char *err)
{
	const char *p = strstr(err, "doesn't have a resource type \"");
	const char *q;

	if (!p)
		return NULL;
	p += strlen("doesn't have a resource type \"");
	q = strchr(p, '"');
	return q ? hx_xstrndup(p, (size_t)(q - p)) : NULL;
}

/* One line of kubectl's error output for a message: its last non-empty
 * line, at most 200 bytes. */
static void last_line(struct hx_strbuf *sb, const char *err)
{
	const char *end = err + strlen(err), *start;

	while (end > err && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > err && start[-1] != '\n')
		start--;
	hx_strbuf_add(sb, start,
	              (size_t)(end - start) > 200 ? 200
	                                          : (size_t)(end - start));
}

/*
 * kubectl get TYPES --namespace NS -o json: one list call per kind.
 * A kind the server does not serve (a CRD the chart brings) has no live
 * objects: it is dropped and the call made again.
 */
static int kubectl_list(struct hx_strbuf *out, struct hx_strvec *types,
                        const char *ns, const char *ctx, const char *tmp,
                        const char *errf)
{
	for (;;) {
		struct hx_proc p = HX_PROC_INIT;
		struct hx_strbuf list = HX_STRBUF_INIT, msg = HX_STRBUF_INIT;
		char *err = NULL, *gone = NULL;
		size_t i, len;
		int rc;

		if (!types->n)
			return 0;
		for (i = 0; i < types->n; i++) {
			if (i)
				hx_strbuf_addch(&list, ',');
			hx_strbuf_adds(&list, types->v[i]);
		}
		hx_kubectl_argv(&p.args);
		if (ctx)
			hx_strvec_pushl(&p.args, "--context", ctx, NULL);
		hx_strvec_pushl(&p.args, "get", list.buf, "--namespace", ns,
		                "--output", "json", NULL);
		p.capture_out = 1;
		p.what = "kubectl get";
		p.err_file = errf;
		hx_strbuf_reset(out);
		rc = hx_proc_run(&p, out);
		hx_proc_release(&p);
		hx_strbuf_release(&list);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			hx_error_suffix(" (kubectl: $KUBECTL_BIN, else kubectl "
			                "in PATH)");
			return -1;
		}
		if (hx_read_file(&err, &len, errf) < 0)
			err = hx_xstrdup("");
		gone = unknown_type(err);
		for (i = 0; gone && i < types->n; i++)
			if (!strncmp(types->v[i], gone, strlen(gone)) &&
			    (types->v[i][strlen(gone)] == '.' ||
			     !types->v[i][strlen(gone)]))
				break;
		if (gone && i < types->n) {
			free(types->v[i]);
			/* with the NULL that ends the vector */
			memmove(types->v + i, types->v + i + 1,
			        (types->n - i) * sizeof(*types->v));
			types->n--;
			free(gone);
			free(err);
			continue;
		}
		last_line(&msg, err);
		/* kubectl may name the token's kubeconfig, in helm-x's own
		 * temporary dir: no such line in a message */
		if (msg.len && strstr(msg.buf, tmp))
			hx_strbuf_reset(&msg);
		hx_error_set("'kubectl get' in namespace '%s' exited with "
		             "status %d%s%s",
		             ns, rc, msg.len ? ": " : "",
		             msg.len ? msg.buf : "");
		hx_strbuf_release(&msg);
		free(gone);
		free(err);
		return -1;
	}
}

/* The live objects of every target's kind in each of their namespaces. */
static int read_live(struct objs *live, struct hx_stream *st,
                     const struct objs *targets, const char *ctx,
                     struct hx_arena *a)
{
	struct hx_strvec nss = HX_STRVEC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT, all = HX_STRBUF_INIT;
	const char *tmp = hx_tmpdir_create(0);
	char *errf = NULL;
	size_t i, j;
	int rc = -1;

	if (!tmp)
		return -1;
	errf = hx_path_join(tmp, "kubectl-get.err");
	for (i = 0; i < targets->n; i++)
		if (!hx_strvec_has(&nss, targets->v[i].ns))
			hx_strvec_push(&nss, targets->v[i].ns);
	/* the lists, one JSON document each, in one stream */
	for (i = 0; i < nss.n; i++) {
		struct hx_strvec types = HX_STRVEC_INIT;

		for (j = 0; j < targets->n; j++) {
			char *t;

			if (strcmp(targets->v[j].ns, nss.v[i]))
				continue;
			t = type_of(&targets->v[j]);
			if (!hx_strvec_has(&types, t))
				hx_strvec_push(&types, t);
			free(t);
		}
		j = kubectl_list(&out, &types, nss.v[i], ctx, tmp, errf) == 0;
		hx_strvec_clear(&types);
		if (!j)
			goto out;
		if (out.len) {
			hx_strbuf_adds(&all, "---\n");
			hx_strbuf_add(&all, out.buf, out.len);
			hx_strbuf_addch(&all, '\n');
		}
	}
	{
		size_t len;
		char *buf = hx_strbuf_detach(&all, &len);

		hx_stream_init_buf(st, "<kubectl get>",
		                   buf ? buf : hx_xstrdup(""), len);
	}
	for (i = 0; i < st->n; i++) {
		const struct hx_node *items;

		if (hx_doc_load(st, &st->docs[i], a) < 0)
			goto out;
		items = st->docs[i].root ? hx_map_get(st->docs[i].root, "items")
		                         : NULL;
		for (j = 0;
		     items && items->kind == HX_SEQ && j < items->u.seq.n;
		     j++) {
			struct obj o;

			/* a cluster-scoped object: no namespace */
			if (!fill(&o, items->u.seq.items[j], ""))
				continue;
			hx_grow(&live->v, &live->alloc, live->n + 1,
			        sizeof(*live->v));
			live->v[live->n++] = o;
		}
	}
	if (live->n > 1)
		qsort(live->v, live->n, sizeof(*live->v), cmp_obj);
	rc = 0;
out:
	if (rc < 0)
		hx_error_prefix("cannot read the live objects: ");
	free(errf);
	hx_strvec_clear(&nss);
	hx_strbuf_release(&out);
	hx_strbuf_release(&all);
	return rc;
}

static struct obj *live_of(struct objs *live, const struct obj *t)
{
	struct obj *l = find(live, t->key);
	char *k;

	if (l)
		return l;
	k = key_of(t->api, t->kind, "", t->name);
	l = find(live, k);
	free(k);
	return l;
}

/* ---- the two sides ------------------------------------------------------- */

/* What the server owns, as helm-diff drops it (deleteStatusAndTidyMetadata). */
static void prune(struct hx_node *root)
{
	static const char *const meta[] = {"managedFields", "generation",
	                                   "creationTimestamp",
	                                   "resourceVersion", "uid"};
	static const char *const notes[] = {
	        "meta.helm.sh/release-name", "meta.helm.sh/release-namespace",
	        "deployment.kubernetes.io/revision"};
	struct hx_node *md = hx_map_get(root, "metadata"), *an;
	size_t i;

	hx_map_remove(root, "status", 6);
	if (!md || md->kind != HX_MAP)
		return;
	for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++)
		hx_map_remove(md, meta[i], strlen(meta[i]));
	an = hx_map_get(md, "annotations");
	if (!an || an->kind != HX_MAP)
		return;
	for (i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		hx_map_remove(an, notes[i], strlen(notes[i]));
	if (!an->u.map.n)
		hx_map_remove(md, "annotations", 11);
}

static void emit_doc(struct hx_strbuf *sb, struct hx_arena *a,
                     struct hx_node *root)
{
	prune(root);
	hx_strbuf_adds(sb, "---\n");
	hx_node_emit(sb, hx_manifest_canonical(a, root, 1));
}

/* The new object: the release's (or, new to the release, the target
 * itself) as original, the target as modified, the live one as current. */
static int merged(struct hx_node **out, struct hx_arena *a,
                  const struct obj *orig, const struct obj *t,
                  const struct obj *l, const struct hx_schemas *schemas)
{
	const char *slash = strchr(t->api, '/');
	struct hx_stype st;
	int merge_only;

	st = slash ? hx_schemas_lookup(schemas, t->api,
	                               (size_t)(slash - t->api), slash + 1,
	                               t->kind)
	           : hx_schemas_lookup(schemas, "", 0, t->api, t->kind);
	/* Helm and helm-diff: a JSON merge patch for kinds without Go types
	 * (custom resources) and for CRDs */
	merge_only = !st.pos || !strcmp(t->kind, "CustomResourceDefinition");
	if (hx_smp_threeway(a, out, orig ? orig->root : t->root, t->root,
	                    l->root, st, merge_only) < 0) {
		hx_error_prefix("%s/%s: ", t->kind, t->name);
		return -1;
	}
	return 0;
}

/* A stream's documents but the replaced ones, as text. */
static void kept(struct hx_strbuf *sb, const struct hx_stream *st,
                 const struct objs *o, size_t si)
{
	size_t j, k = 0;

	for (j = 0; j < st->n; j++) {
		while (k < o->n && (o->v[k].st < si ||
		                    (o->v[k].st == si && o->v[k].doc < j)))
			k++;
		if (k < o->n && o->v[k].st == si && o->v[k].doc == j &&
		    o->v[k].replaced)
			continue;
		if (sb->len && !st->docs[j].explicit_start)
			hx_strbuf_adds(sb, "---\n");
		hx_doc_write(sb, st, &st->docs[j]);
		if (sb->len && sb->buf[sb->len - 1] != '\n')
			hx_strbuf_addch(sb, '\n');
	}
}

/* The streams of a side replaced by text (their names kept). */
static void rebuild(struct hx_streams *s, const struct objs *o,
                    struct hx_strbuf *extra)
{
	struct hx_streams out = HX_STREAMS_INIT;
	size_t i, len;

	for (i = 0; i < s->n; i++) {
		struct hx_strbuf sb = HX_STRBUF_INIT;
		struct hx_stream *n = hx_streams_add(&out);
		char *buf;

		kept(&sb, &s->v[i], o, i);
		if (i + 1 == s->n && extra->len)
			hx_strbuf_add(&sb, extra->buf, extra->len);
		buf = hx_strbuf_detach(&sb, &len);
		hx_stream_init_buf(n, s->v[i].name, buf ? buf : hx_xstrdup(""),
		                   len);
		n->from_chart = s->v[i].from_chart;
	}
	if (!s->n && extra->len) {
		char *buf = hx_strbuf_detach(extra, &len);

		hx_stream_init_buf(hx_streams_add(&out), "<live>", buf, len);
	}
	hx_streams_release(s);
	*s = out;
}

int hx_difflive_threeway(struct hx_streams *olds, struct hx_streams *news,
                         const char *ns, const char *ctx)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct objs rel = {NULL, 0, 0}, tgt = {NULL, 0, 0}, live = {NULL, 0, 0};
	struct hx_stream lst = HX_STREAM_INIT;
	struct hx_schemas schemas = HX_SCHEMAS_INIT;
	struct hx_strbuf oldx = HX_STRBUF_INIT, newx = HX_STRBUF_INIT;
	char *own_ns = NULL;
	size_t i;
	int rc = -1, token = 0;

	if (hx_kubectl_token_env() < 0)
		goto out;
	token = 1;
	if (!ns && !(ns = own_ns = hx_kubectl_default_namespace()))
		goto out;
	if (collect(&rel, olds, ns, &a) < 0 || collect(&tgt, news, ns, &a) < 0)
		goto out;
	if (read_live(&live, &lst, &tgt, ctx, &a) < 0)
		goto out;
	/* sorted for find(); back in stream order for kept() */
	if (rel.n > 1)
		qsort(rel.v, rel.n, sizeof(*rel.v), cmp_obj);
	for (i = 0; i < tgt.n; i++) {
		struct obj *t = &tgt.v[i], *l = live_of(&live, t);
		struct obj *o = find(&rel, t->key);
		struct hx_node *m, *cur;

		/* helm-diff: a release object the new manifest keeps is
		 * shown as the live one, or (gone from the cluster) as new */
		if (o)
			o->replaced = 1;
		if (!l)
			continue;
		if (merged(&m, &a, o, t, l, &schemas) < 0)
			goto out;
		t->replaced = 1;
		cur = hx_node_clone(&a, l->root);
		emit_doc(&oldx, &a, cur);
		emit_doc(&newx, &a, m);
	}
	rc = 0;
out:
	if (rc == 0) {
		if (rel.n > 1)
			qsort(rel.v, rel.n, sizeof(*rel.v), cmp_pos);
		rebuild(olds, &rel, &oldx);
		rebuild(news, &tgt, &newx);
	}
	if (token)
		hx_kubectl_token_env_restore();
	free(own_ns);
	objs_release(&rel);
	objs_release(&tgt);
	objs_release(&live);
	hx_stream_release(&lst);
	hx_schemas_release(&schemas);
	hx_strbuf_release(&oldx);
	hx_strbuf_release(&newx);
	hx_arena_release(&a);
	return rc;
}
