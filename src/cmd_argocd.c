/*
 * helm x argocd generate|discover|parameters: helm-x as an Argo CD Config
 * Management Plugin.  argocd-cmp-server runs these in the Application's
 * source directory with the Application's name, namespace, Kubernetes
 * version and API versions and its plugin parameters in the environment
 * (argo-cd reposerver/repository/repository.go: newEnv, getPluginEnvs,
 * ApplicationSourcePluginParameters.Environ).  generate turns them into
 * helm-x's own flags, renders in a child helm-x and prints its stream
 * only when the child succeeded and the stream is all objects: Argo CD
 * prunes what an empty stdout leaves out, so an error never exits 0.
 */
#include "hx/cmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/argocd.h"
#include "hx/err.h"
#include "hx/flux.h"
#include "hx/input.h"
#include "hx/postrender.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* clang-format off */
static const char usage[] =
	"Usage: helm-x argocd generate|discover|parameters\n"
	"\n"
	"helm-x as an Argo CD Config Management Plugin (argocd/plugin.yaml),\n"
	"run by argocd-cmp-server in the Application's source directory:\n"
	"\n"
	"  generate    render the source and print its objects (helm x\n"
	"              template, or helm x flux template for 'helmrelease');\n"
	"              exit 1 and print nothing on any error\n"
	"  discover    print the kind of source when the directory (or the\n"
	"              'chart' parameter) is one helm-x renders\n"
	"  parameters  print the parameter announcements as JSON\n"
	"\n"
	"From the environment: ARGOCD_APP_NAME (the release name; of\n"
	"'NS_NAME' the NAME), ARGOCD_APP_NAMESPACE (--namespace),\n"
	"KUBE_VERSION (--kube-version), KUBE_API_VERSIONS (one --api-versions\n"
	"each), ARGOCD_APP_SOURCE_PATH (where the repository's root is: paths\n"
	"may not leave it), and the parameters from ARGOCD_APP_PARAMETERS\n"
	"(PARAM_* when it is not set).  Parameters, named as helm-x's flags:\n"
	"chart (default '.'), version, repo, release-name, values, set,\n"
	"set-string, patches, strategic-merge-patch, json-patch, skip-crds,\n"
	"skip-tests, helmrelease.  CRDs are included as Argo CD's own Helm\n"
	"support does; hooks keep their helm.sh/hook annotations.\n";
/* clang-format on */

/* Argo CD's cleanSetParameters: commas are escaped unless in {a,b}. */
static void push_set(struct hx_strvec *av, const char *flag, const char *kv)
{
	const char *eq = strchr(kv, '=');
	const char *v = eq ? eq + 1 : "";
	size_t vl = strlen(v);
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char prev = 0;

	hx_strbuf_add(&sb, kv, (size_t)(v - kv));
	if (vl >= 2 && v[0] == '{' && v[vl - 1] == '}') {
		hx_strbuf_adds(&sb, v);
	} else {
		for (; *v; v++) {
			if (*v == ',' && prev != '\\')
				hx_strbuf_adds(&sb, "\\,");
			else
				hx_strbuf_add(&sb, v, 1);
			prev = *v;
		}
	}
	hx_strvec_pushl(av, flag, sb.buf, NULL);
	hx_strbuf_release(&sb);
}

static int push_paths(const struct hx_argo_app *c, struct hx_strvec *av,
                      const char *name, const char *flag, int urls)
{
	const struct hx_argo_val *v = hx_argo_val(c, name);
	size_t i;

	for (i = 0; v && i < v->items.n; i++) {
		const char *p = v->items.v[i];
		char *path;

		if (urls &&
		    (!strncmp(p, "https://", 8) || !strncmp(p, "http://", 7))) {
			hx_strvec_pushl(av, flag, p, NULL);
			continue;
		}
		path = hx_argo_repo_path(c, name, p);
		if (!path)
			return -1;
		hx_strvec_pushl(av, flag, path, NULL);
		free(path);
	}
	return 0;
}

/* --kube-version and --api-versions, from Argo CD's environment. */
static void push_kube(struct hx_strvec *av)
{
	const char *kv = getenv("KUBE_VERSION");
	const char *api = getenv("KUBE_API_VERSIONS");

	if (kv && *kv)
		hx_strvec_pushl(av, "--kube-version", kv, NULL);
	while (api && *api) {
		size_t len = strcspn(api, ",");

		if (len) {
			char *one = hx_xstrndup(api, len);

			hx_strvec_pushl(av, "--api-versions", one, NULL);
			free(one);
		}
		api += len;
		api += *api == ',';
	}
}

/* The release name: release-name, else ARGOCD_APP_NAME's NAME part. */
static const char *release_name(const struct hx_argo_app *c)
{
	const struct hx_argo_val *v = hx_argo_val(c, "release-name");
	const char *app = getenv("ARGOCD_APP_NAME"), *us;

	if (v && *v->str)
		return v->str;
	if (!app || !*app) {
		hx_error_set("ARGOCD_APP_NAME is not set: argocd-cmp-server "
		             "sets it; by hand, set it or the 'release-name' "
		             "parameter");
		return NULL;
	}
	us = strchr(app, '_'); /* NS_NAME: apps in any namespace */
	return us ? us + 1 : app;
}

/* REPO/CHART of a 'helm repo add' repository: no such path here. */
static int is_chart_ref(const char *chart)
{
	return strchr(chart, '/') && chart[0] != '.' && chart[0] != '/' &&
	       chart[0] != '-' && access(chart, F_OK) != 0;
}

static const char *const chart_only[] = {
        "chart", "version",    "repo",      "release-name", "values",
        "set",   "set-string", "skip-crds", "skip-tests",   NULL};

/* helm-x's argv for this Application (after the program name). */
static int build_argv(struct hx_argo_app *c, struct hx_strvec *av, int *flux)
{
	const struct hx_argo_val *hr = hx_argo_val(c, "helmrelease");
	const char *ns = getenv("ARGOCD_APP_NAMESPACE");
	size_t i;
	int skip;

	*flux = hr != NULL;
	if (hr) {
		struct hx_strbuf src = HX_STRBUF_INIT;
		char *path;

		for (i = 0; chart_only[i]; i++)
			if (hx_argo_val(c, chart_only[i])) {
				hx_error_set("parameters 'helmrelease' and "
				             "'%s' do not go together: the "
				             "HelmReleases say their chart, "
				             "values and release",
				             chart_only[i]);
				return -1;
			}
		path = hx_argo_repo_path(c, "helmrelease", hr->str);
		if (!path)
			return -1;
		hx_strvec_pushl(av, "flux", "template", path, NULL);
		free(path);
		/* the Application's repository is every GitRepository's */
		hx_strbuf_addf(&src, "GitRepository/*/*=%s", c->root);
		hx_strvec_pushl(av, "--source", src.buf, NULL);
		hx_strbuf_release(&src);
		push_kube(av);
		return 0;
	} else {
		const struct hx_argo_val *ch = hx_argo_val(c, "chart"), *ver,
		                         *repo;
		const char *chart = ch && *ch->str ? ch->str : ".";
		const char *name = release_name(c);
		enum hx_input_kind kind;
		char *src;

		if (!name)
			return -1;
		ver = hx_argo_val(c, "version");
		repo = hx_argo_val(c, "repo");
		hx_strvec_pushl(av, "template", name, NULL);
		if (repo || !strncmp(chart, "oci://", 6)) {
			hx_strvec_push(av, chart);
		} else {
			/* a path in the repository, or REPO/CHART */
			src = is_chart_ref(chart)
			              ? hx_xstrdup(chart)
			              : hx_argo_repo_path(c, "chart", chart);
			if (!src)
				return -1;
			if (hx_input_detect(&kind, src, 0) < 0) {
				hx_error_prefix("parameter 'chart': ");
				free(src);
				return -1;
			}
			hx_strvec_push(av, src);
			free(src);
		}
		if (ver && *ver->str)
			hx_strvec_pushl(av, "--version", ver->str, NULL);
		if (repo && *repo->str)
			hx_strvec_pushl(av, "--repo", repo->str, NULL);
		if (ns && *ns)
			hx_strvec_pushl(av, "--namespace", ns, NULL);
		push_kube(av);
		if (hx_argo_flag(c, "skip-crds", &skip) < 0)
			return -1;
		if (!skip)
			hx_strvec_push(av, "--include-crds");
		if (hx_argo_flag(c, "skip-tests", &skip) < 0)
			return -1;
		if (skip)
			hx_strvec_push(av, "--skip-tests");
		if (push_paths(c, av, "values", "--values", 1) < 0)
			return -1;
		for (i = 0; hx_argo_val(c, "set") &&
		            i < hx_argo_val(c, "set")->items.n;
		     i++)
			push_set(av, "--set",
			         hx_argo_val(c, "set")->items.v[i]);
		for (i = 0; hx_argo_val(c, "set-string") &&
		            i < hx_argo_val(c, "set-string")->items.n;
		     i++)
			push_set(av, "--set-string",
			         hx_argo_val(c, "set-string")->items.v[i]);
	}
	if (push_paths(c, av, "patches", "--patches", 0) < 0 ||
	    push_paths(c, av, "strategic-merge-patch",
	               "--strategic-merge-patch", 0) < 0 ||
	    push_paths(c, av, "json-patch", "--json-patch", 0) < 0)
		return -1;
	return 0;
}

/*
 * Argo CD reads stdout as a stream of objects (kube.SplitYAML): every
 * document must be a mapping with apiVersion and kind.  For HelmReleases,
 * objects without a namespace land in the Application's destination, so
 * every release namespace must be it.
 */
static int check_stream(char *buf, size_t len, int flux)
{
	struct hx_streams in = HX_STREAMS_INIT, seg = HX_STREAMS_INIT;
	struct hx_strvec ns = HX_STRVEC_INIT;
	const char *dest = getenv("ARGOCD_APP_NAMESPACE");
	struct hx_stream *st = hx_streams_add(&in);
	size_t i, objects = 0;
	int rc = 0;

	hx_stream_init_buf(st, "the render", buf, len);
	for (i = 0; i < st->n && !rc; i++) {
		struct hx_doc *d = &st->docs[i];
		struct hx_node *ak, *kd;

		if (d->empty)
			continue;
		if (hx_doc_load(st, d, &st->arena) < 0) {
			rc = -1;
			break;
		}
		ak = d->root && d->root->kind == HX_MAP
		             ? hx_map_get(d->root, "apiVersion")
		             : NULL;
		kd = d->root && d->root->kind == HX_MAP
		             ? hx_map_get(d->root, "kind")
		             : NULL;
		if (d->root && (!ak || !kd || ak->kind != HX_SCALAR ||
		                kd->kind != HX_SCALAR)) {
			hx_error_set("document %zu (line %u) of the render is "
			             "no Kubernetes object (no apiVersion and "
			             "kind): Argo CD would refuse the stream",
			             i + 1, d->line);
			rc = -1;
		}
		objects += d->root != NULL;
	}
	if (!rc && !objects) {
		hx_error_set("the render holds no object: refusing to print "
		             "nothing (Argo CD would prune every object of "
		             "the Application)");
		rc = -1;
	}
	if (!rc && flux && dest && *dest) {
		hx_flux_split_saved(&seg, &ns, &in);
		for (i = 0; i < ns.n && !rc; i++)
			if (strcmp(ns.v[i], dest)) {
				hx_error_set("a HelmRelease renders into "
				             "namespace '%s', the Application "
				             "deploys to '%s': objects without "
				             "a namespace would land there; "
				             "set the Application's "
				             "destination namespace to '%s' "
				             "(one Application per release "
				             "namespace)",
				             ns.v[i], dest, ns.v[i]);
				rc = -1;
			}
	}
	hx_strvec_clear(&ns);
	hx_streams_release(&seg);
	hx_streams_release(&in);
	return rc;
}

static int generate(struct hx_argo_app *c)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	char *self, *buf;
	size_t len;
	int flux, st;

	self = hx_self_path();
	if (!self)
		return -1;
	hx_strvec_push(&p.args, self);
	free(self);
	if (build_argv(c, &p.args, &flux) < 0) {
		hx_proc_release(&p);
		return -1;
	}
	p.capture_out = 1;
	p.what = "helm-x";
	st = hx_proc_run(&p, &out);
	hx_proc_release(&p);
	if (st != 0) {
		/* the child said why on stderr (or could not start: set) */
		hx_strbuf_release(&out);
		return st > 0 ? 1 : -1;
	}
	buf = hx_strbuf_detach(&out, &len);
	/* check a copy: the stream keeps what it splits */
	if (check_stream(hx_xstrndup(buf, len), len, flux) < 0) {
		free(buf);
		return -1;
	}
	if (fwrite(buf, 1, len, stdout) != len || fflush(stdout) != 0) {
		free(buf);
		hx_error_set_errno("cannot write the objects");
		return -1;
	}
	free(buf);
	return 0;
}

/* The source kind when helm-x renders this Application, else nothing. */
static int discover(struct hx_argo_app *c)
{
	static const char *const kinds[] = {
	        "chart",         "chart",     "chart",    "chart",
	        "kustomization", "manifests", "manifest", "manifest"};
	const struct hx_argo_val *ch = hx_argo_val(c, "chart");
	enum hx_input_kind kind;
	char *src;
	int rc;

	if (hx_argo_val(c, "helmrelease")) {
		printf("helmrelease\n");
		return 0;
	}
	if (hx_argo_val(c, "repo") ||
	    (ch && (!strncmp(ch->str, "oci://", 6) || is_chart_ref(ch->str)))) {
		printf("chart\n");
		return 0;
	}
	if (!ch || !*ch->str) {
		/* the app directory: nothing helm-x renders is no error */
		if (hx_input_detect(&kind, ".", 0) < 0) {
			hx_error_clear();
			return 0;
		}
		printf("%s\n", kinds[kind]);
		return 0;
	}
	/* a chart the parameters name must be one (else say why) */
	src = hx_argo_repo_path(c, "chart", ch->str);
	if (!src)
		return -1;
	rc = hx_input_detect(&kind, src, 0);
	free(src);
	if (rc < 0) {
		hx_error_prefix("parameter 'chart': ");
		return -1;
	}
	printf("%s\n", kinds[kind]);
	return 0;
}

int hx_cmd_argocd(int argc, char **argv)
{
	struct hx_argo_app c;
	int rc;

	memset(&c, 0, sizeof c);
	if (argc == 2 && (!strcmp(argv[1], "--help") ||
	                  !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc != 2 ||
	    (strcmp(argv[1], "generate") && strcmp(argv[1], "discover") &&
	     strcmp(argv[1], "parameters"))) {
		hx_error_set(
		        "usage: helm-x argocd generate|discover|parameters "
		        "(the parameters come from the environment: "
		        "'helm-x argocd --help')");
		return hx_error_report();
	}
	if (!strcmp(argv[1], "parameters")) {
		char *js = hx_argo_announce();

		if (js)
			puts(js);
		free(js);
		return hx_error_exit(js ? 0 : -1);
	}
	rc = hx_argo_read_params(&c);
	if (!rc)
		rc = hx_argo_find_root(&c);
	if (!rc)
		rc = !strcmp(argv[1], "generate") ? generate(&c) : discover(&c);
	hx_argo_app_release(&c);
	return rc > 0 ? rc : hx_error_exit(rc);
}
