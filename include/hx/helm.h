#ifndef HX_HELM_H
#define HX_HELM_H

/* The helm to run: $HELM_BIN (a path or a name looked up in PATH), else
 * "helm" (borrowed). */
const char *hx_helm_bin(void);
/* Where the name came from, for messages: " (from HELM_BIN)" or "". */
const char *hx_helm_bin_origin(void);

/*
 * helm's major version (3 or 4), found once with
 * `helm version --template '{{.Version}}'`; -1 with the error set.
 */
int hx_helm_major(void);

/*
 * A release name as helm checks it: [a-z0-9]([-a-z0-9]*[a-z0-9])? parts
 * joined by '.', at most 53 characters.  Nothing else (no '/', '..',
 * newline, upper case) goes into a path, an annotation or a message as a
 * release.  Sets the error and returns -1 when it is not one.
 */
int hx_helm_check_release(const char *name);

/*
 * Run p (helm, or a tool helm-x renders with: kustomize, kubectl); a
 * non-zero exit sets the error "'WHAT' exited with status N" (a helm that
 * cannot start says where it came from).  Returns as hx_proc_run.
 */
struct hx_proc;
struct hx_strbuf;
int hx_helm_run(struct hx_proc *p, struct hx_strbuf *out);

#endif
