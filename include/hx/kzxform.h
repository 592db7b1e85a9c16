#ifndef HX_KZXFORM_H
#define HX_KZXFORM_H

#include <stddef.h>

#include "hx/kzrefs.h"

/*
 * kustomize's per-object transformers, for the kustomization keys of a
 * --patches file: commonLabels, labels, commonAnnotations, images and
 * replicas, each writing the fields kustomize's built-in field specs name
 * (selectors and pod templates of the workload kinds, ...), with
 * kustomize's rules for making missing maps.
 */

struct hx_arena;
struct hx_node;
struct hx_regex;

enum hx_kzx_type {
	HX_KZX_LABELS,        /* one entry of labels */
	HX_KZX_COMMON_LABELS, /* commonLabels (parsed into HX_KZX_LABELS) */
	HX_KZX_ANNOTATIONS,   /* commonAnnotations */
	HX_KZX_IMAGE,         /* one entry of images */
	HX_KZX_REPLICAS,      /* one entry of replicas */
	HX_KZX_RENAME,        /* namespace, namePrefix, nameSuffix (kzrefs.h) */
};

/* which built-in field specs a labels transformer writes */
enum hx_kzx_fields {
	HX_KZX_METADATA = 1,  /* metadata/labels of every object */
	HX_KZX_TEMPLATES = 2, /* and the pod templates' labels */
	HX_KZX_SELECTORS = 4, /* and selectors (commonLabels) */
	HX_KZX_CLAIMS = 8,    /* and volumeClaimTemplates' labels */
};

struct hx_kzx {
	enum hx_kzx_type type;
	/* labels, annotations: key -> string value (borrowed, checked) */
	const struct hx_node *pairs;
	unsigned fields;              /* enum hx_kzx_fields */
	const struct hx_node *fspecs; /* labels[].fields (borrowed), or NULL */
	/* images (borrowed strings; NULL when not set) */
	const char *name, *new_name, *new_tag, *digest, *tag_suffix;
	struct hx_regex *image_re; /* owned: kustomize's match of name */
	/* replicas */
	long long count;
	/* rename: its settings, and the render's objects before the run */
	struct hx_kzren ren;
};

/*
 * The rename of a kustomization (HX_KZX_RENAME): ns, prefix and suffix are
 * the values of namespace, namePrefix and nameSuffix (nodes, NULL when
 * absent; each must be a string).  0 or -1.
 */
int hx_kzx_parse_rename(struct hx_kzx *x, const struct hx_node *ns,
                        const struct hx_node *prefix,
                        const struct hx_node *suffix);

/*
 * Read one transformer from the value of its kustomization key (commonLabels
 * a map; a labels, images or replicas entry); errors at the offending node
 * ("'newTag' must be a string").  0 or -1.
 */
int hx_kzx_parse(struct hx_kzx *x, enum hx_kzx_type type,
                 const struct hx_node *v);
/*
 * A labels or annotations transformer (type HX_KZX_LABELS or
 * HX_KZX_ANNOTATIONS) that writes metadata.labels or metadata.annotations
 * alone, made when missing, as helm-controller's commonMetadata and origin
 * labels do; what names pairs in messages.  0 or -1.
 */
int hx_kzx_parse_metadata(struct hx_kzx *x, enum hx_kzx_type type,
                          const struct hx_node *pairs, const char *what);
void hx_kzx_release(struct hx_kzx *x);

/*
 * Apply x to the document *root (an owned tree, changed in place); orig,
 * when not NULL, is the object before the run (replicas finds an object
 * by the name it had before namespace, namePrefix or nameSuffix).
 * 1 when x applied to the object (for images: some image matched; for
 * replicas: the name and kind matched), 0 when not, -1 on an error (a
 * field spec that meets a scalar, as kustomize refuses).
 */
int hx_kzx_apply(struct hx_arena *a, struct hx_node *root,
                 const struct hx_node *orig, const struct hx_kzx *x);

#endif
