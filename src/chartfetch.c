/*
 * Charts fetched for a render (render.h): a remote chart pulled or a .tgz
 * unpacked, --dependency subcharts added and built.
 */
#include "hx/render.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/err.h"
#include "hx/helm.h"
#include "hx/node.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

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
		hx_strvec_push_all(&p.args, o->pull_args);
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

int hx_render_add_deps(const char *dir, const char *shown,
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
