#ifndef HX_KZREFS_H
#define HX_KZREFS_H

#include <stddef.h>

/*
 * kustomize's namespace, namePrefix and nameSuffix for a --patches file:
 * every object moves to the namespace (the namespaced kinds) and gets the
 * prefix and suffix (all but CRDs, APIServices and Namespaces), and the
 * references between the objects of the render follow: a ConfigMap,
 * Secret, ServiceAccount, PersistentVolumeClaim or PriorityClass named in
 * a pod spec, a Service named by an Ingress, a StatefulSet or a webhook,
 * the role and the ServiceAccount subjects of a binding, the target of an
 * autoscaler, ...  A reference to an object the render does not hold is
 * left as it is, as kustomize leaves it.
 */

struct hx_arena;
struct hx_node;

struct hx_kzobj {
	char *group, *kind, *name, *ns; /* owned; ns "" when none */
};

struct hx_kzren {
	const char *ns, *prefix, *suffix; /* borrowed; NULL when not set */
	/* every object of the render, as it was before the run */
	struct hx_kzobj *objs;
	size_t n, alloc;
};

/* Note an object of the render (its identity before any rename). */
void hx_kzren_collect(struct hx_kzren *r, const struct hx_node *root);
/* Forget the objects noted (the settings stay); release: all of it. */
void hx_kzren_forget(struct hx_kzren *r);
void hx_kzren_release(struct hx_kzren *r);

/*
 * Point the references of the object root (an owned tree) to objects of
 * the render at their new names and namespaces (its namespace before the
 * move decides which objects they mean), then move and rename it.
 */
void hx_kzren_apply(struct hx_arena *a, struct hx_node *root,
                    const struct hx_kzren *r);

#endif
