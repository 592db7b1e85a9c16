#ifndef HX_CLI_H
#define HX_CLI_H

#include "hx/strvec.h"

enum hx_patch_flag {
	HX_FLAG_JSON_PATCH, /* --json-patch */
	HX_FLAG_SMP,        /* --strategic-merge-patch */
	HX_FLAG_PATCHES,    /* --patches */
};

/* One of helm's global flags (--kubeconfig, --kube-context, -n, ...) and
 * the variable helm reads it from. */
struct hx_helm_flag {
	const char *name; /* without "--" */
	char short_name;
	int takes_value;
	const char *env;
};
/* The global flag --NAME (len bytes; name NULL: -SHORT_NAME), or NULL. */
const struct hx_helm_flag *hx_cli_helm_global(const char *name, size_t len,
                                              char short_name);

/* The patch flags in command-line order: patches apply in that order. */
struct hx_patch_args {
	enum hx_patch_flag *flags; /* owned */
	struct hx_strvec files;    /* files[i] goes with flags[i] */
	size_t alloc;
};

/* Parsed command line of one helm-x command; no I/O here. */
struct hx_opts {
	const char *command;   /* borrowed from argv */
	struct hx_strvec args; /* positional arguments */
	struct hx_patch_args patches;
	struct hx_strvec openapi; /* --openapi FILE */
	/* helm flags, as argv words, by where they go */
	struct hx_strvec values;        /* -f --set ...: template and install */
	struct hx_strvec template_args; /* --kube-version --api-versions ... */
	struct hx_strvec install_args;  /* --wait --timeout --atomic ... */
	struct hx_strvec pull_args;     /* --plain-http --username ... */
	struct hx_strvec diff_args;     /* helm x diff's flags, as words */
	const char *diff_flag;          /* the first of them, borrowed */
	struct hx_strvec extra;         /* after "--": to the helm command */
	const char *name;               /* --name (template) */
	const char *chart_version;      /* --version */
	const char *repo;               /* --repo */
	int devel;                      /* --devel */
	int install;                    /* --install (upgrade) */
	const char *kube_context;       /* --kube-context */
	int keep_tmp;                   /* --keep-tmp */
	struct hx_strvec inject;        /* --inject 'CMD ... FILE', in order */
	struct hx_strvec deps;          /* --dependency ALIAS=REPO/CHART:V */
	int alpha_plugins;              /* --enable_alpha_plugins */
	int post_render;                /* --post-render */
	struct hx_strvec adopt;         /* --adopt KIND/NAME[,...] */
	struct hx_strvec both_args;     /* --skip-schema-validation ...: to
	                                   the render and install alike */
	struct hx_strvec lint_args;     /* --strict ...: helm lint */
	const char *output;             /* -o: helm install/upgrade's */
	const char *output_dir;         /* template --output-dir */
	struct hx_strvec show_only;     /* template --show-only */
	int release_name_dir;           /* template --release-name */
	const char *post_renderer;      /* --post-renderer */
	struct hx_strvec post_renderer_args;
	struct hx_strvec install_only; /* to helm install/upgrade, never to
	                                  a render (another post-renderer) */
	struct hx_strvec globals;      /* "VAR=value" of helm's global
	                                  flags given after the command */
	int allow_no_match;
	int allow_empty; /* --allow-empty: upgrade a release to nothing */
	const char *ns;  /* --namespace, borrowed */
	/* the first flag given that only a helm command uses, borrowed */
	const char *helm_flag;
	int help;
	int debug;
};
/* every field zero: empty vectors, no flags */
#define HX_OPTS_INIT                                                           \
	{                                                                      \
		.command = NULL                                                \
	}

/*
 * Parse argv[0..argc) (argv[0] is the command name).  Flags take their value
 * as the next word or after '='; "--" ends the flags; "-" is positional.
 * An unknown flag or a missing value sets the error and returns -1.
 */
int hx_cli_parse(struct hx_opts *out, int argc, char **argv);
void hx_opts_release(struct hx_opts *o);

/*
 * 1 when arg ("--context", "-C"; no "=value") is one of helm x diff's own
 * flags: *name gets its long name (static) and *takes_value 1 when it
 * takes a value, 2 when only as --flag=value (or, for --color, the next
 * word when hx_cli_color_word says it is one).  For commands that parse
 * their own flags and hand diff's on as words (flux diff).
 */
int hx_cli_diff_flag(const char *arg, const char **name, int *takes_value);
/* always, never or auto: a value of --color (Helm 4's spelling). */
int hx_cli_color_word(const char *w);

/* Shell completion: the long flags starting with prefix ("--..."). */
void hx_cli_flag_names(struct hx_strvec *out, const char *prefix);
/* 1 when the flag's value is a file (complete file names there). */
int hx_cli_takes_file(const char *flag);

#endif
