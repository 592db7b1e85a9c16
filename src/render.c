#include "hx/render.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/err.h"
#include "hx/strvec.h"
#include "hx/util.h"

static int has_ext(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && !strcmp(name + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(name + n - 4, ".yml")) ||
	       (n > 5 && !strcmp(name + n - 5, ".json"));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(struct hx_strvec *out, const char *dir, int depth)
{
	DIR *d;
	struct dirent *e;
	struct hx_strvec names = HX_STRVEC_INIT;
	size_t i;
	int rc = 0;

	if (depth > 64) {
		hx_error_set("'%s': directories nested too deep", dir);
		return -1;
	}
	d = opendir(dir);
	if (!d) {
		hx_error_set_errno("cannot read directory '%s'", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			hx_strvec_push(&names, e->d_name);
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	for (i = 0; rc == 0 && i < names.n; i++) {
		char *path = hx_path_join(dir, names.v[i]);
		struct stat st;

		if (stat(path, &st) < 0) {
			hx_error_set_errno("cannot open '%s'", path);
			rc = -1;
		} else if (S_ISDIR(st.st_mode)) {
			rc = walk(out, path, depth + 1);
		} else if (S_ISREG(st.st_mode) && has_ext(names.v[i])) {
			hx_strvec_push(out, path);
		}
		free(path);
	}
	hx_strvec_clear(&names);
	return rc;
}

int hx_render_list_manifests(struct hx_strvec *out, const char *dir)
{
	return walk(out, dir, 0);
}
