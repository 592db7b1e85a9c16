#ifndef HX_PATCHSET_H
#define HX_PATCHSET_H

#include <stddef.h>

#include "hx/node.h"
#include "hx/strvec.h"
#include "hx/schema.h"
#include "hx/yamldoc.h"

/*
 * Patch files, their targets, and applying them in command-line order to
 * every document of a stream.
 */

struct hx_regex;
struct hx_selector;

/* What a patch applies to; a NULL field matches anything. */
struct hx_target {
	char *group, *version, *kind, *name, *ns; /* owned */
	/* --patches: kind, name and namespace above are patterns, matched
	 * by these compiled anchored regexes (owned) instead of equality */
	struct hx_regex *kind_re, *name_re, *ns_re;
	struct hx_selector *labels, *annotations; /* owned */
};

/* a JSON patch, a strategic merge, or a kustomization key's transformer */
enum hx_patch_type { HX_PATCH_JSON, HX_PATCH_SMP, HX_PATCH_KZX };

struct hx_kzx;

struct hx_patch {
	enum hx_patch_type type;
	const char *flag;            /* "--json-patch" */
	const char *file;            /* borrowed: the patch file's name */
	size_t index;                /* the patch's index in its file */
	const struct hx_node *where; /* its position, for messages */
	int has_target;
	struct hx_target target;
	const char *label_text, *annotation_text; /* borrowed, for messages */
	const struct hx_node *body; /* the ops (borrowed from files) */
	/* kustomize's meaning (--patches): a JSON patch sees a
	 * metadata.annotations map even where the object has none, as
	 * kustomize's own bookkeeping annotations make it exist there */
	int kustomize;
	struct hx_kzx *kzx; /* owned: HX_PATCH_KZX */
	size_t matches;
	/* never a no-match: metadata for every object (helm-controller's
	 * commonMetadata and origin labels), which an empty render is no
	 * mistake of */
	int any_render;
};

struct hx_patchset {
	struct hx_stream **files; /* owned: patch files, keep trees alive */
	size_t nfiles, files_alloc;
	struct hx_patch *patches; /* owned array */
	size_t n, alloc;
	char *ns;                  /* owned: release namespace, or NULL */
	struct hx_schemas schemas; /* --openapi files; then the built-ins */
	/* skip parsing documents whose kind no patch targets (their YAML was
	 * already checked by helm); off: every document is parsed */
	int skip_untargeted;
	/* which documents the patches see (helm-controller's post-renderers
	 * see no CRDs of crds/, and with postRenderStrategy nohooks no
	 * hooks): enum hx_patch_skip bits */
	unsigned skip;
	/* what names the patches of hx_patchset_add_kustomize_node in
	 * messages (borrowed; NULL: "--patches") */
	const char *kz_flag;
	/* warnings of the loaded files ("FILE:L:C: ..."), printed with the
	 * run's own */
	struct hx_strvec warnings;
};
enum hx_patch_skip {
	HX_SKIP_CRDS = 1,     /* documents of a chart's crds/ */
	HX_SKIP_NOT_CRDS = 2, /* every other document */
	HX_SKIP_HOOKS = 4,    /* documents with a helm.sh/hook annotation */
};
/* every field zero */
#define HX_PATCHSET_INIT                                                       \
	{                                                                      \
		.files = NULL                                                  \
	}

void hx_patchset_release(struct hx_patchset *ps);
/* The namespace that documents without one are taken to be in. */
void hx_patchset_set_namespace(struct hx_patchset *ps, const char *ns);

/*
 * Load a --json-patch file: one or more documents, each a mapping
 * {target, patch: [ops] | path: FILE} or a list of such mappings.  "path"
 * is relative to the patch file's directory.
 */
int hx_patchset_add_jsonpatch_file(struct hx_patchset *ps, const char *path);

/*
 * Load a --strategic-merge-patch file: each document is a patch for the
 * document with the same apiVersion group, kind, metadata.name and (when
 * the patch sets one) metadata.namespace.  "$patch: delete" at the top
 * deletes that document.
 */
int hx_patchset_add_smp_file(struct hx_patchset *ps, const char *path);

/*
 * Load a --patches file: kustomize's patch entries, as a list or under the
 * keys of a kustomization, applied in kustomize's order:
 * patchesStrategicMerge, patches, namespace/namePrefix/nameSuffix
 * (kzrefs.h), labels, commonLabels, commonAnnotations, patchesJson6902,
 * replicas, images (kzxform.h).  resources is not read (a warning); every
 * other key is an error naming the key.  An entry
 * has path (relative to the file) or patch (inline, text or YAML), and an
 * optional target {group, version, kind, name, namespace, labelSelector,
 * annotationSelector} whose kind, name and namespace are anchored regular
 * expressions.  A list body is RFC 6902, a mapping is strategic merge;
 * empty patch files are ignored.
 */
int hx_patchset_add_patches_file(struct hx_patchset *ps, const char *path);

/*
 * The patches of a kustomization node kz of st (st is borrowed: it must
 * outlive ps): patchesStrategicMerge, patches, patchesJson6902 and images,
 * in kustomize's order, with --patches' meaning (helm-controller's
 * post-renderers; the caller checks which keys kz may have).
 */
int hx_patchset_add_kustomize_node(struct hx_patchset *ps, struct hx_stream *st,
                                   const struct hx_node *kz);
/*
 * A transformer that sets the labels (or, with annotations set, the
 * annotations) pairs in every object's metadata, as helm-controller's
 * commonMetadata and origin labels do (an empty render is no no-match
 * for it); what names it in messages; pairs
 * (borrowed, from st or an arena that outlives ps) must map names to
 * strings.
 */
int hx_patchset_add_metadata(struct hx_patchset *ps, struct hx_stream *st,
                             int annotations, const struct hx_node *pairs,
                             const char *what);

/* Load an --openapi file: schemas for the kinds it names (CRDs). */
int hx_patchset_add_openapi(struct hx_patchset *ps, const char *path);

#endif
