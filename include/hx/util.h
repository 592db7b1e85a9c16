#ifndef HX_UTIL_H
#define HX_UTIL_H

#include <stddef.h>

#include "hx/alloc.h"

/*
 * Read a whole file ("-" is standard input) into *out (new, NUL-terminated,
 * free() it) and its length into *len.  Sets the error and returns -1.
 */
int hx_read_file(char **out, size_t *len, const char *path);
/* Same, from an open descriptor; name is used in messages. */
int hx_read_fd(char **out, size_t *len, int fd, const char *name);
/* Same, for a path that must be a regular file (no FIFO, device or dir). */
int hx_read_regular_file(char **out, size_t *len, const char *path);
/*
 * Create path (it must not exist; a link there is not followed), mode 0600,
 * holding len bytes of buf.  Sets the error and returns -1.
 */
int hx_write_new_file(const char *path, const char *buf, size_t len);

/* An environment variable set for the runs that follow, and what it was. */
struct hx_env_save {
	char *was; /* owned; NULL: it was unset */
	int set;   /* hx_env_override took effect */
};
#define HX_ENV_SAVE_INIT                                                       \
	{                                                                      \
		NULL, 0                                                        \
	}
/* Set name to value, keeping its old value in s.  Sets the error and
 * returns -1 when setenv fails. */
int hx_env_override(struct hx_env_save *s, const char *name, const char *value);
/* Give name back what it was before hx_env_override (no-op if unset). */
void hx_env_restore(struct hx_env_save *s, const char *name);

/*
 * The most bytes one read above takes (a larger input is an error, never
 * a process that eats memory): HX_READ_MAX_DEFAULT unless set.
 */
#define HX_READ_MAX_DEFAULT ((size_t)256 << 20)
void hx_set_read_max(size_t n);
size_t hx_read_max(void);
/* n as "256 MiB", "1 GiB" or "1000 bytes", into out. */
void hx_describe_size(char *out, size_t size, size_t n);

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
