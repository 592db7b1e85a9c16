#ifndef HX_UTIL_H
#define HX_UTIL_H

#include <stddef.h>

/* Allocation that never returns NULL: on OOM it prints and exit(1)s. */
void *hx_xmalloc(size_t n);
void *hx_xcalloc(size_t n, size_t size);
void *hx_xrealloc(void *p, size_t n);
char *hx_xstrdup(const char *s);
char *hx_xstrndup(const char *s, size_t n);
/* Grow *array (of elem-sized items) to hold at least want items. */
void hx_grow(void *array_ptr, size_t *alloc, size_t want, size_t elem);

/*
 * Read a whole file ("-" is standard input) into *out (new, NUL-terminated,
 * free() it) and its length into *len.  Sets the error and returns -1.
 */
int hx_read_file(char **out, size_t *len, const char *path);
/* Same, from an open descriptor; name is used in messages. */
int hx_read_fd(char **out, size_t *len, int fd, const char *name);

/* 1 if path is a directory, 0 if it is something else, -1 (error set) if
 * absent. */
int hx_is_dir(const char *path);

struct hx_strvec;
/*
 * The names in dir, sorted ("." and ".." left out; with no_dot, every name
 * starting with '.').  Sets the error and returns -1 when dir cannot be read.
 */
int hx_list_dir(struct hx_strvec *out, const char *dir, int no_dot);

/* Directory part of path ("." when none); new, free() it. */
char *hx_dirname(const char *path);
/* dir + "/" + name, or name alone when it is absolute; new, free() it. */
char *hx_path_join(const char *dir, const char *name);

#endif
