/*
 * Fuzz target: YAML load and emit.  Oracle: every document that loads is
 * emitted, and what was emitted must load back as the same tree (one
 * document, same kinds, order, tags, scalar types and text).
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hx_stream st;
	size_t i;

	hx_stream_init_buf(&st, "<fuzz>", hx_xstrndup((const char *)data, size),
	                   size);
	for (i = 0; i < st.n; i++) {
		struct hx_doc *d = &st.docs[i];
		struct hx_strbuf sb = HX_STRBUF_INIT;
		struct hx_stream back;
		size_t j, len, docs = 0;
		char *text;

		if (hx_doc_load(&st, d, &st.arena) < 0 || !d->root) {
			hx_error_clear();
			continue;
		}
		hx_node_emit(&sb, d->root);
		text = hx_strbuf_detach(&sb, &len);
		hx_stream_init_buf(&back, "<emitted>", text, len);
		for (j = 0; j < back.n; j++) {
			struct hx_doc *b = &back.docs[j];

			if (b->empty)
				continue;
			if (docs++ || hx_doc_load(&back, b, &back.arena) < 0 ||
			    !b->root || !fuzz_same_tree(d->root, b->root)) {
				fprintf(stderr,
				        "fuzz-yaml: emitted YAML does not read "
				        "back the same (%s):\n%s\n",
				        hx_error_message(), back.buf);
				abort();
			}
		}
		if (!docs) {
			fprintf(stderr,
			        "fuzz-yaml: a document emitted as none\n");
			abort();
		}
		/* the document between its own leading and trailing lines */
		hx_doc_update(&st, d);
		hx_stream_release(&back);
	}
	hx_stream_release(&st);
	hx_error_clear();
	return 0;
}
