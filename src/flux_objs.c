/*
 * The objects of a Flux repository (flux.h): YAML files and directories
 * read as kustomize-controller reads them, and the objects users supply
 * by hand (--values-from, --source).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/err.h"
#include "hx/flux.h"
#include "hx/kustomize.h"
#include "hx/render.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* Directories one load may enter, and how deep: a repository is small. */
#define WALK_MAX_ENTRIES 100000
#define WALK_MAX_DEPTH 64

struct walk {
	struct hx_flux_set *set;
	const char *tmp;
	size_t entries;
	struct seen {
		dev_t dev;
		ino_t ino;
	} * up;
	size_t depth, up_alloc;
};

static int has_yaml_ext(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml"));
}

static int is_file(const char *dir, const char *name)
{
	char *p = hx_path_join(dir, name);
	struct stat st;
	int r = stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return r;
}

static int has_kustomization(const char *dir)
{
	return is_file(dir, "kustomization.yaml") ||
	       is_file(dir, "kustomization.yml") ||
	       is_file(dir, "Kustomization");
}

/* Index the objects of the stream just added (the last one). */
static int index_stream(struct hx_flux_set *set)
{
	struct hx_stream *st = set->streams[set->nstreams - 1];
	const char *dir = set->dirs.v[set->dirs.n - 1];
	size_t i, skipped = 0;

	if (hx_stream_load_all(st) < 0)
		return -1;
	for (i = 0; i < st->n; i++) {
		const struct hx_node *r = st->docs[i].root;
		const char *av, *kind, *name, *ns, *slash;
		struct hx_flux_obj *o;

		if (!r)
			continue;
		av = hx_node_str(hx_map_get(r, "apiVersion"));
		kind = hx_node_str(hx_map_get(r, "kind"));
		name = hx_node_str(hx_map_path(r, "metadata", "name", NULL));
		ns = hx_node_str(hx_map_path(r, "metadata", "namespace", NULL));
		if (r->kind != HX_MAP || !av || !kind || !*av || !*kind) {
			skipped++;
			continue;
		}
		if (!name || !*name) {
			hx_error_set_node(r, "a %s without metadata.name",
			                  kind);
			return -1;
		}
		slash = strchr(av, '/');
		{
			struct hx_strbuf g = HX_STRBUF_INIT;
			const struct hx_flux_obj *dup;

			hx_strbuf_add(&g, av, slash ? (size_t)(slash - av) : 0);
			dup = hx_flux_find(set, g.buf ? g.buf : "", kind,
			                   ns && *ns ? ns : "default", name);
			hx_strbuf_release(&g);
			if (dup) {
				hx_error_set_node(
				        r,
				        "%s %s/%s is here and in %s: "
				        "give each object once (a "
				        "kustomization's base and its "
				        "overlay as two PATHs?)",
				        kind, ns && *ns ? ns : "default", name,
				        dup->st->name);
				return -1;
			}
		}
		hx_grow(&set->objs, &set->alloc, set->n + 1,
		        sizeof(*set->objs));
		o = &set->objs[set->n++];
		memset(o, 0, sizeof(*o));
		o->group = slash ? av : "";
		o->group_len = slash ? (size_t)(slash - av) : 0;
		o->version = slash ? slash + 1 : av;
		o->kind = kind;
		o->name = name;
		o->ns = ns && *ns ? ns : "default";
		o->root = r;
		o->st = st;
		o->dir = dir;
	}
	if (skipped) {
		struct hx_strbuf sb = HX_STRBUF_INIT;

		hx_strbuf_addf(&sb,
		               "%s: %zu document%s without apiVersion and kind "
		               "(no Kubernetes object): left out",
		               st->name, skipped, skipped == 1 ? "" : "s");
		hx_strvec_push(&set->warnings, sb.buf);
		hx_strbuf_release(&sb);
	}
	return 0;
}

static struct hx_stream *new_stream(struct hx_flux_set *set, const char *dir)
{
	struct hx_stream *st = hx_xcalloc(1, sizeof(*st));

	hx_grow(&set->streams, &set->salloc, set->nstreams + 1,
	        sizeof(*set->streams));
	set->streams[set->nstreams++] = st;
	hx_strvec_push(&set->dirs, dir);
	return st;
}

static int load_file(struct hx_flux_set *set, const char *path)
{
	char *dir = hx_dirname(path);
	struct hx_stream *st = new_stream(set, dir);

	free(dir);
	if (hx_stream_read(st, path) < 0)
		return -1;
	return index_stream(set);
}

/* kustomize build dir: its output is one stream of objects. */
static int build_dir(struct walk *w, const char *dir)
{
	struct hx_streams out = HX_STREAMS_INIT;
	struct hx_render_opts ro;
	struct hx_stream *st;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.tmpdir = w->tmp;
	rc = hx_kustomize_build(&out, dir, &ro);
	if (rc) {
		hx_streams_release(&out);
		return rc < 0 ? -1 : rc;
	}
	st = new_stream(w->set, dir);
	if (out.n == 1) {
		*st = out.v[0];
		memset(&out.v[0], 0, sizeof(out.v[0]));
	}
	hx_streams_release(&out);
	if (!st->name) {
		hx_error_set("kustomize build '%s' gave no stream", dir);
		return -1;
	}
	return index_stream(w->set);
}

static int walk_dir(struct walk *w, const char *dir)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	struct stat st;
	size_t i;
	int rc = 0;

	if (w->depth >= WALK_MAX_DEPTH) {
		hx_error_set("'%s': directories nested too deep", dir);
		return -1;
	}
	if (stat(dir, &st) < 0) {
		hx_error_set_errno("cannot open '%s'", dir);
		return -1;
	}
	for (i = 0; i < w->depth; i++)
		if (w->up[i].dev == st.st_dev && w->up[i].ino == st.st_ino) {
			hx_error_set("'%s' leads back to a directory being "
			             "read (a symlink loop)",
			             dir);
			return -1;
		}
	if (has_kustomization(dir))
		return build_dir(w, dir);
	/* a chart's templates are no objects: helm renders them */
	if (is_file(dir, "Chart.yaml"))
		return 0;
	hx_grow(&w->up, &w->up_alloc, w->depth + 1, sizeof(*w->up));
	w->up[w->depth].dev = st.st_dev;
	w->up[w->depth].ino = st.st_ino;
	w->depth++;
	if (hx_list_dir(&names, dir, 1) < 0)
		rc = -1;
	else if ((w->entries += names.n) > WALK_MAX_ENTRIES) {
		hx_error_set("'%s': more than %d entries", dir,
		             WALK_MAX_ENTRIES);
		rc = -1;
	}
	for (i = 0; rc == 0 && i < names.n; i++) {
		char *path = hx_path_join(dir, names.v[i]);

		if (stat(path, &st) < 0) {
			hx_error_set_errno("cannot open '%s'", path);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk_dir(w, path);
		} else if (S_ISREG(st.st_mode) && has_yaml_ext(names.v[i])) {
			rc = load_file(w->set, path);
		}
		free(path);
	}
	w->depth--;
	hx_strvec_clear(&names);
	return rc;
}

int hx_flux_load(struct hx_flux_set *set, const char *path, const char *tmp)
{
	struct walk w;
	int rc, d = hx_is_dir(path);

	if (d < 0)
		return -1;
	if (!d)
		return load_file(set, path);
	memset(&w, 0, sizeof(w));
	w.set = set;
	w.tmp = tmp;
	rc = walk_dir(&w, path);
	free(w.up);
	return rc;
}

void hx_flux_set_release(struct hx_flux_set *set)
{
	size_t i;

	for (i = 0; i < set->nstreams; i++) {
		hx_stream_release(set->streams[i]);
		free(set->streams[i]);
	}
	free(set->streams);
	free(set->objs);
	hx_strvec_clear(&set->dirs);
	hx_strvec_clear(&set->warnings);
	memset(set, 0, sizeof(*set));
}

const struct hx_flux_obj *hx_flux_find(const struct hx_flux_set *set,
                                       const char *group, const char *kind,
                                       const char *ns, const char *name)
{
	size_t i, glen = strlen(group);

	for (i = 0; i < set->n; i++) {
		const struct hx_flux_obj *o = &set->objs[i];

		if (o->group_len == glen && !strncmp(o->group, group, glen) &&
		    !strcmp(o->kind, kind) && !strcmp(o->ns, ns) &&
		    !strcmp(o->name, name))
			return o;
	}
	return NULL;
}

int hx_flux_is_release(const struct hx_flux_obj *o)
{
	static const char g[] = "helm.toolkit.fluxcd.io";

	return o->group_len == sizeof(g) - 1 &&
	       !strncmp(o->group, g, sizeof(g) - 1) &&
	       !strcmp(o->kind, "HelmRelease");
}

/* ---- objects given by hand -------------------------------------------- */

int hx_flux_given_add(struct hx_flux_givens *g, const char *spec,
                      const char *flag)
{
	const char *eq = strchr(spec, '='), *s1, *s2;
	struct hx_flux_given *e;

	s1 = eq ? memchr(spec, '/', (size_t)(eq - spec)) : NULL;
	s2 = s1 ? memchr(s1 + 1, '/', (size_t)(eq - s1 - 1)) : NULL;
	if (!s2 || s1 == spec || s2 == s1 + 1 || eq == s2 + 1 || !eq[1] ||
	    memchr(s2 + 1, '/', (size_t)(eq - s2 - 1))) {
		hx_error_set("%s '%s': want KIND/NAMESPACE/NAME=%s", flag, spec,
		             !strcmp(flag, "--source") ? "DIR" : "FILE");
		return -1;
	}
	if (strcmp(flag, "--source") &&
	    memchr(spec, '*', (size_t)(eq - spec))) {
		hx_error_set("%s '%s': '*' stands for any namespace or name "
		             "in --source only",
		             flag, spec);
		return -1;
	}
	hx_grow(&g->v, &g->alloc, g->n + 1, sizeof(*g->v));
	e = &g->v[g->n++];
	e->kind = hx_xstrndup(spec, (size_t)(s1 - spec));
	e->ns = hx_xstrndup(s1 + 1, (size_t)(s2 - s1 - 1));
	e->name = hx_xstrndup(s2 + 1, (size_t)(eq - s2 - 1));
	e->path = hx_xstrdup(eq + 1);
	return 0;
}

const char *hx_flux_given_find(const struct hx_flux_givens *g, const char *kind,
                               const char *ns, const char *name)
{
	size_t i;
	int pass;

	/* exact names first, then '*' for any namespace or name */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; g && i < g->n; i++) {
			const struct hx_flux_given *e = &g->v[i];

			if (strcmp(e->kind, kind))
				continue;
			if (!pass ? !strcmp(e->ns, ns) && !strcmp(e->name, name)
			          : (!strcmp(e->ns, "*") ||
			             !strcmp(e->ns, ns)) &&
			                    (!strcmp(e->name, "*") ||
			                     !strcmp(e->name, name)))
				return e->path;
		}
	return NULL;
}

void hx_flux_givens_release(struct hx_flux_givens *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->v[i].kind);
		free(g->v[i].ns);
		free(g->v[i].name);
		free(g->v[i].path);
	}
	free(g->v);
	memset(g, 0, sizeof(*g));
}
