/*
 * Fuzz targets: a stream patched by a patch file, one per patch flag
 * (FUZZ_KIND: 1 --json-patch, 2 --strategic-merge-patch, 3 --patches).
 * Input: DOCUMENTS \0 PATCH-FILE [\0 OPENAPI-FILE].  Oracle: no crash, no
 * sanitizer report, and every re-emitted document parses and emits again
 * to the same bytes.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "hx/err.h"
#include "hx/patchrun.h"
#include "hx/patchset.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

#ifndef FUZZ_KIND
#error "FUZZ_KIND must be 1, 2 or 3"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hx_patchset ps = HX_PATCHSET_INIT;
	struct hx_stream st;
	const char *part[3], *patch;
	size_t len[3], n = fuzz_split(data, size, part, len, 3);
	int rc;

	if (n < 2)
		return 0;
	patch = fuzz_file("patch.yaml", part[1], len[1]);
	if (n == 3 && len[2] &&
	    hx_patchset_add_openapi(
	            &ps, fuzz_file("openapi.yaml", part[2], len[2])) < 0)
		goto out;
#if FUZZ_KIND == 1
	rc = hx_patchset_add_jsonpatch_file(&ps, patch);
#elif FUZZ_KIND == 2
	rc = hx_patchset_add_smp_file(&ps, patch);
#else
	rc = hx_patchset_add_patches_file(&ps, patch);
#endif
	if (rc < 0)
		goto out;
	hx_patchset_set_namespace(&ps, "default");
	hx_stream_init_buf(&st, "<fuzz>", hx_xstrndup(part[0], len[0]), len[0]);
	if (hx_patchset_run_streams(&ps, &st, 1) == 0)
		fuzz_check_reemitted(&st);
	hx_stream_release(&st);
out:
	hx_patchset_release(&ps);
	hx_error_clear();
	return 0;
}
