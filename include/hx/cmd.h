#ifndef HX_CMD_H
#define HX_CMD_H

struct hx_opts;
struct hx_render_opts;
struct hx_patchset;
struct hx_streams;

/* Commands: argv[0] is the command name; each returns the exit code. */
int hx_cmd_patch(int argc, char **argv);
int hx_cmd_template(int argc, char **argv);
/* install, upgrade, apply and lint (argv[0] says which) */
int hx_cmd_install(int argc, char **argv);
/* diff against the release, a saved render, or between two streams */
int hx_cmd_diff(int argc, char **argv);

/* Shared by the commands (cmd_common.c). */

/*
 * Parse argv into o.  Returns 1 when --help was asked (usage printed), 0 to
 * go on, -1 with the error set.
 */
int hx_cmd_parse(struct hx_opts *o, int argc, char **argv, const char *usage);

/*
 * The render options of o for release (the template args are o's).  A
 * release name starting with '-' is refused (helm would read it as a
 * flag): sets the error and returns -1.
 */
int hx_cmd_render_opts(struct hx_render_opts *ro, struct hx_opts *o,
                       const char *release);

/* The release namespace: -n, else $HELM_NAMESPACE, else NULL. */
const char *hx_cmd_namespace(const struct hx_opts *o);
/*
 * Check the --inject commands, then load --openapi and the patch flags of
 * o, in command-line order.
 */
int hx_cmd_load_patches(struct hx_patchset *ps, const struct hx_opts *o);
/*
 * Apply the patches to every stream, check that each matched (printing the
 * warnings of --allow-no-match), and, when print is set, write the streams
 * to stdout.
 */
int hx_cmd_patch_streams(struct hx_patchset *ps, struct hx_streams *s,
                         const struct hx_opts *o, int print);

/* Run every --inject of o on each manifest file under dir. */
int hx_cmd_inject(const struct hx_opts *o, const char *dir);

#endif
