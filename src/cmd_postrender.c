/*
 * helm-x as helm's post-renderer: postrender (helm x patch as Helm 4's
 * plugin x-patch), postrender-path (this binary, for Helm 3's
 * --post-renderer), postrender-plugin (x-patch's directory).
 */
#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>

#include "hx/err.h"
#include "hx/helm.h"
#include "hx/postrender.h"

#include "hx/banned.h"

/* clang-format off */
static const char postrender_usage[] =
	"Usage: helm-x postrender [patch flags]\n"
	"\n"
	"'helm-x patch' as Helm 4's post-renderer plugin x-patch (see the\n"
	"README): manifests on standard input, patched manifests on standard\n"
	"output, documents in the order they came, Helm 4's\n"
	"postrenderer.helm.sh/postrender-filename annotation kept as it came,\n"
	"and patches that delete every document are an error (helm refuses\n"
	"an empty render without saying why).  --post-render uses it on Helm 3\n"
	"too.\n"
	"Helm 4 hides a post-renderer's standard error, so an error line also\n"
	"goes to $HELM_X_POSTRENDER_ERRORS when set, else to the terminal.\n"
	"The flags are those of 'helm-x patch --help'.\n";
/* clang-format on */

int hx_cmd_postrender(int argc, char **argv)
{
	return hx_patch_run(argc, argv, postrender_usage, 1);
}

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
	int major = 0;

	(void)argv;
	if (argc <= 1 && (major = hx_helm_major()) >= 0 && major < 4) {
		hx_error_set(
		        "x-patch is a plugin of Helm 4, and this helm is "
		        "Helm %d: installed where Helm 3 loads plugins, it "
		        "makes Helm 3 load none; Helm 3 runs helm-x as its "
		        "post-renderer by path: --post-renderer \"$(helm x "
		        "postrender-path)\"",
		        major);
		return hx_error_report();
	}
	if (argc <= 1 && major < 0)
		return hx_error_report();
	return print_path(argc, "postrender-plugin", hx_postrender_plugin_dir);
}
