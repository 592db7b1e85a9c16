/*
 * Unit tests: big inputs are mapped, and a mapped file that another
 * process makes shorter is an error, never a SIGBUS.
 */
#include "hx/mapfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "tap.h"

#include "hx/banned.h"

/* A stream of at least HX_MAP_MIN bytes, not a whole number of pages. */
static void write_stream(const char *path)
{
	FILE *f = fopen(path, "w");
	size_t n = 0;

	while (n < HX_MAP_MIN + 100) {
		n += (size_t)fprintf(f,
		                     "---\napiVersion: v1\nkind: ConfigMap\n"
		                     "metadata: {name: c%zu}\n",
		                     n);
	}
	fputs("# end\n", f);
	fclose(f);
}

int main(void)
{
	char path[] = "/tmp/hx-mapfile.XXXXXX";
	int fd = mkstemp(path);
	struct hx_stream st, small;
	char *buf = NULL;
	size_t len = 0, i;
	FILE *out;
	int state = 0, rc, loaded = 1;

	close(fd);
	write_stream(path);
	ok(hx_stream_read_mapped(&st, path) == 0 && hx_mapfile_owns(st.buf),
	   "a stream above %zu bytes is mapped", HX_MAP_MIN);
	for (i = 0; i < st.n; i++)
		if (hx_doc_load(&st, &st.docs[i], &st.arena) < 0)
			loaded = 0;
	ok(loaded && st.n > 1000, "its %zu documents load", st.n);
	ok(!hx_mapfile_changed(), "nothing changed yet");

	/*
	 * Another process makes it shorter: its pages are gone.  Writing it
	 * is an error naming the file, never zeros, never a SIGBUS; natively
	 * nothing is written (valgrind notes the lost pages only as they are
	 * written).
	 */
	ok(truncate(path, 0) == 0, "the file is cut to nothing");
	out = open_memstream(&buf, &len);
	rc = hx_stream_write(out, &st, &state);
	fclose(out);
	ok(rc < 0 && (len == 0 || (getenv("LD_PRELOAD") &&
	                           strstr(getenv("LD_PRELOAD"), "vgpreload"))),
	   "writing it is an error (%zu bytes written)", len);
	ok(strstr(hx_error_message(), "changed while helm-x read it") &&
	           strstr(hx_error_message(), path),
	   "the message names the file: %s", hx_error_message());
	free(buf);
	hx_error_clear();
	hx_stream_release(&st);

	/* a small file is read as before */
	write_stream(path);
	ok(truncate(path, 100) == 0 &&
	           hx_stream_read_mapped(&small, path) == 0 &&
	           !hx_mapfile_owns(small.buf),
	   "a small file is read, not mapped");
	hx_stream_release(&small);
	unlink(path);
	return tap_done();
}
