#ifndef HX_TMPDIR_H
#define HX_TMPDIR_H

/*
 * The private temporary directory of one helm-x run: mkdtemp under $TMPDIR
 * (else /tmp), mode 0700, removed at exit and on SIGINT/SIGTERM/SIGHUP
 * (only by the process that made it), unless kept.
 */

/* Create it; returns its path (borrowed, valid until removed) or NULL. */
const char *hx_tmpdir_create(int keep);
/* Remove it now (no-op when kept or absent). */
void hx_tmpdir_remove(void);
/*
 * Catch SIGINT, SIGTERM, SIGHUP and SIGPIPE from now on: the handler notes the
 * signal and passes one sent to helm-x alone (kill, not a terminal's ^C,
 * which reached the child already) to the running child.  A child still
 * running a grace period later ($HELM_X_KILL_GRACE seconds, default 30),
 * or at a second signal, is killed with SIGKILL.  Commands check
 * hx_interrupted() between steps and end with hx_tmpdir_reraise().
 */
void hx_signals_init(void);
/* The signal that interrupted us, or 0. */
int hx_interrupted(void);
/* Restore default handling and re-raise the signal we got, if any. */
void hx_tmpdir_reraise(void);

#endif
