#ifndef HX_PATCHRUN_H
#define HX_PATCHRUN_H

#include <stddef.h>

#include "hx/docident.h" /* hx_doc_ident */

/*
 * Running a loaded patchset (patchset.h) over YAML streams: which
 * documents each patch targets, applying them, and the no-match check.
 */

struct hx_node;
struct hx_patchset;
struct hx_stream;

/*
 * Apply every patch, in order, to each document of the streams that it
 * targets; documents that changed are re-emitted.  Errors name the patch
 * and the document ("(apps/v1 Deployment default/web)").  Large inputs are
 * patched on one thread per core (documents are independent); the error
 * reported is the one of the first failing document in order, as
 * sequentially.
 */
int hx_patchset_run_streams(struct hx_patchset *ps, struct hx_stream *sts,
                            size_t n);

struct hx_strvec;

/*
 * After all streams ran: a patch that matched no document is an error
 * naming its file, index and target; with allow set, the same messages are
 * pushed to warnings instead and 0 is returned.
 */
int hx_patchset_check_matched(const struct hx_patchset *ps, int allow,
                              struct hx_strvec *warnings);

/*
 * After hx_patchset_check_matched failed: add to its error what the
 * streams hold near the first target that matched nothing ("; the render
 * holds Deployment release-name-web (named for the release ...)": the
 * same kind with other names, else the same name with other kinds, else
 * the kinds it holds).
 */
void hx_patchset_explain_nomatch(const struct hx_patchset *ps,
                                 struct hx_stream *sts, size_t nstreams);

#endif
