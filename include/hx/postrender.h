#ifndef HX_POSTRENDER_H
#define HX_POSTRENDER_H

#include "hx/cli.h"
#include "hx/strvec.h"

/*
 * helm-x as Helm's post-renderer.  Helm 3 runs an executable path: this
 * binary, with "postrender" (or "patch") as its first argument.  Helm 4
 * runs only installed plugins of type postrenderer/v1 by name: x-patch,
 * whose plugin.yaml sits in x-patch/ beside this binary's bin/ and runs
 * "../bin/helm-x postrender".
 */
#define HX_POSTRENDER_PLUGIN "x-patch"

/* The path of this binary (new, free() it), or NULL with the error set. */
char *hx_self_path(void);

/* The x-patch plugin's directory beside this binary, or NULL (error set). */
char *hx_postrender_plugin_dir(void);

/*
 * Append helm's --post-renderer and --post-renderer-args words that run
 * helm-x's patches of o (patch files made absolute, --openapi,
 * --allow-no-match, namespace ns when set) for the helm at hand: on Helm 4
 * the x-patch plugin beside this binary, found through a directory of the
 * temporary dir put first in $HELM_PLUGINS (never installed where a Helm 3
 * could meet it).  Returns -1 with the error set.
 */
int hx_postrender_helm_args(struct hx_strvec *argv, const struct hx_opts *o,
                            const char *ns);
/* Put back the $HELM_PLUGINS that hx_postrender_helm_args changed. */
void hx_postrender_env_restore(void);

#endif
