#ifndef HX_ERR_H
#define HX_ERR_H

#include <stdio.h>

#include "hx/compat.h"

/*
 * One error slot per thread (libgit2 style; flux's parallel renders each
 * have theirs, hx_error_save/restore carry one across).  Functions that fail
 * set it where the failure happens and return -1 (or NULL); callers only add
 * context they alone know with hx_error_prefix().  Only the top level prints
 * it, with hx_error_report().
 */

struct hx_node;

/* Set the error message; replaces any earlier one. */
void hx_error_set(const char *fmt, ...) HX_PRINTF(1, 2);
/* Same, with ": strerror(errno)" appended. */
void hx_error_set_errno(const char *fmt, ...) HX_PRINTF(1, 2);
/* "FILE:LINE:COL: error: MSG"; line and col are 1-based, 0 leaves them out. */
void hx_error_set_at(const char *file, unsigned line, unsigned col,
                     const char *fmt, ...) HX_PRINTF(4, 5);
/* Same, at the node's own position (file, line and column). */
void hx_error_set_node(const struct hx_node *node, const char *fmt, ...)
        HX_PRINTF(2, 3);
/* Give the current error a position ("FILE:LINE:COL: ") if it has none. */
void hx_error_locate(const char *file, unsigned line, unsigned col);
/* Prepend text to the message (after any "FILE:LINE:COL: error: " part). */
void hx_error_prefix(const char *fmt, ...) HX_PRINTF(1, 2);
/* Append text to the message. */
void hx_error_suffix(const char *fmt, ...) HX_PRINTF(1, 2);

/* The current message, "" when none (borrowed). */
const char *hx_error_message(void);
int hx_error_is_set(void);
void hx_error_clear(void);
/* The same, and this thread's buffers freed: a thread's last call. */
void hx_error_release(void);

/*
 * Print the error to stderr as one line ("helm-x: error: ..." when it has no
 * position) and return the exit code: 1 when an error was set, else 0.
 */
int hx_error_report(void);
/* Write the pending error line to f too, as hx_error_report() would. */
void hx_error_copy(FILE *f);

/*
 * Move the error to another thread: save takes it out of this thread's slot
 * (new strings: free() them), restore puts it into the calling thread's.
 */
void hx_error_save(char **head, char **msg);
void hx_error_restore(const char *head, const char *msg);

/*
 * End of a command: 0 when rc is 0; else print the error (or, should a bug
 * have failed without one, say so) and return rc when it is a child's exit
 * status (> 1), else 1.
 */
int hx_error_exit(int rc);

/* Print "helm-x: warning: ..." to stderr. */
void hx_warning(const char *fmt, ...) HX_PRINTF(1, 2);

#endif
