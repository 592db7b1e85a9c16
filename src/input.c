#include "hx/input.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/dirtree.h"
#include "hx/err.h"
#include "hx/render.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

static int has_file(const char *dir, const char *name)
{
	char *p = hx_path_join(dir, name);
	struct stat st;
	int r = stat(p, &st) == 0 && S_ISREG(st.st_mode);

	free(p);
	return r;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/*
 * The chart dir when path is a chart's templates/ dir or a file in it
 * (new, free() it), else NULL: its files are Go templates, which only the
 * chart renders.
 */
static char *templates_of_chart(const char *path, int is_dir)
{
	char *p = hx_xstrdup(path), *slash, *chart = NULL;
	size_t n = strlen(p);

	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	if (!is_dir) { /* the file's dir */
		slash = strrchr(p, '/');
		if (!slash) {
			free(p);
			return NULL;
		}
		*slash = '\0';
	}
	slash = strrchr(p, '/');
	if (strcmp(slash ? slash + 1 : p, "templates")) {
		free(p);
		return NULL;
	}
	if (slash)
		*slash = '\0';
	chart = hx_xstrdup(slash ? (*p ? p : "/") : ".");
	free(p);
	if (!has_file(chart, "Chart.yaml")) {
		free(chart);
		return NULL;
	}
	return chart;
}

static int refuse_templates(const char *source, int is_dir)
{
	char *chart = templates_of_chart(source, is_dir), *abs;

	if (!chart && (abs = realpath(source, NULL)) != NULL) {
		/* ".", or a file named without its dir */
		chart = templates_of_chart(abs, is_dir);
		free(abs);
	}
	if (!chart)
		return 0;
	hx_error_set("'%s' is %s of the chart '%s', which only the chart "
	             "renders: give the chart dir '%s' as SOURCE",
	             source, is_dir ? "the templates dir" : "a template", chart,
	             chart);
	free(chart);
	return -1;
}

int hx_input_detect(enum hx_input_kind *out, const char *source, int has_repo)
{
	struct stat st;

	if (!strcmp(source, "-")) {
		*out = HX_INPUT_STDIN;
		return 0;
	}
	if (!strncmp(source, "oci://", 6)) {
		*out = HX_INPUT_OCI;
		return 0;
	}
	/* a packaged chart's URL, which helm pull fetches (helmfile's
	 * charts with credentials in them) */
	if (!strncmp(source, "https://", 8) || !strncmp(source, "http://", 7)) {
		*out = HX_INPUT_CHART_REF;
		return 0;
	}
	if (stat(source, &st) == 0 && S_ISDIR(st.st_mode)) {
		struct hx_strvec files = HX_STRVEC_INIT;
		int n;

		if (has_file(source, "Chart.yaml")) {
			*out = HX_INPUT_CHART_DIR;
			return 0;
		}
		if (has_file(source, "kustomization.yaml") ||
		    has_file(source, "kustomization.yml") ||
		    has_file(source, "Kustomization")) {
			*out = HX_INPUT_KUSTOMIZE;
			return 0;
		}
		if (refuse_templates(source, 1) < 0 ||
		    hx_dirtree_manifests(&files, source, NULL) < 0)
			return -1;
		n = (int)files.n;
		hx_strvec_clear(&files);
		if (n) {
			*out = HX_INPUT_MANIFESTS;
			return 0;
		}
		hx_error_set("'%s' is not a chart (no Chart.yaml), a "
		             "kustomization (no kustomization.yaml) or a "
		             "directory of manifests (no *.yaml, *.yml, "
		             "*.json)",
		             source);
		return -1;
	}
	if (stat(source, &st) == 0) {
		if (ends_with(source, ".tgz") || ends_with(source, ".tar.gz")) {
			*out = HX_INPUT_CHART_TGZ;
			return 0;
		}
		if (ends_with(source, ".yaml") || ends_with(source, ".yml") ||
		    ends_with(source, ".json")) {
			if (refuse_templates(source, 0) < 0)
				return -1;
			*out = HX_INPUT_FILE;
			return 0;
		}
		hx_error_set("'%s' is not a chart (.tgz) or a manifest file "
		             "(.yaml, .yml, .json)",
		             source);
		return -1;
	}
	/* not on disk: repo/chart, or any name with --repo */
	if (has_repo ||
	    (strchr(source, '/') && source[0] != '/' && source[0] != '.' &&
	     strchr(source, '/') == strrchr(source, '/'))) {
		*out = HX_INPUT_CHART_REF;
		return 0;
	}
	errno = ENOENT;
	hx_error_set_errno("cannot open '%s'", source);
	return -1;
}
