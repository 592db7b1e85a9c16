/*
 * A HelmRelease as helm-controller reads it (flux.h): api/v2's
 * HelmReleaseSpec, and v2beta1/v2beta2's deprecated fields.
 */
#include <stdio.h>
#include <string.h>

#include "hx/err.h"
#include "hx/flux.h"
#include "hx/sha256.h"
#include "hx/strbuf.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

void hx_flux_shorten_name(char out[64], const char *name)
{
	char hex[65];
	size_t n = strlen(name);

	if (n <= 53) {
		memcpy(out, name, n + 1);
		return;
	}
	hx_sha256_hex(hex, name, n);
	/* 53 - (12 + 1) characters of the name, '-', 12 of the hash */
	snprintf(out, 64, "%.40s-%.12s", name, hex);
}

/* How helm-x treats a field of the spec. */
enum use {
	USE,  /* read and honoured */
	NONE, /* cannot change what is rendered: accepted */
	WARN, /* changes what is deployed where, not what: a warning */
};

struct field {
	const char *name;
	enum use use;
	const char *why; /* for WARN */
};

static const struct field spec_fields[] = {
        {"chart", USE, NULL},
        {"chartRef", USE, NULL},
        {"interval", NONE, NULL},
        {"kubeConfig", WARN,
         "helm-controller deploys to the cluster of that kubeconfig; the "
         "render is the same, a live diff reads the current context"},
        {"suspend", WARN,
         "helm-controller leaves a suspended release as it is"},
        {"releaseName", USE, NULL},
        {"targetNamespace", USE, NULL},
        {"storageNamespace", USE, NULL},
        {"dependsOn", NONE, NULL},
        {"timeout", NONE, NULL},
        {"maxHistory", NONE, NULL},
        {"serviceAccountName", NONE, NULL},
        {"persistentClient", NONE, NULL},
        {"driftDetection", WARN,
         "helm-controller corrects the live objects; helm-x renders and "
         "diffs the release, not objects changed by hand"},
        {"install", USE, NULL},
        {"upgrade", NONE, NULL},
        {"test", NONE, NULL},
        {"rollback", NONE, NULL},
        {"uninstall", NONE, NULL},
        {"valuesFrom", USE, NULL},
        {"values", USE, NULL},
        {"commonMetadata", USE, NULL},
        {"postRenderers", USE, NULL},
        {"postRenderStrategy", USE, NULL},
        {"waitStrategy", NONE, NULL},
        {"healthCheckExprs", NONE, NULL},
        {NULL, NONE, NULL},
};

static const struct field chart_spec_fields[] = {
        {"chart", USE, NULL},
        {"version", USE, NULL},
        {"sourceRef", USE, NULL},
        {"interval", NONE, NULL},
        {"reconcileStrategy", NONE, NULL},
        {"valuesFiles", USE, NULL},
        {"valuesFile", USE, NULL}, /* v2beta1 */
        {"ignoreMissingValuesFiles", USE, NULL},
        {"verify", WARN,
         "helm-x does not verify the chart's signature (source-controller "
         "does)"},
        {NULL, NONE, NULL},
};

static const struct field install_fields[] = {
        {"crds", USE, NULL},
        {"skipCRDs", USE, NULL}, /* v2beta1 */
        {"timeout", NONE, NULL},
        {"strategy", NONE, NULL},
        {"remediation", NONE, NULL},
        {"disableTakeOwnership", NONE, NULL},
        {"disableWait", NONE, NULL},
        {"disableWaitForJobs", NONE, NULL},
        {"disableHooks", NONE, NULL},
        {"disableOpenAPIValidation", NONE, NULL},
        {"disableSchemaValidation", NONE, NULL},
        {"replace", NONE, NULL},
        {"createNamespace", NONE, NULL},
        {"serverSideApply", NONE, NULL},
        {NULL, NONE, NULL},
};

/* Check the keys of m against fields: unknown is an error, WARN a line. */
static int check_fields(const struct hx_node *m, const char *where,
                        const struct field *fields, struct hx_strvec *warnings)
{
	size_t i, j;

	if (!m || hx_node_is_null(m))
		return 0;
	if (m->kind != HX_MAP) {
		hx_error_set_node(m, "'%s' must be a mapping", where);
		return -1;
	}
	for (i = 0; i < m->u.map.n; i++) {
		const char *k = hx_node_str(m->u.map.pairs[i].key);

		for (j = 0; fields[j].name; j++)
			if (k && !strcmp(k, fields[j].name))
				break;
		if (!fields[j].name) {
			hx_error_set_node(m->u.map.pairs[i].key,
			                  "unknown field '%s.%s' of a "
			                  "HelmRelease",
			                  where, k ? k : "?");
			return -1;
		}
		if (fields[j].use == WARN) {
			struct hx_strbuf sb = HX_STRBUF_INIT;
			const struct hx_node *key = m->u.map.pairs[i].key;

			hx_strbuf_addf(&sb, "%s:%u:%u: %s.%s: %s",
			               key->file ? key->file : "?", key->line,
			               key->col, where, k, fields[j].why);
			hx_strvec_push(warnings, sb.buf);
			hx_strbuf_release(&sb);
		}
	}
	return 0;
}

/* A string field: NULL when absent or null; -1 when no string. */
static int opt_str(const struct hx_node *m, const char *key, const char **out,
                   const char *where)
{
	const struct hx_node *v = m ? hx_map_get(m, key) : NULL;

	*out = NULL;
	if (!v || hx_node_is_null(v))
		return 0;
	if (v->kind != HX_SCALAR || !hx_node_str(v)) {
		hx_error_set_node(v, "'%s.%s' must be a string", where, key);
		return -1;
	}
	*out = hx_node_str(v);
	return 0;
}

static int opt_bool(const struct hx_node *m, const char *key, int *out,
                    const char *where)
{
	const struct hx_node *v = m ? hx_map_get(m, key) : NULL;

	*out = 0;
	if (!v || hx_node_is_null(v))
		return 0;
	if (v->kind != HX_SCALAR ||
	    hx_node_resolve(v, NULL, NULL) != HX_TYPE_BOOL) {
		hx_error_set_node(v, "'%s.%s' must be true or false", where,
		                  key);
		return -1;
	}
	*out = !strcmp(hx_node_str(v), "true") ||
	       !strcmp(hx_node_str(v), "True") ||
	       !strcmp(hx_node_str(v), "TRUE") ||
	       !strcmp(hx_node_str(v), "yes") || !strcmp(hx_node_str(v), "on");
	return 0;
}

static const struct hx_node *opt_node(const struct hx_node *m, const char *key)
{
	const struct hx_node *v = m ? hx_map_get(m, key) : NULL;

	return v && !hx_node_is_null(v) ? v : NULL;
}

static int read_chart(struct hx_flux_hr *hr, const struct hx_node *spec,
                      struct hx_strvec *warnings)
{
	const struct hx_node *chart = opt_node(spec, "chart"), *cs, *vf;
	const char *one;

	hr->chart_ref = opt_node(spec, "chartRef");
	if (chart && hr->chart_ref) {
		hx_error_set_node(hr->chart_ref,
		                  "a HelmRelease has 'spec.chart' or "
		                  "'spec.chartRef', not both");
		return -1;
	}
	if (!chart && !hr->chart_ref) {
		hx_error_set_node(spec, "a HelmRelease needs 'spec.chart' or "
		                        "'spec.chartRef'");
		return -1;
	}
	if (hr->chart_ref) {
		if (hr->chart_ref->kind != HX_MAP) {
			hx_error_set_node(hr->chart_ref,
			                  "'spec.chartRef' must be a mapping");
			return -1;
		}
		return 0;
	}
	if (chart->kind != HX_MAP) {
		hx_error_set_node(chart, "'spec.chart' must be a mapping");
		return -1;
	}
	cs = opt_node(chart, "spec");
	if (!cs || cs->kind != HX_MAP) {
		hx_error_set_node(cs ? cs : chart,
		                  "'spec.chart.spec' must be a mapping");
		return -1;
	}
	hr->chart_spec = cs;
	if (check_fields(cs, "spec.chart.spec", chart_spec_fields, warnings) <
	            0 ||
	    opt_str(cs, "chart", &hr->chart, "spec.chart.spec") < 0 ||
	    opt_str(cs, "version", &hr->version, "spec.chart.spec") < 0 ||
	    opt_str(cs, "valuesFile", &one, "spec.chart.spec") < 0 ||
	    opt_bool(cs, "ignoreMissingValuesFiles",
	             &hr->ignore_missing_values_files, "spec.chart.spec") < 0)
		return -1;
	if (!hr->chart || !*hr->chart) {
		hx_error_set_node(cs, "'spec.chart.spec' needs 'chart'");
		return -1;
	}
	if (!opt_node(cs, "sourceRef")) {
		hx_error_set_node(cs, "'spec.chart.spec' needs 'sourceRef'");
		return -1;
	}
	vf = opt_node(cs, "valuesFiles");
	if (vf && vf->kind != HX_SEQ) {
		hx_error_set_node(vf, "'spec.chart.spec.valuesFiles' must be "
		                      "a list of paths");
		return -1;
	}
	/* v2beta1's valuesFile is merged before valuesFiles */
	hr->values_file = one ? hx_map_get(cs, "valuesFile") : NULL;
	hr->values_files = vf;
	return 0;
}

static int read_crds(struct hx_flux_hr *hr, const struct hx_node *spec,
                     struct hx_strvec *warnings)
{
	const struct hx_node *install = opt_node(spec, "install");
	const char *crds;
	int skip;

	if (check_fields(install, "spec.install", install_fields, warnings) <
	            0 ||
	    opt_str(install, "crds", &crds, "spec.install") < 0 ||
	    opt_bool(install, "skipCRDs", &skip, "spec.install") < 0)
		return -1;
	hr->crds = skip ? HX_FLUX_CRDS_SKIP : HX_FLUX_CRDS_CREATE;
	if (!crds)
		return 0;
	if (!strcmp(crds, "Skip")) {
		hr->crds = HX_FLUX_CRDS_SKIP;
	} else if (!strcmp(crds, "Create")) {
		hr->crds = HX_FLUX_CRDS_CREATE;
	} else if (!strcmp(crds, "CreateReplace")) {
		hr->crds = HX_FLUX_CRDS_CREATE_REPLACE;
	} else {
		hx_error_set_node(hx_map_get(install, "crds"),
		                  "invalid CRD policy '%s': want Skip, Create "
		                  "or CreateReplace",
		                  crds);
		return -1;
	}
	return 0;
}

static int read_metadata(struct hx_flux_hr *hr, const struct hx_node *spec)
{
	const struct hx_node *cm = opt_node(spec, "commonMetadata");
	size_t i;

	if (!cm)
		return 0;
	if (cm->kind != HX_MAP) {
		hx_error_set_node(cm, "'spec.commonMetadata' must be a mapping "
		                      "with labels and annotations");
		return -1;
	}
	for (i = 0; i < cm->u.map.n; i++) {
		const char *k = hx_node_str(cm->u.map.pairs[i].key);

		if (!k || (strcmp(k, "labels") && strcmp(k, "annotations"))) {
			hx_error_set_node(
			        cm->u.map.pairs[i].key,
			        "unknown field 'spec.commonMetadata.%s' "
			        "(want labels, annotations)",
			        k ? k : "?");
			return -1;
		}
	}
	hr->common_labels = opt_node(cm, "labels");
	hr->common_annotations = opt_node(cm, "annotations");
	return 0;
}

int hx_flux_hr_read(struct hx_flux_hr *hr, const struct hx_flux_obj *obj,
                    struct hx_strvec *warnings)
{
	const struct hx_node *spec = opt_node(obj->root, "spec");
	const char *rn, *tns, *sns, *strategy;
	struct hx_strbuf name = HX_STRBUF_INIT;

	memset(hr, 0, sizeof(*hr));
	hr->obj = obj;
	if (!spec || spec->kind != HX_MAP) {
		hx_error_set_node(spec ? spec : obj->root,
		                  "HelmRelease '%s/%s' needs a 'spec' mapping",
		                  obj->ns, obj->name);
		return -1;
	}
	if (check_fields(spec, "spec", spec_fields, warnings) < 0 ||
	    opt_str(spec, "releaseName", &rn, "spec") < 0 ||
	    opt_str(spec, "targetNamespace", &tns, "spec") < 0 ||
	    opt_str(spec, "storageNamespace", &sns, "spec") < 0 ||
	    opt_str(spec, "postRenderStrategy", &strategy, "spec") < 0 ||
	    read_chart(hr, spec, warnings) < 0 ||
	    read_crds(hr, spec, warnings) < 0 || read_metadata(hr, spec) < 0)
		return -1;
	tns = tns && *tns ? tns : NULL;
	if (rn && *rn)
		hx_strbuf_adds(&name, rn);
	else if (tns)
		hx_strbuf_addf(&name, "%s-%s", tns, obj->name);
	else
		hx_strbuf_adds(&name, obj->name);
	hx_flux_shorten_name(hr->release, name.buf);
	hx_strbuf_release(&name);
	hr->rel_ns = tns ? tns : obj->ns;
	hr->storage_ns = sns && *sns ? sns : obj->ns;
	hr->strategy_given = strategy != NULL;
	if (strategy && !strcmp(strategy, "nohooks")) {
		hr->no_hooks = 1;
	} else if (strategy && strcmp(strategy, "combined") &&
	           strcmp(strategy, "separate")) {
		hx_error_set_node(hx_map_get(spec, "postRenderStrategy"),
		                  "invalid postRenderStrategy '%s': want "
		                  "nohooks, combined or separate",
		                  strategy);
		return -1;
	}
	hr->values_from = opt_node(spec, "valuesFrom");
	if (hr->values_from && hr->values_from->kind != HX_SEQ) {
		hx_error_set_node(hr->values_from,
		                  "'spec.valuesFrom' must be a list");
		return -1;
	}
	hr->values = opt_node(spec, "values");
	if (hr->values && hr->values->kind != HX_MAP) {
		hx_error_set_node(hr->values,
		                  "'spec.values' must be a mapping");
		return -1;
	}
	hr->post_renderers = opt_node(spec, "postRenderers");
	if (hr->post_renderers && hr->post_renderers->kind != HX_SEQ) {
		hx_error_set_node(hr->post_renderers,
		                  "'spec.postRenderers' must be a list");
		return -1;
	}
	return 0;
}
