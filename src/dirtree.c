/*
 * Directory trees read from strangers' charts and repositories: the
 * manifest files under a directory, and cp -R, both following links as
 * helm does but never round a loop, capped in depth and entries
 * (dirtree.h).
 */
#include "hx/dirtree.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "hx/err.h"
#include "hx/strvec.h"
#include "hx/util.h"

#include "hx/banned.h"

static int has_ext(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml")) ||
	       (n > 5 && !strcmp(name + n - 5, ".json"));
}

/* The directories being walked (a link back to one is a loop). */
struct walk_dir {
	dev_t dev;
	ino_t ino;
	const char *path;
	const struct walk_dir *up;
};

/* Note dir as here, below up; a directory already being walked is a loop. */
static int enter_dir(struct walk_dir *here, const char *dir,
                     const struct walk_dir *up)
{
	const struct walk_dir *w;
	struct stat st;

	if (stat(dir, &st) < 0) {
		hx_error_set_errno("cannot open '%s'", dir);
		return -1;
	}
	for (w = up; w; w = w->up)
		if (w->dev == st.st_dev && w->ino == st.st_ino) {
			hx_error_set("'%s' leads back to '%s' (a symlink loop)",
			             dir, w->path);
			return -1;
		}
	here->dev = st.st_dev;
	here->ino = st.st_ino;
	here->path = dir;
	here->up = up;
	return 0;
}

/* Entries one listing may visit: links could multiply a small tree. */
#define LIST_MAX_ENTRIES 100000

/* hx_list_dir, adding to *count the entries seen; past the cap, -1. */
static int list_counted(struct hx_strvec *names, const char *dir, int no_dot,
                        size_t *count)
{
	if (hx_list_dir(names, dir, no_dot) < 0)
		return -1;
	*count += names->n;
	if (*count > LIST_MAX_ENTRIES) {
		hx_error_set("'%s': more than %d entries (links may repeat a "
		             "directory)",
		             dir, LIST_MAX_ENTRIES);
		return -1;
	}
	return 0;
}

static int walk(struct hx_strvec *out, const char *dir,
                const struct walk_dir *up, int depth, size_t *seen,
                const char *skip)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	struct walk_dir here;
	struct stat st;
	size_t i;
	int rc = 0;

	if (depth > 64) {
		hx_error_set("'%s': directories nested too deep", dir);
		return -1;
	}
	if (enter_dir(&here, dir, up) < 0 ||
	    list_counted(&names, dir, 1, seen) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < names.n; i++) {
		char *path = hx_path_join(dir, names.v[i]);

		if (stat(path, &st) < 0) {
			hx_error_set_errno("cannot open '%s'", path);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			if (!skip || strcmp(path, skip))
				rc = walk(out, path, &here, depth + 1, seen,
				          skip);
		} else if (S_ISREG(st.st_mode) && has_ext(names.v[i])) {
			hx_strvec_push(out, path);
		}
		free(path);
	}
	hx_strvec_clear(&names);
	return rc;
}

int hx_dirtree_manifests(struct hx_strvec *out, const char *dir,
                         const char *skip)
{
	size_t seen = 0;

	return walk(out, dir, NULL, 0, &seen, skip);
}

/* What one copy of a chart has taken so far (links can repeat a tree). */
struct copy_budget {
	size_t entries, bytes;
};

/*
 * cp -R from to: regular files and directories.  Links are followed, as
 * helm's loader follows them, but never back into a directory being
 * copied, and the whole copy is capped (entries, and bytes at the input
 * limit).
 */
static int copy_tree(const char *from, const char *to,
                     const struct walk_dir *up, struct copy_budget *b);

int hx_dirtree_copy(const char *from, const char *to)
{
	struct copy_budget budget = {0, 0};

	return copy_tree(from, to, NULL, &budget);
}

static int copy_tree(const char *from, const char *to,
                     const struct walk_dir *up, struct copy_budget *b)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	struct walk_dir here;
	struct stat st;
	size_t i;
	int rc = 0;

	if (enter_dir(&here, from, up) < 0)
		return -1;
	if (mkdir(to, 0700) < 0) {
		hx_error_set_errno("cannot create '%s'", to);
		return -1;
	}
	if (list_counted(&names, from, 0, &b->entries) < 0)
		rc = -1;
	for (i = 0; rc == 0 && i < names.n; i++) {
		char *f = hx_path_join(from, names.v[i]);
		char *t = hx_path_join(to, names.v[i]);
		char *buf = NULL;
		size_t len;

		if (stat(f, &st) < 0) {
			hx_error_set_errno("cannot open '%s'", f);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = copy_tree(f, t, &here, b);
		} else if (S_ISREG(st.st_mode)) {
			rc = hx_read_regular_file(&buf, &len, f);
			if (rc == 0 && (b->bytes += len) > hx_read_max()) {
				char lim[32];

				hx_describe_size(lim, sizeof(lim),
				                 hx_read_max());
				hx_error_set(
				        "the copy of the chart passes %s at "
				        "'%s' (the limit is "
				        "HELM_X_MAX_INPUT_BYTES)",
				        lim, f);
				rc = -1;
			} else if (rc == 0) {
				rc = hx_write_new_file(t, buf, len);
			}
			free(buf);
		}
		free(f);
		free(t);
	}
	hx_strvec_clear(&names);
	return rc;
}
