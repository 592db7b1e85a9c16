#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/cli.h"
#include "hx/cmd.h"
#include "hx/err.h"
#include "hx/postrender.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/version.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

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
	"  lint [RELEASE] SOURCE   render, patch, check strictly, helm lint\n"
	"  diff [upgrade] RELEASE SOURCE\n"
	"                          what an upgrade would change, in helm-diff's\n"
	"                          format (also offline: --from OLD, or\n"
	"                          'diff manifests OLD NEW')\n"
	"  adopt RELEASE KIND/NAME...\n"
	"                          make existing objects part of a release\n"
	"  flux template|lint|diff PATH...\n"
	"                          what Flux's helm-controller would deploy\n"
	"                          from the HelmReleases in PATH\n"
	"  argocd generate|discover|parameters\n"
	"                          an Argo CD Config Management Plugin\n"
	"                          (argocd/plugin.yaml)\n"
	"  patch [FILE|DIR|-]...   patch YAML streams and print them (also as\n"
	"                          Helm 3's post-renderer: see postrender-path)\n"
	"  postrender [patch flags]\n"
	"                          patch as Helm 4's post-renderer plugin\n"
	"                          x-patch (--post-renderer x-patch)\n"
	"  postrender-path         the path of this binary, for Helm 3's\n"
	"                          --post-renderer\n"
	"  postrender-plugin       the directory of Helm 4's post-renderer\n"
	"                          plugin x-patch, for helm plugin install\n"
	"  version                 print the version\n"
	"  help                    this help\n"
	"\n"
	"Any other command runs $HELM_BIN (else 'helm') with the same arguments.\n"
	"helm's global flags may come before the command, and after it too\n"
	"(each sets the variable helm reads, for every helm helm-x runs):\n"
	"--kubeconfig, --kube-context (--kubecontext), -n, --debug,\n"
	"--kube-apiserver, --kube-token, --kube-as-user, --kube-as-group,\n"
	"--kube-ca-file, --kube-tls-server-name, --kube-insecure-skip-tls-verify,\n"
	"--registry-config, --repository-config, --repository-cache,\n"
	"--burst-limit, --qps.  Run outside 'helm x', 'version' prints helm's\n"
	"version (helmfile's helm binary).\n"
	"\n"
	"Run 'helm-x COMMAND --help' for a command's flags.\n";
/* clang-format on */

static int exec_helm(int argc, char **argv);

/*
 * helm x version: helm-x's own (--short: "vX.Y.Z").  Run as helm's binary
 * (helmfile's helmBinary: no HELM_PLUGIN_NAME), helm's, which is what
 * helmfile's version probe parses.
 */
static int cmd_version(int argc, char **argv)
{
	const char *plugin = getenv("HELM_PLUGIN_NAME");

	if (!plugin || !*plugin)
		return exec_helm(argc + 1, argv - 1);
	if (argc > 1 && !strcmp(argv[1], "--short")) {
		printf("v%s\n", HX_VERSION);
		return 0;
	}
	printf("helm-x %s\n", HX_VERSION);
	hx_build_info(stdout);
	return 0;
}

static int cmd_help(int argc, char **argv);
static int cmd_complete(int argc, char **argv);

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
} cmds[] = {
        /* clang-format off */
	{"patch", hx_cmd_patch},
	{"postrender", hx_cmd_postrender},
	{"diff", hx_cmd_diff},
	{"adopt", hx_cmd_adopt},
	{"flux", hx_cmd_flux},
	{"argocd", hx_cmd_argocd},
	{"template", hx_cmd_template},
	{"install", hx_cmd_install},
	{"upgrade", hx_cmd_install},
	{"apply", hx_cmd_install},
	{"lint", hx_cmd_install},
	{"version", cmd_version},
	{"postrender-path", hx_cmd_postrender_path},
	{"postrender-plugin", hx_cmd_postrender_plugin},
	{"help", cmd_help},
	{"__complete", cmd_complete},
	{"--help", cmd_help},
	{"-h", cmd_help},
        /* clang-format on */
};

/* helm x help [COMMAND]: the command's own page. */
static int cmd_help(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && strcmp(argv[1], "help") && argv[1][0] != '-')
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (!strcmp(argv[1], cmds[i].name)) {
				static char help_flag[] = "--help";
				char *av[] = {argv[1], help_flag, NULL};

				return cmds[i].fn(2, av);
			}
	if (argc > 1 && strcmp(argv[1], "help") && argv[1][0] != '-') {
		hx_error_set("no help for '%s': not a helm-x command (see "
		             "'helm x help')",
		             argv[1]);
		return hx_error_report();
	}
	fputs(usage, stdout);
	return 0;
}

/* helm's commands (and its usual plugins'): they go to helm. */
static const char *const helm_cmds[] = {
        "completion", "create",   "dependency", "dep",      "env",
        "get",        "history",  "install",    "lint",     "list",
        "ls",         "package",  "plugin",     "pull",     "fetch",
        "push",       "registry", "repo",       "rollback", "search",
        "show",       "inspect",  "status",     "template", "test",
        "uninstall",  "delete",   "del",        "un",       "upgrade",
        "verify",     "version",  "secrets",    "unittest", "diff",
        NULL};

static int is_helm_cmd(const char *word)
{
	size_t i;

	for (i = 0; helm_cmds[i]; i++)
		if (!strcmp(word, helm_cmds[i]))
			return 1;
	return 0;
}

static int is_ours(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, name))
			return 1;
	return 0;
}

/*
 * helm's plugin.complete runs "helm-x __complete ARGS... PARTIAL": the
 * candidates, one per line, then cobra's directive (":4" no file
 * completion, ":0" files too).  Commands first; then flags; files after a
 * flag that takes one (the patch flags, -f) and for SOURCE.
 */
static int cmd_complete(int argc, char **argv)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	const char *part = argc > 1 ? argv[argc - 1] : "";
	const char *prev = argc > 2 ? argv[argc - 2] : "";
	size_t i;
	int files = 1;

	if (argc <= 2) {
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
			if (cmds[i].name[0] != '-' && cmds[i].name[0] != '_' &&
			    !strncmp(cmds[i].name, part, strlen(part)))
				printf("%s\n", cmds[i].name);
		files = 0;
	} else if (part[0] == '-' && !hx_cli_takes_file(prev)) {
		hx_cli_flag_names(&names, part);
		for (i = 0; i < names.n; i++)
			printf("%s\n", names.v[i]);
		files = 0;
	}
	printf(":%d\n", files ? 0 : 4);
	hx_strvec_clear(&names);
	return 0;
}

/* Levenshtein distance of two short words, capped at 3. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, row[32], prev, cur;

	if (la >= 31 || lb >= 31)
		return 3;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1]
			                 ? prev
			                 : 1 + (prev < row[j - 1]
			                                ? (prev < row[j]
			                                           ? prev
			                                           : row[j])
			                                : (row[j - 1] < row[j]
			                                           ? row[j - 1]
			                                           : row[j]));
			prev = cur;
		}
	}
	return row[lb] < 3 ? row[lb] : 3;
}

/*
 * A word that is no helm-x command and no helm command but one or two
 * letters from a helm-x command is a typo: say so instead of handing
 * "tempalte" to helm.
 */
static int did_you_mean(const char *word)
{
	size_t i, best = 3;
	const char *what = NULL;

	if (word[0] == '-')
		return 0;
	if (!strcmp(word, "dump")) {
		/* old helm-x's dump: a release's objects as YAML */
		hx_error_set(
		        "'dump' was old helm-x's: the objects of a release "
		        "are 'helm get manifest RELEASE'; what a chart "
		        "renders to, patched, is 'helm x template "
		        "RELEASE SOURCE'");
		return 1;
	}
	for (i = 0; helm_cmds[i]; i++)
		if (!strcmp(word, helm_cmds[i]))
			return 0;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		size_t d = cmds[i].name[0] == '-'
		                   ? 3
		                   : distance(word, cmds[i].name);

		if (d < best) {
			best = d;
			what = cmds[i].name;
		}
	}
	/* a short word must be one letter off ("dif", "lnt") */
	if (!what || best > 2 || strlen(word) < 3 ||
	    (strlen(word) == 3 && best > 1))
		return 0;
	/* as near to one of helm's own: helm answers (its did-you-mean) */
	for (i = 0; helm_cmds[i]; i++)
		if (distance(word, helm_cmds[i]) <= best &&
		    !is_ours(helm_cmds[i]))
			return 0;
	hx_error_set("unknown command '%s': did you mean '%s'? (helm-x hands "
	             "other commands to helm: 'helm x help')",
	             word, what);
	return 1;
}

/*
 * Read the global flags in front of the command; returns the command's
 * index in argv, or 0 when a word there is no global flag (then helm gets
 * the line as it is).  Sets the variables only when set_env.
 */
static int global_flags(int argc, char **argv, int set_env)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *a = argv[i], *eq = NULL, *value = NULL;
		const struct hx_helm_flag *g;

		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			g = hx_cli_helm_global(
			        a + 2,
			        eq ? (size_t)(eq - a - 2) : strlen(a + 2), 0);
			if (eq)
				value = eq + 1;
		} else {
			g = hx_cli_helm_global(NULL, 0, a[1]);
			if (g && a[2])
				value = a + 2;
		}
		if (!g)
			return 0;
		/* Helm 4's --color WHEN, or --color alone (always): a command
		 * word after it is the command */
		if (!value && !strcmp(g->env, "HELM_X_COLOR") &&
		    (i + 1 >= argc || is_ours(argv[i + 1]) ||
		     is_helm_cmd(argv[i + 1]) || !strcmp(argv[i + 1], "x")))
			value = "always";
		if (g->takes_value && !value) {
			if (i + 1 >= argc)
				return 0;
			value = argv[++i];
		}
		if (set_env && setenv(g->env, value ? value : "true", 1))
			return 0;
	}
	return i < argc ? i : 0;
}

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
	int rc, cmd;

	if (argc < 2)
		return cmd_help(0, NULL);
#ifdef __GLIBC__
	/*
	 * Every document gets a libyaml parser whose buffers are freed for
	 * the next one: keep freed heap memory rather than giving it back to
	 * the kernel and faulting it in again (2% of a big patch run).
	 */
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
#endif
	if (size_from_env("HELM_X_MAX_INPUT_BYTES", hx_set_read_max) < 0 ||
	    size_from_env("HELM_X_MAX_SCALAR_BYTES", hx_yaml_set_scalar_max) <
	            0)
		return hx_error_report();
	/* helm's global flags first (helmfile's line): the command after */
	cmd = argv[1][0] == '-' ? global_flags(argc, argv, 0) : 1;
	if (!cmd)
		cmd = 1; /* "--help", or a flag for helm */
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[cmd], cmds[i].name)) {
			if (cmd > 1 && strcmp(argv[cmd], "version"))
				global_flags(argc, argv, 1);
			if (!strcmp(argv[cmd], "version") && cmd > 1)
				return exec_helm(argc, argv);
			rc = cmds[i].fn(argc - cmd, argv + cmd);
			if (fclose(stdout) != 0 && !rc) {
				perror("helm-x: error: cannot write output");
				rc = 1;
			}
			return rc;
		}
	if (did_you_mean(argv[cmd]))
		return hx_error_report();
	return exec_helm(argc, argv);
}
