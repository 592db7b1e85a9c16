#ifndef HX_CMD_H
#define HX_CMD_H

#include "hx/input.h"
#include "hx/spawn.h"

struct hx_opts;
struct hx_render_opts;
struct hx_patchset;
struct hx_streams;
struct hx_strvec;

/* Commands: argv[0] is the command name; each returns the exit code. */
int hx_cmd_patch(int argc, char **argv);
/* patch as Helm 4's post-renderer plugin (errors also to a file / tty) */
int hx_cmd_postrender(int argc, char **argv);
/* postrender-path and postrender-plugin: where helm finds helm-x */
int hx_cmd_postrender_path(int argc, char **argv);
int hx_cmd_postrender_plugin(int argc, char **argv);
int hx_cmd_template(int argc, char **argv);
/* install, upgrade, apply and lint (argv[0] says which) */
int hx_cmd_install(int argc, char **argv);
/* diff against the release, a saved render, or between two streams */
int hx_cmd_diff(int argc, char **argv);

/* flux template|lint|diff: what helm-controller would deploy */
int hx_cmd_flux(int argc, char **argv);

/* adopt RELEASE KIND/NAME...: objects of the cluster into a release */
int hx_cmd_adopt(int argc, char **argv);

/* argocd generate|discover|parameters: an Argo CD plugin's commands */
int hx_cmd_argocd(int argc, char **argv);

/* Shared by the commands (cmd_common.c). */

/*
 * helm x patch (postrender 0) and postrender (1): the flow both run,
 * help the usage text (cmd_patch.c).
 */
int hx_patch_run(int argc, char **argv, const char *help, int postrender);

/*
 * Parse argv into o.  Returns 1 when --help was asked (usage printed), 0 to
 * go on, -1 with the error set.
 */
int hx_opts_parse(struct hx_opts *o, int argc, char **argv, const char *usage);

/*
 * The render options of o for release (the template args are o's).  A
 * release name helm would refuse (see hx_helm_check_release) is refused
 * here, before anything runs: sets the error and returns -1.
 */
int hx_opts_render_opts(struct hx_render_opts *ro, struct hx_opts *o,
                        const char *release);

/* The release namespace: -n, else $HELM_NAMESPACE, else NULL. */
const char *hx_opts_namespace(const struct hx_opts *o);
/*
 * Check the --inject commands, then load --openapi and the patch flags of
 * o, in command-line order.
 */
int hx_opts_load_patches(struct hx_patchset *ps, const struct hx_opts *o);
/*
 * What a rendering command does first (template, install, upgrade, apply,
 * lint, diff): the render options for release, the patch files loaded
 * (only the documents a patch targets are parsed: helm has parsed its own
 * output), the kind of source.  0, or -1 with the error set.
 */
int hx_opts_prepare_render(struct hx_render_opts *ro, struct hx_patchset *ps,
                           enum hx_input_kind *kind, struct hx_opts *o,
                           const char *release, const char *source);
/*
 * A render's result (hx_render, hx_streams_render_live) as the command's
 * exit code: 0 to go on; 1 for -1 or after a signal (what helm printed
 * meanwhile is no render); a child's non-zero status as it is.
 */
int hx_render_exit(int rc);
/*
 * Apply the patches to every stream, check that each matched (printing the
 * warnings of --allow-no-match), and, when print is set, write the streams
 * to stdout.
 */
int hx_streams_patch(struct hx_patchset *ps, struct hx_streams *s,
                     const struct hx_opts *o, int print);
/* Write the streams to stdout as patched. */
int hx_streams_print(struct hx_streams *s);

/*
 * Append helm install/upgrade flags, with Helm 4's spellings of --atomic and
 * --force (--rollback-on-failure, --force-replace) for the helm at hand.
 */
int hx_opts_push_install_flags(struct hx_strvec *argv, const struct hx_opts *o);

/*
 * --post-render: run "helm VERB RELEASE SOURCE" (template, install or
 * upgrade) with helm-x's patches of o as helm's post-renderer, instead of
 * a temporary chart.  SOURCE must be a chart.  Returns the exit code.
 */
int hx_post_render_run(struct hx_opts *o, const char *verb, const char *release,
                       const char *source, int upgrade_install);

/* The same in steps, for a caller that runs helm itself (diff). */
struct hx_post_render {
	struct hx_proc helm; /* its argv, made by prepare */
	char *errors;        /* where x-patch writes its error line */
};
#define HX_POST_RENDER_INIT                                                    \
	{                                                                      \
		HX_PROC_INIT, NULL                                             \
	}
/* Check o for --post-render and make helm's argv (no "--" words). */
int hx_post_render_prepare(struct hx_post_render *pr, struct hx_opts *o,
                           const char *verb, const char *release,
                           const char *source, int upgrade_install,
                           const char *tmp);
/* helm's status as the exit code, with helm-x's error lines shown. */
int hx_post_render_status(struct hx_post_render *pr, int rc);
void hx_post_render_release(struct hx_post_render *pr);

/*
 * 1 when a chart of this kind is rendered as the install will render it
 * (helm install|upgrade --dry-run=server): a chart, and no client-side
 * --dry-run in the install flags.
 */
int hx_opts_live_wanted(enum hx_input_kind kind,
                        const struct hx_strvec *install_args);
/*
 * Replace s (helm template's render of the chart in chart_dir) by the
 * release's render (hx_live_render), keeping the CRDs.  Returns 0, -1
 * with the error set, or helm's exit status.
 */
int hx_streams_render_live(struct hx_streams *s, const char *chart_dir,
                           int upgrade, const struct hx_render_opts *ro,
                           const struct hx_opts *o);

/* Run every --inject of o on each manifest file under dir. */
int hx_opts_inject(const struct hx_opts *o, const char *dir);

/* --adopt of o (install, upgrade, apply): adopt into release (adopt.h). */
int hx_adopt_opts(const struct hx_opts *o, const char *release);
/*
 * --inject on a stream (template, diff --from): s written as one file of
 * tmp, the commands run on it, s replaced by what they left (one stream,
 * "<--inject>").  Sets the error and returns -1.
 */
int hx_streams_inject(struct hx_streams *s, const struct hx_opts *o,
                      const char *tmp);

#endif
