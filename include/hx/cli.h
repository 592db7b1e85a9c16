#ifndef HX_CLI_H
#define HX_CLI_H

#include "hx/strvec.h"

/* Parsed command line of one helm-x command; no I/O here. */
struct hx_opts {
	const char *command;           /* borrowed from argv */
	struct hx_strvec args;         /* positional arguments */
	struct hx_strvec json_patches; /* --json-patch FILE, in order */
	int allow_no_match;
	const char *ns; /* --namespace, borrowed */
	int help;
	int debug;
};
#define HX_OPTS_INIT                                                           \
	{                                                                      \
		NULL, HX_STRVEC_INIT, HX_STRVEC_INIT, 0, NULL, 0, 0            \
	}

/*
 * Parse argv[0..argc) (argv[0] is the command name).  Flags take their value
 * as the next word or after '='; "--" ends the flags; "-" is positional.
 * An unknown flag or a missing value sets the error and returns -1.
 */
int hx_cli_parse(struct hx_opts *out, int argc, char **argv);
void hx_opts_release(struct hx_opts *o);

#endif
