#ifndef HX_KZFILE_H
#define HX_KZFILE_H

/*
 * Reading patch files (patchset.c): their shape, and a kustomization's
 * keys.
 */

struct hx_node;
struct hx_stream;
struct hx_strvec;

/*
 * After a file failed to load under flag: when its first document has the
 * shape another flag reads, add to the error which ("; this is a
 * kustomization: give it to --patches").
 */
void hx_patchset_hint_flag(const struct hx_stream *st, const char *flag);

/* Is root a Kubernetes object (a strategic merge patch), no kustomization? */
int hx_patchset_is_object(const struct hx_node *root);

/*
 * Check every key of a kustomization read as a --patches file: a key
 * helm-x has no use for is an error naming it; resources gets a warning
 * line ("FILE:L:C: ...") pushed to warnings.  0 or -1.
 */
int hx_kzfile_check_keys(struct hx_strvec *warnings,
                         const struct hx_node *root);

#endif
