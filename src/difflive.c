/*
 * helm x diff --three-way-merge (difflive.h): the release side becomes the
 * live objects, the new side what the upgrade leaves of them.
 */
#include "hx/difflive.h"

#include <pthread.h>
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
#include "hx/strbuf.h"
#include "hx/strvec.h"
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
			/* "a b" could not be read (nor installed) */
			if (!hx_kubectl_dns_label(o.ns)) {
				hx_error_set(
				        "%s/%s: namespace '%s' is no DNS "
				        "label, which the API server wants",
				        o.kind, o.name, o.ns);
				free(o.ns);
				free(o.key);
				return -1;
			}
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

/* What to read: "NS TYPE" entries and how many objects each has. */
struct want {
	struct hx_strvec v;
	size_t *count;
	size_t alloc;
};

static void want_release(struct want *w)
{
	hx_strvec_clear(&w->v);
	free(w->count);
	memset(w, 0, sizeof(*w));
}

/*
 * What is read of the cluster: the release's objects, loaded and keyed,
 * and the live objects of their kinds, which kubectl reads on a thread of
 * its own while the chart renders (hx_difflive_start).
 */
struct hx_difflive {
	struct hx_arena a; /* rel's trees */
	struct objs rel;   /* the release's objects, sorted by key */
	int have_rel;
	char *ns;           /* owned: where objects without a namespace are */
	struct hx_arena la; /* the live trees (the reading thread's) */
	struct objs live;   /* sorted by key */
	struct hx_streams lists; /* kubectl's output, one stream per call */
	struct hx_strvec asked;  /* "NS TYPE": read, or not served */
	struct want want;        /* the thread's: what to read */
	const char *ctx, *tmp;
	pthread_t tid;
	int started, rc;
};

/* "NS TYPE" of every object of o not read yet, in order. */
static void wanted(struct want *out, const struct objs *o,
                   const struct hx_strvec *asked)
{
	size_t i, k;

	for (i = 0; i < o->n; i++) {
		struct hx_strbuf sb = HX_STRBUF_INIT;
		char *t = type_of(&o->v[i]);

		hx_strbuf_addf(&sb, "%s %s", o->v[i].ns, t);
		free(t);
		if (hx_strvec_has(asked, sb.buf)) {
			hx_strbuf_release(&sb);
			continue;
		}
		for (k = out->v.n; k > 0; k--)
			if (!strcmp(out->v.v[k - 1], sb.buf))
				break;
		if (!k) {
			hx_strvec_push(&out->v, sb.buf);
			hx_grow(&out->count, &out->alloc, out->v.n,
			        sizeof(*out->count));
			out->count[out->v.n - 1] = 0;
			k = out->v.n;
		}
		out->count[k - 1]++;
		hx_strbuf_release(&sb);
	}
}

/* map's key set to value, unless the key is there. */
static void set_missing(struct hx_arena *a, struct hx_node *map,
                        const char *key, const char *value)
{
	if (!hx_map_get(map, key))
		hx_map_set(a, map, key, strlen(key),
		           hx_node_new_scalar(a, value, strlen(value),
		                              HX_STYLE_ANY));
}

/* The objects of kubectl's lists (one JSON document each) into L->live. */
static int add_lists(struct hx_difflive *L, char *buf, size_t len,
                     const char *api, const char *kind)
{
	struct hx_stream *st = hx_streams_add(&L->lists);
	size_t i, j;

	hx_stream_init_buf(st, "<kubectl get>", buf, len);
	for (i = 0; i < st->n; i++) {
		const struct hx_node *items;

		if (hx_doc_load(st, &st->docs[i], &L->la) < 0)
			return -1;
		items = st->docs[i].root ? hx_map_get(st->docs[i].root, "items")
		                         : NULL;
		for (j = 0;
		     items && items->kind == HX_SEQ && j < items->u.seq.n;
		     j++) {
			struct hx_node *it = items->u.seq.items[j];
			struct obj o;

			/* the API server's lists leave them out of items */
			if (api && it->kind == HX_MAP) {
				set_missing(&L->la, it, "apiVersion", api);
				set_missing(&L->la, it, "kind", kind);
			}
			/* a cluster-scoped object: no namespace */
			if (!fill(&o, it, ""))
				continue;
			hx_grow(&L->live.v, &L->live.alloc, L->live.n + 1,
			        sizeof(*L->live.v));
			L->live.v[L->live.n++] = o;
		}
	}
	return 0;
}

/*
 * kubectl get decodes what it reads at about 0.13 ms an object (0.4 s for
 * 3000), and a call of its own costs about 80 ms: a built-in kind with
 * RAW_MIN objects or more in a namespace is read with kubectl get --raw
 * on its list's path (hx_kubectl_raw_path), which kubectl hands over as
 * the server sent it.
 */
#define RAW_MIN 500

/* The raw reads of a read_live, made one after another on a thread of
 * their own while the lists already in are loaded. */
struct raw_reads {
	struct raw_read {
		size_t want; /* its entry */
		struct hx_strbuf path, api, kind, out;
		int rc, done;
	} * v;
	size_t n, alloc;
	const char *ctx, *errf;
	pthread_mutex_t lock;
	pthread_cond_t cond;
};

static void *raw_run(void *arg)
{
	struct raw_reads *r = arg;
	size_t i;

	for (i = 0; i < r->n; i++) {
		struct raw_read *x = &r->v[i];
		int rc = hx_kubectl_raw(&x->out, x->path.buf, r->ctx, r->errf);

		pthread_mutex_lock(&r->lock);
		x->rc = rc;
		x->done = 1;
		pthread_cond_signal(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
	/* whatever failed (kubectl missing, a kind not served): kubectl get
	 * reads the kind again and says */
	hx_error_release();
	return NULL;
}

/* The big built-in kinds of want, to read raw. */
static void raw_plan(struct raw_reads *r, const struct want *want)
{
	size_t i;

	for (i = 0; i < want->v.n; i++) {
		const char *e = want->v.v[i], *sp = strchr(e, ' ');
		char *ns = hx_xstrndup(e, (size_t)(sp - e));
		struct raw_read *x;

		hx_grow(&r->v, &r->alloc, r->n + 1, sizeof(*r->v));
		x = &r->v[r->n];
		memset(x, 0, sizeof(*x));
		x->want = i;
		if (want->count[i] >= RAW_MIN &&
		    hx_kubectl_raw_path(&x->path, &x->api, &x->kind, ns,
		                        sp + 1))
			r->n++;
		else {
			hx_strbuf_release(&x->path);
			hx_strbuf_release(&x->api);
			hx_strbuf_release(&x->kind);
		}
		free(ns);
	}
}

static void raw_release(struct raw_reads *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		hx_strbuf_release(&r->v[i].path);
		hx_strbuf_release(&r->v[i].api);
		hx_strbuf_release(&r->v[i].kind);
		hx_strbuf_release(&r->v[i].out);
	}
	free(r->v);
}

/* kubectl get of want's entries with skip[i] == 0, one call per
 * namespace, into all. */
static int read_rest(struct hx_strbuf *all, struct hx_difflive *L,
                     const struct want *want, const char *skip,
                     const char *errf)
{
	struct hx_strvec nss = HX_STRVEC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	size_t i, j;
	int rc = 0;

	for (i = 0; i < want->v.n; i++) {
		char *ns;

		if (skip[i])
			continue;
		ns = hx_xstrndup(want->v.v[i], strcspn(want->v.v[i], " "));
		if (!hx_strvec_has(&nss, ns))
			hx_strvec_push(&nss, ns);
		free(ns);
	}
	for (i = 0; rc == 0 && i < nss.n; i++) {
		struct hx_strvec types = HX_STRVEC_INIT;
		size_t nl = strlen(nss.v[i]);

		for (j = 0; j < want->v.n; j++)
			if (!skip[j] && !strncmp(want->v.v[j], nss.v[i], nl) &&
			    want->v.v[j][nl] == ' ')
				hx_strvec_push(&types, want->v.v[j] + nl + 1);
		rc = hx_kubectl_list(&out, &types, nss.v[i], L->ctx, L->tmp,
		                     errf);
		hx_strvec_clear(&types);
		if (rc == 0 && out.len) {
			hx_strbuf_adds(all, "---\n");
			hx_strbuf_add(all, out.buf, out.len);
			hx_strbuf_addch(all, '\n');
		}
	}
	hx_strvec_clear(&nss);
	hx_strbuf_release(&out);
	return rc;
}

/*
 * The live objects of the kinds of want ("NS TYPE"), in each namespace:
 * the big built-in kinds raw, one after another on a thread of their own
 * (each list is loaded while the next is read; side by side they were
 * slower on two cores, with helm rendering at the same time), the rest
 * in one kubectl get per namespace meanwhile; a raw read that failed
 * goes to kubectl get, which says why.
 */
static int read_live(struct hx_difflive *L, const struct want *want)
{
	struct hx_strbuf all = HX_STRBUF_INIT;
	char *errf = hx_path_join(L->tmp, "kubectl-get.err");
	char *rawf = hx_path_join(L->tmp, "kubectl-raw.err");
	char *skip = hx_xcalloc(want->v.n + 1, 1);
	struct raw_reads r;
	pthread_t tid;
	int started = 0, rc = -1, failed = 0;
	size_t i, len;

	memset(&r, 0, sizeof(r));
	r.ctx = L->ctx;
	r.errf = rawf;
	pthread_mutex_init(&r.lock, NULL);
	pthread_cond_init(&r.cond, NULL);
	raw_plan(&r, want);
	if (r.n) {
		started = pthread_create(&tid, NULL, raw_run, &r) == 0;
		if (!started)
			raw_run(&r);
	}
	for (i = 0; i < r.n; i++)
		skip[r.v[i].want] = 1;
	if (read_rest(&all, L, want, skip, errf) < 0)
		goto out;
	for (i = 0; i < r.n; i++) {
		struct raw_read *x = &r.v[i];
		char *buf;

		pthread_mutex_lock(&r.lock);
		while (!x->done)
			pthread_cond_wait(&r.cond, &r.lock);
		pthread_mutex_unlock(&r.lock);
		if (x->rc) {
			failed = 1;
			continue;
		}
		buf = hx_strbuf_detach(&x->out, &len);
		if (add_lists(L, buf ? buf : hx_xstrdup(""), len, x->api.buf,
		              x->kind.buf) < 0)
			goto out;
	}
	/* the kinds whose raw read failed, and only those, by kubectl get */
	if (failed) {
		memset(skip, 1, want->v.n);
		for (i = 0; i < r.n; i++)
			if (r.v[i].rc)
				skip[r.v[i].want] = 0;
		if (read_rest(&all, L, want, skip, errf) < 0)
			goto out;
	}
	/* a kind kubectl dropped is not served: asked all the same */
	for (i = 0; i < want->v.n; i++)
		hx_strvec_push(&L->asked, want->v.v[i]);
	{
		char *buf = hx_strbuf_detach(&all, &len);

		if (add_lists(L, buf ? buf : hx_xstrdup(""), len, NULL, NULL) <
		    0)
			goto out;
	}
	if (L->live.n > 1)
		qsort(L->live.v, L->live.n, sizeof(*L->live.v), cmp_obj);
	rc = 0;
out:
	if (rc < 0)
		hx_error_prefix("cannot read the live objects: ");
	if (started)
		pthread_join(tid, NULL);
	pthread_mutex_destroy(&r.lock);
	pthread_cond_destroy(&r.cond);
	raw_release(&r);
	free(errf);
	free(rawf);
	free(skip);
	hx_strbuf_release(&all);
	return rc;
}

static void *read_ahead(void *arg)
{
	struct hx_difflive *L = arg;

	L->rc = read_live(L, &L->want);
	/* the main thread reads again and reports what fails */
	hx_error_release();
	return NULL;
}

static void live_reset(struct hx_difflive *L)
{
	objs_release(&L->live);
	hx_streams_release(&L->lists);
	hx_arena_release(&L->la);
	hx_strvec_clear(&L->asked);
}

/* Wait for the read ahead; what it could not read is read again. */
static void read_ahead_join(struct hx_difflive *L)
{
	if (!L->started)
		return;
	pthread_join(L->tid, NULL);
	L->started = 0;
	if (L->rc < 0)
		live_reset(L);
}

/* The namespace objects without one are in, and the release's objects. */
static int read_release(struct hx_difflive *L, struct hx_streams *olds,
                        const char *ns)
{
	L->ns = ns ? hx_xstrdup(ns) : hx_kubectl_default_namespace();
	if (!L->ns || collect(&L->rel, olds, L->ns, &L->a) < 0)
		return -1;
	if (L->rel.n > 1)
		qsort(L->rel.v, L->rel.n, sizeof(*L->rel.v), cmp_obj);
	L->have_rel = 1;
	return 0;
}

struct hx_difflive *hx_difflive_start(struct hx_streams *olds, const char *ns,
                                      const char *ctx, const char *tmp)
{
	struct hx_difflive *L = hx_xcalloc(1, sizeof(*L));
	const char *token = getenv("HELM_KUBETOKEN");

	L->ctx = ctx;
	L->tmp = tmp;
	/* a token is handed to kubectl through KUBECONFIG, which helm must
	 * not see: then everything is read once the chart is rendered */
	if ((token && *token) || read_release(L, olds, ns) < 0) {
		/* on the release's thread, which may end without an error */
		hx_error_release();
		hx_difflive_free(L);
		return NULL;
	}
	wanted(&L->want, &L->rel, &L->asked);
	if (!L->want.v.n)
		return L;
	L->started = pthread_create(&L->tid, NULL, read_ahead, L) == 0;
	if (!L->started)
		read_ahead(L);
	return L;
}

static void difflive_release(struct hx_difflive *L)
{
	read_ahead_join(L);
	live_reset(L);
	objs_release(&L->rel);
	hx_arena_release(&L->a);
	want_release(&L->want);
	free(L->ns);
}

void hx_difflive_free(struct hx_difflive *L)
{
	if (!L)
		return;
	difflive_release(L);
	free(L);
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
                         const char *ns, const char *ctx,
                         struct hx_difflive *ahead)
{
	struct hx_arena a = HX_ARENA_INIT, work = HX_ARENA_INIT;
	struct hx_difflive own, *L = ahead;
	struct objs tgt = {NULL, 0, 0};
	struct hx_schemas schemas = HX_SCHEMAS_INIT;
	struct hx_strbuf oldx = HX_STRBUF_INIT, newx = HX_STRBUF_INIT;
	struct want more;
	size_t i;
	int rc = -1, token = 0;

	memset(&more, 0, sizeof(more));

	if (!L) {
		memset(&own, 0, sizeof(own));
		L = &own;
		L->ctx = ctx;
		if (!(L->tmp = hx_tmpdir_create(0)))
			goto out;
	}
	if (hx_kubectl_token_env() < 0)
		goto out;
	token = 1;
	if (!L->have_rel && read_release(L, olds, ns) < 0)
		goto out;
	/* the new objects load while kubectl may still be reading */
	if (collect(&tgt, news, L->ns, &a) < 0)
		goto out;
	read_ahead_join(L);
	/* kinds and namespaces the release did not have (or all, without
	 * the read ahead) */
	wanted(&more, &tgt, &L->asked);
	if (more.v.n && read_live(L, &more) < 0)
		goto out;
	for (i = 0; i < tgt.n; i++) {
		struct obj *t = &tgt.v[i], *l = live_of(&L->live, t);
		struct obj *o = find(&L->rel, t->key);
		struct hx_node *m, *cur;

		/* helm-diff: a release object the new manifest keeps is
		 * shown as the live one, or (gone from the cluster) as new */
		if (o)
			o->replaced = 1;
		if (!l)
			continue;
		/* each object's merge, copies and canonical forms live in
		 * work until written: its memory is used again */
		hx_arena_reset(&work);
		if (merged(&m, &work, o, t, l, &schemas) < 0)
			goto out;
		t->replaced = 1;
		cur = hx_node_clone(&work, l->root);
		emit_doc(&oldx, &work, cur);
		emit_doc(&newx, &work, m);
	}
	rc = 0;
out:
	if (rc == 0) {
		if (L->rel.n > 1)
			qsort(L->rel.v, L->rel.n, sizeof(*L->rel.v), cmp_pos);
		rebuild(olds, &L->rel, &oldx);
		rebuild(news, &tgt, &newx);
	}
	if (token)
		hx_kubectl_token_env_restore();
	if (L == &own)
		difflive_release(L);
	objs_release(&tgt);
	want_release(&more);
	hx_schemas_release(&schemas);
	hx_strbuf_release(&oldx);
	hx_strbuf_release(&newx);
	hx_arena_release(&a);
	hx_arena_release(&work);
	return rc;
}
