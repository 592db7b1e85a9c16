#include "hx/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/strvec.h"

#include "hx/banned.h"

static size_t read_max = HX_READ_MAX_DEFAULT;

void hx_set_read_max(size_t n)
{
	read_max = n;
}

size_t hx_read_max(void)
{
	return read_max;
}

void hx_describe_size(char *out, size_t size, size_t n)
{
	if (n >= ((size_t)1 << 30) && !(n % ((size_t)1 << 30)))
		snprintf(out, size, "%zu GiB", n >> 30);
	else if (n >= ((size_t)1 << 20) && !(n % ((size_t)1 << 20)))
		snprintf(out, size, "%zu MiB", n >> 20);
	else
		snprintf(out, size, "%zu bytes", n);
}

int hx_read_fd(char **out, size_t *len, int fd, const char *name)
{
	size_t alloc = 65536, n = 0;
	char *buf = hx_xmalloc(alloc);
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size <= read_max)
		alloc = (size_t)st.st_size + 1;
	buf = hx_xrealloc(buf, alloc);
	for (;;) {
		ssize_t r;

		if (n > read_max) {
			char lim[32];

			hx_describe_size(lim, sizeof(lim), read_max);
			hx_error_set("'%s' is larger than %s (the limit is "
			             "HELM_X_MAX_INPUT_BYTES)",
			             name, lim);
			free(buf);
			return -1;
		}
		if (n + 1 >= alloc) {
			alloc = alloc > read_max / 2 ? read_max + 2 : alloc * 2;
			buf = hx_xrealloc(buf, alloc);
		}
		/* at most one byte past the limit, to see it is past */
		r = read(fd, buf + n, alloc - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			hx_error_set_errno("cannot read '%s'", name);
			free(buf);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

int hx_read_file(char **out, size_t *len, const char *path)
{
	int fd, rc;

	if (!strcmp(path, "-"))
		return hx_read_fd(out, len, 0, "<stdin>");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hx_error_set_errno("cannot open '%s'", path);
		return -1;
	}
	rc = hx_read_fd(out, len, fd, path);
	close(fd);
	return rc;
}

int hx_write_new_file(const char *path, const char *buf, size_t len)
{
	int fd =
	        open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	             0600);
	size_t off = 0;

	if (fd < 0) {
		hx_error_set_errno("cannot create '%s'", path);
		return -1;
	}
	while (off < len) {
		ssize_t w = write(fd, buf + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			hx_error_set_errno("cannot write '%s'", path);
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	if (close(fd) < 0) {
		hx_error_set_errno("cannot write '%s'", path);
		return -1;
	}
	return 0;
}

int hx_read_regular_file(char **out, size_t *len, const char *path)
{
	struct stat st;
	int fd, rc;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		hx_error_set_errno("cannot open '%s'", path);
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		hx_error_set("'%s' is not a regular file", path);
		close(fd);
		return -1;
	}
	rc = hx_read_fd(out, len, fd, path);
	close(fd);
	return rc;
}

int hx_is_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		hx_error_set_errno("cannot open '%s'", path);
		return -1;
	}
	return S_ISDIR(st.st_mode) ? 1 : 0;
}

char *hx_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return hx_xstrdup(".");
	if (slash == path)
		return hx_xstrdup("/");
	return hx_xstrndup(path, (size_t)(slash - path));
}

char *hx_path_join(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	char *p;

	if (name[0] == '/' || !strcmp(dir, "."))
		return hx_xstrdup(name);
	p = hx_xmalloc(dl + nl + 2);
	memcpy(p, dir, dl);
	p[dl] = '/';
	memcpy(p + dl + 1, name, nl + 1);
	return p;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hx_list_dir(struct hx_strvec *out, const char *dir, int no_dot)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = out->n;

	if (!d) {
		hx_error_set_errno("cannot read directory '%s'", dir);
		return -1;
	}
	while ((e = readdir(d)) != NULL)
		if (no_dot ? e->d_name[0] != '.'
		           : strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			hx_strvec_push(out, e->d_name);
	closedir(d);
	if (out->n > first)
		qsort(out->v + first, out->n - first, sizeof(*out->v), cmp_str);
	return 0;
}

int hx_env_override(struct hx_env_save *s, const char *name, const char *value)
{
	const char *was = getenv(name);
	char *keep = was ? hx_xstrdup(was) : NULL;

	if (setenv(name, value, 1) != 0) {
		hx_error_set_errno("setenv %s", name);
		free(keep);
		return -1;
	}
	if (!s->set)
		s->was = keep;
	else
		free(keep); /* the first value is the one to give back */
	s->set = 1;
	return 0;
}

void hx_env_restore(struct hx_env_save *s, const char *name)
{
	if (!s->set)
		return;
	if (s->was)
		setenv(name, s->was, 1);
	else
		unsetenv(name);
	free(s->was);
	s->was = NULL;
	s->set = 0;
}
