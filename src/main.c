#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/cmd.h"
#include "hx/err.h"
#include "hx/util.h"
#include "hx/version.h"
#include "hx/yamldoc.h"

/* clang-format off */
static const char usage[] =
	"helm-x " HX_VERSION ": render, patch and install charts, kustomizations\n"
	"and manifest directories with native strategic-merge and JSON patches.\n"
	"\n"
	"Usage: helm x COMMAND [ARGS] [flags]    (or: helm-x COMMAND ...)\n"
	"\n"
	"Commands:\n"
	"  template [RELEASE] SOURCE\n"
	"                          render a chart, kustomization or manifests,\n"
	"                          patch them, print the stream\n"
	"  install RELEASE SOURCE  render, patch, install as a temporary chart\n"
	"  upgrade RELEASE SOURCE  the same with helm upgrade (--install)\n"
	"  apply RELEASE SOURCE    upgrade --install\n"
	"  lint SOURCE             render, patch, check strictly, helm lint\n"
	"  diff [upgrade] RELEASE SOURCE\n"
	"                          what an upgrade would change, in helm-diff's\n"
	"                          format (also offline: --from OLD, or\n"
	"                          'diff manifests OLD NEW')\n"
	"  patch [FILE|DIR|-]...   patch YAML streams and print them\n"
	"  version                 print the version\n"
	"  help                    this help\n"
	"\n"
	"Coming next (not in this build): adopt.\n"
	"Any other command runs $HELM_BIN (else 'helm') with the same arguments.\n"
	"\n"
	"Run 'helm-x COMMAND --help' for a command's flags.\n";
/* clang-format on */

static int cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("helm-x %s\n", HX_VERSION);
	return 0;
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs(usage, stdout);
	return 0;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
        /* clang-format off */
	{"patch", hx_cmd_patch},
	{"diff", hx_cmd_diff},
	{"template", hx_cmd_template},
	{"install", hx_cmd_install},
	{"upgrade", hx_cmd_install},
	{"apply", hx_cmd_install},
	{"lint", hx_cmd_install},
	{"version", cmd_version},
	{"help", cmd_help},
	{"--help", cmd_help},
	{"-h", cmd_help},
        /* clang-format on */
};

static const char *const planned[] = {"adopt", NULL};

/* Unknown commands are helm's: exec it with the same arguments. */
static int exec_helm(int argc, char **argv)
{
	const char *helm = getenv("HELM_BIN");
	const char *from = " (from HELM_BIN)";
	char **av = calloc((size_t)argc + 1, sizeof(*av));
	int i;

	if (!av) {
		hx_error_set("out of memory");
		return hx_error_report();
	}
	if (!helm || !*helm) {
		helm = "helm";
		from = "";
	}
	av[0] = strdup(helm);
	for (i = 1; i < argc; i++)
		av[i] = argv[i];
	fflush(stdout);
	execvp(helm, av);
	hx_error_set("cannot run '%s': %s%s", helm, strerror(errno), from);
	free(av[0]);
	free(av);
	return hx_error_report();
}

/* A size from the environment: "N", or N with K, M or G (binary units). */
static int size_from_env(const char *name, void (*set)(size_t))
{
	const char *v = getenv(name);
	unsigned long long n = 0;
	const char *p;
	int shift = 0;

	if (!v || !*v)
		return 0;
	for (p = v; *p >= '0' && *p <= '9'; p++) {
		if (n > (unsigned long long)SIZE_MAX / 10)
			goto bad;
		n = n * 10 + (unsigned long long)(*p - '0');
	}
	if (p == v)
		goto bad;
	if (*p == 'K' || *p == 'k')
		shift = 10;
	else if (*p == 'M' || *p == 'm')
		shift = 20;
	else if (*p == 'G' || *p == 'g')
		shift = 30;
	if (shift)
		p++;
	if (*p || !n || n > ((unsigned long long)SIZE_MAX >> (shift + 1)))
		goto bad;
	set((size_t)(n << shift));
	return 0;
bad:
	hx_error_set("%s='%s': want a number of bytes, such as 512M", name, v);
	return -1;
}

int main(int argc, char **argv)
{
	size_t i;
	int rc;

	if (argc < 2)
		return cmd_help(0, NULL);
	if (size_from_env("HELM_X_MAX_INPUT_BYTES", hx_set_read_max) < 0 ||
	    size_from_env("HELM_X_MAX_SCALAR_BYTES", hx_yaml_set_scalar_max) <
	            0)
		return hx_error_report();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name)) {
			rc = cmds[i].fn(argc - 1, argv + 1);
			if (fclose(stdout) != 0 && !rc) {
				perror("helm-x: error: cannot write output");
				rc = 1;
			}
			return rc;
		}
	for (i = 0; planned[i]; i++)
		if (!strcmp(argv[1], planned[i])) {
			hx_error_set(
			        "'%s' is not implemented in this build yet "
			        "(see 'helm-x help')",
			        argv[1]);
			return hx_error_report();
		}
	return exec_helm(argc, argv);
}
