/*
 * Fuzz target: surgical writing.  Input: two bytes choosing a change
 * (which collection, which change: surgcheck.h), then a YAML stream.
 * Oracle: every document, written surgically unchanged, is its own text,
 * and changed, reads back as the changed tree.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../surgcheck.h"
#include "fuzz.h"

#include "hx/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct surg_mutation m;
	struct hx_stream st;
	size_t i;

	if (size < 2)
		return 0;
	m.k = data[0] % 32;
	m.op = data[1] % SURG_OPS;
	hx_stream_init_buf(&st, "<fuzz>",
	                   hx_xstrndup((const char *)data + 2, size - 2),
	                   size - 2);
	for (i = 0; i < st.n; i++) {
		const char *text = st.buf + st.docs[i].off;
		size_t len = st.docs[i].len;

		if (surg_check(text, len, NULL, NULL, "unchanged") == 0 ||
		    surg_check(text, len, surg_mutate, &m, "changed") == 0) {
			fflush(stdout);
			abort();
		}
	}
	hx_stream_release(&st);
	hx_error_clear();
	return 0;
}
