/* helm x adopt RELEASE KIND/NAME...: the command (adopt.c does it). */
#include "hx/cmd.h"

#include <stdlib.h>
#include <string.h>

#include "hx/adopt.h"
#include "hx/cli.h"
#include "hx/err.h"
#include "hx/helm.h"
#include "hx/strvec.h"

#include "hx/banned.h"

/* clang-format off */
static const char usage[] =
	"Usage: helm x adopt RELEASE KIND/NAME... [-n NS] [--kube-context C]\n"
	"\n"
	"Make objects that exist in the cluster part of RELEASE, so the next\n"
	"helm install/upgrade of a chart holding them updates them instead of\n"
	"failing with \"invalid ownership metadata\".  Each object gets the\n"
	"annotations meta.helm.sh/release-name and release-namespace and the\n"
	"label app.kubernetes.io/managed-by: Helm, by 'kubectl patch' (kubectl\n"
	"is $KUBECTL_BIN, else kubectl in PATH; helm's kubeconfig, context and\n"
	"credentials are passed on).  KIND/NAME as kubectl takes it\n"
	"(configmap/app, deployments.apps/web); a word may be a comma list.\n"
	"Every object is read before any is changed: one that is missing, or\n"
	"that another release owns, is an error and nothing changes.\n"
	"\n"
	"'helm x apply|upgrade|install ... --adopt KIND/NAME' does the same\n"
	"just before helm runs (after the render and the patches succeeded).\n"
	"\n"
	"adopt or --take-ownership?  Helm 3.17+ and Helm 4 have 'helm upgrade\n"
	"--take-ownership': helm then takes every object of the chart that\n"
	"exists, from no release or from another one, silently.  Pick it when\n"
	"the chart is the truth for all its objects.  Pick adopt when you want\n"
	"to name what moves, to be stopped when an object belongs to another\n"
	"release, or when your helm is older than 3.17.\n"
	"\n"
	"Flags:\n"
	"  -n, --namespace NS      the release namespace ($HELM_NAMESPACE, else\n"
	"                          the kubeconfig's, else 'default')\n"
	"      --kube-context C    the kubeconfig context ($HELM_KUBECONTEXT)\n"
	"  -h, --help              this help\n"
	"\n"
	"Exit status: 0 ok, 1 on any error.\n";
/* clang-format on */

int hx_cmd_adopt(int argc, char **argv)
{
	struct hx_opts o = HX_OPTS_INIT;
	struct hx_strvec objs = HX_STRVEC_INIT;
	size_t i;
	int rc = 1;

	switch (hx_opts_parse(&o, argc, argv, usage)) {
	case 1:
		rc = 0;
		goto out;
	case -1:
		goto out;
	}
	if (o.args.n < 2) {
		hx_error_set("'adopt' needs RELEASE KIND/NAME... (see 'helm x "
		             "adopt --help')");
		goto out;
	}
	if (o.helm_flag && strcmp(o.helm_flag, "--kube-context") &&
	    strncmp(o.helm_flag, "--kube-context=", 15) &&
	    strncmp(o.helm_flag, "--kubecontext", 13)) {
		hx_error_set("'%s' is not a flag of 'adopt' (see 'helm x "
		             "adopt --help')",
		             o.helm_flag);
		goto out;
	}
	if (o.patches.files.n || o.openapi.n || o.allow_no_match) {
		hx_error_set("'adopt' applies no patches (see 'helm x adopt "
		             "--help')");
		goto out;
	}
	if (hx_helm_check_release(o.args.v[0]) < 0)
		goto out;
	if (o.kube_context && setenv("HELM_KUBECONTEXT", o.kube_context, 1)) {
		hx_error_set_errno("setenv");
		goto out;
	}
	for (i = 1; i < o.args.n; i++)
		if (hx_adopt_parse(&objs, o.args.v[i]) < 0)
			goto out;
	if (hx_adopt(o.args.v[0], hx_opts_namespace(&o), &objs, 1) < 0)
		goto out;
	rc = 0;
out:
	hx_strvec_clear(&objs);
	hx_opts_release(&o);
	return hx_error_exit(rc);
}
