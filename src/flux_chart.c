/*
 * A HelmRelease's chart (flux.h), fetched as source-controller fetches it:
 * from a HelmRepository (default or OCI) or an OCIRepository with helm
 * pull, or from the local directory of a GitRepository or Bucket; and its
 * valuesFiles merged into the chart's values.yaml, as source-controller's
 * builders do before helm-controller sees the chart.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/emit.h"
#include "hx/dirtree.h"
#include "hx/err.h"
#include "hx/flux.h"
#include "hx/render.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static const char source_group[] = "source.toolkit.fluxcd.io";

/* What a chart comes from: spec.chart.spec, or a HelmChart's spec. */
struct chart_ask {
	const char *chart, *version;
	const struct hx_node *source_ref; /* kind, name, namespace */
	const struct hx_node *values_file, *values_files; /* or NULL */
	int ignore_missing;
	const char *ns; /* the default namespace of source_ref */
};

static const char *str_at(const struct hx_node *m, const char *k)
{
	const struct hx_node *v = m ? hx_map_get(m, k) : NULL;

	return v && !hx_node_is_null(v) ? hx_node_str(v) : NULL;
}

static int is_true(const struct hx_node *m, const char *k)
{
	const char *s = str_at(m, k);

	return s && !strcmp(s, "true");
}

static void warn_at(struct hx_strvec *w, const struct hx_node *n,
                    const char *msg)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_addf(&sb, "%s:%u:%u: %s", n && n->file ? n->file : "?",
	               n ? n->line : 0, n ? n->col : 0, msg);
	hx_strvec_push(w, sb.buf);
	hx_strbuf_release(&sb);
}

/* A source object a reference names: kind, name, namespace (default ns). */
static const struct hx_flux_obj *find_source(const struct hx_flux_set *set,
                                             const struct hx_node *ref,
                                             const char *ns, const char *what,
                                             const char **kind_out)
{
	const char *kind = str_at(ref, "kind"), *name = str_at(ref, "name");
	const char *rns = str_at(ref, "namespace");
	const struct hx_flux_obj *o;

	*kind_out = NULL;
	if (!ref || ref->kind != HX_MAP || !kind || !name || !*name) {
		hx_error_set_node(ref, "'%s' needs kind and name", what);
		return NULL;
	}
	rns = rns && *rns ? rns : ns;
	*kind_out = kind;
	o = hx_flux_find(set, source_group, kind, rns, name);
	if (!o)
		hx_error_set_node(ref,
		                  "%s %s/%s is not among the PATH objects: add "
		                  "its file",
		                  kind, rns, name);
	return o;
}

/*
 * SecureJoin's meaning: rel under root, ".." never above it; a link that
 * leads out of root is refused.  New path, or NULL with the error set.
 */
static char *secure_join(const char *root, const char *rel, const char *what)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	size_t keep = 0;
	const char *p = rel;
	char real_root[PATH_MAX], real[PATH_MAX];
	char *out;

	hx_strbuf_adds(&sb, root);
	keep = sb.len;
	while (*p) {
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (n == 2 && !strncmp(p, "..", 2)) {
			while (sb.len > keep && sb.buf[sb.len - 1] != '/')
				sb.len--;
			if (sb.len > keep)
				sb.len--;
			sb.buf[sb.len] = 0;
		} else if (n && !(n == 1 && *p == '.')) {
			hx_strbuf_addch(&sb, '/');
			hx_strbuf_add(&sb, p, n);
		}
		p += n + (e != NULL);
	}
	out = hx_strbuf_detach(&sb, NULL);
	if (realpath(root, real_root) && realpath(out, real)) {
		size_t rl = strlen(real_root);

		if (strncmp(real, real_root, rl) ||
		    (real[rl] && real[rl] != '/' && rl > 1)) {
			hx_error_set("%s '%s' leads out of the source "
			             "directory (a link)",
			             what, rel);
			free(out);
			return NULL;
		}
	}
	return out;
}

/* The root of the git repository dir lies in, or NULL. */
static char *git_root(const char *dir)
{
	char real[PATH_MAX];
	char *d;

	if (!realpath(dir, real))
		return NULL;
	d = hx_xstrdup(real);
	for (;;) {
		char *g = hx_path_join(d, ".git");
		struct stat st;
		int found = stat(g, &st) == 0;
		char *up;

		free(g);
		if (found)
			return d;
		if (!strcmp(d, "/")) {
			free(d);
			return NULL;
		}
		up = hx_dirname(d);
		free(d);
		d = up;
	}
}

/* One values file into *merged (its stream kept in keep). */
static int merge_file(struct hx_node **merged, struct hx_arena *a,
                      struct hx_streams *keep, const char *path,
                      const char *shown)
{
	struct hx_stream *st = hx_streams_add(keep);

	if (hx_stream_read(st, path) < 0)
		return -1;
	free(st->name);
	st->name = hx_xstrdup(shown);
	return hx_flux_merge_stream(merged, a, st);
}

/*
 * valuesFiles into the chart's values.yaml: relative to the chart for a
 * pulled chart ("values.yaml" is the chart's own), to the source root
 * for a local one.
 */
static int values_files(const struct chart_ask *ask, const char *chart_dir,
                        const char *root)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_streams keep = HX_STREAMS_INIT;
	struct hx_node *merged = NULL;
	struct hx_strbuf yaml = HX_STRBUF_INIT;
	const struct hx_node *vf = ask->values_files;
	size_t i, first = ask->values_file ? 1 : 0;
	size_t n = first + (vf ? vf->u.seq.n : 0);
	char *target = hx_path_join(chart_dir, "values.yaml");
	int rc = -1;

	merged = hx_node_new_map(&a);
	for (i = 0; i < n; i++) {
		const struct hx_node *e = i < first
		                                  ? ask->values_file
		                                  : vf->u.seq.items[i - first];
		const char *p = hx_node_str(e);
		char *path;
		struct stat st;

		if (!p || !*p) {
			hx_error_set_node(e, "a valuesFiles entry must be a "
			                     "path");
			goto out;
		}
		if (!root && strstr(p, "..")) {
			/* chart.Files holds no path above the chart */
			path = NULL;
			if (ask->ignore_missing)
				continue;
			hx_error_set_node(e,
			                  "no values file found at path '%s' "
			                  "(of the chart)",
			                  p);
			goto out;
		}
		path = secure_join(root ? root : chart_dir, p, "valuesFiles");
		if (!path) {
			hx_error_locate(e->file, e->line, e->col);
			goto out;
		}
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
			free(path);
			/* a pulled chart's own values: none is an empty map */
			if (ask->ignore_missing ||
			    (!root && !strcmp(p, "values.yaml")))
				continue;
			hx_error_set_node(e,
			                  "no values file found at path '%s' "
			                  "(of the %s)",
			                  p, root ? "source" : "chart");
			goto out;
		}
		if (merge_file(&merged, &a, &keep, path, p) < 0) {
			free(path);
			goto out;
		}
		free(path);
	}
	hx_node_emit(&yaml, merged);
	if (unlink(target) < 0 && hx_is_dir(target) != 0)
		hx_error_clear();
	rc = hx_write_new_file(target, yaml.buf ? yaml.buf : "", yaml.len);
out:
	free(target);
	hx_strbuf_release(&yaml);
	hx_streams_release(&keep);
	hx_arena_release(&a);
	return rc;
}

static int pull_chart(char **chart_dir, const char *source, const char *repo,
                      const char *version, int plain_http, const char *tmp)
{
	struct hx_render_opts ro;
	struct hx_strvec pull_args = HX_STRVEC_INIT;
	enum hx_input_kind kind = !strncmp(source, "oci://", 6)
	                                  ? HX_INPUT_OCI
	                                  : HX_INPUT_CHART_REF;
	int rc;

	memset(&ro, 0, sizeof(ro));
	ro.tmpdir = tmp;
	ro.repo = repo;
	ro.chart_version =
	        version && *version && strcmp(version, "*") ? version : NULL;
	if (plain_http)
		hx_strvec_push(&pull_args, "--plain-http");
	ro.pull_args = &pull_args;
	rc = hx_render_pull(chart_dir, kind, source, &ro, "pulled");
	hx_strvec_clear(&pull_args);
	return rc;
}

static void credentials_warnings(const struct hx_node *spec,
                                 struct hx_strvec *warnings)
{
	static const char *const keys[] = {"secretRef", "certSecretRef",
	                                   "provider", "proxySecretRef"};
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const struct hx_node *k = hx_map_get(spec, keys[i]);
		struct hx_strbuf sb = HX_STRBUF_INIT;

		if (!k || hx_node_is_null(k) ||
		    (!strcmp(keys[i], "provider") &&
		     !strcmp(hx_node_str(k) ? hx_node_str(k) : "", "generic")))
			continue;
		hx_strbuf_addf(&sb,
		               "%s: helm-x pulls with helm's own credentials "
		               "(helm registry login, helm repo add)",
		               keys[i]);
		warn_at(warnings, k, sb.buf);
		hx_strbuf_release(&sb);
	}
}

/* spec.chart.spec (or a HelmChart): *dir the chart, *root the source's
 * root for a local chart (NULL when pulled). */
static int fetch_ask(char **dir, char **root, const struct chart_ask *ask,
                     const struct hx_flux_set *set,
                     const struct hx_flux_givens *sources,
                     const struct hx_flux_obj *hr_obj, const char *tmp,
                     struct hx_strvec *warnings)
{
	const char *kind = NULL;
	const struct hx_flux_obj *src;
	const struct hx_node *spec;
	const char *given;
	char *path;
	int rc;

	*root = NULL;
	src = find_source(set, ask->source_ref, ask->ns, "sourceRef", &kind);
	if (!src) {
		/* a GitRepository or Bucket may be given by hand alone */
		const char *name = str_at(ask->source_ref, "name");
		const char *rns = str_at(ask->source_ref, "namespace");

		given = kind && name
		                ? hx_flux_given_find(
		                          sources, kind,
		                          rns && *rns ? rns : ask->ns, name)
		                : NULL;
		if (!given)
			return -1;
		hx_error_clear();
	} else {
		given = hx_flux_given_find(sources, kind, src->ns, src->name);
	}
	spec = src ? hx_map_get(src->root, "spec") : NULL;
	if (!strcmp(kind, "HelmRepository")) {
		const char *url = str_at(spec, "url"),
		           *type = str_at(spec, "type");
		int oci = (type && !strcmp(type, "oci")) ||
		          (url && !strncmp(url, "oci://", 6));
		struct hx_strbuf ref = HX_STRBUF_INIT;

		if (!url || !*url) {
			hx_error_set_node(
			        src->root,
			        "HelmRepository %s/%s has no spec.url", src->ns,
			        src->name);
			return -1;
		}
		credentials_warnings(spec, warnings);
		if (oci) {
			size_t n = strlen(url);

			hx_strbuf_addf(
			        &ref, "%.*s/%s",
			        (int)(n && url[n - 1] == '/' ? n - 1 : n), url,
			        ask->chart);
			rc = pull_chart(dir, ref.buf, NULL, ask->version,
			                is_true(spec, "insecure"), tmp);
		} else {
			rc = pull_chart(dir, ask->chart, url, ask->version, 0,
			                tmp);
		}
		hx_strbuf_release(&ref);
		return rc;
	}
	if (strcmp(kind, "GitRepository") && strcmp(kind, "Bucket")) {
		hx_error_set_node(ask->source_ref,
		                  "sourceRef kind '%s': want HelmRepository, "
		                  "GitRepository or Bucket",
		                  kind);
		return -1;
	}
	if (given) {
		*root = hx_xstrdup(given);
	} else if (!strcmp(kind, "Bucket") ||
	           !(*root = git_root(hr_obj->dir))) {
		const char *ns = src ? src->ns : ask->ns;
		const char *name = str_at(ask->source_ref, "name");

		hx_error_set_node(ask->source_ref,
		                  "%s %s/%s: no local directory for it%s: give "
		                  "--source %s/%s/%s=DIR",
		                  kind, ns, name,
		                  strcmp(kind, "Bucket")
		                          ? " (the HelmRelease lies in no git "
		                            "repository)"
		                          : "",
		                  kind, ns, name);
		return -1;
	}
	if (hx_is_dir(*root) != 1) {
		hx_error_set("--source %s: '%s' is no directory", kind, *root);
		return -1;
	}
	path = secure_join(*root, ask->chart, "chart path");
	if (!path) {
		hx_error_locate(ask->source_ref->file, ask->source_ref->line,
		                ask->source_ref->col);
		return -1;
	}
	if (hx_is_dir(path) != 1) {
		hx_error_set_node(ask->source_ref,
		                  "chart '%s' is no directory of the %s",
		                  ask->chart, kind);
		free(path);
		return -1;
	}
	*dir = hx_path_join(tmp, "chart");
	rc = hx_dirtree_copy(path, *dir);
	free(path);
	return rc;
}

static int read_ask(struct chart_ask *ask, const struct hx_node *spec,
                    const char *ns)
{
	const char *ig = str_at(spec, "ignoreMissingValuesFiles");

	memset(ask, 0, sizeof(*ask));
	ask->chart = str_at(spec, "chart");
	ask->version = str_at(spec, "version");
	ask->source_ref = hx_map_get(spec, "sourceRef");
	ask->values_files = hx_map_get(spec, "valuesFiles");
	ask->values_file = hx_map_get(spec, "valuesFile");
	if (ask->values_files && hx_node_is_null(ask->values_files))
		ask->values_files = NULL;
	if (ask->values_file && hx_node_is_null(ask->values_file))
		ask->values_file = NULL;
	if (ask->values_files && ask->values_files->kind != HX_SEQ) {
		hx_error_set_node(ask->values_files,
		                  "'valuesFiles' must be a list of paths");
		return -1;
	}
	ask->ignore_missing = ig && !strcmp(ig, "true");
	ask->ns = ns;
	if (!ask->chart || !*ask->chart || !ask->source_ref) {
		hx_error_set_node(spec,
		                  "a chart needs 'chart' and 'sourceRef'");
		return -1;
	}
	return 0;
}

/* spec.chartRef to an OCIRepository (or a HelmChart) */
static int fetch_ref(char **dir, char **root, const struct hx_flux_set *set,
                     const struct hx_flux_hr *hr,
                     const struct hx_flux_givens *sources, const char *tmp,
                     struct hx_strvec *warnings, struct chart_ask *ask)
{
	const char *kind = NULL;
	const struct hx_flux_obj *src;
	const struct hx_node *spec, *ref;
	const char *url, *tag, *semver, *digest;
	struct hx_strbuf source = HX_STRBUF_INIT;
	int rc;

	src = find_source(set, hr->chart_ref, hr->obj->ns, "spec.chartRef",
	                  &kind);
	if (!src)
		return -1;
	spec = hx_map_get(src->root, "spec");
	if (!strcmp(kind, "HelmChart")) {
		if (read_ask(ask, spec, src->ns) < 0)
			return -1;
		return fetch_ask(dir, root, ask, set, sources, hr->obj, tmp,
		                 warnings);
	}
	if (strcmp(kind, "OCIRepository")) {
		hx_error_set_node(hr->chart_ref,
		                  "chartRef kind '%s': want OCIRepository or "
		                  "HelmChart",
		                  kind);
		return -1;
	}
	url = str_at(spec, "url");
	ref = spec ? hx_map_get(spec, "ref") : NULL;
	tag = str_at(ref, "tag");
	semver = str_at(ref, "semver");
	digest = str_at(ref, "digest");
	if (!url || strncmp(url, "oci://", 6)) {
		hx_error_set_node(
		        src->root,
		        "OCIRepository %s/%s needs an oci:// spec.url", src->ns,
		        src->name);
		return -1;
	}
	if (hx_map_get(spec, "layerSelector"))
		warn_at(warnings, hx_map_get(spec, "layerSelector"),
		        "layerSelector: helm-x pulls the chart layer as helm "
		        "does");
	credentials_warnings(spec, warnings);
	hx_strbuf_adds(&source, url);
	/* source-controller: digest, else semver, else tag (else latest) */
	if (digest && *digest)
		hx_strbuf_addf(&source, "@%s", digest);
	rc = pull_chart(dir, source.buf, NULL,
	                digest && *digest   ? NULL
	                : semver && *semver ? semver
	                : tag && *tag       ? tag
	                                    : "latest",
	                is_true(spec, "insecure"), tmp);
	hx_strbuf_release(&source);
	return rc;
}

int hx_flux_chart(char **chart_dir, const struct hx_flux_set *set,
                  const struct hx_flux_hr *hr,
                  const struct hx_flux_givens *sources, const char *tmp,
                  struct hx_strvec *warnings)
{
	struct chart_ask ask;
	char *dir = NULL, *root = NULL;
	int rc;

	memset(&ask, 0, sizeof(ask));
	if (hr->chart_spec) {
		if (read_ask(&ask, hr->chart_spec, hr->obj->ns) < 0)
			return -1;
		rc = fetch_ask(&dir, &root, &ask, set, sources, hr->obj, tmp,
		               warnings);
	} else {
		rc = fetch_ref(&dir, &root, set, hr, sources, tmp, warnings,
		               &ask);
	}
	if (rc == 0 &&
	    (ask.values_file ||
	     (ask.values_files && ask.values_files->u.seq.n)) &&
	    values_files(&ask, dir, root) < 0)
		rc = -1;
	free(root);
	if (rc) {
		free(dir);
		return rc;
	}
	*chart_dir = dir;
	return 0;
}
