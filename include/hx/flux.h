#ifndef HX_FLUX_H
#define HX_FLUX_H

#include <stddef.h>

#include "hx/node.h"
#include "hx/render.h"
#include "hx/strvec.h"

/*
 * Flux: the objects of a GitOps repository (HelmRelease, its sources and
 * values), and what helm-controller would deploy from each HelmRelease:
 * its release name and namespaces, its chart, its values and its
 * post-renderers.  The command is cmd_flux.c.
 */

struct hx_stream;
struct hx_patchset;

/* One object read from the PATHs. */
struct hx_flux_obj {
	const char *group, *version, *kind, *name; /* borrowed from root */
	const char *ns; /* metadata.namespace, else "default" */
	size_t group_len;
	const struct hx_node *root;
	struct hx_stream *st; /* the stream it was read from */
	const char *dir;      /* the directory of its file (borrowed) */
};

struct hx_flux_set {
	struct hx_stream **streams; /* owned */
	size_t nstreams, salloc;
	struct hx_strvec dirs; /* owned: one per stream */
	struct hx_flux_obj *objs;
	size_t n, alloc;
	struct hx_strvec warnings; /* "FILE: ..." lines */
};
#define HX_FLUX_SET_INIT                                                       \
	{                                                                      \
		.streams = NULL                                                \
	}

/*
 * Read path: a YAML file, or a directory read recursively (*.yaml, *.yml;
 * names starting with '.' and chart directories skipped) where a
 * directory holding a kustomization is built with kustomize instead, as
 * kustomize-controller builds it (tmp: for kustomize's overlay, may be
 * NULL).  0, or -1 with the error set.
 */
int hx_flux_load(struct hx_flux_set *set, const char *path, const char *tmp);
void hx_flux_set_release(struct hx_flux_set *set);
/* The object of that group ("" for core), kind, namespace and name. */
const struct hx_flux_obj *hx_flux_find(const struct hx_flux_set *set,
                                       const char *group, const char *kind,
                                       const char *ns, const char *name);
/* 1 when o is a HelmRelease (helm.toolkit.fluxcd.io, any version). */
int hx_flux_is_release(const struct hx_flux_obj *o);

enum hx_flux_crds {
	HX_FLUX_CRDS_CREATE, /* the default */
	HX_FLUX_CRDS_SKIP,
	HX_FLUX_CRDS_CREATE_REPLACE,
};

/* What one HelmRelease asks helm-controller for. */
struct hx_flux_hr {
	const struct hx_flux_obj *obj;
	char release[64];   /* the release name, shortened as helm-controller */
	const char *rel_ns; /* targetNamespace, else the HelmRelease's */
	const char *storage_ns; /* storageNamespace, else the HelmRelease's */
	/* the chart: spec.chart.spec, or spec.chartRef */
	const struct hx_node *chart_spec, *chart_ref;
	const char *chart, *version; /* chart_spec's (version NULL: any) */
	const struct hx_node *values_files; /* list of strings, or NULL */
	const struct hx_node *values_file;  /* v2beta1's one, or NULL */
	int ignore_missing_values_files;
	const struct hx_node *values_from, *values, *post_renderers;
	const struct hx_node *common_labels, *common_annotations;
	enum hx_flux_crds crds; /* install's: what a template shows */
	int no_hooks;           /* postRenderStrategy nohooks */
	int strategy_given;     /* postRenderStrategy set at all */
};

/*
 * Read the HelmRelease obj into hr: fields helm-controller knows but that
 * cannot change what is rendered are accepted, those helm-x cannot honour
 * are an error or (when they cannot change what is deployed) a line in
 * warnings; an unknown field is an error at its position.
 */
int hx_flux_hr_read(struct hx_flux_hr *hr, const struct hx_flux_obj *obj,
                    struct hx_strvec *warnings);
/* helm-controller's ShortenName: over 53 characters, 40 + '-' + 12 of
 * the SHA-256 of the name in hex.  out has room for 54 bytes. */
void hx_flux_shorten_name(char out[64], const char *name);

/*
 * --values-from KIND/NS/NAME=FILE and --source KIND/NS/NAME=DIR: the
 * objects the user supplies by hand (a decrypted Secret, the directory
 * of a GitRepository).
 */
struct hx_flux_given {
	char *kind, *ns, *name, *path; /* owned */
};
struct hx_flux_givens {
	struct hx_flux_given *v;
	size_t n, alloc;
};
int hx_flux_given_add(struct hx_flux_givens *g, const char *spec,
                      const char *flag);
const char *hx_flux_given_find(const struct hx_flux_givens *g, const char *kind,
                               const char *ns, const char *name);
void hx_flux_givens_release(struct hx_flux_givens *g);

/*
 * The values helm-controller passes to helm for hr: each valuesFrom
 * entry in order (a ConfigMap or Secret of set or of given, valuesKey,
 * targetPath in helm's --set notation, optional), then spec.values, each
 * merged as fluxcd/pkg's chartutil merges them.  *out is a new mapping in
 * arena a (which, with streams, keeps what it borrows alive).
 */
int hx_flux_values(struct hx_node **out, struct hx_arena *a,
                   struct hx_strvec *warnings, const struct hx_flux_set *set,
                   const struct hx_flux_hr *hr,
                   const struct hx_flux_givens *given,
                   struct hx_flux_set *keep);

/*
 * helm's --set notation into values (strvals' ParseInto; ParseIntoString
 * when as_string), as fluxcd/pkg's ReplacePathValue and
 * ReplacePathLiteralValue use it for targetPath.  0, or -1 with the
 * error set (no position).
 */
int hx_flux_set_path(struct hx_arena *a, struct hx_node *values,
                     const char *expr, int as_string);
/* chartutil's MergeMaps: a new map of a's pairs with b's merged over. */
struct hx_node *hx_flux_merge(struct hx_arena *a, const struct hx_node *x,
                              const struct hx_node *y);

/*
 * The first document of st (loaded into st's arena) merged over *into as
 * values, as sigs.k8s.io/yaml reads values: one mapping.  0 or -1.
 */
int hx_flux_merge_stream(struct hx_node **into, struct hx_arena *a,
                         struct hx_stream *st);

/*
 * Fetch hr's chart into dir tmp (which exists and is hr's own) and make
 * its values.yaml the merge of valuesFiles, as source-controller does:
 * *chart_dir is a new path under tmp.  sources: --source dirs.
 */
int hx_flux_chart(char **chart_dir, const struct hx_flux_set *set,
                  const struct hx_flux_hr *hr,
                  const struct hx_flux_givens *sources, const char *tmp,
                  struct hx_strvec *warnings);

/*
 * The post-renderers of hr as patchsets: ps for the render (each
 * postRenderers[].kustomize, commonMetadata, the origin labels; hooks
 * left out for nohooks) and crds for the CRDs of crds/ (the origin labels
 * alone, as helm-controller applies CRDs).  a keeps made nodes.
 */
int hx_flux_post_renderers(struct hx_patchset *ps, struct hx_patchset *crds,
                           struct hx_arena *a, const struct hx_flux_hr *hr,
                           struct hx_strvec *warnings);

/* One HelmRelease to render, and what came of it. */
struct hx_flux_job {
	const struct hx_flux_obj *obj;
	struct hx_streams streams; /* helm template's, post-rendered */
	struct hx_strvec warnings; /* "FILE:L:C: ..." lines */
	struct hx_strvec nomatch;  /* patches that matched nothing */
	char release[64];
	const char *rel_ns, *storage_ns; /* borrowed from obj's tree */
	int rc;                          /* 0, -1 or helm's status */
	char *err_head, *err_msg;        /* the error, saved, when rc */
};

struct hx_flux_render_opts {
	const struct hx_flux_set *set; /* the PATHs' objects */
	const struct hx_flux_givens *sources, *values_from;
	const struct hx_strvec *template_args; /* --kube-version ... */
	const char *tmp; /* the run's temporary dir: idx gets hr-IDX */
	int helm3;       /* --use-helm3-defaults */
};

/* Render j->obj; returns j->rc (the error set when not 0). */
int hx_flux_render(struct hx_flux_job *j, size_t idx,
                   const struct hx_flux_render_opts *o);
/*
 * Render every job, several at once (a thread per core and one more:
 * renders wait on helm); each job's result and error are its own.  With
 * stop_at_failure, no job after a failed one is started.
 */
void hx_flux_render_all(struct hx_flux_job *jobs, size_t n,
                        const struct hx_flux_render_opts *o,
                        int stop_at_failure);
void hx_flux_job_release(struct hx_flux_job *j);

struct hx_strbuf;
/* "# HelmRelease NS/NAME: release R in namespace N\n" for j, onto sb:
 * the line that leads its objects in flux template's output. */
void hx_flux_header(struct hx_strbuf *sb, const struct hx_flux_job *j);
/*
 * A saved flux template (in, its streams) split at its header lines into
 * one stream per HelmRelease (onto out), each with the release namespace
 * its header names (onto ns; "default" before any header).  0.
 */
int hx_flux_split_saved(struct hx_streams *out, struct hx_strvec *ns,
                        struct hx_streams *in);

#endif
