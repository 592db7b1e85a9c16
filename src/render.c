#include "hx/render.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/dirtree.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/emit.h"
#include "hx/helm.h"
#include "hx/kustomize.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/yamldoc.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

static void push_all(struct hx_strvec *argv, const struct hx_strvec *words)
{
	size_t i;

	for (i = 0; words && i < words->n; i++)
		hx_strvec_push(argv, words->v[i]);
}

/*
 * The chart that helm pull --untar (or tar) left in dir: the one entry
 * with a Chart.yaml (Helm 3 with --repo also leaves a directory named
 * after the .tgz).
 */
static char *pulled_chart(const char *dir, const char *source)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *r = NULL;
	size_t found = 0;

	while (d && (e = readdir(d)) != NULL) {
		char *sub, *cy;
		struct stat st;

		if (e->d_name[0] == '.')
			continue;
		sub = hx_path_join(dir, e->d_name);
		cy = hx_path_join(sub, "Chart.yaml");
		if (stat(cy, &st) == 0 && S_ISREG(st.st_mode)) {
			found++;
			free(r);
			r = sub;
			sub = NULL;
		}
		free(sub);
		free(cy);
	}
	if (d)
		closedir(d);
	if (found != 1) {
		hx_error_set("expected one chart in '%s', found %zu", source,
		             found);
		free(r);
		r = NULL;
	}
	return r;
}

/* A local .tgz is unpacked with tar; remote charts come by helm pull. */
int hx_render_pull(char **chart_dir, enum hx_input_kind kind,
                   const char *source, const struct hx_render_opts *o,
                   const char *sub)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf said = HX_STRBUF_INIT;
	char *dest = hx_path_join(o->tmpdir, sub);
	int rc;

	if (kind == HX_INPUT_CHART_TGZ) {
		if (mkdir(dest, 0700) < 0) {
			hx_error_set_errno("cannot create '%s'", dest);
			free(dest);
			return -1;
		}
		hx_strvec_pushl(&p.args, "tar", "-xzf", source, "-C", dest,
		                NULL);
		p.what = "tar";
	} else {
		hx_strvec_pushl(&p.args, hx_helm_bin(), "pull", source,
		                "--untar", "--untardir", dest, NULL);
		if (o->chart_version)
			hx_strvec_pushl(&p.args, "--version", o->chart_version,
			                NULL);
		if (o->repo)
			hx_strvec_pushl(&p.args, "--repo", o->repo, NULL);
		if (o->devel)
			hx_strvec_push(&p.args, "--devel");
		push_all(&p.args, o->pull_args);
		p.what = "helm pull";
	}
	/* Helm 4.2's pull prints "Pulled:" and "Digest:" on stdout: ours
	 * is the render's (or the diff's) alone */
	p.capture_out = 1;
	rc = hx_helm_run(&p, &said);
	if (rc == 0 && !(*chart_dir = pulled_chart(dest, source)))
		rc = -1;
	hx_strbuf_release(&said);
	hx_proc_release(&p);
	free(dest);
	return rc;
}

static int helm_template(struct hx_streams *out, const char *chart,
                         const struct hx_render_opts *o)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf buf = HX_STRBUF_INIT;
	struct hx_strbuf name = HX_STRBUF_INIT;
	int rc;

	hx_strvec_pushl(&p.args, hx_helm_bin(), "template", o->release, chart,
	                NULL);
	if (o->ns)
		hx_strvec_pushl(&p.args, "--namespace", o->ns, NULL);
	if (o->kube_context)
		hx_strvec_pushl(&p.args, "--kube-context", o->kube_context,
		                NULL);
	if (o->is_upgrade)
		hx_strvec_push(&p.args, "--is-upgrade");
	push_all(&p.args, o->values);
	push_all(&p.args, o->template_args);
	push_all(&p.args, o->extra);
	p.capture_out = 1;
	p.what = "helm template";
	rc = hx_helm_run(&p, &buf);
	if (rc == 0) {
		size_t len;
		char *text = hx_strbuf_detach(&buf, &len);

		struct hx_stream *st = hx_streams_add(out);

		hx_strbuf_addf(&name, "<helm template %s>", o->release);
		hx_stream_init_buf(st, name.buf, text, len);
		st->from_chart = 1;
	}
	hx_strbuf_release(&name);
	hx_strbuf_release(&buf);
	hx_proc_release(&p);
	return rc;
}

/* The files of a manifest dir (but its templates/tests), or one file. */
static int read_files(struct hx_streams *out, const char *source, int dir)
{
	struct hx_strvec files = HX_STRVEC_INIT;
	char *tests = dir ? hx_path_join(source, "templates/tests") : NULL;
	size_t i;
	int rc = 0;

	if (!dir)
		hx_strvec_push(&files, source);
	else if (hx_dirtree_manifests(&files, source, tests) < 0)
		rc = -1;
	free(tests);
	for (i = 0; rc == 0 && i < files.n; i++)
		if (hx_stream_read(hx_streams_add(out), files.v[i]) < 0)
			rc = -1;
	hx_strvec_clear(&files);
	return rc;
}

/* ALIAS=REPO/CHART:VERSION into its parts (new strings), or -1. */
static int parse_dep(const char *spec, char **alias, char **repo, char **chart,
                     char **version)
{
	const char *eq = strchr(spec, '='), *slash, *colon;

	slash = eq ? strchr(eq + 1, '/') : NULL;
	colon = slash ? strrchr(slash, ':') : NULL;
	if (!eq || eq == spec || !slash || slash == eq + 1 || !colon ||
	    colon == slash + 1 || !colon[1]) {
		hx_error_set("--dependency '%s': want ALIAS=REPO/CHART:VERSION "
		             "(REPO as in 'helm repo add')",
		             spec);
		return -1;
	}
	*alias = hx_xstrndup(spec, (size_t)(eq - spec));
	*repo = hx_xstrndup(eq + 1, (size_t)(slash - eq - 1));
	*chart = hx_xstrndup(slash + 1, (size_t)(colon - slash - 1));
	*version = hx_xstrdup(colon + 1);
	return 0;
}

/*
 * The file of dir that lists a chart's dependencies, loaded into st:
 * Chart.yaml (apiVersion v2), or requirements.yaml (v1, as Helm loads
 * such charts; made when missing).  Messages name the file as shown
 * (the user's chart, never the copy in the temporary dir).
 */
static int deps_file(struct hx_stream *st, char **path, const char *dir,
                     const char *shown)
{
	char *cy = hx_path_join(dir, "Chart.yaml");
	char *shown_cy = hx_path_join(shown, "Chart.yaml");
	const char *v;
	char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	*path = NULL;
	if (hx_read_file(&buf, &len, cy) < 0) {
		hx_error_set_errno("cannot read '%s'", shown_cy);
		goto out;
	}
	hx_stream_init_buf(st, shown_cy, buf, len);
	if (hx_stream_load_all(st) < 0)
		goto out;
	v = st->n && st->docs[0].root && st->docs[0].root->kind == HX_MAP
	            ? hx_node_str(hx_map_get(st->docs[0].root, "apiVersion"))
	            : NULL;
	if (v && !strcmp(v, "v2")) {
		*path = cy;
		cy = NULL;
		rc = 0;
		goto out;
	}
	if (!v || strcmp(v, "v1")) {
		hx_error_set("--dependency: '%s' has apiVersion '%s', not v2 "
		             "or v1",
		             shown_cy, v ? v : "");
		goto out;
	}
	/* v1: requirements.yaml */
	hx_stream_release(st);
	*path = hx_path_join(dir, "requirements.yaml");
	free(shown_cy);
	shown_cy = hx_path_join(shown, "requirements.yaml");
	if (hx_read_file(&buf, &len, *path) < 0) {
		if (errno != ENOENT) {
			hx_error_set_errno("cannot read '%s'", shown_cy);
			goto out;
		}
		hx_error_clear();
		buf = hx_xstrdup("dependencies: []\n");
		len = strlen(buf);
	}
	hx_stream_init_buf(st, shown_cy, buf, len);
	if (hx_stream_load_all(st) < 0)
		goto out;
	if (!st->n || !st->docs[0].root) {
		/* an empty requirements.yaml: a map of its own */
		hx_stream_release(st);
		buf = hx_xstrdup("dependencies: []\n");
		hx_stream_init_buf(st, shown_cy, buf, strlen(buf));
		if (hx_stream_load_all(st) < 0)
			goto out;
	}
	if (st->docs[0].root->kind != HX_MAP) {
		hx_error_set("--dependency: '%s' is not a mapping", shown_cy);
		goto out;
	}
	rc = 0;
out:
	if (rc) {
		free(*path);
		*path = NULL;
	}
	free(cy);
	free(shown_cy);
	return rc;
}

/*
 * Add the dependencies to the chart in dir (a copy of shown, or a chart
 * made in the temporary dir) and run helm dependency build.
 */
static int add_deps(const char *dir, const char *shown,
                    const struct hx_strvec *deps)
{
	char *path = NULL;
	struct hx_stream st = HX_STREAM_INIT;
	struct hx_strbuf text = HX_STRBUF_INIT;
	struct hx_proc p = HX_PROC_INIT;
	struct hx_node *root, *list;
	struct hx_arena *a;
	size_t i;
	FILE *f;
	int rc = -1;

	if (deps_file(&st, &path, dir, shown) < 0)
		goto out;
	root = st.docs[0].root;
	a = &st.arena;
	list = hx_map_get(root, "dependencies");
	if (!list || list->kind != HX_SEQ) {
		list = hx_node_new_seq(a);
		hx_map_set(a, root, "dependencies", 12, list);
	}
	for (i = 0; i < deps->n; i++) {
		char *alias, *repo, *chart, *version;
		struct hx_node *m;
		struct hx_strbuf at = HX_STRBUF_INIT;

		if (parse_dep(deps->v[i], &alias, &repo, &chart, &version) < 0)
			goto out;
		m = hx_node_new_map(a);
		hx_strbuf_addf(&at, "@%s", repo);
		hx_map_set(a, m, "name", 4,
		           hx_node_new_scalar(a, chart, strlen(chart),
		                              HX_STYLE_ANY));
		hx_map_set(a, m, "version", 7,
		           hx_node_new_scalar(a, version, strlen(version),
		                              HX_STYLE_ANY));
		hx_map_set(a, m, "repository", 10,
		           hx_node_new_scalar(a, at.buf, at.len, HX_STYLE_ANY));
		hx_map_set(a, m, "alias", 5,
		           hx_node_new_scalar(a, alias, strlen(alias),
		                              HX_STYLE_ANY));
		hx_seq_append(a, list, m);
		hx_strbuf_release(&at);
		free(alias);
		free(repo);
		free(chart);
		free(version);
	}
	list->flow = 0;
	hx_doc_update(&st, &st.docs[0]);
	hx_doc_write(&text, &st, &st.docs[0]);
	f = fopen(path, "w");
	if (f) {
		int bad = fwrite(text.buf, 1, text.len, f) != text.len;

		if (fclose(f) != 0)
			bad = 1;
		f = bad ? NULL : f;
	}
	if (!f) {
		hx_error_set_errno("cannot write the dependencies of '%s'",
		                   shown);
		goto out;
	}
	hx_strvec_pushl(&p.args, hx_helm_bin(), "dependency", "build", dir,
	                NULL);
	p.what = "helm dependency build";
	/* its progress goes to stderr: stdout is the render's */
	p.capture_out = 1;
	hx_strbuf_reset(&text);
	rc = hx_helm_run(&p, &text);
	if (text.len)
		fwrite(text.buf, 1, text.len, stderr);
out:
	hx_proc_release(&p);
	hx_strbuf_release(&text);
	hx_stream_release(&st);
	free(path);
	return rc;
}

/* A chart file holding a name and a version, quoted by the emitter. */
static int write_chart_yaml(const char *dir, const char *name,
                            const char *version)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_node *m = hx_node_new_map(&a);
	struct hx_strbuf text = HX_STRBUF_INIT;
	char *path = hx_path_join(dir, "Chart.yaml");
	int rc;

	hx_map_set(&a, m, "apiVersion", 10,
	           hx_node_new_scalar(&a, "v2", 2, HX_STYLE_PLAIN));
	hx_map_set(&a, m, "name", 4,
	           hx_node_new_scalar(&a, name, strlen(name), HX_STYLE_DOUBLE));
	hx_map_set(&a, m, "version", 7,
	           hx_node_new_scalar(&a, version, strlen(version),
	                              HX_STYLE_DOUBLE));
	hx_node_emit(&text, m);
	rc = hx_write_new_file(path, text.buf, text.len);
	free(path);
	hx_strbuf_release(&text);
	hx_arena_release(&a);
	return rc;
}

/*
 * A kustomization's or a manifest dir's templates/tests/ (Helm test
 * templates, as old helm-x kept them) and its --dependency subcharts: a
 * chart named after the release, made in the temporary dir, holds them,
 * and helm template renders it after the source's own documents.
 * *chart_dir (when not NULL) is that chart, or stays NULL when there is
 * neither.
 */
static int extras_chart(struct hx_streams *out, char **chart_dir,
                        const char *source, const struct hx_render_opts *o)
{
	char *tests = hx_path_join(source, "templates/tests");
	char *dir = NULL, *sub = NULL;
	int has_deps = o->deps && o->deps->n;
	int has_tests = hx_is_dir(tests) == 1;
	int rc = -1;

	hx_error_clear(); /* no templates/tests is no error */
	if (!has_tests && !has_deps) {
		free(tests);
		return 0;
	}
	dir = hx_path_join(o->tmpdir, "extras");
	if (mkdir(dir, 0700) < 0) {
		hx_error_set_errno("cannot create '%s'", dir);
		goto out;
	}
	if (write_chart_yaml(dir, o->release,
	                     o->chart_version ? o->chart_version : "0.1.0") < 0)
		goto out;
	if (has_tests) {
		sub = hx_path_join(dir, "templates");
		if (mkdir(sub, 0700) < 0) {
			hx_error_set_errno("cannot create '%s'", sub);
			goto out;
		}
		free(sub);
		sub = hx_path_join(dir, "templates/tests");
		if (hx_dirtree_copy(tests, sub) < 0)
			goto out;
	}
	if (has_deps && (rc = add_deps(dir, source, o->deps)) != 0)
		goto out;
	rc = helm_template(out, dir, o);
	if (rc == 0 && chart_dir) {
		*chart_dir = dir;
		dir = NULL;
	}
out:
	free(sub);
	free(dir);
	free(tests);
	return rc;
}

/*
 * --set and its kin with a kustomization: only its templates/tests can
 * read a value; a key they do not read is an error saying so.
 */
static int check_kz_set(const char *source, const struct hx_strvec *values)
{
	struct hx_strvec keys = HX_STRVEC_INIT;
	int all = 0, has_tests = 0, rc = 0, scanned = 0;
	size_t i;

	for (i = 0; rc == 0 && i + 1 < values->n; i++) {
		const char *f = values->v[i], *v = values->v[i + 1];
		size_t klen;
		char *key;

		if (strncmp(f, "--set", 5))
			continue;
		i++;
		if (!scanned++)
			hx_kustomize_test_values(source, &keys, &all,
			                         &has_tests);
		klen = strcspn(v, ".[=");
		key = hx_xstrndup(v, klen);
		if (!has_tests) {
			hx_error_set("'%s %s' has no meaning for the "
			             "kustomization '%s', which has no "
			             "templates: set the field in the "
			             "kustomization, or patch it",
			             f, v, source);
			rc = -1;
		} else if (!all && !hx_strvec_has(&keys, key)) {
			hx_error_set("'%s %s' has no meaning for the "
			             "kustomization '%s': its templates/tests "
			             "read no .Values.%s (set the field in the "
			             "kustomization, or patch it)",
			             f, v, source, key);
			rc = -1;
		}
		free(key);
	}
	hx_strvec_clear(&keys);
	return rc;
}

int hx_render(struct hx_streams *out, char **chart_dir, enum hx_input_kind kind,
              const char *source, const struct hx_render_opts *o)
{
	char *dir = NULL;
	int rc;

	if (o->deps && o->deps->n &&
	    (kind == HX_INPUT_FILE || kind == HX_INPUT_STDIN)) {
		hx_error_set("--dependency adds a subchart, and '%s' is one "
		             "file of manifests: give a chart, a "
		             "kustomization or a directory of manifests",
		             source);
		return -1;
	}
	if (o->pull_args && o->pull_args->n && kind != HX_INPUT_CHART_REF &&
	    kind != HX_INPUT_OCI) {
		hx_error_set("'%s' is for pulling a chart (oci://..., "
		             "REPO/CHART or --repo URL), and '%s' is local",
		             o->pull_args->v[0], source);
		return -1;
	}
	if (o->alpha_plugins && kind != HX_INPUT_KUSTOMIZE) {
		hx_error_set("--enable_alpha_plugins is for kustomize's "
		             "plugins, and '%s' is no kustomization",
		             source);
		return -1;
	}
	if (o->values && kind == HX_INPUT_KUSTOMIZE &&
	    check_kz_set(source, o->values) < 0)
		return -1;
	switch (kind) {
	case HX_INPUT_CHART_DIR:
		dir = hx_xstrdup(source);
		break;
	case HX_INPUT_CHART_TGZ:
	case HX_INPUT_CHART_REF:
	case HX_INPUT_OCI:
		rc = hx_render_pull(&dir, kind, source, o, "pulled");
		if (rc)
			return rc;
		break;
	case HX_INPUT_KUSTOMIZE:
		rc = hx_kustomize_build(out, source, o);
		return rc ? rc : extras_chart(out, chart_dir, source, o);
	case HX_INPUT_MANIFESTS:
		rc = read_files(out, source, 1);
		return rc ? rc : extras_chart(out, chart_dir, source, o);
	case HX_INPUT_FILE:
	case HX_INPUT_STDIN:
		return read_files(out, source, 0);
	}
	if (o->deps && o->deps->n) {
		if (kind == HX_INPUT_CHART_DIR) {
			/* never write to the user's chart: work on a copy */
			char *copy = hx_path_join(o->tmpdir, "chart-src");

			rc = hx_dirtree_copy(dir, copy);
			free(dir);
			dir = copy;
			if (rc) {
				free(dir);
				return rc;
			}
		}
		rc = add_deps(dir, source, o->deps);
		if (rc) {
			free(dir);
			return rc;
		}
	}
	rc = helm_template(out, dir, o);
	if (chart_dir && rc == 0)
		*chart_dir = dir;
	else
		free(dir);
	return rc;
}
