#ifndef HX_SMP_H
#define HX_SMP_H

#include "hx/schema.h"

struct hx_arena;
struct hx_node;

/*
 * Strategic merge patch with the semantics of Kubernetes apimachinery's
 * StrategicMergePatch (what kubectl patch and the API server apply): lists
 * merge by their merge key and come out in apimachinery's order; $patch
 * (replace, delete, and merge as an explicit default), $retainKeys,
 * $deleteFromPrimitiveList/<f>, $setElementOrder/<f>; null deletes; lists of
 * primitives with strategy merge are set unions; other lists are replaced.
 * Where t knows nothing (kinds without a schema) this is a JSON merge patch
 * that still understands the directives.  No directive reaches the result.
 *
 * All or nothing: on failure *root is unchanged and the error points into
 * the patch, naming the place in the document.  The patch is not modified
 * (it is applied to many documents); new nodes come from arena a.
 */
int hx_smp_apply(struct hx_arena *a, struct hx_node **root,
                 const struct hx_node *patch, struct hx_stype t);
/* The same on a tree that is the caller's own: changed in place (see
 * hx_jsonpatch_apply_owned). */
int hx_smp_apply_owned(struct hx_arena *a, struct hx_node **root,
                       const struct hx_node *patch, struct hx_stype t);

/*
 * The object an upgrade leaves in the cluster, as Helm 3 makes it: the
 * three-way strategic merge patch of apimachinery's
 * CreateThreeWayMergePatch(orig, mod, cur) (the release's manifest, the
 * new manifest, the live object) applied to cur; with merge_only (kinds
 * without a schema, CRDs) the JSON merge patch from orig to mod applied to
 * cur.  No API server defaults the result: $retainKeys is sent only where
 * mod changed its map, so defaults the live object holds stay.  *out is
 * new, from arena a; the three trees are not changed.  -1 with the error
 * set (a merged list item without its merge key).
 */
int hx_smp_threeway(struct hx_arena *a, struct hx_node **out,
                    const struct hx_node *orig, const struct hx_node *mod,
                    const struct hx_node *cur, struct hx_stype t,
                    int merge_only);

/* 1 if the patch is "$patch: delete" at its top level (kustomize: the
 * whole document is deleted). */
int hx_smp_deletes_document(const struct hx_node *patch);

#endif
