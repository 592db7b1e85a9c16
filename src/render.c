#include "hx/render.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/dirtree.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/kustomize.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/yamldoc.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

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
	hx_strvec_push_all(&p.args, o->values);
	hx_strvec_push_all(&p.args, o->template_args);
	hx_strvec_push_all(&p.args, o->extra);
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
	if (has_deps && (rc = hx_render_add_deps(dir, source, o->deps)) != 0)
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
		rc = hx_render_add_deps(dir, source, o->deps);
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
