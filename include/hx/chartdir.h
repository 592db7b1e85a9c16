#ifndef HX_CHARTDIR_H
#define HX_CHARTDIR_H

struct hx_streams;

/*
 * Write the patched render as a chart in dir (which must not exist yet),
 * for helm install/upgrade/lint.  With orig_chart (the chart that was
 * rendered): its Chart.yaml without 'dependencies', values.yaml,
 * templates/NOTES.txt and templates' _* partials are copied (for each
 * rendered subchart too, and every library subchart whole: NOTES and
 * partials include their helpers), and every
 * document goes back to the file its "# Source:" line names (subcharts get
 * a Chart.yaml), so an installed release shows the same "# Source:" lines
 * as a plain helm install.  Without (kustomizations, manifests): a chart
 * named name at version (default 0.1.0), one template per source file or
 * per document.  "{{" is escaped in every document.
 */
int hx_chartdir_write(const char *dir, const struct hx_streams *s,
                      const char *orig_chart, const char *name,
                      const char *version);

/*
 * What helm stores as the release manifest (with its hooks) when it
 * installs the chart hx_chartdir_write makes of s: each document after
 * "---" and a "# Source:" line naming its file in that chart (the chart
 * being name for kustomizations and manifests), CRDs left out.  So
 * `helm x diff` knows what `helm x upgrade` installs without rendering
 * the temporary chart again.  Sets the error and returns -1 on a name
 * that cannot be a file.
 */
struct hx_strbuf;
int hx_chartdir_manifest(struct hx_strbuf *out, const struct hx_streams *s,
                         const char *name);

/*
 * The CRDs of a chart's render (crds/ of the chart and its subcharts), as
 * helm template --include-crds lists them: what a dry-run release leaves
 * out.
 */
int hx_chartdir_crds(struct hx_strbuf *out, const struct hx_streams *s);

struct hx_stream;
struct hx_doc;
/* 1 when d, of helm template's render st, comes from a crds/ dir. */
int hx_chartdir_is_crd(const struct hx_stream *st, const struct hx_doc *d);
/* Leave the CRDs of crds/ out of a chart's render (as helm template does
 * without --include-crds): their documents count as deleted. */
void hx_chartdir_drop_crds(struct hx_streams *s);

#endif
