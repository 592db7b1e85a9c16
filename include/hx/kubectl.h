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

#endif
