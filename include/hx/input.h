#ifndef HX_INPUT_H
#define HX_INPUT_H

/* What a SOURCE argument is. */
enum hx_input_kind {
	HX_INPUT_CHART_DIR, /* a directory with Chart.yaml */
	HX_INPUT_CHART_TGZ, /* a packaged chart, *.tgz or *.tar.gz */
	HX_INPUT_CHART_REF, /* repo/chart (or a name with --repo) */
	HX_INPUT_OCI,       /* oci://registry/chart */
	HX_INPUT_KUSTOMIZE, /* a directory with a kustomization */
	HX_INPUT_MANIFESTS, /* a directory of *.yaml, *.yml, *.json */
	HX_INPUT_FILE,      /* one YAML or JSON file */
	HX_INPUT_STDIN,     /* "-" */
};

/*
 * Detect the kind of source.  has_repo: --repo was given (then any name is
 * a chart of that repository).  A path that is none of these is an error
 * saying what was looked for.
 */
int hx_input_detect(enum hx_input_kind *out, const char *source, int has_repo);

#endif
