/*
 * Fuzz target: the temporary chart's path computation.  Input: SOURCE
 * [\0 NAME].  Oracle: a path that is accepted is relative, below
 * templates/, crds/ or charts/, with no empty, "." or ".." component and
 * no control byte.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "hx/chartpath.h"
#include "hx/err.h"

#include "hx/banned.h"

static void check(const char *what, const char *p)
{
	const char *c = p, *e;

	if (strncmp(p, "templates/", 10) && strncmp(p, "crds/", 5) &&
	    strncmp(p, "charts/", 7))
		goto bad;
	for (;;) {
		e = strchr(c, '/');
		if (hx_chartpath_bad_component(c,
		                               e ? (size_t)(e - c) : strlen(c)))
			goto bad;
		if (!e)
			break;
		c = e + 1;
	}
	for (c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			goto bad;
	return;
bad:
	fprintf(stderr, "fuzz-chartpath: %s gave '%s'\n", what, p);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *part[2];
	size_t len[2], n = fuzz_split(data, size, part, len, 2);
	char *out = NULL;

	if (hx_chartpath_from_source(&out, part[0], len[0]) == 0)
		check("# Source", out);
	free(out);
	out = NULL;
	if (n == 2 && hx_chartpath_from_object(&out, part[0], len[0], part[1],
	                                       len[1]) == 0)
		check("kind and name", out);
	free(out);
	out = NULL;
	if (n == 2 && !memchr(part[1], '\0', len[1])) {
		char *base = strndup(part[1], len[1]);

		if (base && hx_chartpath_from_file(&out, base) == 0)
			check("a file name", out);
		free(out);
		out = NULL;
		free(base);
	}
	hx_error_clear();
	return 0;
}
