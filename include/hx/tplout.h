#ifndef HX_TPLOUT_H
#define HX_TPLOUT_H

struct hx_streams;
struct hx_strvec;

/*
 * helm template's --show-only and --output-dir, after helm-x patched the
 * whole render (so a patch may target any document).  show_only (may be
 * empty) keeps the documents whose template path, the "# Source:" without
 * the chart's name, equals or glob-matches one of its patterns; a pattern
 * that keeps nothing is an error, as in helm.  With out_dir, each document
 * is appended to out_dir/[release/]SOURCE as helm writes it, one "wrote
 * PATH" line per document on stdout; without, the documents go to stdout.
 * Returns 0, or -1 with the error set.
 */
int hx_tplout_write(const struct hx_streams *s,
                    const struct hx_strvec *show_only, const char *out_dir,
                    const char *release);

#endif
