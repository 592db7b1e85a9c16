#include "hx/postrender.h"

#include <errno.h>
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
#include "hx/tmpdir.h"
#include "hx/util.h"

#include "hx/banned.h"

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

/* $HELM_PLUGINS as helm-x found it, to put back after a helm run. */
static struct hx_env_save plugins_saved = HX_ENV_SAVE_INIT;

/*
 * Helm 4 runs a post-renderer plugin by name from the directories in
 * $HELM_PLUGINS (a list; the first match wins).  helm-x puts a directory
 * of its temporary dir first, holding only a link to x-patch beside this
 * binary, for the helm runs it makes: nothing is installed, so no Helm 3
 * sharing the plugin directory ever meets a plugin it cannot load (it
 * then loads no plugin at all).
 */
static int plugins_env(void)
{
	struct hx_strbuf val = HX_STRBUF_INIT, cur = HX_STRBUF_INIT;
	const char *tmp = hx_tmpdir_create(0), *env = getenv("HELM_PLUGINS");
	char *plugin, *dir = NULL, *link = NULL;
	int rc = -1;

	if (plugins_saved.set)
		return 0;
	if (!tmp || !(plugin = hx_postrender_plugin_dir()))
		return -1;
	if (env && *env) {
		hx_strbuf_adds(&cur, env);
	} else {
		/* helm sets it for a plugin; helm-x alone asks helm */
		struct hx_proc p = HX_PROC_INIT;

		hx_strvec_pushl(&p.args, hx_helm_bin(), "env", "HELM_PLUGINS",
		                NULL);
		p.capture_out = 1;
		p.what = "helm env";
		rc = hx_proc_run(&p, &cur);
		hx_proc_release(&p);
		if (rc > 0)
			hx_error_set("'helm env HELM_PLUGINS' exited with "
			             "status %d",
			             rc);
		if (rc)
			goto out;
		rc = -1;
		while (cur.len && (cur.buf[cur.len - 1] == '\n' ||
		                   cur.buf[cur.len - 1] == '\r'))
			cur.buf[--cur.len] = '\0';
	}
	dir = hx_path_join(tmp, "helm4-plugins");
	link = hx_path_join(dir, HX_POSTRENDER_PLUGIN);
	if ((mkdir(dir, 0700) < 0 && errno != EEXIST) ||
	    (symlink(plugin, link) < 0 && errno != EEXIST)) {
		hx_error_set_errno("cannot link Helm 4's post-renderer plugin "
		                   "%s",
		                   HX_POSTRENDER_PLUGIN);
		goto out;
	}
	hx_strbuf_adds(&val, dir);
	if (cur.len)
		hx_strbuf_addf(&val, ":%s", cur.buf);
	if (hx_env_override(&plugins_saved, "HELM_PLUGINS", val.buf) < 0)
		goto out;
	rc = 0;
out:
	hx_strbuf_release(&val);
	hx_strbuf_release(&cur);
	free(link);
	free(dir);
	free(plugin);
	return rc;
}

void hx_postrender_env_restore(void)
{
	hx_env_restore(&plugins_saved, "HELM_PLUGINS");
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
		if (plugins_env() < 0)
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
