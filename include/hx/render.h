#ifndef HX_RENDER_H
#define HX_RENDER_H

#include <stddef.h>

#include "hx/input.h"
#include "hx/renderopts.h"
#include "hx/streams.h"

struct hx_proc;
struct hx_strbuf;
struct hx_strvec;
struct hx_stream;

/*
 * Turning a source into YAML streams: helm template for charts (pulled
 * first when remote or packaged), kustomize for kustomizations, the files
 * themselves for manifests.
 */

/*
 * A remote chart (REPO/CHART, --repo, oci://) by helm pull --untar, or a
 * .tgz by tar, into the new dir o->tmpdir/sub: *chart_dir (new) is the
 * chart found there.  Returns as hx_render.
 */
int hx_render_pull(char **chart_dir, enum hx_input_kind kind,
                   const char *source, const struct hx_render_opts *o,
                   const char *sub);
/*
 * Add the --dependency subcharts deps ("ALIAS=REPO/CHART:VERSION") to the
 * chart in dir (a copy of shown, which messages name, or a chart made in
 * the temporary dir) and run helm dependency build.  Returns as
 * hx_render.
 */
int hx_render_add_deps(const char *dir, const char *shown,
                       const struct hx_strvec *deps);

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
