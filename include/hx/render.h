#ifndef HX_RENDER_H
#define HX_RENDER_H

#include <stddef.h>

#include "hx/input.h"

struct hx_proc;
struct hx_strbuf;
struct hx_strvec;
struct hx_stream;

/*
 * Turning a source into YAML streams: helm template for charts (pulled
 * first when remote or packaged), kustomize for kustomizations, the files
 * themselves for manifests.
 */

/* Streams, owned, in order. */
struct hx_streams {
	struct hx_stream *v;
	size_t n, alloc;
};
#define HX_STREAMS_INIT                                                        \
	{                                                                      \
		NULL, 0, 0                                                     \
	}
void hx_streams_release(struct hx_streams *s);
/* A new empty stream at the end (borrowed). */
struct hx_stream *hx_streams_add(struct hx_streams *s);

struct hx_render_opts {
	const char *release;
	const char *ns;           /* NULL: helm's default */
	const char *kube_context; /* NULL: none */
	int is_upgrade;
	const struct hx_strvec *values;        /* -f, --set ... */
	const struct hx_strvec *template_args; /* --kube-version ... */
	const struct hx_strvec *extra;         /* after "--" */
	const char *chart_version, *repo;      /* for pulls */
	const struct hx_strvec *pull_args;     /* --plain-http ... */
	int devel;
	const char *tmpdir; /* where pulled charts go */
	/* --dependency ALIAS=REPO/CHART:VERSION, added to a copy of the chart
	 * and fetched with helm dependency build */
	const struct hx_strvec *deps;
	int alpha_plugins; /* --enable_alpha_plugins: kustomize's plugins */
};

/*
 * The manifest files of a raw directory: *.yaml, *.yml and *.json, found
 * recursively (names starting with '.' are skipped) and sorted by path.
 * Appends to out; sets the error and returns -1 when dir cannot be read.
 */
int hx_render_list_manifests(struct hx_strvec *out, const char *dir);

/*
 * Run p; a non-zero exit sets the error "'WHAT' exited with status N" (a
 * helm that cannot start says where it came from).  Returns as
 * hx_proc_run.
 */
int hx_render_run(struct hx_proc *p, struct hx_strbuf *out);

/*
 * A remote chart (REPO/CHART, --repo, oci://) by helm pull --untar, or a
 * .tgz by tar, into the new dir o->tmpdir/sub: *chart_dir (new) is the
 * chart found there.  Returns as hx_render.
 */
int hx_render_pull(char **chart_dir, enum hx_input_kind kind,
                   const char *source, const struct hx_render_opts *o,
                   const char *sub);
/*
 * cp -R from to (to must not exist): files and directories, links
 * followed but never in a circle, capped at the input limit.  0 or -1.
 */
int hx_render_copy_tree(const char *from, const char *to);

/*
 * Render source of the given kind into out.  For charts, *chart_dir (may
 * be NULL) receives the chart directory rendered (new; a pulled chart lives
 * in o->tmpdir).  A kustomization or a manifest dir with templates/tests/
 * or --dependency gets a chart in o->tmpdir named after the release that
 * holds them, rendered after its documents; *chart_dir is that chart.
 * Returns 0; -1 with the error set; or a child's non-zero exit status (its
 * stderr was shown, the error says which command).
 */
int hx_render(struct hx_streams *out, char **chart_dir, enum hx_input_kind kind,
              const char *source, const struct hx_render_opts *o);

#endif
