#include "hx/patchset.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/err.h"
#include "hx/jsonpatch.h"
#include "hx/kzfile.h"
#include "hx/kzxform.h"
#include "hx/select.h"
#include "hx/smp.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

static void target_release(struct hx_target *t)
{
	free(t->group);
	free(t->version);
	free(t->kind);
	free(t->name);
	free(t->ns);
	hx_regex_free(t->kind_re);
	hx_regex_free(t->name_re);
	hx_regex_free(t->ns_re);
	hx_selector_free(t->labels);
	hx_selector_free(t->annotations);
	memset(t, 0, sizeof(*t));
}

void hx_patchset_release(struct hx_patchset *ps)
{
	size_t i;

	for (i = 0; i < ps->n; i++) {
		target_release(&ps->patches[i].target);
		if (ps->patches[i].kzx) {
			hx_kzx_release(ps->patches[i].kzx);
			free(ps->patches[i].kzx);
		}
	}
	free(ps->patches);
	hx_strvec_clear(&ps->warnings);
	for (i = 0; i < ps->nfiles; i++) {
		hx_stream_release(ps->files[i]);
		free(ps->files[i]);
	}
	free(ps->files);
	free(ps->ns);
	hx_schemas_release(&ps->schemas);
	memset(ps, 0, sizeof(*ps));
}

void hx_patchset_set_namespace(struct hx_patchset *ps, const char *ns)
{
	free(ps->ns);
	ps->ns = ns && *ns ? hx_xstrdup(ns) : NULL;
}

/*
 * A key for a message (a non-string key shown in flow style); the text
 * lives until the next call in this thread.
 */
static const char *key_text(const struct hx_node *k)
{
	static _Thread_local struct hx_strbuf sb = {hx_strbuf_empty, 0, 0};

	hx_strbuf_reset(&sb);
	hx_node_describe(&sb, k);
	return sb.buf;
}

/* Read and parse a whole file, owned by the patchset from now on. */
static struct hx_stream *load_file(struct hx_patchset *ps, const char *path)
{
	struct hx_stream *st = hx_xcalloc(1, sizeof(*st));

	hx_grow(&ps->files, &ps->files_alloc, ps->nfiles + 1,
	        sizeof(*ps->files));
	ps->files[ps->nfiles++] = st;
	if (hx_stream_read(st, path) < 0 || hx_stream_load_all(st) < 0)
		return NULL;
	return st;
}

/* The same for a file that must be regular (a 'path:' entry). */
static struct hx_stream *load_regular_file(struct hx_patchset *ps,
                                           const char *path)
{
	struct hx_stream *st = hx_xcalloc(1, sizeof(*st));
	char *buf;
	size_t len;

	hx_grow(&ps->files, &ps->files_alloc, ps->nfiles + 1,
	        sizeof(*ps->files));
	ps->files[ps->nfiles++] = st;
	if (hx_read_regular_file(&buf, &len, path) < 0)
		return NULL;
	hx_stream_init_buf(st, path, buf, len);
	if (hx_stream_load_all(st) < 0)
		return NULL;
	return st;
}

/*
 * Load the file a patch entry names with 'path:', relative to the patch
 * file; errors point at the path node.
 */
static struct hx_stream *load_relative(struct hx_patchset *ps,
                                       const struct hx_stream *file,
                                       const struct hx_node *path)
{
	struct hx_stream *st;
	char *dir, *full;

	if (path->kind != HX_SCALAR || !path->u.s.len || !hx_node_str(path)) {
		hx_error_set_node(path, "'path' must be a file name");
		return NULL;
	}
	dir = hx_dirname(file->name);
	full = hx_path_join(dir, path->u.s.str);
	free(dir);
	st = load_regular_file(ps, full);
	/* a file that cannot be read is named where the entry names it */
	if (!st)
		hx_error_locate(path->file, path->line, path->col);
	free(full);
	return st;
}

/* Parse text (an inline patch) as a stream owned by the patchset. */
static struct hx_stream *load_text(struct hx_patchset *ps, const char *name,
                                   const char *text, size_t len)
{
	struct hx_stream *st = hx_xcalloc(1, sizeof(*st));

	hx_grow(&ps->files, &ps->files_alloc, ps->nfiles + 1,
	        sizeof(*ps->files));
	ps->files[ps->nfiles++] = st;
	hx_stream_init_buf(st, name, hx_xstrndup(text, len), len);
	if (hx_stream_load_all(st) < 0)
		return NULL;
	return st;
}

static struct hx_patch *new_patch(struct hx_patchset *ps,
                                  enum hx_patch_type type, const char *flag,
                                  const struct hx_stream *file, size_t index,
                                  const struct hx_node *where)
{
	struct hx_patch *p;

	hx_grow(&ps->patches, &ps->alloc, ps->n + 1, sizeof(*ps->patches));
	p = &ps->patches[ps->n++];
	memset(p, 0, sizeof(*p));
	p->type = type;
	p->flag = flag;
	p->file = file->name;
	p->index = index;
	p->where = where;
	return p;
}

static const char *const target_keys[] = {"group",
                                          "version",
                                          "kind",
                                          "name",
                                          "namespace",
                                          "labelSelector",
                                          "annotationSelector",
                                          NULL};

/*
 * Parse a target.  The helm-x format (--json-patch) knows the first five
 * keys and matches them exactly; kustomize's (--patches) adds the selectors
 * and takes kind, name and namespace as anchored regexes.
 */
static int parse_target(struct hx_patch *p, const struct hx_node *n,
                        int kustomize)
{
	struct hx_target *t = &p->target;
	size_t nkeys = kustomize ? 7 : 5, i, j;

	if (n->kind != HX_MAP) {
		hx_error_set_node(n, "'target' must be a mapping");
		return -1;
	}
	for (i = 0; i < n->u.map.n; i++) {
		const struct hx_node *k = n->u.map.pairs[i].key;
		const struct hx_node *v = n->u.map.pairs[i].value;
		const char *key = hx_node_str(k), *val;
		struct hx_regex **re = NULL;
		char **slot;

		for (j = 0; key && j < nkeys; j++)
			if (kustomize ? !strcasecmp(key, target_keys[j])
			              : !strcmp(key, target_keys[j]))
				break;
		if (!key || j == nkeys) {
			hx_error_set_node(k,
			                  "unknown target field '%s' (want "
			                  "group, version, kind, name%s)",
			                  key_text(k),
			                  kustomize ? ", namespace, "
			                              "labelSelector or "
			                              "annotationSelector"
			                            : " or namespace");
			return -1;
		}
		if (v->kind != HX_SCALAR || !hx_node_str(v)) {
			hx_error_set_node(v,
			                  "target field '%s' must be a string "
			                  "(without NUL bytes)",
			                  key);
			return -1;
		}
		if (hx_node_is_null(v) || !v->u.s.len)
			continue;
		val = v->u.s.str;
		switch (j) {
		case 5:
			p->label_text = val;
			if (!(t->labels = hx_selector_parse(val, v)))
				return -1;
			continue;
		case 6:
			p->annotation_text = val;
			if (!(t->annotations = hx_selector_parse(val, v)))
				return -1;
			continue;
		case 0:
			slot = &t->group;
			break;
		case 1:
			slot = &t->version;
			break;
		case 2:
			slot = &t->kind;
			re = &t->kind_re;
			break;
		case 3:
			slot = &t->name;
			re = &t->name_re;
			break;
		default:
			slot = &t->ns;
			re = &t->ns_re;
			break;
		}
		free(*slot);
		*slot = hx_xstrdup(val);
		if (kustomize && re && !(*re = hx_regex_new(val, v)))
			return -1;
	}
	return 0;
}

static int add_json_entry(struct hx_patchset *ps, const struct hx_stream *file,
                          const struct hx_node *e, size_t index)
{
	const struct hx_node *target, *ops, *path;
	struct hx_patch *p;
	size_t i;

	if (e->kind != HX_MAP) {
		hx_error_set_node(e,
		                  "a JSON patch entry must be a mapping with "
		                  "'target' and 'patch' or 'path'");
		return -1;
	}
	for (i = 0; i < e->u.map.n; i++) {
		const char *k = hx_node_str(e->u.map.pairs[i].key);

		if (!k || (strcmp(k, "target") && strcmp(k, "patch") &&
		           strcmp(k, "path"))) {
			hx_error_set_node(
			        e->u.map.pairs[i].key,
			        "unknown field '%s' in a JSON patch "
			        "entry (want target, patch or path)%s",
			        key_text(e->u.map.pairs[i].key),
			        k && !strcmp(k, "op")
			                ? "; a list of operations goes "
			                  "under 'patch:', with a "
			                  "'target:'"
			                : "");
			return -1;
		}
	}
	target = hx_map_get(e, "target");
	ops = hx_map_get(e, "patch");
	path = hx_map_get(e, "path");
	if (ops && path) {
		hx_error_set_node(e, "a JSON patch entry has both 'patch' and "
		                     "'path'");
		return -1;
	}
	if (!ops && !path) {
		hx_error_set_node(e, "a JSON patch entry needs 'patch' or "
		                     "'path'");
		return -1;
	}
	if (path) {
		struct hx_stream *opsfile = load_relative(ps, file, path);

		if (!opsfile)
			return -1;
		if (opsfile->n != 1 || !opsfile->docs[0].root) {
			hx_error_set_at(opsfile->name, 1, 0,
			                "expected one list of operations");
			return -1;
		}
		ops = opsfile->docs[0].root;
	}
	if (hx_jsonpatch_check(ops) < 0)
		return -1;
	p = new_patch(ps, HX_PATCH_JSON, "--json-patch", file, index, e);
	p->body = ops;
	if (target && !hx_node_is_null(target)) {
		p->has_target = 1;
		if (parse_target(p, target, 0) < 0)
			return -1;
	}
	return 0;
}

int hx_patchset_add_jsonpatch_file(struct hx_patchset *ps, const char *path)
{
	struct hx_stream *st = load_file(ps, path);
	size_t i, j, index = 0;

	if (!st)
		return -1;
	for (i = 0; i < st->n; i++) {
		const struct hx_node *root = st->docs[i].root;

		if (!root)
			continue;
		if (root->kind == HX_SEQ) {
			for (j = 0; j < root->u.seq.n; j++)
				if (add_json_entry(ps, st, root->u.seq.items[j],
				                   index++) < 0)
					goto fail;
		} else if (add_json_entry(ps, st, root, index++) < 0) {
			goto fail;
		}
	}
	/* a file of nothing, comments or "---" is a placeholder: no patches */
	return 0;
fail:
	hx_patchset_hint_flag(st, "--json-patch");
	return -1;
}

/*
 * The body a strategic merge patch applies: without its own apiVersion,
 * kind, metadata.name and metadata.namespace, which select the document but
 * never change it (kustomize keeps the original GVK and name too).
 */
static const struct hx_node *smp_body(struct hx_stream *file,
                                      const struct hx_node *doc)
{
	struct hx_node *b = hx_node_copy(&file->arena, doc), *md;

	hx_map_remove(b, "apiVersion", 10);
	hx_map_remove(b, "kind", 4);
	md = hx_map_get(b, "metadata");
	if (md && md->kind == HX_MAP) {
		hx_map_remove(md, "name", 4);
		hx_map_remove(md, "namespace", 9);
		if (!md->u.map.n)
			hx_map_remove(b, "metadata", 8);
	}
	return b;
}

/* The target of a strategic merge patch: its own group, kind and name. */
static int smp_target(struct hx_target *t, const struct hx_node *doc)
{
	const char *av = hx_node_str(hx_map_get(doc, "apiVersion"));
	const char *kind = hx_node_str(hx_map_get(doc, "kind"));
	const char *name =
	        hx_node_str(hx_map_path(doc, "metadata", "name", NULL));
	const char *ns =
	        hx_node_str(hx_map_path(doc, "metadata", "namespace", NULL));
	const char *slash;

	if (!kind || !*kind || !name || !*name) {
		hx_error_set_node(doc, "a strategic merge patch needs 'kind' "
		                       "and 'metadata.name' to find its "
		                       "document");
		return -1;
	}
	if (av) {
		slash = strrchr(av, '/');
		t->group = slash ? hx_xstrndup(av, (size_t)(slash - av))
		                 : hx_xstrdup("");
	}
	t->kind = hx_xstrdup(kind);
	t->name = hx_xstrdup(name);
	if (ns && *ns)
		t->ns = hx_xstrdup(ns);
	return 0;
}

static int add_smp_doc(struct hx_patchset *ps, const struct hx_stream *st,
                       const struct hx_node *doc, size_t index)
{
	struct hx_patch *p;

	if (doc->kind != HX_MAP) {
		hx_error_set_node(doc, "a strategic merge patch must be a "
		                       "mapping");
		return -1;
	}
	p = new_patch(ps, HX_PATCH_SMP, "--strategic-merge-patch", st, index,
	              doc);
	p->body = doc;
	p->has_target = 1;
	return smp_target(&p->target, doc);
}

int hx_patchset_add_smp_file(struct hx_patchset *ps, const char *path)
{
	struct hx_stream *st = load_file(ps, path);
	size_t i, j, index = 0;

	if (!st)
		return -1;
	for (i = 0; i < st->n; i++) {
		const struct hx_node *root = st->docs[i].root;

		if (!root)
			continue;
		if (root->kind != HX_SEQ) {
			if (add_smp_doc(ps, st, root, index++) < 0)
				goto fail;
			continue;
		}
		/* a list of patches, as helmfile's strategicMergePatches */
		for (j = 0; j < root->u.seq.n; j++)
			if (add_smp_doc(ps, st, root->u.seq.items[j], index++) <
			    0)
				goto fail;
	}
	/* a file of nothing, comments or "---" is a placeholder: no patches */
	return 0;
fail:
	hx_patchset_hint_flag(st, "--strategic-merge-patch");
	return -1;
}

/* ---- --patches ------------------------------------------------------ */

/* One patch document of an entry: a list is RFC 6902, a mapping SMP. */
static int add_kz_body(struct hx_patchset *ps, struct hx_stream *file,
                       const struct hx_node *entry, size_t index,
                       const struct hx_node *target, const struct hx_node *body)
{
	struct hx_patch *p;

	if (body->kind == HX_SEQ) {
		if (!target) {
			hx_error_set_node(entry,
			                  "a JSON patch (a list of "
			                  "operations) needs a 'target'");
			return -1;
		}
		if (hx_jsonpatch_check(body) < 0)
			return -1;
		p = new_patch(ps, HX_PATCH_JSON,
		              ps->kz_flag ? ps->kz_flag : "--patches", file,
		              index, entry);
		p->kustomize = 1;
	} else if (body->kind == HX_MAP) {
		p = new_patch(ps, HX_PATCH_SMP,
		              ps->kz_flag ? ps->kz_flag : "--patches", file,
		              index, entry);
		p->kustomize = 1;
		p->body = smp_body(file, body);
		p->has_target = 1;
		if (target)
			return parse_target(p, target, 1);
		return smp_target(&p->target, body);
	} else {
		hx_error_set_node(body, "a patch must be a list of operations "
		                        "or a strategic merge mapping");
		return -1;
	}
	p->body = body;
	p->has_target = 1;
	if (target)
		return parse_target(p, target, 1);
	return smp_target(&p->target, body);
}

/* Does this patchesStrategicMerge string hold YAML rather than a path? */
static int is_inline(const char *s)
{
	return strchr(s, '\n') || strstr(s, ": ");
}

static int add_kz_entry(struct hx_patchset *ps, struct hx_stream *file,
                        const struct hx_node *entry, size_t index, int smp_list)
{
	const struct hx_node *target = NULL, *inline_body = NULL, *path = NULL;
	struct hx_stream *bodies;
	size_t i;

	if (smp_list) {
		/* patchesStrategicMerge: a path or an inline patch */
		if (entry->kind != HX_SCALAR) {
			inline_body = entry;
		} else if (is_inline(entry->u.s.str)) {
			inline_body = entry;
		} else {
			path = entry;
		}
	} else {
		if (entry->kind != HX_MAP) {
			hx_error_set_node(entry, "a patch entry must be a "
			                         "mapping with 'path' or "
			                         "'patch'");
			return -1;
		}
		for (i = 0; i < entry->u.map.n; i++) {
			const char *k = hx_node_str(entry->u.map.pairs[i].key);

			if (!k ||
			    (strcasecmp(k, "path") && strcasecmp(k, "patch") &&
			     strcasecmp(k, "target") &&
			     strcasecmp(k, "options"))) {
				hx_error_set_node(
				        entry->u.map.pairs[i].key,
				        "unknown field '%s' in a patch "
				        "entry (want path, patch, "
				        "target or options)",
				        key_text(entry->u.map.pairs[i].key));
				return -1;
			}
		}
		target = hx_map_get_ci(entry, "target");
		path = hx_map_get_ci(entry, "path");
		inline_body = hx_map_get_ci(entry, "patch");
		if (target && hx_node_is_null(target))
			target = NULL;
		if (path && inline_body) {
			hx_error_set_node(entry,
			                  "a patch entry has both 'path' "
			                  "and 'patch'");
			return -1;
		}
		if (!path && !inline_body) {
			hx_error_set_node(entry,
			                  "a patch entry needs 'path' or "
			                  "'patch'");
			return -1;
		}
	}
	if (path) {
		bodies = load_relative(ps, file, path);
	} else if (inline_body->kind == HX_SCALAR) {
		struct hx_strbuf name = HX_STRBUF_INIT;

		hx_strbuf_addf(&name, "%s:%u (inline patch)", file->name,
		               inline_body->line);
		bodies = load_text(ps, name.buf, inline_body->u.s.str,
		                   inline_body->u.s.len);
		hx_strbuf_release(&name);
	} else {
		return add_kz_body(ps, file, entry, index, target, inline_body);
	}
	if (!bodies)
		return -1;
	/* an empty patch file adds nothing, as in kustomize */
	for (i = 0; i < bodies->n; i++)
		if (bodies->docs[i].root &&
		    add_kz_body(ps, file, entry, index, target,
		                bodies->docs[i].root) < 0)
			return -1;
	return 0;
}

/* One transformer of a kustomization key, in the patch list. */
static int add_kzx(struct hx_patchset *ps, struct hx_stream *file,
                   enum hx_kzx_type type, const struct hx_node *v, size_t index,
                   const char *flag)
{
	struct hx_patch *p = new_patch(ps, HX_PATCH_KZX, flag, file, index, v);

	p->kzx = hx_xcalloc(1, sizeof(*p->kzx));
	p->kustomize = 1;
	return hx_kzx_parse(p->kzx, type, v);
}

/* namespace, namePrefix and nameSuffix, as one transformer */
static int add_rename(struct hx_patchset *ps, struct hx_stream *file,
                      const struct hx_node *root)
{
	const struct hx_node *ns = hx_map_get_ci(root, "namespace");
	const struct hx_node *pre = hx_map_get_ci(root, "namePrefix");
	const struct hx_node *suf = hx_map_get_ci(root, "nameSuffix");
	const struct hx_node *where;
	struct hx_patch *p;

	ns = ns && !hx_node_is_null(ns) ? ns : NULL;
	pre = pre && !hx_node_is_null(pre) ? pre : NULL;
	suf = suf && !hx_node_is_null(suf) ? suf : NULL;
	if (!ns && !pre && !suf)
		return 0;
	where = ns ? ns : pre ? pre : suf;
	p = new_patch(ps, HX_PATCH_KZX,
	              ns    ? "namespace"
	              : pre ? "namePrefix"
	                    : "nameSuffix",
	              file, 0, where);
	p->kzx = hx_xcalloc(1, sizeof(*p->kzx));
	p->kustomize = 1;
	return hx_kzx_parse_rename(p->kzx, ns, pre, suf);
}

/* The list under key (NULL when absent), or -1 when it is no list. */
static int kz_list(const struct hx_node *root, const char *key,
                   const struct hx_node **out)
{
	const struct hx_node *l = hx_map_get_ci(root, key);

	*out = l && !hx_node_is_null(l) ? l : NULL;
	if (*out && l->kind != HX_SEQ) {
		hx_error_set_node(l, "'%s' must be a list", key);
		return -1;
	}
	return 0;
}

/* Each entry of the list under key, as one transformer. */
static int add_kzx_list(struct hx_patchset *ps, struct hx_stream *file,
                        const struct hx_node *root, const char *key,
                        enum hx_kzx_type type, const char *flag)
{
	const struct hx_node *l;
	size_t i;

	if (kz_list(root, key, &l) < 0)
		return -1;
	for (i = 0; l && i < l->u.seq.n; i++)
		if (add_kzx(ps, file, type, l->u.seq.items[i], i, flag) < 0)
			return -1;
	return 0;
}

static int add_patch_list(struct hx_patchset *ps, struct hx_stream *file,
                          const struct hx_node *root, const char *key,
                          int smp_list, size_t *index)
{
	const struct hx_node *l;
	size_t i;

	if (kz_list(root, key, &l) < 0)
		return -1;
	for (i = 0; l && i < l->u.seq.n; i++)
		if (add_kz_entry(ps, file, l->u.seq.items[i], (*index)++,
		                 smp_list) < 0)
			return -1;
	return 0;
}

int hx_patchset_add_patches_file(struct hx_patchset *ps, const char *path)
{
	struct hx_stream *st = load_file(ps, path);
	const struct hx_node *root = NULL, *v;
	size_t i, index = 0, before;

	if (!st)
		return -1;
	for (i = 0; i < st->n && !root; i++)
		root = st->docs[i].root;
	if (!root) /* nothing, comments or "---": a placeholder */
		return 0;
	if (root->kind == HX_SEQ) {
		for (i = 0; i < root->u.seq.n; i++)
			if (add_kz_entry(ps, st, root->u.seq.items[i], index++,
			                 0) < 0) {
				hx_patchset_hint_flag(st, "--patches");
				return -1;
			}
		return 0;
	}
	if (hx_patchset_is_object(root)) {
		hx_error_set_node(root,
		                  "an object is no kustomization: give a "
		                  "strategic merge patch to "
		                  "--strategic-merge-patch, or put it under "
		                  "'patches: [{patch: ...}]'");
		return -1;
	}
	if (root->kind == HX_MAP &&
	    !hx_map_get_ci(root, "patchesStrategicMerge") &&
	    !hx_map_get_ci(root, "patches") &&
	    !hx_map_get_ci(root, "patchesJson6902") &&
	    (hx_map_get_ci(root, "patch") || hx_map_get_ci(root, "path")))
		/* a single entry, as chartify takes it */
		return add_kz_entry(ps, st, root, 0, 0);
	if (root->kind != HX_MAP) {
		hx_error_set_node(root, "a --patches file must be a list of "
		                        "patch entries or a kustomization");
		return -1;
	}
	if (hx_kzfile_check_keys(&ps->warnings, root) < 0)
		return -1;
	before = ps->n;
	/* kustomize's order of its built-in transformers */
	if (add_patch_list(ps, st, root, "patchesStrategicMerge", 1, &index) <
	            0 ||
	    add_patch_list(ps, st, root, "patches", 0, &index) < 0 ||
	    add_rename(ps, st, root) < 0 ||
	    add_kzx_list(ps, st, root, "labels", HX_KZX_LABELS, "labels") < 0)
		return -1;
	v = hx_map_get_ci(root, "commonLabels");
	if (v && !hx_node_is_null(v) &&
	    add_kzx(ps, st, HX_KZX_COMMON_LABELS, v, 0, "commonLabels") < 0)
		return -1;
	v = hx_map_get_ci(root, "commonAnnotations");
	if (v && !hx_node_is_null(v) &&
	    add_kzx(ps, st, HX_KZX_ANNOTATIONS, v, 0, "commonAnnotations") < 0)
		return -1;
	if (add_patch_list(ps, st, root, "patchesJson6902", 0, &index) < 0 ||
	    add_kzx_list(ps, st, root, "replicas", HX_KZX_REPLICAS,
	                 "replicas") < 0 ||
	    add_kzx_list(ps, st, root, "images", HX_KZX_IMAGE, "images") < 0)
		return -1;
	if (ps->n == before && !hx_map_get_ci(root, "patches") &&
	    !hx_map_get_ci(root, "patchesStrategicMerge") &&
	    !hx_map_get_ci(root, "patchesJson6902")) {
		hx_error_set_node(
		        root, "no 'patches' list (nor patchesStrategicMerge, "
		              "patchesJson6902 or another key helm-x "
		              "applies); for no patches, leave the file "
		              "empty or write 'patches: []'");
		return -1;
	}
	return 0;
}

int hx_patchset_add_kustomize_node(struct hx_patchset *ps, struct hx_stream *st,
                                   const struct hx_node *kz)
{
	size_t index = 0;

	/* kustomize's order, as a kustomization of these keys runs */
	return add_patch_list(ps, st, kz, "patchesStrategicMerge", 1, &index) <
	                               0 ||
	                       add_patch_list(ps, st, kz, "patches", 0,
	                                      &index) < 0 ||
	                       add_patch_list(ps, st, kz, "patchesJson6902", 0,
	                                      &index) < 0 ||
	                       add_kzx_list(ps, st, kz, "images", HX_KZX_IMAGE,
	                                    "images") < 0
	               ? -1
	               : 0;
}

int hx_patchset_add_metadata(struct hx_patchset *ps, struct hx_stream *st,
                             int annotations, const struct hx_node *pairs,
                             const char *what)
{
	struct hx_patch *p = new_patch(ps, HX_PATCH_KZX, what, st, 0, pairs);

	p->kzx = hx_xcalloc(1, sizeof(*p->kzx));
	p->kustomize = 1;
	p->any_render = 1;
	return hx_kzx_parse_metadata(
	        p->kzx, annotations ? HX_KZX_ANNOTATIONS : HX_KZX_LABELS, pairs,
	        what);
}

int hx_patchset_add_openapi(struct hx_patchset *ps, const char *path)
{
	return hx_schemas_add_openapi(&ps->schemas, path);
}
