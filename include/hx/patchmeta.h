#ifndef HX_PATCHMETA_H
#define HX_PATCHMETA_H

/*
 * What patching a document may not change about its metadata, checked or
 * put back after the patches ran (patchrun.c).
 */

struct hx_arena;
struct hx_node;

/* A duplicate apiVersion, kind, metadata, name or namespace key (the
 * document's identity would be ambiguous), or NULL. */
const struct hx_node *hx_patchmeta_identity_dup(const struct hx_node *root);

/*
 * Helm 4's postrenderer.helm.sh/postrender-filename annotation (the chart
 * file a document came from, by which Helm files what comes back), or
 * NULL; put back as was after the patches, whatever they did to the
 * metadata around it.
 */
const struct hx_node *hx_patchmeta_filename_note(const struct hx_node *root);
void hx_patchmeta_keep_filename_note(struct hx_arena *a, struct hx_node *root,
                                     const struct hx_node *was);

/*
 * Label and annotation values the patches set to a number or a boolean
 * written as the strings they read as (the API server takes strings
 * only), as kustomize does; values orig (the document before) already had
 * are left; the items of a list document too.
 */
void hx_patchmeta_stringify(struct hx_arena *a, struct hx_node *root,
                            const struct hx_node *orig);

#endif
