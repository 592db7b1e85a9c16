#ifndef HX_ARGOCD_H
#define HX_ARGOCD_H

#include "hx/strvec.h"

/*
 * An Argo CD Application as its Config Management Plugin sees it: the
 * plugin parameters (from ARGOCD_APP_PARAMETERS, or PARAM_* when that is
 * not set) and where the repository is.  Argo CD's side is argo-cd's
 * reposerver/repository/repository.go (getPluginEnvs) and
 * ApplicationSourcePluginParameters.Environ.
 */

/* How many parameters helm-x's plugin has (argocd.c's table). */
#define HX_ARGO_NPARAMS 13

struct hx_argo_val {
	int given;
	char *str;              /* a string parameter */
	struct hx_strvec items; /* an array; a map as KEY=VALUE, keys sorted */
};

struct hx_argo_app {
	struct hx_argo_val v[HX_ARGO_NPARAMS];
	char *root; /* the repository's root (real path) */
	char *app;  /* the app directory, the working directory (real path) */
};

/* Read the parameters from the environment (an error names the variable). */
int hx_argo_read_params(struct hx_argo_app *c);
/*
 * The repository's root: the working directory less
 * ARGOCD_APP_SOURCE_PATH (argocd-cmp-server runs the plugin in
 * ROOT/SOURCE_PATH); the working directory when that is not set.
 */
int hx_argo_find_root(struct hx_argo_app *c);
/* The parameter's value, NULL when not given (name: one of the table's). */
const struct hx_argo_val *hx_argo_val(const struct hx_argo_app *c,
                                      const char *name);
/* A "true"/"false" parameter into *out (not given or "": false). */
int hx_argo_flag(const struct hx_argo_app *c, const char *name, int *out);
/*
 * A path parameter's value as a path to open (new string): relative to
 * the app directory, absolute ones to the repository's root (as Argo
 * CD's value files).  It must stay in the repository, as written and
 * with links followed.  Returns rel itself when relative (the working
 * directory is the app's) and not starting with '-', else the real path.
 */
char *hx_argo_repo_path(const struct hx_argo_app *c, const char *name,
                        const char *rel);
/* The parameter announcements as JSON (new string), as plugin.yaml has them. */
char *hx_argo_announce(void);
void hx_argo_app_release(struct hx_argo_app *c);

#endif
