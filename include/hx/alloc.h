#ifndef HX_ALLOC_H
#define HX_ALLOC_H

#include <stddef.h>

/* Allocation that never returns NULL: on OOM it prints and exit(1)s. */
void *hx_xmalloc(size_t n);
void *hx_xcalloc(size_t n, size_t size);
void *hx_xrealloc(void *p, size_t n);
char *hx_xstrdup(const char *s);
char *hx_xstrndup(const char *s, size_t n);
/* Out of memory: one line (with n, the size asked for, when not 0) and
 * exit(1); also for an allocator that is not ours (PCRE2's). */
_Noreturn void hx_oom(size_t n);
/* Grow *array (of elem-sized items) to hold at least want items. */
void hx_grow(void *array_ptr, size_t *alloc, size_t want, size_t elem);

#endif
