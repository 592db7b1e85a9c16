/*
 * Reading a patch file as what it is: which flag reads a file of its shape,
 * and what helm-x does with each key of a kustomization (kzfile.h).
 */
#include "hx/kzfile.h"

#include <string.h>
#include <strings.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* ---- which flag reads a file --------------------------------------- */

enum shape {
	SHAPE_OTHER,
	SHAPE_KUSTOMIZATION, /* patches:, patchesStrategicMerge:, ... */
	SHAPE_KZ_ENTRY,      /* {target, patch: "text"} */
	SHAPE_OBJECT,        /* apiVersion, kind, metadata: strategic merge */
	SHAPE_OP,            /* {op, path}: a JSON patch operation */
	SHAPE_JSON_ENTRY,    /* {target, patch: [ops]} */
};

static enum shape shape_of(const struct hx_node *n)
{
	const struct hx_node *patch;
	const char *kind;

	if (n && n->kind == HX_SEQ && n->u.seq.n)
		n = n->u.seq.items[0];
	if (!n || n->kind != HX_MAP)
		return SHAPE_OTHER;
	if (hx_map_get_ci(n, "patches") ||
	    hx_map_get_ci(n, "patchesStrategicMerge") ||
	    hx_map_get_ci(n, "patchesJson6902"))
		return SHAPE_KUSTOMIZATION;
	if (hx_map_get(n, "op") && hx_map_get(n, "path"))
		return SHAPE_OP;
	kind = hx_node_str(hx_map_get(n, "kind"));
	if (kind && hx_map_get(n, "metadata"))
		return strcmp(kind, "Kustomization") &&
		                       strcmp(kind, "Component")
		               ? SHAPE_OBJECT
		               : SHAPE_KUSTOMIZATION;
	patch = hx_map_get_ci(n, "patch");
	if (patch && patch->kind == HX_SCALAR)
		return SHAPE_KZ_ENTRY;
	if (patch && patch->kind == HX_SEQ && hx_map_get(n, "target"))
		return SHAPE_JSON_ENTRY;
	return SHAPE_OTHER;
}

/*
 * After a file failed to load under flag: when its first document has the
 * shape another flag reads, say which ("; this is a kustomization: give
 * it to --patches").
 */
void hx_patchset_hint_flag(const struct hx_stream *st, const char *flag)
{
	const struct hx_node *root = NULL;
	const char *want = NULL, *what = NULL;
	size_t i;

	for (i = 0; st && i < st->n && !root; i++)
		root = st->docs[i].root;
	switch (shape_of(root)) {
	case SHAPE_KUSTOMIZATION:
		what = "this is a kustomization";
		want = "--patches";
		break;
	case SHAPE_KZ_ENTRY:
		what = "this is a kustomize patch entry (its patch is text)";
		want = "--patches";
		break;
	case SHAPE_OBJECT:
		what = "this is a strategic merge patch (an object)";
		want = "--strategic-merge-patch";
		break;
	case SHAPE_OP:
		what = "these are JSON patch operations";
		want = "--json-patch (under 'patch:', with a 'target:')";
		break;
	case SHAPE_JSON_ENTRY:
		what = "this is a JSON patch entry";
		want = "--json-patch";
		break;
	case SHAPE_OTHER:
		break;
	}
	if (want && strncmp(want, flag, strlen(flag)))
		hx_error_suffix("; %s: give it to %s", what, want);
}

int hx_patchset_is_object(const struct hx_node *root)
{
	return shape_of(root) == SHAPE_OBJECT;
}

/*
 * What helm-x does with each key of a kustomization read as a --patches
 * file.  APPLY: applied, in kustomize's order (below); IGNORE: names the
 * file itself; WARN: not read, which cannot change the render's objects
 * but is said.  Any other key is an error.
 */
enum kz_use { APPLY, IGNORE, WARN };

static const struct {
	const char *key;
	enum kz_use use;
	const char *why;
} kz_keys[] = {
        {"apiVersion", IGNORE, NULL},
        {"kind", IGNORE, NULL},
        {"metadata", IGNORE, NULL},
        {"patchesStrategicMerge", APPLY, NULL},
        {"patches", APPLY, NULL},
        {"patchesJson6902", APPLY, NULL},
        {"commonLabels", APPLY, NULL},
        {"labels", APPLY, NULL},
        {"commonAnnotations", APPLY, NULL},
        {"images", APPLY, NULL},
        {"replicas", APPLY, NULL},
        {"resources", WARN,
         "the patches apply to the render, which takes the place of the "
         "resources (to add objects, give a directory of manifests or a "
         "kustomization as SOURCE)"},
        {"namespace", APPLY, NULL},
        {"namePrefix", APPLY, NULL},
        {"nameSuffix", APPLY, NULL},
};

/*
 * Check every key of a kustomization; NULL-valued keys are as if absent.
 * A key helm-x has no use for is an error naming it: none is dropped.
 */
int hx_kzfile_check_keys(struct hx_strvec *warnings, const struct hx_node *root)
{
	size_t i, j;

	for (i = 0; i < root->u.map.n; i++) {
		const struct hx_node *k = root->u.map.pairs[i].key;
		const char *ks = hx_node_str(k);

		if (hx_node_is_null(root->u.map.pairs[i].value))
			continue;
		for (j = 0; ks && j < sizeof(kz_keys) / sizeof(kz_keys[0]); j++)
			if (!strcasecmp(ks, kz_keys[j].key))
				break;
		if (!ks || j == sizeof(kz_keys) / sizeof(kz_keys[0])) {
			struct hx_strbuf kt = HX_STRBUF_INIT;

			hx_node_describe(&kt, k);
			hx_error_set_node(
			        k,
			        "'%s' is a kustomization key helm-x "
			        "does not apply to a render (it "
			        "applies patches, patchesStrategicMerge, "
			        "patchesJson6902, namespace, namePrefix, "
			        "nameSuffix, commonLabels, labels, "
			        "commonAnnotations, images and "
			        "replicas): build the kustomization "
			        "itself as SOURCE",
			        kt.buf);
			hx_strbuf_release(&kt);
			return -1;
		}
		if (kz_keys[j].use == WARN) {
			struct hx_strbuf sb = HX_STRBUF_INIT;

			hx_strbuf_addf(&sb, "%s:%u:%u: '%s' is not read: %s",
			               k->file ? k->file : "", k->line, k->col,
			               kz_keys[j].key, kz_keys[j].why);
			hx_strvec_push(warnings, sb.buf);
			hx_strbuf_release(&sb);
		}
	}
	return 0;
}
