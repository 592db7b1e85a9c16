/*
 * namespace, namePrefix and nameSuffix with the references that follow
 * (kzrefs.h).  The references are a table of where one kind of object
 * names another; the names and namespaces there are compared with the
 * render's objects as they were before the run.
 */
#include "hx/kzrefs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/node.h"
#include "hx/util.h"

#include "hx/banned.h"

/* kinds kustomize never renames */
static const char *const keep_name[] = {"CustomResourceDefinition",
                                        "APIService", "Namespace"};

/* the cluster-scoped kinds of Kubernetes: no namespace to set */
static const struct {
	const char *group, *kind;
} cluster_kinds[] = {
        {"", "Namespace"},
        {"", "Node"},
        {"", "PersistentVolume"},
        {"", "ComponentStatus"},
        {"", "NodeProxyOptions"},
        {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
        {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
        {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
        {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
        {"apiextensions.k8s.io", "CustomResourceDefinition"},
        {"apiregistration.k8s.io", "APIService"},
        {"certificates.k8s.io", "CertificateSigningRequest"},
        {"flowcontrol.apiserver.k8s.io", "FlowSchema"},
        {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
        {"networking.k8s.io", "IngressClass"},
        {"node.k8s.io", "RuntimeClass"},
        {"policy", "PodSecurityPolicy"},
        {"rbac.authorization.k8s.io", "ClusterRole"},
        {"rbac.authorization.k8s.io", "ClusterRoleBinding"},
        {"scheduling.k8s.io", "PriorityClass"},
        {"storage.k8s.io", "CSIDriver"},
        {"storage.k8s.io", "CSINode"},
        {"storage.k8s.io", "StorageClass"},
        {"storage.k8s.io", "VolumeAttachment"},
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Where a kind names another.  from NULL: a pod spec, in whichever kind
 * holds one (below).  kind_key: a sibling of the name that must say the
 * kind (roleRef.kind); ns_key: a sibling holding the namespace the name
 * is in (a subject's, a webhook service's), moved along.
 */
static const struct ref {
	const char *group, *kind; /* the object named */
	const char *from;         /* the kind naming it */
	const char *path;
	const char *kind_key, *ns_key;
} refs[] = {
        {"", "ConfigMap", NULL, "volumes[]/configMap/name", NULL, NULL},
        {"", "ConfigMap", NULL, "volumes[]/projected/sources[]/configMap/name",
         NULL, NULL},
        {"", "ConfigMap", NULL,
         "containers[]/env[]/valueFrom/configMapKeyRef/name", NULL, NULL},
        {"", "ConfigMap", NULL,
         "initContainers[]/env[]/valueFrom/configMapKeyRef/name", NULL, NULL},
        {"", "ConfigMap", NULL, "containers[]/envFrom[]/configMapRef/name",
         NULL, NULL},
        {"", "ConfigMap", NULL, "initContainers[]/envFrom[]/configMapRef/name",
         NULL, NULL},
        {"", "Secret", NULL, "volumes[]/secret/secretName", NULL, NULL},
        {"", "Secret", NULL, "volumes[]/projected/sources[]/secret/name", NULL,
         NULL},
        {"", "Secret", NULL, "containers[]/env[]/valueFrom/secretKeyRef/name",
         NULL, NULL},
        {"", "Secret", NULL,
         "initContainers[]/env[]/valueFrom/secretKeyRef/name", NULL, NULL},
        {"", "Secret", NULL, "containers[]/envFrom[]/secretRef/name", NULL,
         NULL},
        {"", "Secret", NULL, "initContainers[]/envFrom[]/secretRef/name", NULL,
         NULL},
        {"", "Secret", NULL, "imagePullSecrets[]/name", NULL, NULL},
        {"", "Secret", "ServiceAccount", "secrets[]/name", NULL, NULL},
        {"", "Secret", "ServiceAccount", "imagePullSecrets[]/name", NULL, NULL},
        {"", "Secret", "Ingress", "spec/tls[]/secretName", NULL, NULL},
        {"", "ServiceAccount", NULL, "serviceAccountName", NULL, NULL},
        {"", "ServiceAccount", "RoleBinding", "subjects[]/name", "kind",
         "namespace"},
        {"", "ServiceAccount", "ClusterRoleBinding", "subjects[]/name", "kind",
         "namespace"},
        {"", "PersistentVolumeClaim", NULL,
         "volumes[]/persistentVolumeClaim/claimName", NULL, NULL},
        {"scheduling.k8s.io", "PriorityClass", NULL, "priorityClassName", NULL,
         NULL},
        {"", "Service", "Ingress",
         "spec/rules[]/http/paths[]/backend/service/name", NULL, NULL},
        {"", "Service", "Ingress", "spec/defaultBackend/service/name", NULL,
         NULL},
        {"", "Service", "StatefulSet", "spec/serviceName", NULL, NULL},
        {"", "Service", "APIService", "spec/service/name", NULL, "namespace"},
        {"", "Service", "MutatingWebhookConfiguration",
         "webhooks[]/clientConfig/service/name", NULL, "namespace"},
        {"", "Service", "ValidatingWebhookConfiguration",
         "webhooks[]/clientConfig/service/name", NULL, "namespace"},
        {"", "Service", "CustomResourceDefinition",
         "spec/conversion/webhook/clientConfig/service/name", NULL,
         "namespace"},
        {"rbac.authorization.k8s.io", "Role", "RoleBinding", "roleRef/name",
         "kind", NULL},
        {"rbac.authorization.k8s.io", "ClusterRole", "RoleBinding",
         "roleRef/name", "kind", NULL},
        {"rbac.authorization.k8s.io", "ClusterRole", "ClusterRoleBinding",
         "roleRef/name", "kind", NULL},
        {"apps", "Deployment", "HorizontalPodAutoscaler",
         "spec/scaleTargetRef/name", "kind", NULL},
        {"apps", "StatefulSet", "HorizontalPodAutoscaler",
         "spec/scaleTargetRef/name", "kind", NULL},
        {"apps", "ReplicaSet", "HorizontalPodAutoscaler",
         "spec/scaleTargetRef/name", "kind", NULL},
        {"networking.k8s.io", "IngressClass", "Ingress",
         "spec/ingressClassName", NULL, NULL},
        {"storage.k8s.io", "StorageClass", "PersistentVolumeClaim",
         "spec/storageClassName", NULL, NULL},
        {"storage.k8s.io", "StorageClass", "PersistentVolume",
         "spec/storageClassName", NULL, NULL},
        {"storage.k8s.io", "StorageClass", "StatefulSet",
         "spec/volumeClaimTemplates[]/spec/storageClassName", NULL, NULL},
        {"", "PersistentVolume", "PersistentVolumeClaim", "spec/volumeName",
         NULL, NULL},
};

/* the pod spec of each kind that holds one */
static const struct {
	const char *kind, *path;
} pod_specs[] = {
        {"Pod", "spec"},
        {"Deployment", "spec/template/spec"},
        {"ReplicaSet", "spec/template/spec"},
        {"ReplicationController", "spec/template/spec"},
        {"DaemonSet", "spec/template/spec"},
        {"StatefulSet", "spec/template/spec"},
        {"Job", "spec/template/spec"},
        {"CronJob", "spec/jobTemplate/spec/template/spec"},
};

static char *group_of(const struct hx_node *root)
{
	const char *av = hx_node_str(hx_map_get(root, "apiVersion"));
	const char *slash = av ? strrchr(av, '/') : NULL;

	return slash ? hx_xstrndup(av, (size_t)(slash - av)) : hx_xstrdup("");
}

static int is_cluster(const char *group, const char *kind)
{
	size_t i;

	for (i = 0; i < N(cluster_kinds); i++)
		if (!strcmp(cluster_kinds[i].kind, kind) &&
		    !strcmp(cluster_kinds[i].group, group))
			return 1;
	return 0;
}

static int keeps_name(const char *kind)
{
	size_t i;

	for (i = 0; i < N(keep_name); i++)
		if (!strcmp(keep_name[i], kind))
			return 1;
	return 0;
}

void hx_kzren_collect(struct hx_kzren *r, const struct hx_node *root)
{
	const char *kind = hx_node_str(hx_map_get(root, "kind"));
	const char *name =
	        hx_node_str(hx_map_path(root, "metadata", "name", NULL));
	const char *ns =
	        hx_node_str(hx_map_path(root, "metadata", "namespace", NULL));
	struct hx_kzobj *o;

	if (!kind || !name)
		return;
	hx_grow(&r->objs, &r->alloc, r->n + 1, sizeof(*r->objs));
	o = &r->objs[r->n++];
	o->group = group_of(root);
	o->kind = hx_xstrdup(kind);
	o->name = hx_xstrdup(name);
	o->ns = hx_xstrdup(ns ? ns : "");
}

void hx_kzren_forget(struct hx_kzren *r)
{
	size_t i;

	for (i = 0; i < r->n; i++) {
		free(r->objs[i].group);
		free(r->objs[i].kind);
		free(r->objs[i].name);
		free(r->objs[i].ns);
	}
	free(r->objs);
	r->objs = NULL;
	r->n = r->alloc = 0;
}

void hx_kzren_release(struct hx_kzren *r)
{
	hx_kzren_forget(r);
	memset(r, 0, sizeof(*r));
}

/* A namespace as kustomize compares them: none is "default". */
static const char *effective_ns(const char *ns)
{
	return ns && *ns ? ns : "default";
}

/* The object of the render a reference means, or NULL. */
static const struct hx_kzobj *find(const struct hx_kzren *r,
                                   const struct ref *ref, const char *name,
                                   const char *ns)
{
	int cluster = is_cluster(ref->group, ref->kind);
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct hx_kzobj *o = &r->objs[i];

		if (!strcmp(o->kind, ref->kind) &&
		    !strcmp(o->group, ref->group) && !strcmp(o->name, name) &&
		    (cluster || !strcmp(effective_ns(o->ns), effective_ns(ns))))
			return o;
	}
	return NULL;
}

static char *new_name(const struct hx_kzren *r, const char *kind,
                      const char *name)
{
	size_t lp, ls, ln = strlen(name);
	char *s;

	if (keeps_name(kind))
		return hx_xstrdup(name);
	lp = r->prefix ? strlen(r->prefix) : 0;
	ls = r->suffix ? strlen(r->suffix) : 0;
	s = hx_xcalloc(1, lp + ln + ls + 1);
	memcpy(s, r->prefix ? r->prefix : "", lp);
	memcpy(s + lp, name, ln);
	memcpy(s + lp + ln, r->suffix ? r->suffix : "", ls);
	return s;
}

static void set_str(struct hx_arena *a, struct hx_node *map, const char *key,
                    const char *v)
{
	size_t n = strlen(v);

	hx_map_set(a, map, key, strlen(key),
	           hx_node_new_scalar(a, hx_arena_strndup(a, v, n), n,
	                              HX_STYLE_ANY));
}

struct walk {
	struct hx_arena *a;
	const struct hx_kzren *r;
	const struct ref *ref;
	const char *ns; /* the referring object's */
};

/* At the map holding the name: point it at the object's new name. */
static void fix(struct walk *w, struct hx_node *parent, const char *key)
{
	const char *name = hx_node_str(hx_map_get(parent, key));
	const char *ns = w->ns;
	const struct hx_kzobj *o;
	char *nn;

	if (!name)
		return;
	if (w->ref->kind_key &&
	    (!hx_node_str(hx_map_get(parent, w->ref->kind_key)) ||
	     strcmp(hx_node_str(hx_map_get(parent, w->ref->kind_key)),
	            w->ref->kind)))
		return;
	if (w->ref->ns_key) {
		ns = hx_node_str(hx_map_get(parent, w->ref->ns_key));
		if (!ns)
			ns = w->ns;
	}
	if ((o = find(w->r, w->ref, name, ns)) == NULL)
		return;
	nn = new_name(w->r, o->kind, o->name);
	set_str(w->a, parent, key, nn);
	free(nn);
	if (w->ref->ns_key && w->r->ns && !is_cluster(o->group, o->kind))
		set_str(w->a, parent, w->ref->ns_key, w->r->ns);
}

static void walk(struct walk *w, struct hx_node *n, const char *path)
{
	const char *slash = strchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : strlen(path), i;
	struct hx_node *field;
	char *key;

	if (!n)
		return;
	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			walk(w, n->u.seq.items[i], path);
		return;
	}
	if (n->kind != HX_MAP)
		return;
	if (len > 2 && !strncmp(path + len - 2, "[]", 2))
		len -= 2;
	key = hx_xstrndup(path, len);
	if (!slash)
		fix(w, n, key);
	else if ((field = hx_map_get(n, key)) != NULL)
		walk(w, field, slash + 1);
	free(key);
}

static void fix_refs(struct hx_arena *a, struct hx_node *root,
                     const struct hx_kzren *r, const char *kind, const char *ns)
{
	struct walk w = {a, r, NULL, ns};
	size_t i, j;

	for (i = 0; i < N(refs); i++) {
		w.ref = &refs[i];
		if (refs[i].from) {
			if (!strcmp(refs[i].from, kind))
				walk(&w, root, refs[i].path);
			continue;
		}
		for (j = 0; j < N(pod_specs); j++) {
			char path[256];

			if (strcmp(pod_specs[j].kind, kind))
				continue;
			snprintf(path, sizeof(path), "%s/%s", pod_specs[j].path,
			         refs[i].path);
			walk(&w, root, path);
		}
	}
}

/* kustomize's namespace: the object, and the namespaces it carries */
static void move(struct hx_arena *a, struct hx_node *root, const char *group,
                 const char *kind, const struct hx_kzren *r)
{
	struct hx_node *md = hx_map_get(root, "metadata"), *l, *n;
	const char *av = hx_node_str(hx_map_get(root, "apiVersion"));
	size_t i;

	if (md && md->kind == HX_MAP && !is_cluster(group, kind))
		set_str(a, md, "namespace", r->ns);
	if (md && md->kind == HX_MAP && !strcmp(kind, "Namespace") && av &&
	    !strcmp(av, "v1"))
		set_str(a, md, "name", r->ns);
	if (!strcmp(kind, "APIService") &&
	    (n = hx_map_path(root, "spec", "service", NULL)) != NULL &&
	    n->kind == HX_MAP)
		set_str(a, n, "namespace", r->ns);
	if (!strcmp(kind, "CustomResourceDefinition") &&
	    (n = hx_map_path(root, "spec", "conversion", "webhook",
	                     "clientConfig", "service", NULL)) != NULL &&
	    n->kind == HX_MAP && hx_map_get(n, "namespace"))
		set_str(a, n, "namespace", r->ns);
	/* a binding's subjects named "default" move along */
	if (strcmp(kind, "RoleBinding") && strcmp(kind, "ClusterRoleBinding"))
		return;
	l = hx_map_get(root, "subjects");
	for (i = 0; l && l->kind == HX_SEQ && i < l->u.seq.n; i++) {
		n = l->u.seq.items[i];
		if (n->kind == HX_MAP && hx_node_str(hx_map_get(n, "name")) &&
		    !strcmp(hx_node_str(hx_map_get(n, "name")), "default"))
			set_str(a, n, "namespace", r->ns);
	}
}

void hx_kzren_apply(struct hx_arena *a, struct hx_node *root,
                    const struct hx_kzren *r)
{
	const char *kind = hx_node_str(hx_map_get(root, "kind"));
	const char *ns =
	        hx_node_str(hx_map_path(root, "metadata", "namespace", NULL));
	struct hx_node *md = hx_map_get(root, "metadata");
	const char *name = hx_node_str(hx_map_get(md, "name"));
	char *group, *was_ns;

	if (!kind || !md || md->kind != HX_MAP)
		return;
	group = group_of(root);
	was_ns = hx_xstrdup(ns ? ns : "");
	fix_refs(a, root, r, kind, was_ns);
	if (r->ns)
		move(a, root, group, kind, r);
	if (name && (r->prefix || r->suffix) && !keeps_name(kind)) {
		char *nn = new_name(r, kind, name);

		set_str(a, md, "name", nn);
		free(nn);
	}
	free(was_ns);
	free(group);
}
