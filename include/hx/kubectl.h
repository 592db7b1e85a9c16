#ifndef HX_KUBECTL_H
#define HX_KUBECTL_H

struct hx_strbuf;
struct hx_strvec;

/*
 * kubectl as helm-x runs it: $KUBECTL_BIN, else kubectl in PATH, with the
 * connection helm hands a plugin in its environment (HELM_KUBECONTEXT,
 * HELM_KUBEAPISERVER, HELM_KUBEASUSER and groups, HELM_KUBECAFILE,
 * HELM_KUBETLS_SERVER_NAME, HELM_KUBEINSECURE_SKIP_TLS_VERIFY; the token
 * through hx_kubectl_token_env()).
 */

/* kubectl and its connection flags, pushed onto a. */
void hx_kubectl_argv(struct hx_strvec *a);

/*
 * Run kubectl ARGS... (NULL-terminated); its stdout into out (NULL: thrown
 * away).  what names the command in errors.  Returns 0, or -1 with the
 * error set (not found, or a non-zero exit).
 */
int hx_kubectl(struct hx_strbuf *out, const char *what, ...)
        __attribute__((sentinel));

/*
 * Make helm's bearer token ($HELM_KUBETOKEN) reach kubectl: a kubeconfig
 * of the temporary dir (mode 0600) named first in KUBECONFIG, never the
 * command line.  No token: nothing to do.  0, or -1 with the error set;
 * hx_kubectl_token_env_restore() puts KUBECONFIG back.
 */
int hx_kubectl_token_env(void);
void hx_kubectl_token_env_restore(void);

/* The kubeconfig's namespace for the context in use, else "default"
 * (malloc'd); NULL with the error set when kubectl fails. */
char *hx_kubectl_default_namespace(void);

/*
 * kubectl get TYPES --namespace NS --output json (TYPES: "Kind.version.
 * group" words, joined by commas): one list call per kind, the lists in
 * out.  A kind the server does not serve (a CRD a chart brings) has no
 * objects: it is dropped from types and the call made again.  kubectl's
 * stderr goes to errf; its last line is in the error, unless it names
 * tmp (helm-x's temporary dir, where the token's kubeconfig is).  0, or
 * -1 with the error set.
 */
int hx_kubectl_list(struct hx_strbuf *out, struct hx_strvec *types,
                    const char *ns, const char *ctx, const char *tmp,
                    const char *errf);

/* 1 when s is a name the API server takes for a namespace (an RFC 1123
 * label: a-z, 0-9 and '-', at most 63, no '-' at either end). */
int hx_kubectl_dns_label(const char *s);

/*
 * The list's path of TYPE ("Kind.version.group") in namespace ns, for
 * kubectl get --raw, with the apiVersion and kind its items stand for
 * (the API server's lists leave them out of the items): 1 for a built-in
 * namespaced kind and a namespace and version fit for a path, else 0.
 */
int hx_kubectl_raw_path(struct hx_strbuf *path, struct hx_strbuf *api,
                        struct hx_strbuf *kind, const char *ns,
                        const char *type);

/* kubectl get --raw PATH into out, stderr to errf: kubectl's exit status,
 * or -1 (error set) when it could not run. */
int hx_kubectl_raw(struct hx_strbuf *out, const char *path, const char *ctx,
                   const char *errf);

#endif
