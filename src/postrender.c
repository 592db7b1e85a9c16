#include "hx/postrender.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/helm.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/util.h"

char *hx_self_path(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (n <= 0) {
		hx_error_set_errno("cannot find this binary's path");
		return NULL;
	}
	path[n] = '\0';
	return hx_xstrdup(path);
}

char *hx_postrender_plugin_dir(void)
{
	char *self = hx_self_path(), *bin, *top, *dir, *yaml;
	struct stat st;

	if (!self)
		return NULL;
	bin = hx_dirname(self);
	top = hx_dirname(bin);
	dir = hx_path_join(top, HX_POSTRENDER_PLUGIN);
	yaml = hx_path_join(dir, "plugin.yaml");
	if (stat(yaml, &st) != 0 || !S_ISREG(st.st_mode)) {
		hx_error_set("Helm 4's post-renderer plugin is not beside this "
		             "binary (no %s): install helm-x as a helm plugin "
		             "from its source tree (helm plugin install DIR), "
		             "then 'helm plugin install \"$(helm x "
		             "postrender-plugin)\"'",
		             yaml);
		free(dir);
		dir = NULL;
	}
	free(yaml);
	free(top);
	free(bin);
	free(self);
	return dir;
}

/* 1 when Helm 4 lists x-patch among its postrenderer/v1 plugins. */
static int plugin_installed(void)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	const char *line;
	int rc;

	hx_strvec_pushl(&p.args, hx_helm_bin(), "plugin", "list", "--type",
	                "postrenderer/v1", NULL);
	p.capture_out = 1;
	p.what = "helm plugin list";
	rc = hx_proc_run(&p, &out);
	if (rc > 0)
		hx_error_set("'helm plugin list' exited with status %d", rc);
	for (line = out.buf; rc == 0 && line && *line;) {
		size_t n = strlen(HX_POSTRENDER_PLUGIN);
		const char *nl = strchr(line, '\n');

		if (!strncmp(line, HX_POSTRENDER_PLUGIN, n) &&
		    (line[n] == ' ' || line[n] == '\t')) {
			rc = 1;
			break;
		}
		line = nl ? nl + 1 : NULL;
	}
	hx_strbuf_release(&out);
	hx_proc_release(&p);
	return rc;
}

/* Install x-patch from beside this binary, its output to our stderr. */
static int install_plugin(void)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	char *dir = hx_postrender_plugin_dir();
	int rc;

	if (!dir)
		return -1;
	hx_strvec_pushl(&p.args, hx_helm_bin(), "plugin", "install", dir, NULL);
	p.what = "helm plugin install";
	p.capture_out = 1; /* helm's chatter stays out of our stdout */
	rc = hx_proc_run(&p, &out);
	if (rc > 0 && out.len)
		fwrite(out.buf, 1, out.len, stderr);
	if (rc > 0)
		hx_error_set("'helm plugin install %s' exited with status %d: "
		             "install Helm 4's post-renderer plugin yourself "
		             "('helm plugin install \"$(helm x "
		             "postrender-plugin)\"')",
		             dir, rc);
	else if (rc == 0)
		fprintf(stderr,
		        "helm-x: installed Helm 4's post-renderer plugin %s "
		        "from %s\n"
		        "helm-x: note: a Helm 3 sharing this plugin directory "
		        "cannot load it and then loads no plugin; for Helm 3 "
		        "remove it (helm plugin uninstall %s) or give Helm 4 "
		        "its own HELM_PLUGINS\n",
		        HX_POSTRENDER_PLUGIN, dir, HX_POSTRENDER_PLUGIN);
	hx_strbuf_release(&out);
	hx_proc_release(&p);
	free(dir);
	return rc == 0 ? 0 : -1;
}

static const char *const flag_name[] = {
        [HX_FLAG_JSON_PATCH] = "--json-patch",
        [HX_FLAG_SMP] = "--strategic-merge-patch",
        [HX_FLAG_PATCHES] = "--patches",
};

static void push_arg(struct hx_strvec *argv, const char *flag,
                     const char *value, int is_file)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char cwd[PATH_MAX];

	/* one word, "--post-renderer-args=--flag=value": helm splits no
	 * commas in it; files absolute, whatever directory helm runs in */
	hx_strbuf_addf(&sb, "--post-renderer-args=%s", flag);
	if (value) {
		hx_strbuf_addch(&sb, '=');
		if (is_file && value[0] != '/' && strcmp(value, "-") &&
		    getcwd(cwd, sizeof cwd))
			hx_strbuf_addf(&sb, "%s/", cwd);
		hx_strbuf_adds(&sb, value);
	}
	hx_strvec_push(argv, sb.buf);
	hx_strbuf_release(&sb);
}

int hx_postrender_helm_args(struct hx_strvec *argv, const struct hx_opts *o,
                            const char *ns)
{
	int major = hx_helm_major();
	size_t i;

	if (major < 0)
		return -1;
	if (major >= 4) {
		int have = plugin_installed();

		if (have < 0 || (!have && install_plugin() < 0))
			return -1;
		if (!have && (have = plugin_installed()) == 0)
			hx_error_set("helm plugin install put %s where this "
			             "helm does not load plugins from "
			             "($HELM_PLUGINS is not $HELM_DATA_HOME/"
			             "plugins): install it into $HELM_PLUGINS "
			             "yourself",
			             HX_POSTRENDER_PLUGIN);
		if (have <= 0)
			return -1;
		hx_strvec_pushl(argv, "--post-renderer", HX_POSTRENDER_PLUGIN,
		                NULL);
	} else {
		char *self = hx_self_path();

		if (!self)
			return -1;
		hx_strvec_pushl(argv, "--post-renderer", self,
		                "--post-renderer-args=postrender", NULL);
		free(self);
	}
	for (i = 0; i < o->patches.files.n; i++)
		push_arg(argv, flag_name[o->patches.flags[i]],
		         o->patches.files.v[i], 1);
	for (i = 0; i < o->openapi.n; i++)
		push_arg(argv, "--openapi", o->openapi.v[i], 1);
	if (o->allow_no_match)
		push_arg(argv, "--allow-no-match", NULL, 0);
	if (ns)
		push_arg(argv, "--namespace", ns, 0);
	return 0;
}

/* Print the path find() gives (new), for a command with no arguments. */
static int print_path(int argc, const char *cmd, char *(*find)(void))
{
	char *path;

	if (argc > 1) {
		hx_error_set("'%s' takes no arguments", cmd);
		return hx_error_report();
	}
	path = find();
	if (!path)
		return hx_error_report();
	printf("%s\n", path);
	free(path);
	return 0;
}

int hx_cmd_postrender_path(int argc, char **argv)
{
	(void)argv;
	return print_path(argc, "postrender-path", hx_self_path);
}

int hx_cmd_postrender_plugin(int argc, char **argv)
{
	(void)argv;
	return print_path(argc, "postrender-plugin", hx_postrender_plugin_dir);
}
