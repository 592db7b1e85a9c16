#ifndef HX_DIFFLIVE_H
#define HX_DIFFLIVE_H

struct hx_streams;
struct hx_difflive;

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
 * the kube context (NULL: helm's); ahead is hx_difflive_start's, or NULL.
 * 0, or -1 with the error set.
 */
int hx_difflive_threeway(struct hx_streams *olds, struct hx_streams *news,
                         const char *ns, const char *ctx,
                         struct hx_difflive *ahead);

/*
 * The reading ahead, from the release's thread once olds is in (and
 * before anything else touches olds): the release's objects are loaded
 * and keyed, and a thread of its own starts 'kubectl get' on their kinds,
 * so the cluster is read while the chart renders.  hx_difflive_threeway
 * waits for it and reads only the kinds and namespaces the release did
 * not have.  NULL (nothing read ahead, every error left to
 * hx_difflive_threeway) when HELM_KUBETOKEN is set: kubectl gets the token
 * through KUBECONFIG, which must not change while helm runs.  tmp is
 * helm-x's temporary dir, ctx as above; both must outlive the result.
 * A read that fails is dropped: hx_difflive_threeway reads again and
 * reports the error.
 */
struct hx_difflive *hx_difflive_start(struct hx_streams *olds, const char *ns,
                                      const char *ctx, const char *tmp);
/* Waits for the reading thread, then frees everything; NULL is fine. */
void hx_difflive_free(struct hx_difflive *ahead);

#endif
