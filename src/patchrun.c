#include "hx/patchrun.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/chartdir.h"
#include "hx/docident.h"
#include "hx/err.h"
#include "hx/jsonpatch.h"
#include "hx/kzxform.h"
#include "hx/patchmeta.h"
#include "hx/patchset.h"
#include "hx/select.h"
#include "hx/smp.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

static int eq(const char *want, const char *have)
{
	return !want || (have && !strcmp(want, have));
}

/* 1 if the document matches t, 0 if not, -1 with the error set. */
static int target_matches(const struct hx_target *t, const struct hx_ident *id,
                          const char *release_ns)
{
	const char *ns = id->ns ? id->ns : release_ns;
	int r;

	if (!id->kind)
		return 0;
	if (t->group &&
	    (!id->api_version || strlen(t->group) != id->group_len ||
	     memcmp(t->group, id->api_version, id->group_len)))
		return 0;
	if (!eq(t->version, id->version))
		return 0;
	if (!t->kind_re && !t->name_re && !t->ns_re &&
	    !(eq(t->kind, id->kind) && eq(t->name, id->name) && eq(t->ns, ns)))
		return 0;
	if (t->kind_re && (r = hx_regex_match(t->kind_re, id->kind)) <= 0)
		return r;
	if (t->name_re &&
	    (r = hx_regex_match(t->name_re, id->name ? id->name : "")) <= 0)
		return r;
	if (t->ns_re && (r = hx_regex_match(t->ns_re, ns ? ns : "")) <= 0)
		return r;
	if (t->labels && !hx_selector_match(t->labels, id->labels))
		return 0;
	return !t->annotations ||
	       hx_selector_match(t->annotations, id->annotations);
}

/* What a run counts per patch: matches, and its first warning. */
struct tally {
	size_t *matches; /* one per patch */
	char **warn;     /* one per patch: owned text, or NULL */
};

/*
 * The first list of obj that patch body replaces whole although it has
 * more than one item (the path into sb), or 0.  Keys that are patch
 * directives ($patch, $retainKeys, ...) are not fields.
 */
static const struct hx_node *replaced_list(struct hx_strbuf *sb,
                                           const struct hx_node *obj,
                                           const struct hx_node *body,
                                           int depth)
{
	const struct hx_node *r;
	size_t i, mark = sb->len;

	if (!obj || obj->kind != HX_MAP || body->kind != HX_MAP || depth > 64)
		return NULL;
	for (i = 0; i < body->u.map.n; i++) {
		const struct hx_node *k = body->u.map.pairs[i].key;
		const struct hx_node *pv = body->u.map.pairs[i].value;
		const struct hx_node *lv;

		if (k->kind != HX_SCALAR || k->u.s.str[0] == '$')
			continue;
		lv = hx_map_getn(obj, k->u.s.str, k->u.s.len);
		if (!lv)
			continue;
		hx_strbuf_addf(sb, "%s%s", mark ? "." : "", k->u.s.str);
		if (pv->kind == HX_SEQ && lv->kind == HX_SEQ &&
		    lv->u.seq.n > 1 && !hx_node_equal(pv, lv))
			return lv;
		if ((r = replaced_list(sb, lv, pv, depth + 1)) != NULL)
			return r;
		sb->len = mark;
		sb->buf[mark] = '\0';
	}
	return NULL;
}

/*
 * A strategic merge on a kind with no schema merges as JSON merge patch
 * does: a list in the patch replaces the whole list.  Where that drops
 * items (a list of more than one), say so once per patch.
 */
static void warn_replaced_list(const struct hx_patch *p, size_t j,
                               struct tally *tl, const struct hx_node *obj)
{
	struct hx_strbuf path = HX_STRBUF_INIT, sb = HX_STRBUF_INIT;
	const struct hx_node *lv;
	char *who;

	if (tl->warn[j] || !(lv = replaced_list(&path, obj, p->body, 0))) {
		hx_strbuf_release(&path);
		return;
	}
	who = hx_doc_ident(obj);
	hx_strbuf_addf(&sb,
	               "%s:%u:%u: strategic merge patch %zu of %s replaces "
	               "the whole list '%s' (%zu items) of %s, a kind with "
	               "no schema: give its CRD with --openapi to merge the "
	               "list by key, or change the item with a JSON patch",
	               p->file, p->where->line, p->where->col, p->index,
	               p->flag, path.buf, lv->u.seq.n, who);
	free(who);
	tl->warn[j] = hx_strbuf_detach(&sb, NULL);
	hx_strbuf_release(&path);
}

static int apply_smp(const struct hx_patchset *ps, struct hx_arena *work,
                     const struct hx_patch *p, struct tally *tl,
                     struct hx_node **obj, const struct hx_ident *id)
{
	struct hx_stype t;

	if (hx_smp_deletes_document(p->body)) {
		*obj = NULL;
		return 0;
	}
	t = hx_schemas_lookup(&ps->schemas,
	                      id->api_version ? id->api_version : "",
	                      id->group_len, id->version ? id->version : "",
	                      id->kind ? id->kind : "");
	if (!t.pos)
		warn_replaced_list(p, (size_t)(p - ps->patches), tl, *obj);
	return hx_smp_apply_owned(work, obj, p->body, t);
}

/*
 * Apply patch p to the object *obj (an owned tree) that it targets; *obj
 * becomes NULL when the patch deletes it.  1 when it applied, 0 when a
 * kustomization key's transformer found nothing to change there, -1 on an
 * error naming the object.
 */
static int apply_patch(const struct hx_patchset *ps, struct hx_arena *work,
                       const struct hx_patch *p, struct tally *tl,
                       struct hx_node **obj, const struct hx_node *orig,
                       const struct hx_ident *id)
{
	char *who;
	int rc;

	if (p->type == HX_PATCH_KZX) {
		rc = hx_kzx_apply(work, *obj, orig, p->kzx);
		if (rc >= 0)
			return rc;
		who = hx_doc_ident(*obj);
		hx_error_suffix(" (%s of %s, %s)", p->flag, p->file, who);
		free(who);
		return -1;
	}
	if (p->type == HX_PATCH_SMP)
		rc = apply_smp(ps, work, p, tl, obj, id);
	else if (p->kustomize)
		rc = hx_jsonpatch_apply_kustomize(work, obj, p->body);
	else
		rc = hx_jsonpatch_apply_owned(work, obj, p->body);
	if (rc < 0) {
		who = hx_doc_ident(*obj);
		hx_error_suffix(" (%s)", who);
		free(who);
		return -1;
	}
	return 1;
}

/*
 * Does p name the list document itself (its target's kind matches the
 * list's kind, as "List")?  Then it patches the list as one document; any
 * other patch reaches its items.
 */
static int targets_list(const struct hx_patchset *ps, const struct hx_patch *p,
                        const struct hx_ident *id)
{
	return p->has_target && p->target.kind &&
	       target_matches(&p->target, id, ps->ns) > 0;
}

/*
 * Patch p on the items of the list document whose items are *items (in
 * the document being patched); the document is cloned from orig at the
 * first item that p targets (*cloned), and *items then points into the
 * clone.  Items of lists inside are objects too.
 */
static int patch_items(const struct hx_patchset *ps, struct hx_arena *work,
                       const struct hx_patch *p, struct tally *tl,
                       struct hx_node **root, const struct hx_node *orig,
                       const size_t *path, size_t depth, int *cloned)
{
	struct hx_node *items = *root, *sub;
	size_t i, d, at[HX_MAX_LIST_DEPTH + 1];
	int rc;

	for (d = 0; d <= depth; d++) {
		items = hx_list_items(items);
		if (d < depth)
			items = items->u.seq.items[path[d]];
	}
	for (d = 0; d < depth; d++)
		at[d] = path[d];
	for (i = 0; i < items->u.seq.n; i++) {
		struct hx_ident id;

		at[depth] = i;
		if ((sub = hx_list_items(items->u.seq.items[i])) != NULL &&
		    depth + 1 < HX_MAX_LIST_DEPTH) {
			if (patch_items(ps, work, p, tl, root, orig, at,
			                depth + 1, cloned) < 0)
				return -1;
			/* the clone may have been made down there */
			items = *root;
			for (d = 0; d <= depth; d++) {
				items = hx_list_items(items);
				if (d < depth)
					items = items->u.seq.items[path[d]];
			}
			continue;
		}
		hx_ident_get(&id, items->u.seq.items[i]);
		if (p->has_target) {
			rc = target_matches(&p->target, &id, ps->ns);
			if (rc < 0)
				return -1;
			if (!rc)
				continue;
		}
		if (!*cloned) {
			*root = hx_node_clone(work, orig);
			*cloned = 1;
			items = *root;
			for (d = 0; d <= depth; d++) {
				items = hx_list_items(items);
				if (d < depth)
					items = items->u.seq.items[path[d]];
			}
			hx_ident_get(&id, items->u.seq.items[i]);
		}
		rc = apply_patch(ps, work, p, tl, &items->u.seq.items[i], NULL,
		                 &id);
		if (rc < 0)
			return -1;
		if (rc > 0)
			tl->matches[p - ps->patches]++;
		if (!items->u.seq.items[i]) { /* $patch: delete */
			hx_seq_remove(items, i);
			i--;
		}
	}
	return 0;
}

/*
 * The document's kind from its top-level "kind:" line (column 0, so it
 * cannot be inside a nested block), or NULL when there is not exactly one
 * such line with a simple value.  new: free() it.
 */
static char *quick_kind(const struct hx_stream *st, const struct hx_doc *d)
{
	const char *p = st->buf + d->off + d->body,
	           *end = st->buf + d->off + d->len;
	const char *found = NULL, *fe = NULL;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		if (le - p > 5 && !memcmp(p, "kind:", 5)) {
			if (found)
				return NULL;
			found = p + 5;
			fe = le;
		}
		p = nl ? nl + 1 : end;
	}
	if (!found)
		return NULL;
	while (found < fe && (*found == ' ' || *found == '\t'))
		found++;
	while (fe > found &&
	       (fe[-1] == ' ' || fe[-1] == '\r' || fe[-1] == '\t'))
		fe--;
	if (found < fe && (*found == '"' || *found == '\'')) {
		if (fe - found < 2 || fe[-1] != *found ||
		    memchr(found, '\\', (size_t)(fe - found)))
			return NULL;
		found++;
		fe--;
	}
	if (found == fe || memchr(found, '#', (size_t)(fe - found)) ||
	    memchr(found, '\'', (size_t)(fe - found)) ||
	    memchr(found, '"', (size_t)(fe - found)))
		return NULL;
	return hx_xstrndup(found, (size_t)(fe - found));
}

/* Could any patch apply to a document of this kind?  -1: error set. */
static int kind_wanted(const struct hx_patchset *ps, const char *kind)
{
	size_t i;
	int r;

	for (i = 0; i < ps->n; i++) {
		const struct hx_target *t = &ps->patches[i].target;

		if (!ps->patches[i].has_target || !t->kind)
			return 1;
		r = t->kind_re ? hx_regex_match(t->kind_re, kind)
		               : !strcmp(t->kind, kind);
		if (r)
			return r;
	}
	return 0;
}

/*
 * Apply every patch that targets the document, in order; re-emit it when
 * it changed.  Reads ps only: trees go to work, match counts to matches.
 */
static int patch_doc(struct hx_patchset *ps, struct hx_arena *work,
                     struct tally *tl, struct hx_stream *st, struct hx_doc *doc)
{
	const struct hx_node *note = NULL, *orig;
	int modified = 0;
	size_t j;

	if (ps->skip & (HX_SKIP_CRDS | HX_SKIP_NOT_CRDS)) {
		int crd = hx_chartdir_is_crd(st, doc);

		if (ps->skip & (crd ? HX_SKIP_CRDS : HX_SKIP_NOT_CRDS))
			return 0;
	}
	if (ps->skip_untargeted) {
		char *kind = quick_kind(st, doc);
		int want = kind ? kind_wanted(ps, kind) : 1;

		/* the items of a list document are objects of any kind */
		if (kind && strlen(kind) >= 4 &&
		    !strcmp(kind + strlen(kind) - 4, "List"))
			want = 1;
		free(kind);
		if (want < 0)
			return -1;
		if (!want)
			return 0;
	}
	hx_arena_reset(work);
	if (hx_doc_load(st, doc, work) < 0)
		return -1;
	if (doc->dup_key && doc->root && ps->n) {
		/* two kinds or names: no target could say which one it is */
		const struct hx_node *k = hx_patchmeta_identity_dup(doc->root);

		if (k) {
			hx_error_set_node(k,
			                  "duplicate key '%s': the document's "
			                  "identity is ambiguous",
			                  k->u.s.str);
			doc->root = NULL;
			return -1;
		}
	}
	if (doc->root && (ps->skip & HX_SKIP_HOOKS) &&
	    hx_map_path(doc->root, "metadata", "annotations", "helm.sh/hook",
	                NULL)) {
		doc->root = NULL;
		return 0;
	}
	if (doc->root && (note = hx_patchmeta_filename_note(doc->root)) != NULL)
		note = hx_node_copy(work, note);
	/* the patches work on one copy, made at the first match: orig stays
	 * the text's tree */
	orig = doc->root;
	for (j = 0; doc->root && j < ps->n; j++) {
		struct hx_patch *p = &ps->patches[j];
		struct hx_ident id;
		int rc;

		hx_ident_get(&id, doc->root);
		if (hx_list_items(doc->root) && !targets_list(ps, p, &id)) {
			if (patch_items(ps, work, p, tl, &doc->root, orig, NULL,
			                0, &modified) < 0) {
				doc->root = NULL;
				return -1;
			}
			continue;
		}
		if (p->has_target) {
			rc = target_matches(&p->target, &id, ps->ns);
			if (rc == 0 && p->kustomize && modified) {
				/* kustomize finds an object by any name it had:
				 * after namespace, namePrefix or nameSuffix
				 * too */
				struct hx_ident was;

				hx_ident_get(&was, orig);
				rc = target_matches(&p->target, &was, ps->ns);
			}
			if (rc < 0)
				return -1;
			if (!rc)
				continue;
		}
		if (doc->dup_key) {
			hx_error_set_node(doc->dup_key,
			                  "duplicate key '%s' in a document to "
			                  "patch",
			                  doc->dup_key->u.s.str);
			return -1;
		}
		if (!modified) {
			doc->root = hx_node_clone(work, orig);
			hx_ident_get(&id, doc->root);
		}
		modified = 1;
		rc = apply_patch(ps, work, p, tl, &doc->root, orig, &id);
		if (rc < 0) {
			doc->root = NULL;
			return -1;
		}
		if (rc > 0)
			tl->matches[j]++;
	}
	if (modified && doc->root)
		hx_patchmeta_stringify(work, doc->root, orig);
	if (modified && note)
		hx_patchmeta_keep_filename_note(work, doc->root, note);
	if (modified)
		hx_doc_rewrite(st, doc, orig);
	doc->root = NULL;
	return 0;
}

struct job {
	struct hx_stream *st;
	struct hx_doc *doc;
};

struct worker {
	struct hx_patchset *ps;
	const struct job *jobs;
	size_t from, to;
	struct hx_arena arena;
	struct tally tl;  /* owned arrays, one entry per patch */
	size_t failed_at; /* job index of the first failure, or (size_t)-1 */
	char *err_head, *err_msg;
	pthread_t tid;
};

static void *work_range(void *arg)
{
	struct worker *w = arg;
	size_t i;

	for (i = w->from; i < w->to; i++)
		if (patch_doc(w->ps, &w->arena, &w->tl, w->jobs[i].st,
		              w->jobs[i].doc) < 0) {
			w->failed_at = i;
			hx_error_save(&w->err_head, &w->err_msg);
			break;
		}
	return NULL;
}

static void collect_tree(struct hx_kzren *r, const struct hx_node *root,
                         int depth)
{
	const struct hx_node *items = hx_list_items(root);
	size_t i;

	if (items && depth < HX_MAX_LIST_DEPTH) {
		for (i = 0; i < items->u.seq.n; i++)
			collect_tree(r, items->u.seq.items[i], depth + 1);
		return;
	}
	if (root->kind == HX_MAP)
		hx_kzren_collect(r, root);
}

/*
 * namespace, namePrefix and nameSuffix rewrite references between
 * documents: before the run, each such transformer notes every object of
 * the render as it is (documents that do not load are left out here and
 * reported by the run).
 */
static void collect_renames(struct hx_patchset *ps, const struct job *jobs,
                            size_t njobs)
{
	struct hx_arena a = HX_ARENA_INIT;
	char *head = NULL, *msg = NULL;
	size_t i, j, want = 0;
	int had;

	for (j = 0; j < ps->n; j++)
		if (ps->patches[j].type == HX_PATCH_KZX &&
		    ps->patches[j].kzx->type == HX_KZX_RENAME) {
			hx_kzren_forget(&ps->patches[j].kzx->ren);
			want = 1;
		}
	if (!want)
		return;
	had = hx_error_is_set();
	if (had)
		hx_error_save(&head, &msg);
	for (i = 0; i < njobs; i++) {
		hx_arena_reset(&a);
		if (hx_doc_load(jobs[i].st, jobs[i].doc, &a) < 0 ||
		    !jobs[i].doc->root)
			continue;
		for (j = 0; j < ps->n; j++)
			if (ps->patches[j].type == HX_PATCH_KZX &&
			    ps->patches[j].kzx->type == HX_KZX_RENAME)
				collect_tree(&ps->patches[j].kzx->ren,
				             jobs[i].doc->root, 0);
		jobs[i].doc->root = NULL;
	}
	if (had)
		hx_error_restore(head, msg);
	else
		hx_error_clear();
	free(head);
	free(msg);
	hx_arena_release(&a);
}

/* Below this much YAML, threads cost more than they save. */
#define PARALLEL_MIN_BYTES (256 * 1024)
#define MAX_WORKERS 4

int hx_patchset_run_streams(struct hx_patchset *ps, struct hx_stream *sts,
                            size_t nstreams)
{
	struct worker w[MAX_WORKERS];
	struct job *jobs = NULL;
	size_t njobs = 0, alloc = 0, bytes = 0, i, j, nw = 1, fail = (size_t)-1;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = 0, first = -1;
	char *warned = hx_xcalloc(ps->n + 1, 1);

	for (i = 0; i < nstreams; i++)
		for (j = 0; j < sts[i].n; j++)
			if (!sts[i].docs[j].empty) {
				hx_grow(&jobs, &alloc, njobs + 1,
				        sizeof(*jobs));
				jobs[njobs].st = &sts[i];
				jobs[njobs++].doc = &sts[i].docs[j];
				bytes += sts[i].docs[j].len;
			}
	collect_renames(ps, jobs, njobs);
	memset(w, 0, sizeof(w));
	if (bytes >= PARALLEL_MIN_BYTES && cpus > 1)
		nw = cpus < MAX_WORKERS ? (size_t)cpus : MAX_WORKERS;
	if (nw > njobs)
		nw = njobs ? njobs : 1;
	/* contiguous ranges of about the same number of bytes */
	for (i = 0, j = 0; i < nw; i++) {
		size_t want = bytes * (i + 1) / nw, have = 0, k;

		memset(&w[i], 0, sizeof(w[i]));
		w[i].ps = ps;
		w[i].jobs = jobs;
		w[i].from = j;
		for (k = 0; k < j; k++)
			have += jobs[k].doc->len;
		while (j < njobs && (have < want || i + 1 == nw)) {
			have += jobs[j].doc->len;
			j++;
		}
		w[i].to = j;
		w[i].tl.matches = hx_xcalloc(ps->n + 1, sizeof(size_t));
		w[i].tl.warn = hx_xcalloc(ps->n + 1, sizeof(char *));
		w[i].failed_at = (size_t)-1;
	}
	for (i = 1; i < nw; i++)
		if (pthread_create(&w[i].tid, NULL, work_range, &w[i]) != 0) {
			/* no thread: do the range here, in order */
			w[i].tid = 0;
		}
	work_range(&w[0]);
	for (i = 1; i < nw; i++) {
		if (w[i].tid)
			pthread_join(w[i].tid, NULL);
		else
			work_range(&w[i]);
	}
	for (i = 0; i < nw; i++) {
		for (j = 0; j < ps->n; j++) {
			ps->patches[j].matches += w[i].tl.matches[j];
			/* the first warning in document order */
			if (w[i].tl.warn[j] && !warned[j]) {
				warned[j] = 1;
				if (!hx_strvec_has(&ps->warnings,
				                   w[i].tl.warn[j]))
					hx_strvec_push(&ps->warnings,
					               w[i].tl.warn[j]);
			}
		}
		if (w[i].failed_at < fail) {
			fail = w[i].failed_at;
			first = (int)i;
		}
	}
	if (first >= 0) {
		hx_error_restore(w[first].err_head, w[first].err_msg);
		rc = -1;
	}
	for (i = 0; i < nw; i++) {
		for (j = 0; j < ps->n; j++)
			free(w[i].tl.warn[j]);
		free(w[i].tl.matches);
		free(w[i].tl.warn);
		free(w[i].err_head);
		free(w[i].err_msg);
		hx_arena_release(&w[i].arena);
	}
	free(jobs);
	free(warned);
	return rc;
}
