/* Allocation that never returns NULL (alloc.h). */
#include "hx/alloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/banned.h"

_Noreturn void hx_oom(size_t n)
{
	if (n)
		fprintf(stderr,
		        "helm-x: error: out of memory (allocating %zu bytes)\n",
		        n);
	else
		fputs("helm-x: error: out of memory\n", stderr);
	exit(1);
}

void *hx_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		hx_oom(n);
	return p;
}

void *hx_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		hx_oom(n * size);
	return p;
}

void *hx_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		hx_oom(n);
	return q;
}

char *hx_xstrdup(const char *s)
{
	return hx_xstrndup(s, strlen(s));
}

char *hx_xstrndup(const char *s, size_t n)
{
	char *p = hx_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void hx_grow(void *array_ptr, size_t *alloc, size_t want, size_t elem)
{
	void **arr = array_ptr;
	size_t n;

	if (want <= *alloc)
		return;
	n = *alloc ? *alloc : 4;
	while (n < want)
		n *= 2;
	if (n > SIZE_MAX / elem)
		hx_oom(SIZE_MAX);
	*arr = hx_xrealloc(*arr, n * elem);
	*alloc = n;
}
