/*
 * kustomize's per-object transformers (kzxform.h).  Where each one writes
 * is a list of field specs: a kind (with an optional group and version)
 * and a slash-separated path; a sequence met on the way is walked item by
 * item, a "name[]" step only looks, and "create" makes the missing maps
 * (and the last field) on the way, as kustomize's fieldspec filter does.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hx/err.h"
#include "hx/kzxform.h"
#include "hx/node.h"
#include "hx/select.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

struct fspec {
	const char *group, *version, *kind, *path;
	int create;
};

/* the pod template of each workload kind */
#define TEMPLATES(what)                                                        \
	{NULL, "v1", "ReplicationController", "spec/template/metadata/" what,  \
	 1},                                                                   \
	        {NULL, NULL, "Deployment", "spec/template/metadata/" what, 1}, \
	        {NULL, NULL, "ReplicaSet", "spec/template/metadata/" what, 1}, \
	        {NULL, NULL, "DaemonSet", "spec/template/metadata/" what, 1},  \
	        {"apps", NULL, "StatefulSet", "spec/template/metadata/" what,  \
	         1},                                                           \
	        {"batch", NULL, "Job", "spec/template/metadata/" what, 1},     \
	        {"batch", NULL, "CronJob", "spec/jobTemplate/metadata/" what,  \
	         1},                                                           \
	{                                                                      \
		"batch", NULL, "CronJob",                                      \
		        "spec/jobTemplate/spec/template/metadata/" what, 1     \
	}

static const struct fspec metadata_labels[] = {
        {NULL, NULL, NULL, "metadata/labels", 1}};
/* (kustomize 5.7, kubectl's, counts the claim templates among the
 * templates; later ones keep them apart: includeVolumeClaimTemplates) */
static const struct fspec template_labels[] = {
        TEMPLATES("labels"),
        {"apps", NULL, "StatefulSet",
         "spec/volumeClaimTemplates[]/metadata/labels", 1}};
static const struct fspec claim_labels[] = {
        {"apps", NULL, "StatefulSet",
         "spec/volumeClaimTemplates[]/metadata/labels", 1}};
static const struct fspec annotations[] = {
        {NULL, NULL, NULL, "metadata/annotations", 1},
        TEMPLATES("annotations")};

/* the pod affinity terms and spread constraints that select the pods */
#define POD_SELECTORS(kind)                                                    \
	{"apps", NULL, kind,                                                   \
	 "spec/template/spec/affinity/podAffinity/"                            \
	 "preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/"    \
	 "labelSelector/matchLabels",                                          \
	 0},                                                                   \
	        {"apps", NULL, kind,                                           \
	         "spec/template/spec/affinity/podAffinity/"                    \
	         "requiredDuringSchedulingIgnoredDuringExecution/"             \
	         "labelSelector/matchLabels",                                  \
	         0},                                                           \
	        {"apps", NULL, kind,                                           \
	         "spec/template/spec/affinity/podAntiAffinity/"                \
	         "preferredDuringSchedulingIgnoredDuringExecution/"            \
	         "podAffinityTerm/labelSelector/matchLabels",                  \
	         0},                                                           \
	        {"apps", NULL, kind,                                           \
	         "spec/template/spec/affinity/podAntiAffinity/"                \
	         "requiredDuringSchedulingIgnoredDuringExecution/"             \
	         "labelSelector/matchLabels",                                  \
	         0},                                                           \
	{                                                                      \
		"apps", NULL, kind,                                            \
		        "spec/template/spec/topologySpreadConstraints/"        \
		        "labelSelector/matchLabels",                           \
		        0                                                      \
	}

static const struct fspec selectors[] = {
        {NULL, "v1", "Service", "spec/selector", 1},
        {NULL, "v1", "ReplicationController", "spec/selector", 1},
        {NULL, NULL, "Deployment", "spec/selector/matchLabels", 1},
        POD_SELECTORS("Deployment"),
        {NULL, NULL, "ReplicaSet", "spec/selector/matchLabels", 1},
        {NULL, NULL, "DaemonSet", "spec/selector/matchLabels", 1},
        {"apps", NULL, "StatefulSet", "spec/selector/matchLabels", 1},
        POD_SELECTORS("StatefulSet"),
        {"batch", NULL, "Job", "spec/selector/matchLabels", 0},
        {"batch", NULL, "CronJob", "spec/jobTemplate/spec/selector/matchLabels",
         0},
        {"policy", NULL, "PodDisruptionBudget", "spec/selector/matchLabels", 0},
        {"networking.k8s.io", NULL, "NetworkPolicy",
         "spec/podSelector/matchLabels", 0},
        {"networking.k8s.io", NULL, "NetworkPolicy",
         "spec/ingress/from/podSelector/matchLabels", 0},
        {"networking.k8s.io", NULL, "NetworkPolicy",
         "spec/egress/to/podSelector/matchLabels", 0},
};

/* images: besides every containers/initContainers list (below) */
/*
 * images: after every containers/initContainers list (walk_containers),
 * these field specs, as kustomize runs both: a tagSuffix is appended twice
 * to the containers of a pod or a pod template, once to a CronJob's, as
 * kustomize does.  (kustomize's images transformer never makes a missing
 * field.)
 */
static const struct fspec image_fields[] = {
        {NULL, NULL, NULL, "spec/containers[]/image", 0},
        {NULL, NULL, NULL, "spec/initContainers[]/image", 0},
        {NULL, NULL, NULL, "spec/template/spec/containers[]/image", 0},
        {NULL, NULL, NULL, "spec/template/spec/initContainers[]/image", 0},
        {NULL, NULL, NULL, "spec/volumes[]/image/reference", 0},
        {NULL, NULL, NULL, "spec/template/spec/volumes[]/image/reference", 0},
};

static const char *const replica_kinds[] = {
        "Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* ---- parsing ---------------------------------------------------------- */

static const char *string_of(const struct hx_node *v, const char *what)
{
	if (!v || v->kind != HX_SCALAR ||
	    hx_node_resolve(v, NULL, NULL) != HX_TYPE_STR) {
		hx_error_set_node(v, "%s must be a string (quote it)", what);
		return NULL;
	}
	return v->u.s.str;
}

static int check_pairs(const struct hx_node *m, const char *key)
{
	size_t i;

	if (!m || m->kind != HX_MAP) {
		hx_error_set_node(
		        m, "'%s' must be a mapping of names to values", key);
		return -1;
	}
	for (i = 0; i < m->u.map.n; i++) {
		struct hx_strbuf sb = HX_STRBUF_INIT;
		const struct hx_node *k = m->u.map.pairs[i].key;
		int bad;

		hx_strbuf_addf(&sb, "the value of '%s' in '%s'",
		               k->kind == HX_SCALAR ? k->u.s.str : "?", key);
		bad = !string_of(k, "a key") ||
		      !string_of(m->u.map.pairs[i].value, sb.buf);
		hx_strbuf_release(&sb);
		if (bad)
			return -1;
	}
	return 0;
}

/* Only the keys in allowed[] (NULL-terminated) may appear in m. */
static int known_keys(const struct hx_node *m, const char *what,
                      const char *const *allowed, const char *want)
{
	size_t i, j;

	for (i = 0; i < m->u.map.n; i++) {
		const char *k = hx_node_str(m->u.map.pairs[i].key);

		for (j = 0; k && allowed[j]; j++)
			if (!strcmp(k, allowed[j]))
				break;
		if (!k || !allowed[j]) {
			hx_error_set_node(m->u.map.pairs[i].key,
			                  "unknown field '%s' in %s (want %s)",
			                  k ? k : "?", what, want);
			return -1;
		}
	}
	return 0;
}

static int opt_string(const struct hx_node *m, const char *key,
                      const char **out)
{
	const struct hx_node *v = hx_map_get(m, key);
	struct hx_strbuf sb = HX_STRBUF_INIT;

	*out = NULL;
	if (!v || hx_node_is_null(v))
		return 0;
	hx_strbuf_addf(&sb, "'%s'", key);
	*out = string_of(v, sb.buf);
	hx_strbuf_release(&sb);
	return *out ? 0 : -1;
}

static int opt_bool(const struct hx_node *m, const char *key, int *out)
{
	const struct hx_node *v = hx_map_get(m, key);
	long long b = 0;

	*out = 0;
	if (!v || hx_node_is_null(v))
		return 0;
	if (v->kind != HX_SCALAR ||
	    hx_node_resolve(v, &b, NULL) != HX_TYPE_BOOL) {
		hx_error_set_node(v, "'%s' must be true or false", key);
		return -1;
	}
	*out = !strcasecmp(v->u.s.str, "true") ||
	       !strcasecmp(v->u.s.str, "yes") ||
	       !strcasecmp(v->u.s.str, "on") || !strcasecmp(v->u.s.str, "y");
	return 0;
}

static int parse_fspecs(const struct hx_node *l)
{
	static const char *const keys[] = {"path", "group",  "version",
	                                   "kind", "create", NULL};
	size_t i;
	const char *s;
	int b;

	if (!l || l->kind != HX_SEQ) {
		hx_error_set_node(l, "'fields' must be a list of field specs");
		return -1;
	}
	for (i = 0; i < l->u.seq.n; i++) {
		const struct hx_node *f = l->u.seq.items[i];

		if (f->kind != HX_MAP) {
			hx_error_set_node(f, "a field spec must be a mapping "
			                     "with 'path'");
			return -1;
		}
		if (known_keys(f, "a field spec", keys,
		               "path, group, version, kind, create") < 0 ||
		    opt_string(f, "group", &s) < 0 ||
		    opt_string(f, "version", &s) < 0 ||
		    opt_string(f, "kind", &s) < 0 ||
		    opt_bool(f, "create", &b) < 0 ||
		    opt_string(f, "path", &s) < 0)
			return -1;
		if (!s || !*s) {
			hx_error_set_node(f, "a field spec needs a 'path'");
			return -1;
		}
	}
	return 0;
}

static int parse_labels_entry(struct hx_kzx *x, const struct hx_node *v)
{
	static const char *const keys[] = {"pairs",
	                                   "includeSelectors",
	                                   "includeTemplates",
	                                   "includeVolumeClaimTemplates",
	                                   "fields",
	                                   NULL};
	int sel, tpl, claims;

	if (v->kind != HX_MAP) {
		hx_error_set_node(v, "a 'labels' entry must be a mapping with "
		                     "'pairs'");
		return -1;
	}
	if (known_keys(v, "a 'labels' entry", keys,
	               "pairs, includeSelectors, includeTemplates, "
	               "includeVolumeClaimTemplates, fields") < 0)
		return -1;
	x->pairs = hx_map_get(v, "pairs");
	if (!x->pairs) {
		hx_error_set_node(v, "a 'labels' entry needs 'pairs'");
		return -1;
	}
	if (check_pairs(x->pairs, "pairs") < 0 ||
	    opt_bool(v, "includeSelectors", &sel) < 0 ||
	    opt_bool(v, "includeTemplates", &tpl) < 0 ||
	    opt_bool(v, "includeVolumeClaimTemplates", &claims) < 0)
		return -1;
	x->fspecs = hx_map_get(v, "fields");
	if (x->fspecs && hx_node_is_null(x->fspecs))
		x->fspecs = NULL;
	if (x->fspecs && parse_fspecs(x->fspecs) < 0)
		return -1;
	if (sel)
		x->fields = HX_KZX_METADATA | HX_KZX_TEMPLATES |
		            HX_KZX_SELECTORS | HX_KZX_CLAIMS;
	else
		x->fields = HX_KZX_METADATA | (tpl ? HX_KZX_TEMPLATES : 0) |
		            (claims ? HX_KZX_CLAIMS : 0);
	return 0;
}

static int parse_image(struct hx_kzx *x, const struct hx_node *v)
{
	static const char *const keys[] = {"name",   "newName",   "newTag",
	                                   "digest", "tagSuffix", NULL};
	struct hx_strbuf re = HX_STRBUF_INIT;

	if (v->kind != HX_MAP) {
		hx_error_set_node(v, "an 'images' entry must be a mapping with "
		                     "'name'");
		return -1;
	}
	if (known_keys(v, "an 'images' entry", keys,
	               "name, newName, newTag, digest, tagSuffix") < 0 ||
	    opt_string(v, "name", &x->name) < 0 ||
	    opt_string(v, "newName", &x->new_name) < 0 ||
	    opt_string(v, "newTag", &x->new_tag) < 0 ||
	    opt_string(v, "digest", &x->digest) < 0 ||
	    opt_string(v, "tagSuffix", &x->tag_suffix) < 0)
		return -1;
	if (!x->name || !*x->name) {
		hx_error_set_node(v, "an 'images' entry needs a 'name'");
		return -1;
	}
	/* kustomize's match: the name (a regular expression, as there),
	 * then an optional tag and an optional digest */
	hx_strbuf_addf(
	        &re,
	        "%s(:[a-zA-Z0-9_.{}-]*)?"
	        "(@[a-zA-Z0-9]+([.+_-][a-zA-Z0-9]+)*:[a-zA-Z0-9_.{}-]*)?",
	        x->name);
	x->image_re = hx_regex_new(re.buf, hx_map_get(v, "name"));
	hx_strbuf_release(&re);
	return x->image_re ? 0 : -1;
}

static int parse_replicas(struct hx_kzx *x, const struct hx_node *v)
{
	static const char *const keys[] = {"name", "count", NULL};
	const struct hx_node *c;

	if (v->kind != HX_MAP) {
		hx_error_set_node(v,
		                  "a 'replicas' entry must be a mapping with "
		                  "'name' and 'count'");
		return -1;
	}
	if (known_keys(v, "a 'replicas' entry", keys, "name, count") < 0 ||
	    opt_string(v, "name", &x->name) < 0)
		return -1;
	c = hx_map_get(v, "count");
	if (!x->name || !*x->name || !c) {
		hx_error_set_node(v, "a 'replicas' entry needs 'name' and "
		                     "'count'");
		return -1;
	}
	if (c->kind != HX_SCALAR ||
	    hx_node_resolve(c, &x->count, NULL) != HX_TYPE_INT ||
	    x->count < 0) {
		hx_error_set_node(c, "'count' must be a whole number of at "
		                     "least 0");
		return -1;
	}
	return 0;
}

int hx_kzx_parse(struct hx_kzx *x, enum hx_kzx_type type,
                 const struct hx_node *v)
{
	memset(x, 0, sizeof(*x));
	x->type = type;
	switch (type) {
	case HX_KZX_COMMON_LABELS:
		/* selectors and templates too */
		x->type = HX_KZX_LABELS;
		x->pairs = v;
		x->fields = HX_KZX_METADATA | HX_KZX_TEMPLATES |
		            HX_KZX_SELECTORS | HX_KZX_CLAIMS;
		return check_pairs(v, "commonLabels");
	case HX_KZX_LABELS:
		return parse_labels_entry(x, v);
	case HX_KZX_ANNOTATIONS:
		x->pairs = v;
		return check_pairs(v, "commonAnnotations");
	case HX_KZX_IMAGE:
		return parse_image(x, v);
	case HX_KZX_REPLICAS:
		return parse_replicas(x, v);
	case HX_KZX_RENAME:
		break;
	}
	return -1;
}

int hx_kzx_parse_metadata(struct hx_kzx *x, enum hx_kzx_type type,
                          const struct hx_node *pairs, const char *what)
{
	memset(x, 0, sizeof(*x));
	x->type = type;
	x->pairs = pairs;
	x->fields = HX_KZX_METADATA;
	return check_pairs(pairs, what);
}

int hx_kzx_parse_rename(struct hx_kzx *x, const struct hx_node *ns,
                        const struct hx_node *prefix,
                        const struct hx_node *suffix)
{
	memset(x, 0, sizeof(*x));
	x->type = HX_KZX_RENAME;
	if ((ns && !(x->ren.ns = string_of(ns, "'namespace'"))) ||
	    (prefix && !(x->ren.prefix = string_of(prefix, "'namePrefix'"))) ||
	    (suffix && !(x->ren.suffix = string_of(suffix, "'nameSuffix'"))))
		return -1;
	if (x->ren.ns && !*x->ren.ns)
		x->ren.ns = NULL;
	return 0;
}

void hx_kzx_release(struct hx_kzx *x)
{
	hx_kzren_release(&x->ren);
	if (x->image_re)
		hx_regex_free(x->image_re);
	memset(x, 0, sizeof(*x));
}

/* ---- field specs ------------------------------------------------------ */

struct ctx {
	struct hx_arena *a;
	const struct hx_kzx *x;
	int create_map; /* the last field, when made, is a map */
	int hit;
	const char *path; /* for messages */
};

typedef int (*set_fn)(struct ctx *c, struct hx_node *parent, const char *key,
                      struct hx_node *value);

static int gvk_matches(const char *group, const char *version, const char *kind,
                       const struct hx_node *root)
{
	const char *av = hx_node_str(hx_map_get(root, "apiVersion"));
	const char *k = hx_node_str(hx_map_get(root, "kind"));
	const char *slash = av ? strchr(av, '/') : NULL;
	size_t glen = slash ? (size_t)(slash - av) : 0;
	const char *v = slash ? slash + 1 : (av ? av : "");

	if (kind && (!k || strcmp(kind, k)))
		return 0;
	if (group && *group &&
	    (strlen(group) != glen || strncmp(group, av, glen)))
		return 0;
	return !version || !*version || !strcmp(version, v);
}

static int walk(struct ctx *c, struct hx_node *n, const char *path, int create,
                set_fn set)
{
	const char *slash, *step_end;
	size_t len;
	int seq_step = 0;
	struct hx_node *field;
	size_t i;

	if (!n || hx_node_is_null(n))
		return 0;
	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (walk(c, n->u.seq.items[i], path, create, set) < 0)
				return -1;
		return 0;
	}
	if (n->kind != HX_MAP) {
		hx_error_set_node(n,
		                  "considering field '%s': expected a "
		                  "sequence or a mapping",
		                  c->path);
		return -1;
	}
	slash = strchr(path, '/');
	step_end = slash ? slash : path + strlen(path);
	len = (size_t)(step_end - path);
	if (len > 2 && !strncmp(step_end - 2, "[]", 2)) {
		seq_step = 1;
		len -= 2;
	}
	{
		char *key = hx_xstrndup(path, len);
		int rc = 0;

		field = hx_map_getn(n, key, len);
		if (!slash) {
			if (!seq_step)
				rc = set(c, n, key, field);
			free(key);
			return rc;
		}
		if ((!field || hx_node_is_null(field)) && create && !seq_step) {
			field = hx_node_new_map(c->a);
			hx_map_set(c->a, n, key, len, field);
		}
		free(key);
	}
	if (!field || (seq_step && field->kind != HX_SEQ))
		return 0;
	return walk(c, field, slash + 1, create, set);
}

static int apply_specs(struct ctx *c, struct hx_node *root,
                       const struct fspec *fs, size_t n, set_fn set)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int saved = c->create_map;

		if (!gvk_matches(fs[i].group, fs[i].version, fs[i].kind, root))
			continue;
		c->path = fs[i].path;
		c->create_map = fs[i].create;
		if (walk(c, root, fs[i].path, fs[i].create, set) < 0)
			return -1;
		c->create_map = saved;
	}
	return 0;
}

/* labels[].fields: field specs read from the kustomization */
static int apply_user_specs(struct ctx *c, struct hx_node *root,
                            const struct hx_node *l, set_fn set)
{
	size_t i;

	for (i = 0; l && i < l->u.seq.n; i++) {
		const struct hx_node *f = l->u.seq.items[i];
		struct fspec fs;
		int create = 0;

		fs.group = hx_node_str(hx_map_get(f, "group"));
		fs.version = hx_node_str(hx_map_get(f, "version"));
		fs.kind = hx_node_str(hx_map_get(f, "kind"));
		fs.path = hx_node_str(hx_map_get(f, "path"));
		opt_bool(f, "create", &create);
		fs.create = create;
		if (apply_specs(c, root, &fs, 1, set) < 0)
			return -1;
	}
	return 0;
}

/* set every pair in the map at parent[key], made when create says so */
static int set_pairs(struct ctx *c, struct hx_node *parent, const char *key,
                     struct hx_node *value)
{
	const struct hx_node *pairs = c->x->pairs;
	size_t i;

	if (!value || hx_node_is_null(value)) {
		if (!c->create_map)
			return 0;
		value = hx_node_new_map(c->a);
		hx_map_set(c->a, parent, key, strlen(key), value);
	}
	if (value->kind != HX_MAP) {
		hx_error_set_node(value,
		                  "considering field '%s': expected a mapping",
		                  c->path);
		return -1;
	}
	for (i = 0; i < pairs->u.map.n; i++) {
		const struct hx_node *k = pairs->u.map.pairs[i].key;
		const struct hx_node *v = pairs->u.map.pairs[i].value;
		const struct hx_node *old =
		        hx_map_getn(value, k->u.s.str, k->u.s.len);

		if (old && old->kind == HX_SCALAR &&
		    hx_node_resolve(old, NULL, NULL) == HX_TYPE_STR &&
		    old->u.s.len == v->u.s.len &&
		    !memcmp(old->u.s.str, v->u.s.str, v->u.s.len))
			continue;
		hx_map_set(c->a, value, k->u.s.str, k->u.s.len,
		           hx_node_new_scalar(c->a, v->u.s.str, v->u.s.len,
		                              HX_STYLE_ANY));
	}
	c->hit = 1;
	return 0;
}

/* ---- images ----------------------------------------------------------- */

/* kustomize's split of an image into name, tag and digest */
static void split_image(const char *img, size_t *name_end, const char **tag,
                        size_t *tag_len, const char **digest)
{
	const char *slash = strchr(img, '/');
	const char *search = slash && slash > img ? slash : img;
	const char *at = strchr(search, '@');
	const char *colon = strchr(search, ':');

	*tag = NULL;
	*tag_len = 0;
	*digest = NULL;
	if (colon && at && at < colon)
		colon = NULL;
	*name_end = colon ? (size_t)(colon - img)
	                  : (at ? (size_t)(at - img) : strlen(img));
	if (colon) {
		*tag = colon + 1;
		*tag_len = at ? (size_t)(at - colon - 1) : strlen(colon + 1);
	}
	if (at)
		*digest = at + 1;
}

static int set_image(struct ctx *c, struct hx_node *parent, const char *key,
                     struct hx_node *value)
{
	const struct hx_kzx *x = c->x;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *tag, *digest;
	size_t name_end, tag_len;
	int m;

	if (!value)
		return 0;
	if (value->kind != HX_SCALAR) {
		hx_error_set_node(value,
		                  "considering field '%s': expected a "
		                  "string",
		                  c->path);
		return -1;
	}
	m = hx_regex_match(x->image_re, value->u.s.str);
	if (m <= 0)
		return m;
	split_image(value->u.s.str, &name_end, &tag, &tag_len, &digest);
	if (x->new_name)
		hx_strbuf_adds(&sb, x->new_name);
	else
		hx_strbuf_add(&sb, value->u.s.str, name_end);
	if (x->new_tag && x->digest) {
		hx_strbuf_addf(&sb, ":%s@%s", x->new_tag, x->digest);
	} else if (x->new_tag) {
		hx_strbuf_addf(&sb, ":%s", x->new_tag);
	} else if (x->digest) {
		hx_strbuf_addf(&sb, "@%s", x->digest);
	} else if (x->tag_suffix) {
		hx_strbuf_addch(&sb, ':');
		hx_strbuf_add(&sb, tag ? tag : "", tag_len);
		hx_strbuf_adds(&sb, x->tag_suffix);
	} else {
		if (tag && tag_len) {
			hx_strbuf_addch(&sb, ':');
			hx_strbuf_add(&sb, tag, tag_len);
		}
		if (digest && *digest)
			hx_strbuf_addf(&sb, "@%s", digest);
	}
	c->hit = 1;
	if (strcmp(sb.buf, value->u.s.str))
		hx_map_set(c->a, parent, key, strlen(key),
		           hx_node_new_scalar(
		                   c->a, hx_arena_strndup(c->a, sb.buf, sb.len),
		                   sb.len, HX_STYLE_ANY));
	hx_strbuf_release(&sb);
	return 0;
}

/* every containers/initContainers list anywhere in the object */
static int walk_containers(struct ctx *c, struct hx_node *n, int depth)
{
	size_t i, j;

	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (walk_containers(c, n->u.seq.items[i], depth + 1) <
			    0)
				return -1;
		return 0;
	}
	if (n->kind != HX_MAP)
		return 0;
	for (i = 0; i < n->u.map.n; i++) {
		struct hx_node *v = n->u.map.pairs[i].value;
		const char *k = hx_node_str(n->u.map.pairs[i].key);

		if (walk_containers(c, v, depth + 1) < 0)
			return -1;
		if (!k ||
		    (strcmp(k, "containers") && strcmp(k, "initContainers")) ||
		    v->kind != HX_SEQ)
			continue;
		for (j = 0; j < v->u.seq.n; j++) {
			struct hx_node *ct = v->u.seq.items[j];

			c->path = k;
			if (ct->kind == HX_MAP &&
			    set_image(c, ct, "image", hx_map_get(ct, "image")) <
			            0)
				return -1;
		}
	}
	return 0;
}

/* ---- applying --------------------------------------------------------- */

static int set_replicas(struct ctx *c, struct hx_node *parent, const char *key,
                        struct hx_node *value)
{
	char num[32];
	int len = snprintf(num, sizeof(num), "%lld", c->x->count);

	(void)value;
	hx_map_set(c->a, parent, key, strlen(key),
	           hx_node_new_scalar(c->a,
	                              hx_arena_strndup(c->a, num, (size_t)len),
	                              (size_t)len, HX_STYLE_PLAIN));
	c->hit = 1;
	return 0;
}

int hx_kzx_apply(struct hx_arena *a, struct hx_node *root,
                 const struct hx_node *orig, const struct hx_kzx *x)
{
	struct ctx c = {a, x, 1, 0, ""};
	const char *kind, *name;
	size_t i;

	if (!root || root->kind != HX_MAP)
		return 0;
	kind = hx_node_str(hx_map_get(root, "kind"));
	switch (x->type) {
	case HX_KZX_LABELS:
		if (apply_user_specs(&c, root, x->fspecs, set_pairs) < 0 ||
		    ((x->fields & HX_KZX_SELECTORS) &&
		     apply_specs(&c, root, selectors, N(selectors), set_pairs) <
		             0) ||
		    apply_specs(&c, root, metadata_labels, N(metadata_labels),
		                set_pairs) < 0 ||
		    ((x->fields & HX_KZX_TEMPLATES) &&
		     apply_specs(&c, root, template_labels, N(template_labels),
		                 set_pairs) < 0) ||
		    ((x->fields & HX_KZX_CLAIMS) &&
		     apply_specs(&c, root, claim_labels, N(claim_labels),
		                 set_pairs) < 0))
			return -1;
		return 1;
	case HX_KZX_ANNOTATIONS:
		/* metadata alone (helm-controller's), or pod templates too */
		if (apply_specs(&c, root, annotations,
		                x->fields == HX_KZX_METADATA ? 1
		                                             : N(annotations),
		                set_pairs) < 0)
			return -1;
		return 1;
	case HX_KZX_IMAGE:
		if (kind && !strcmp(kind, "CustomResourceDefinition"))
			return 0;
		if (walk_containers(&c, root, 0) < 0 ||
		    apply_specs(&c, root, image_fields, N(image_fields),
		                set_image) < 0)
			return -1;
		return c.hit;
	case HX_KZX_COMMON_LABELS:
		break;
	case HX_KZX_RENAME:
		hx_kzren_apply(a, root, &x->ren);
		return 1;
	case HX_KZX_REPLICAS:
		name = hx_node_str(hx_map_path(root, "metadata", "name", NULL));
		/* by the name it has, or had before a rename (orig) */
		if (orig && (!name || strcmp(name, x->name)))
			name = hx_node_str(
			        hx_map_path(orig, "metadata", "name", NULL));
		if (!kind || !name || strcmp(name, x->name))
			return 0;
		for (i = 0; i < N(replica_kinds); i++) {
			struct fspec fs = {NULL, NULL, replica_kinds[i],
			                   "spec/replicas", 1};

			if (apply_specs(&c, root, &fs, 1, set_replicas) < 0)
				return -1;
		}
		return c.hit;
	}
	return 0;
}
