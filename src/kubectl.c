/*
 * kubectl ($KUBECTL_BIN, else kubectl in PATH) run with helm's connection
 * (kubeconfig, context, server, impersonation, CA, token) as helm's
 * environment hands it to a plugin, and the lists helm x diff
 * --three-way-merge reads with it (kubectl.h).
 */
#include "hx/kubectl.h"

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

#include "hx/banned.h"

/* Set while KUBECONFIG names the kubeconfig holding helm's token. */
static struct hx_env_save kubeconfig_saved = HX_ENV_SAVE_INIT;

/* kubectl and the flags that carry helm's connection to it. */
void hx_kubectl_argv(struct hx_strvec *a)
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

int hx_kubectl(struct hx_strbuf *out, const char *what, ...)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf sink = HX_STRBUF_INIT;
	const char *w;
	va_list ap;
	int rc;

	hx_kubectl_argv(&p.args);
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
int hx_kubectl_token_env(void)
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
	if (hx_kubectl(&view, "kubectl config view", "config", "view",
	               "--minify", "--output", "json", NULL) == 0)
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

void hx_kubectl_token_env_restore(void)
{
	hx_env_restore(&kubeconfig_saved, "KUBECONFIG");
}

/* The kubeconfig's namespace for the context in use, else "default". */
char *hx_kubectl_default_namespace(void)
{
	struct hx_strbuf out = HX_STRBUF_INIT;
	char *ns;

	if (hx_kubectl(&out, "kubectl config view", "config", "view",
	               "--minify", "--output", "jsonpath={..namespace}",
	               NULL) < 0) {
		hx_strbuf_release(&out);
		return NULL;
	}
	ns = hx_xstrdup(out.len && !strchr(out.buf, ' ') ? out.buf : "default");
	hx_strbuf_release(&out);
	return ns;
}

/* ---- lists --------------------------------------------------------- */

/* The kind kubectl named in "doesn't have a resource type \"X\"", or NULL. */
static char *unknown_type(const char *err)
{
	const char *p = strstr(err, "doesn't have a resource type \"");
	const char *q;

	if (!p)
		return NULL;
	p += strlen("doesn't have a resource type \"");
	q = strchr(p, '"');
	return q ? hx_xstrndup(p, (size_t)(q - p)) : NULL;
}

/* One line of kubectl's error output for a message: its last non-empty
 * line, at most 200 bytes. */
static void last_line(struct hx_strbuf *sb, const char *err)
{
	const char *end = err + strlen(err), *start;

	while (end > err && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	start = end;
	while (start > err && start[-1] != '\n')
		start--;
	hx_strbuf_add(sb, start,
	              (size_t)(end - start) > 200 ? 200
	                                          : (size_t)(end - start));
}

int hx_kubectl_list(struct hx_strbuf *out, struct hx_strvec *types,
                    const char *ns, const char *ctx, const char *tmp,
                    const char *errf)
{
	for (;;) {
		struct hx_proc p = HX_PROC_INIT;
		struct hx_strbuf list = HX_STRBUF_INIT, msg = HX_STRBUF_INIT;
		char *err = NULL, *gone = NULL;
		size_t i, len;
		int rc;

		if (!types->n)
			return 0;
		for (i = 0; i < types->n; i++) {
			if (i)
				hx_strbuf_addch(&list, ',');
			hx_strbuf_adds(&list, types->v[i]);
		}
		hx_kubectl_argv(&p.args);
		if (ctx)
			hx_strvec_pushl(&p.args, "--context", ctx, NULL);
		hx_strvec_pushl(&p.args, "get", list.buf, "--namespace", ns,
		                "--output", "json", NULL);
		p.capture_out = 1;
		p.what = "kubectl get";
		p.err_file = errf;
		hx_strbuf_reset(out);
		rc = hx_proc_run(&p, out);
		hx_proc_release(&p);
		hx_strbuf_release(&list);
		if (rc == 0)
			return 0;
		if (rc < 0) {
			hx_error_suffix(" (kubectl: $KUBECTL_BIN, else kubectl "
			                "in PATH)");
			return -1;
		}
		if (hx_read_file(&err, &len, errf) < 0)
			err = hx_xstrdup("");
		gone = unknown_type(err);
		for (i = 0; gone && i < types->n; i++)
			if (!strncmp(types->v[i], gone, strlen(gone)) &&
			    (types->v[i][strlen(gone)] == '.' ||
			     !types->v[i][strlen(gone)]))
				break;
		if (gone && i < types->n) {
			free(types->v[i]);
			/* with the NULL that ends the vector */
			memmove(types->v + i, types->v + i + 1,
			        (types->n - i) * sizeof(*types->v));
			types->n--;
			free(gone);
			free(err);
			continue;
		}
		last_line(&msg, err);
		/* kubectl may name the token's kubeconfig, in helm-x's own
		 * temporary dir: no such line in a message */
		if (msg.len && strstr(msg.buf, tmp))
			hx_strbuf_reset(&msg);
		hx_error_set("'kubectl get' in namespace '%s' exited with "
		             "status %d%s%s",
		             ns, rc, msg.len ? ": " : "",
		             msg.len ? msg.buf : "");
		hx_strbuf_release(&msg);
		free(gone);
		free(err);
		return -1;
	}
}

/* The built-in namespaced kinds and their resources. */
#define RAW_MIN 500
static const struct {
	const char *group, *kind, *resource;
} builtin[] = {
        {"", "ConfigMap", "configmaps"},
        {"", "Endpoints", "endpoints"},
        {"", "LimitRange", "limitranges"},
        {"", "PersistentVolumeClaim", "persistentvolumeclaims"},
        {"", "Pod", "pods"},
        {"", "PodTemplate", "podtemplates"},
        {"", "ReplicationController", "replicationcontrollers"},
        {"", "ResourceQuota", "resourcequotas"},
        {"", "Secret", "secrets"},
        {"", "Service", "services"},
        {"", "ServiceAccount", "serviceaccounts"},
        {"apps", "ControllerRevision", "controllerrevisions"},
        {"apps", "DaemonSet", "daemonsets"},
        {"apps", "Deployment", "deployments"},
        {"apps", "ReplicaSet", "replicasets"},
        {"apps", "StatefulSet", "statefulsets"},
        {"autoscaling", "HorizontalPodAutoscaler", "horizontalpodautoscalers"},
        {"batch", "CronJob", "cronjobs"},
        {"batch", "Job", "jobs"},
        {"coordination.k8s.io", "Lease", "leases"},
        {"discovery.k8s.io", "EndpointSlice", "endpointslices"},
        {"networking.k8s.io", "Ingress", "ingresses"},
        {"networking.k8s.io", "NetworkPolicy", "networkpolicies"},
        {"policy", "PodDisruptionBudget", "poddisruptionbudgets"},
        {"rbac.authorization.k8s.io", "Role", "roles"},
        {"rbac.authorization.k8s.io", "RoleBinding", "rolebindings"},
};

int hx_kubectl_dns_label(const char *s)
{
	size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-");

	return n && n <= 63 && !s[n] && s[0] != '-' && s[n - 1] != '-';
}

int hx_kubectl_raw_path(struct hx_strbuf *path, struct hx_strbuf *api,
                        struct hx_strbuf *kind, const char *ns,
                        const char *type)
{
	const size_t n = sizeof(builtin) / sizeof(builtin[0]);
	const char *v = strchr(type, '.'), *g = v ? strchr(v + 1, '.') : NULL;
	char *version;
	size_t i;

	if (!g || g == v + 1 || !hx_kubectl_dns_label(ns))
		return 0;
	for (i = 0; i < n; i++)
		if (!strncmp(builtin[i].kind, type, (size_t)(v - type)) &&
		    !builtin[i].kind[v - type] &&
		    !strcmp(builtin[i].group, g + 1))
			break;
	version = hx_xstrndup(v + 1, (size_t)(g - v - 1));
	if (i == n || !hx_kubectl_dns_label(version)) {
		free(version);
		return 0;
	}
	if (*builtin[i].group)
		hx_strbuf_addf(api, "%s/", builtin[i].group);
	hx_strbuf_adds(api, version);
	hx_strbuf_adds(kind, builtin[i].kind);
	hx_strbuf_addf(path, "/api%s/%s/namespaces/%s/%s",
	               *builtin[i].group ? "s" : "", api->buf, ns,
	               builtin[i].resource);
	free(version);
	return 1;
}

int hx_kubectl_raw(struct hx_strbuf *out, const char *path, const char *ctx,
                   const char *errf)
{
	struct hx_proc p = HX_PROC_INIT;
	int rc;

	hx_kubectl_argv(&p.args);
	if (ctx)
		hx_strvec_pushl(&p.args, "--context", ctx, NULL);
	hx_strvec_pushl(&p.args, "get", "--raw", path, NULL);
	p.capture_out = 1;
	p.what = "kubectl get --raw";
	p.err_file = errf;
	rc = hx_proc_run(&p, out);
	hx_proc_release(&p);
	return rc;
}
