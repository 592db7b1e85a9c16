#ifndef HX_DIFFLIVE_H
#define HX_DIFFLIVE_H

struct hx_streams;

/*
 * helm-diff's --three-way-merge: compare with the cluster instead of the
 * release's manifest.  Each object of news (what the upgrade installs;
 * hooks and Lists aside) that exists in the cluster is read there, by
 * kubectl (kubectl.h) in one 'kubectl get' per namespace (one list call
 * per kind); olds (the release's manifest and hooks) then shows the live
 * object and news what the upgrade leaves of it (hx_smp_threeway, the
 * release's object as the original), both without what the server owns
 * (status, managedFields, resourceVersion, uid, creationTimestamp,
 * generation, Helm's ownership annotations), keys sorted.  A release
 * object the upgrade keeps but the cluster lacks is shown as new.
 * Objects without a namespace are in ns (NULL: the kubeconfig's); ctx is
 * the kube context (NULL: helm's).  0, or -1 with the error set.
 */
int hx_difflive_threeway(struct hx_streams *olds, struct hx_streams *news,
                         const char *ns, const char *ctx);

#endif
