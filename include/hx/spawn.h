#ifndef HX_SPAWN_H
#define HX_SPAWN_H

#include "hx/strvec.h"

struct hx_strbuf;

/*
 * A child process run from an argv array (never a shell).  stdin is
 * inherited; stdout is captured when capture_out is set, else inherited;
 * stderr goes to err_file (created or truncated) when set, else inherited.
 */
struct hx_proc {
	struct hx_strvec args; /* argv; args.v[0] is the program */
	int capture_out;
	const char *what;     /* for messages: "helm", "kustomize" */
	const char *err_file; /* NULL: the child's stderr is ours */
};
#define HX_PROC_INIT                                                           \
	{                                                                      \
		HX_STRVEC_INIT, 0, NULL, NULL                                  \
	}

/*
 * Run the child to the end.  Returns its exit status (128+N for signal N),
 * or -1 with the error set when it could not be started.  A program name
 * without '/' is looked up in PATH.  With capture_out, stdout is appended
 * to out (may be NULL otherwise).
 */
int hx_proc_run(struct hx_proc *p, struct hx_strbuf *out);
/* --debug: print every argv run, on stderr, before running it. */
void hx_proc_trace(int on);
void hx_proc_release(struct hx_proc *p);

/*
 * Send sig to every child running now (from a signal handler: it only
 * reads atomics and calls kill); returns how many there were.
 */
int hx_proc_signal_running(int sig);

#endif
