#ifndef HX_DIFFRUN_H
#define HX_DIFFRUN_H

#include "hx/diffreport.h"
#include "hx/strvec.h"

/*
 * One run of helm x diff's comparison: its own flags (as the words the
 * option parser kept), the two sides read and parsed, and the report
 * printed.  cmd_diff.c and cmd_flux.c (flux diff) use it.
 */

struct hx_proc;
struct hx_streams;

struct hx_diffrun {
	struct hx_diff_opts d;
	struct hx_strvec kinds, res; /* --suppress, --suppress-output-... */
	int detailed, allow_unreleased, no_hooks, include_tests, normalize;
	int three_way;    /* --three-way-merge, $HELM_DIFF_THREE_WAY_MERGE */
	const char *from; /* --from OLD, borrowed from the words */
	/* --from: what renders generated values as the cluster holds them
	 * (NULL: diff's --dry-run=server) */
	const char *generated_fix;
};

/*
 * helm x diff's flags from words ("--context" "3", "--color", ...), over
 * the defaults ($HELM_DIFF_OUTPUT, $HELM_DIFF_COLOR, a terminal).  0, or
 * -1 with the error set.  d must be zeroed first.
 */
int hx_diffrun_flags(struct hx_diffrun *d, const struct hx_strvec *words);

/* The streams of a file, a directory of manifests or "-", onto s. */
int hx_diffrun_read(struct hx_streams *s, const char *path);

/*
 * Compare olds with news (objects without a namespace are in ns, or
 * "default"), warn about a --from side that cannot be what was meant, and
 * print the report.  Returns 0, 2 when something changed and
 * --detailed-exitcode was given, -1 with the error set.
 */
int hx_diffrun_report(struct hx_diffrun *d, struct hx_streams *olds,
                      struct hx_streams *news, const char *ns);

/* The same where each stream has its own namespace (olds_ns[i] for
 * olds->v[i]): helm x flux diff, one stream per release. */
int hx_diffrun_report_ns(struct hx_diffrun *d, struct hx_streams *olds,
                         const char *const *olds_ns, struct hx_streams *news,
                         const char *const *news_ns);

/* Run p (helm); its stdout becomes a new stream of out named name. */
int hx_diffrun_capture(struct hx_streams *out, struct hx_proc *p,
                       const char *name);

/* What hx_diffrun_get_release reads of a release. */
#define HX_RELEASE_MANIFEST 1u /* helm get manifest */
#define HX_RELEASE_HOOKS 2u    /* helm get hooks */
#define HX_RELEASE_ALL(no_hooks)                                               \
	((no_hooks) ? HX_RELEASE_MANIFEST                                      \
	            : HX_RELEASE_MANIFEST | HX_RELEASE_HOOKS)

/*
 * The release's manifest and/or hooks (parts: HX_RELEASE_*) at revision
 * (0: the current one), appended to s.  *missing is set (and nothing
 * added) when helm says the release is not there (asked of the
 * manifest).  tmp: where helm's stderr is kept.  Returns 0, -1 or helm's
 * status (error set).
 */
int hx_diffrun_get_release(struct hx_streams *s, const char *release,
                           const char *ns, const char *kube_context,
                           long revision, const char *tmp, unsigned parts,
                           int *missing);

void hx_diffrun_release(struct hx_diffrun *d);

#endif
