#ifndef HX_DIFFREPORT_H
#define HX_DIFFREPORT_H

#include <stddef.h>

struct hx_mset;
struct hx_strbuf;
struct hx_strvec;

/*
 * What `helm x diff` reports between two sets of objects, as helm-diff
 * does: objects paired by key, a changed one diffed line by line, one
 * only in the old set removed (unless helm.sh/resource-policy: keep), one
 * only in the new set added; with find_renames, a removed object and an
 * added one of the same kind whose diff changes less than that fraction of
 * its lines are one change.  Secrets are compared with their values
 * redacted (sizes only) unless show_secrets, or decoded with
 * show_secrets_decoded.
 */

enum hx_diff_output {
	HX_DIFF_OUT_DIFF,       /* helm-diff's "diff" */
	HX_DIFF_OUT_SIMPLE,     /* one line per object and a plan */
	HX_DIFF_OUT_JSON,       /* [{api, kind, namespace, name, change}] */
	HX_DIFF_OUT_MARKDOWN,   /* a summary table and a block per object */
	HX_DIFF_OUT_STRUCTURED, /* helm-diff's field changes (diffstruct.h) */
};

struct hx_diff_opts {
	enum hx_diff_output output;
	int context; /* lines around a change; -1: whole objects */
	int strip_cr;
	int show_secrets, show_secrets_decoded;
	const struct hx_strvec *suppress_kinds; /* may be NULL */
	const struct hx_strvec *suppress_regex; /* PCRE2, may be NULL */
	double find_renames;                    /* 0: off */
	int color;
	/* markdown: the comment's most characters (0: no limit); past it
	 * the largest objects are cut to a line each */
	size_t max_size;
	/* when not NULL: how many changes look generated (a Secret's, or
	 * only checksum/ annotations), which a render without the cluster's
	 * lookup makes anew each time */
	size_t *generated;
	/* --ignore-generated: such changes alone are no change (the return
	 * value: exit 2 of --detailed-exitcode) */
	int ignore_generated;
};

/*
 * Compare old with new and print the report into out.  Returns 1 when
 * anything changed (counted before --suppress-output-line-regex drops
 * lines; with ignore_generated, anything but generated-looking changes),
 * 0 when nothing did, -1 with the error set (a bad regex, or an
 * object to report that is no YAML past its metadata).
 */
int hx_diff_report(struct hx_strbuf *out, const struct hx_mset *old,
                   const struct hx_mset *new, const struct hx_diff_opts *o);

#endif
