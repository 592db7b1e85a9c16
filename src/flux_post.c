/*
 * A HelmRelease's post-renderers (flux.h) as helm-controller's
 * BuildPostRenderers chains them: each postRenderers[].kustomize (patches
 * and images; v2beta1/v2beta2 also patchesStrategicMerge and
 * patchesJson6902), then commonMetadata, then the origin labels, all on
 * metadata alone.  The chart's crds/ get the origin labels only, as
 * helm-controller applies CRDs itself.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/flux.h"
#include "hx/patchset.h"
#include "hx/strbuf.h"

#include "hx/banned.h"

static int is_v2(const struct hx_flux_hr *hr)
{
	return !strcmp(hr->obj->version, "v2");
}

/* The keys of a map: each in allowed (a NULL-ended list), or an error. */
static int check_keys(const struct hx_node *m, const char *what,
                      const char *const *allowed, const char *want)
{
	size_t i, j;

	if (!m || m->kind != HX_MAP) {
		hx_error_set_node(m, "%s must be a mapping", what);
		return -1;
	}
	for (i = 0; i < m->u.map.n; i++) {
		const char *k = hx_node_str(m->u.map.pairs[i].key);

		for (j = 0; allowed[j]; j++)
			if (k && !strcmp(k, allowed[j]))
				break;
		if (!allowed[j]) {
			hx_error_set_node(m->u.map.pairs[i].key,
			                  "unknown field '%s' of %s (want %s)",
			                  k ? k : "?", what, want);
			return -1;
		}
	}
	return 0;
}

static int check_list(const struct hx_node *kz, const char *key,
                      const char *const *allowed, const char *want,
                      int maps_only)
{
	const struct hx_node *l = hx_map_get(kz, key);
	struct hx_strbuf what = HX_STRBUF_INIT;
	size_t i;
	int rc = 0;

	if (!l || hx_node_is_null(l))
		return 0;
	if (l->kind != HX_SEQ) {
		hx_error_set_node(l, "'%s' must be a list", key);
		return -1;
	}
	hx_strbuf_addf(&what, "an entry of %s", key);
	for (i = 0; rc == 0 && i < l->u.seq.n; i++) {
		const struct hx_node *e = l->u.seq.items[i];

		if (maps_only) {
			/* an object, never a path to read */
			if (e->kind != HX_MAP) {
				hx_error_set_node(e,
				                  "a %s entry must be a "
				                  "patch object",
				                  key);
				rc = -1;
			}
		} else {
			rc = check_keys(e, what.buf, allowed, want);
		}
	}
	hx_strbuf_release(&what);
	return rc;
}

static int check_kustomize(const struct hx_flux_hr *hr,
                           const struct hx_node *kz, struct hx_strvec *warnings)
{
	static const char *const v2_keys[] = {"patches", "images", NULL};
	static const char *const old_keys[] = {"patches", "images",
	                                       "patchesStrategicMerge",
	                                       "patchesJson6902", NULL};
	static const char *const patch_keys[] = {"patch", "target", NULL};
	static const char *const image_keys[] = {"name", "newName", "newTag",
	                                         "digest", NULL};
	const struct hx_node *k;
	size_t i;

	if (check_keys(kz, "postRenderers[].kustomize",
	               is_v2(hr) ? v2_keys : old_keys,
	               is_v2(hr) ? "patches, images"
	                         : "patches, patchesStrategicMerge, "
	                           "patchesJson6902, images") < 0) {
		if (is_v2(hr))
			hx_error_suffix(
			        " (patchesStrategicMerge and "
			        "patchesJson6902 are gone from "
			        "helm.toolkit.fluxcd.io/v2: move them to "
			        "patches)");
		return -1;
	}
	if (check_list(kz, "patches", patch_keys, "patch, target", 0) < 0 ||
	    check_list(kz, "patchesJson6902", patch_keys, "patch, target", 0) <
	            0 ||
	    check_list(kz, "patchesStrategicMerge", NULL, NULL, 1) < 0 ||
	    check_list(kz, "images", image_keys,
	               "name, newName, newTag, digest", 0) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		const char *key =
		        i ? "patchesJson6902" : "patchesStrategicMerge";
		struct hx_strbuf sb = HX_STRBUF_INIT;

		k = hx_map_get(kz, key);
		if (!k)
			continue;
		hx_strbuf_addf(
		        &sb,
		        "%s:%u:%u: %s (deprecated) is applied "
		        "as %s's helm-controller did; helm-controller v1 "
		        "(API v2) ignores it: move it to patches",
		        k->file ? k->file : "?", k->line, k->col, key,
		        hr->obj->version);
		hx_strvec_push(warnings, sb.buf);
		hx_strbuf_release(&sb);
	}
	return 0;
}

/* The origin labels, as a mapping node of arena a. */
static struct hx_node *origin_labels(struct hx_arena *a,
                                     const struct hx_flux_hr *hr)
{
	struct hx_node *m = hx_node_new_map(a);
	static const char name_key[] = "helm.toolkit.fluxcd.io/name";
	static const char ns_key[] = "helm.toolkit.fluxcd.io/namespace";

	hx_map_set(a, m, name_key, sizeof(name_key) - 1,
	           hx_node_new_scalar(a, hr->obj->name, strlen(hr->obj->name),
	                              HX_STYLE_ANY));
	hx_map_set(a, m, ns_key, sizeof(ns_key) - 1,
	           hx_node_new_scalar(a, hr->obj->ns, strlen(hr->obj->ns),
	                              HX_STYLE_ANY));
	return m;
}

int hx_flux_post_renderers(struct hx_patchset *ps, struct hx_patchset *crds,
                           struct hx_arena *a, const struct hx_flux_hr *hr,
                           struct hx_strvec *warnings)
{
	const struct hx_node *pr = hr->post_renderers;
	struct hx_node *origin = origin_labels(a, hr);
	size_t i;

	ps->skip = HX_SKIP_CRDS | (hr->no_hooks ? HX_SKIP_HOOKS : 0);
	crds->skip = HX_SKIP_NOT_CRDS;
	for (i = 0; pr && i < pr->u.seq.n; i++) {
		const struct hx_node *e = pr->u.seq.items[i], *kz;
		static const char *const keys[] = {"kustomize", NULL};

		if (check_keys(e, "a postRenderers entry", keys, "kustomize") <
		    0)
			return -1;
		kz = hx_map_get(e, "kustomize");
		if (!kz || hx_node_is_null(kz))
			continue;
		{
			char what[64];

			snprintf(what, sizeof(what),
			         "postRenderers[%zu].kustomize", i);
			ps->kz_flag = hx_arena_strndup(a, what, strlen(what));
		}
		if (check_kustomize(hr, kz, warnings) < 0 ||
		    hx_patchset_add_kustomize_node(ps, hr->obj->st, kz) < 0)
			return -1;
	}
	if ((hr->common_labels &&
	     hx_patchset_add_metadata(ps, hr->obj->st, 0, hr->common_labels,
	                              "commonMetadata.labels") < 0) ||
	    (hr->common_annotations &&
	     hx_patchset_add_metadata(ps, hr->obj->st, 1,
	                              hr->common_annotations,
	                              "commonMetadata.annotations") < 0))
		return -1;
	if (hx_patchset_add_metadata(ps, hr->obj->st, 0, origin,
	                             "the origin labels") < 0 ||
	    hx_patchset_add_metadata(crds, hr->obj->st, 0, origin,
	                             "the origin labels") < 0)
		return -1;
	return 0;
}
