#ifndef HX_CMD_H
#define HX_CMD_H

struct hx_opts;
struct hx_patchset;
struct hx_streams;

/* Commands: argv[0] is the command name; each returns the exit code. */
int hx_cmd_patch(int argc, char **argv);
int hx_cmd_template(int argc, char **argv);
/* install, upgrade, apply and lint (argv[0] says which) */
int hx_cmd_install(int argc, char **argv);

/* Shared by the commands (cmd_common.c). */

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
