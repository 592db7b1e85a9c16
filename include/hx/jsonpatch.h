#ifndef HX_JSONPATCH_H
#define HX_JSONPATCH_H

#include <stddef.h>

struct hx_arena;
struct hx_node;

/*
 * RFC 6902 JSON Patch and RFC 7386 JSON merge patch over the node tree, with
 * RFC 6901 pointers.  Values from the patch are copied into arena a, so the
 * patch's own tree may die before the document.
 */

/*
 * Check that ops is a list of well-formed operations (known op, string path
 * that is a valid pointer, from/value where the op needs them).  Errors point
 * at the op: "FILE:L:C: error: op 2 'move': missing 'from'".
 */
int hx_jsonpatch_check(const struct hx_node *ops);

/*
 * Apply ops to *root, all or nothing: on failure *root is unchanged and the
 * error names the op index, its name and the pointer, at the op's position
 * ("op 2 'remove': path '/spec/x' does not exist").  *root may be replaced
 * (path "" or the copy made for atomicity).
 */
int hx_jsonpatch_apply(struct hx_arena *a, struct hx_node **root,
                       const struct hx_node *ops);
/*
 * The same on a tree that is the caller's own (a clone made for a run of
 * patches): changed in place, no copy per call, so N patches on one
 * document cost O(N) and not O(N x its size); on failure *root is left
 * partly changed (the run fails whole).
 */
int hx_jsonpatch_apply_owned(struct hx_arena *a, struct hx_node **root,
                             const struct hx_node *ops);

/*
 * hx_jsonpatch_apply_owned with kustomize's meaning (its --patches): an
 * op under /metadata/annotations/ of an object without that map finds an
 * empty one (kustomize's own bookkeeping annotations are there while it
 * patches), which goes again when it is left empty.  No other missing
 * parent is made: kustomize refuses /metadata/labels/x there too.
 */
int hx_jsonpatch_apply_kustomize(struct hx_arena *a, struct hx_node **root,
                                 const struct hx_node *ops);

/* RFC 7386: merge patch into *root (which may be replaced); cannot fail. */
void hx_mergepatch_apply(struct hx_arena *a, struct hx_node **root,
                         const struct hx_node *patch);

/*
 * Resolve an RFC 6901 pointer to a node; NULL (no error set) when it does
 * not exist, or when the pointer is malformed.
 */
struct hx_node *hx_pointer_get(struct hx_node *root, const char *ptr);

#endif
