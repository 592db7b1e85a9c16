/*
 * Fuzz target: helm x diff's engine.  Input: OPTIONS-BYTE OLD \0 NEW (two
 * YAML streams).  Both are paired as helm-diff pairs them and reported in
 * the output the options byte picks (diff, simple, json, markdown; with
 * or without context, secrets shown, decoded, normalised, renames), and
 * in --output structured too (with --ignore-generated on the renames bit).
 * Oracles: no crash, leak or undefined behaviour (the sanitizers), a
 * report that is either an error or "changed" 0/1, a stream compared
 * with itself reports no change, and the structured report is JSON.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hx/diffreport.h"
#include "hx/err.h"
#include "hx/manifest.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static int parse(struct hx_mset *set, const char *buf, size_t len,
                 const struct hx_manifest_opts *o)
{
	struct hx_stream st;
	int rc;

	hx_stream_init_buf(&st, "fuzz", hx_xstrndup(buf, len), len);
	rc = hx_manifest_parse(set, &st, o);
	if (rc == 0)
		rc = hx_manifest_finish(set);
	hx_stream_release(&st);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[2];
	size_t len[2], n;
	unsigned opt;
	struct hx_mset a = HX_MSET_INIT, b = HX_MSET_INIT;
	struct hx_strvec kinds = HX_STRVEC_INIT, res = HX_STRVEC_INIT;
	struct hx_manifest_opts mo = {"ns", 0, 0, 0, 0};
	struct hx_diff_opts o;
	struct hx_strbuf out = HX_STRBUF_INIT;
	int rc;

	if (size < 1 || size > 64 * 1024)
		return 0;
	opt = data[0];
	n = fuzz_split(data + 1, size - 1, part, len, 2);
	if (n < 2) {
		part[1] = part[0];
		len[1] = len[0];
	}
	memset(&o, 0, sizeof(o));
	o.output = (enum hx_diff_output)(opt & 3);
	o.context = opt & 4 ? (int)(opt >> 6) : -1;
	o.show_secrets = (opt & 8) != 0;
	o.show_secrets_decoded = (opt & 16) != 0;
	o.find_renames = opt & 32 ? 0.5 : 0;
	mo.normalize = (opt & 64) != 0;
	mo.include_tests = (opt & 128) != 0;
	if (opt & 2)
		hx_strvec_push(&kinds, "Secret");
	if (opt & 1)
		hx_strvec_push(&res, "^kind");
	o.suppress_kinds = &kinds;
	o.suppress_regex = &res;
	if (parse(&a, part[0], len[0], &mo) == 0 &&
	    parse(&b, part[1], len[1], &mo) == 0) {
		rc = hx_diff_report(&out, &a, &b, &o);
		if (rc < -1 || rc > 1) {
			fprintf(stderr, "fuzz-diff: report gave %d\n", rc);
			abort();
		}
		hx_error_clear();
		hx_strbuf_reset(&out);
		if (hx_diff_report(&out, &a, &a, &o) > 0) {
			fprintf(stderr, "fuzz-diff: a stream differs from "
			                "itself\n");
			abort();
		}
		hx_error_clear();
		hx_strbuf_reset(&out);
		o.output = HX_DIFF_OUT_STRUCTURED;
		o.ignore_generated = (opt & 32) != 0;
		if (hx_diff_report(&out, &a, &b, &o) >= 0) {
			json_error_t je;
			json_t *j = json_loadb(out.buf ? out.buf : "", out.len,
			                       0, &je);

			if (!json_is_array(j)) {
				fprintf(stderr,
				        "fuzz-diff: structured output is no "
				        "JSON "
				        "array: %s\n",
				        je.text);
				abort();
			}
			json_decref(j);
		}
	}
	hx_error_clear();
	hx_mset_release(&a);
	hx_mset_release(&b);
	hx_strvec_clear(&kinds);
	hx_strvec_clear(&res);
	hx_strbuf_release(&out);
	return 0;
}
