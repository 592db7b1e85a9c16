#include "hx/adopt.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"

#define NOTE_NAME "meta.helm.sh/release-name"
#define NOTE_NS "meta.helm.sh/release-namespace"
#define LABEL_BY "app.kubernetes.io/managed-by"

/* KIND[.GROUP]/NAME as kubectl takes it, nothing else. */
static int check_object(const char *w, size_t n)
{
	const char *slash = memchr(w, '/', n);
	size_t i;

	if (!slash || slash == w || slash == w + n - 1 ||
	    memchr(slash + 1, '/', (size_t)(w + n - slash - 1)))
		goto bad;
	for (i = 0; i < n; i++) {
		char c = w[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '/'))
			goto bad;
	}
	if (w[0] == '-' || slash[1] == '-' || slash[1] == '.')
		goto bad;
	return 0;
bad:
	hx_error_set("'%.*s' is not KIND/NAME (as kubectl takes it: "
	             "configmap/app, deployments.apps/web)",
	             (int)n, w);
	return -1;
}

int hx_adopt_parse(struct hx_strvec *out, const char *word)
{
	const char *p = word;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char *one;

		if (check_object(p, n) < 0)
			return -1;
		one = hx_xstrndup(p, n);
		hx_strvec_push(out, one);
		free(one);
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

/* Set while KUBECONFIG names the kubeconfig holding helm's token. */
static struct hx_env_save kubeconfig_saved = HX_ENV_SAVE_INIT;

/* kubectl and the flags that carry helm's connection to it. */
static void kubectl_argv(struct hx_strvec *a)
{
	static const struct {
		const char *env, *flag;
	} map[] = {
	        {"HELM_KUBECONTEXT", "--context"},
	        {"HELM_KUBEAPISERVER", "--server"},
	        {"HELM_KUBEASUSER", "--as"},
	        {"HELM_KUBECAFILE", "--certificate-authority"},
	        {"HELM_KUBETLS_SERVER_NAME", "--tls-server-name"},
	};
	const char *bin = getenv("KUBECTL_BIN"), *v;
	size_t i;

	hx_strvec_push(a, bin && *bin ? bin : "kubectl");
	for (i = 0; i < sizeof map / sizeof map[0]; i++)
		if ((v = getenv(map[i].env)) && *v &&
		    !(kubeconfig_saved.set && i == 0)) /* the token's context */
			hx_strvec_pushl(a, map[i].flag, v, NULL);
	v = getenv("HELM_KUBEASGROUPS");
	while (v && *v) {
		const char *c = strchr(v, ',');
		char *g = hx_xstrndup(v, c ? (size_t)(c - v) : strlen(v));

		if (*g)
			hx_strvec_pushl(a, "--as-group", g, NULL);
		free(g);
		v = c ? c + 1 : NULL;
	}
	v = getenv("HELM_KUBEINSECURE_SKIP_TLS_VERIFY");
	if (v && !strcmp(v, "true"))
		hx_strvec_push(a, "--insecure-skip-tls-verify");
}

/* Run kubectl ARGS...; stdout into out. */
static int kubectl(struct hx_strbuf *out, const char *what, ...)
        __attribute__((sentinel));
static int kubectl(struct hx_strbuf *out, const char *what, ...)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf sink = HX_STRBUF_INIT;
	const char *w;
	va_list ap;
	int rc;

	kubectl_argv(&p.args);
	va_start(ap, what);
	while ((w = va_arg(ap, const char *)) != NULL)
		hx_strvec_push(&p.args, w);
	va_end(ap);
	p.capture_out = 1;
	p.what = what;
	rc = hx_proc_run(&p, out ? out : &sink);
	if (rc < 0)
		hx_error_suffix(" (kubectl: $KUBECTL_BIN, else kubectl in "
		                "PATH)");
	else if (rc > 0)
		hx_error_set("'%s' exited with status %d", what, rc);
	hx_strbuf_release(&sink);
	hx_proc_release(&p);
	return rc == 0 ? 0 : -1;
}

/*
 * helm's bearer token reaches kubectl in a kubeconfig of the temporary dir
 * (mode 0600), never on its command line where ps shows it: a user
 * holding the token and a context on the cluster of the context in use,
 * named first in KUBECONFIG (the first file that sets a key wins), so
 * the rest comes from the user's kubeconfig.  KUBECONFIG is restored by
 * token_env_restore().
 */
static int token_env(void)
{
	const char *token = getenv("HELM_KUBETOKEN");
	const char *orig = getenv("KUBECONFIG"), *home = getenv("HOME");
	const char *tmp, *cluster = NULL, *ns = NULL;
	struct hx_strbuf view = HX_STRBUF_INIT, path = HX_STRBUF_INIT;
	json_t *v = NULL, *cfg = NULL, *ctx;
	char *text = NULL;
	int rc = -1;

	if (!token || !*token || kubeconfig_saved.set)
		return 0;
	if (!(tmp = hx_tmpdir_create(0)))
		return -1;
	/* the context in use, read before KUBECONFIG changes */
	if (kubectl(&view, "kubectl config view", "config", "view", "--minify",
	            "--output", "json", NULL) == 0)
		v = json_loadb(view.buf ? view.buf : "", view.len, 0, NULL);
	hx_error_clear(); /* no kubeconfig: HELM_KUBEAPISERVER names it */
	ctx = json_object_get(json_array_get(json_object_get(v, "contexts"), 0),
	                      "context");
	if (json_is_string(json_object_get(ctx, "cluster")))
		cluster = json_string_value(json_object_get(ctx, "cluster"));
	if (json_is_string(json_object_get(ctx, "namespace")))
		ns = json_string_value(json_object_get(ctx, "namespace"));
	cfg = json_pack("{s:s,s:s,s:s,s:[{s:s,s:{s:s}}],s:[{s:s,s:{s:s,s:s}}]}",
	                "apiVersion", "v1", "kind", "Config", "current-context",
	                "helm-x-token", "users", "name", "helm-x-token", "user",
	                "token", token, "contexts", "name", "helm-x-token",
	                "context", "cluster",
	                cluster ? cluster : "helm-x-token", "user",
	                "helm-x-token");
	if (!cfg)
		goto out;
	if (ns)
		json_object_set_new(
		        json_object_get(
		                json_array_get(json_object_get(cfg, "contexts"),
		                               0),
		                "context"),
		        "namespace", json_string(ns));
	if (!cluster)
		json_object_set_new(
		        cfg, "clusters",
		        json_pack("[{s:s,s:{s:s}}]", "name", "helm-x-token",
		                  "cluster", "server",
		                  getenv("HELM_KUBEAPISERVER")
		                          ? getenv("HELM_KUBEAPISERVER")
		                          : "http://localhost:8080"));
	hx_strbuf_addf(&path, "%s/kubeconfig-token", tmp);
	text = json_dumps(cfg, JSON_COMPACT);
	if (!text || hx_write_new_file(path.buf, text, strlen(text)) < 0) {
		hx_error_prefix("cannot write a kubeconfig for kubectl: ");
		goto out;
	}
	hx_strbuf_addch(&path, ':');
	if (orig && *orig)
		hx_strbuf_adds(&path, orig);
	else
		hx_strbuf_addf(&path, "%s/.kube/config", home ? home : "");
	if (hx_env_override(&kubeconfig_saved, "KUBECONFIG", path.buf) < 0)
		goto out;
	rc = 0;
out:
	free(text);
	json_decref(v);
	json_decref(cfg);
	hx_strbuf_release(&view);
	hx_strbuf_release(&path);
	return rc;
}

static void token_env_restore(void)
{
	hx_env_restore(&kubeconfig_saved, "KUBECONFIG");
}

/* The kubeconfig's namespace for the context in use, else "default". */
static char *default_namespace(void)
{
	struct hx_strbuf out = HX_STRBUF_INIT;
	char *ns;

	if (kubectl(&out, "kubectl config view", "config", "view", "--minify",
	            "--output", "jsonpath={..namespace}", NULL) < 0) {
		hx_strbuf_release(&out);
		return NULL;
	}
	ns = hx_xstrdup(out.len && !strchr(out.buf, ' ') ? out.buf : "default");
	hx_strbuf_release(&out);
	return ns;
}

static const char *str_at(json_t *o, const char *k1, const char *k2,
                          const char *k3)
{
	json_t *v = json_object_get(json_object_get(json_object_get(o, k1), k2),
	                            k3);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * Read obj: 1 when it already belongs to release, 0 when to no release,
 * -1 with the error set (not there, another release, kubectl failed).
 */
/* An object's ownership metadata before adopt changed it (NULL: absent). */
struct before {
	char *name, *ns, *by;
};

static void before_release(struct before *b)
{
	free(b->name);
	free(b->ns);
	free(b->by);
	memset(b, 0, sizeof(*b));
}

static char *dup_or_null(const char *s)
{
	return s ? hx_xstrdup(s) : NULL;
}

static int owner_of(const char *obj, const char *release, const char *ns,
                    struct before *was)
{
	struct hx_strbuf out = HX_STRBUF_INIT;
	json_error_t je;
	json_t *o = NULL;
	const char *rel, *rns;
	int rc = -1;

	if (kubectl(&out, "kubectl get", "get", obj, "--namespace", ns,
	            "--output", "json", NULL) < 0) {
		hx_error_prefix("cannot adopt '%s': ", obj);
		goto out;
	}
	o = json_loadb(out.buf ? out.buf : "", out.len, 0, &je);
	if (!json_is_object(o)) {
		hx_error_set("cannot adopt '%s': kubectl get printed no "
		             "object (%s)",
		             obj, je.text);
		goto out;
	}
	if (json_object_get(o, "items")) {
		hx_error_set("cannot adopt '%s': it names a list", obj);
		goto out;
	}
	rel = str_at(o, "metadata", "annotations", NOTE_NAME);
	rns = str_at(o, "metadata", "annotations", NOTE_NS);
	was->name = dup_or_null(rel);
	was->ns = dup_or_null(rns);
	was->by = dup_or_null(str_at(o, "metadata", "labels", LABEL_BY));
	if (!rel && !rns) {
		rc = 0;
	} else if (rel && rns && !strcmp(rel, release) && !strcmp(rns, ns)) {
		const char *by = str_at(o, "metadata", "labels", LABEL_BY);

		rc = by && !strcmp(by, "Helm") ? 1 : 0;
	} else {
		hx_error_set("'%s' belongs to release '%s' in namespace '%s': "
		             "helm-x adopts only objects of no release (helm "
		             "upgrade --take-ownership takes it from the other "
		             "release)",
		             obj, rel ? rel : "?", rns ? rns : "?");
	}
out:
	json_decref(o);
	hx_strbuf_release(&out);
	return rc;
}

static int take(const char *obj, const char *release, const char *ns)
{
	json_t *patch = json_pack("{s:{s:{s:s,s:s},s:{s:s}}}", "metadata",
	                          "annotations", NOTE_NAME, release, NOTE_NS,
	                          ns, "labels", LABEL_BY, "Helm");
	char *text = patch ? json_dumps(patch, JSON_COMPACT) : NULL;
	int rc;

	if (!text) {
		json_decref(patch);
		hx_error_set("out of memory");
		return -1;
	}
	rc = kubectl(NULL, "kubectl patch", "patch", obj, "--namespace", ns,
	             "--type", "merge", "--patch", text, NULL);
	if (rc < 0)
		hx_error_prefix("cannot adopt '%s': ", obj);
	free(text);
	json_decref(patch);
	return rc;
}

/* Give obj back the ownership metadata it had (absent ones removed). */
static int restore(const char *obj, const char *ns, const struct before *b)
{
	json_t *patch = json_pack(
	        "{s:{s:{s:o,s:o},s:{s:o}}}", "metadata", "annotations",
	        NOTE_NAME, b->name ? json_string(b->name) : json_null(),
	        NOTE_NS, b->ns ? json_string(b->ns) : json_null(), "labels",
	        LABEL_BY, b->by ? json_string(b->by) : json_null());
	char *text = patch ? json_dumps(patch, JSON_COMPACT) : NULL;
	int rc = -1;

	if (text)
		rc = kubectl(NULL, "kubectl patch", "patch", obj, "--namespace",
		             ns, "--type", "merge", "--patch", text, NULL);
	free(text);
	json_decref(patch);
	return rc;
}

/*
 * After a failed take: every object adopt changed (or may have: the one
 * that failed, a dropped connection can hide a success) gets its metadata
 * back.  The error gains what happened to them.
 */
static void undo(const struct hx_strvec *objs, const int *have,
                 const struct before *was, size_t failed, const char *ns)
{
	struct hx_strbuf lost = HX_STRBUF_INIT;
	char *head = NULL, *msg = NULL;
	size_t i, n = 0;

	hx_error_save(&head, &msg);
	for (i = 0; i <= failed; i++) {
		int lost_one;

		if (have[i])
			continue;
		n += i < failed;
		/* the failed one most likely changed nothing */
		lost_one = restore(objs->v[i], ns, &was[i]) < 0;
		if (lost_one && i < failed)
			hx_strbuf_addf(&lost, "%s%s", lost.len ? ", " : "",
			               objs->v[i]);
	}
	hx_error_restore(head, msg);
	free(head);
	free(msg);
	if (lost.len)
		hx_error_suffix("; could not restore the ownership metadata "
		                "of %s (kubectl annotate and kubectl label "
		                "put it back by hand)",
		                lost.buf);
	else if (n)
		hx_error_suffix("; the %zu object%s adopted before it %s "
		                "restored",
		                n, n == 1 ? "" : "s", n == 1 ? "was" : "were");
	hx_strbuf_release(&lost);
}

int hx_adopt(const char *release, const char *ns, const struct hx_strvec *objs,
             int verbose)
{
	FILE *say = verbose ? stdout : stderr;
	char *own_ns = NULL;
	int *have = hx_xcalloc(objs->n ? objs->n : 1, sizeof(*have));
	struct before *was = hx_xcalloc(objs->n ? objs->n : 1, sizeof(*was));
	size_t i;
	int rc = -1;

	if (token_env() < 0)
		goto out;
	if (!ns && !(ns = own_ns = default_namespace()))
		goto out;
	/* every object read, and checked, before any is changed */
	for (i = 0; i < objs->n; i++)
		if ((have[i] = owner_of(objs->v[i], release, ns, &was[i])) < 0)
			goto out;
	for (i = 0; i < objs->n; i++) {
		if (have[i]) {
			fprintf(say,
			        "helm-x: %s is already part of release '%s' "
			        "in namespace '%s'\n",
			        objs->v[i], release, ns);
			continue;
		}
		if (take(objs->v[i], release, ns) < 0) {
			undo(objs, have, was, i, ns);
			goto out;
		}
		fprintf(say,
		        "helm-x: %s adopted by release '%s' in namespace "
		        "'%s'\n",
		        objs->v[i], release, ns);
	}
	rc = 0;
out:
	token_env_restore();
	fflush(say);
	for (i = 0; i < objs->n; i++)
		before_release(&was[i]);
	free(was);
	free(have);
	free(own_ns);
	return rc;
}
