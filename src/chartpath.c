#include "hx/chartpath.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

#define NAME_MAX_BYTES 255

const char *hx_chartpath_bad_component(const char *s, size_t len)
{
	size_t i;

	if (!len)
		return "empty path component";
	if ((len == 1 && s[0] == '.') ||
	    (len == 2 && s[0] == '.' && s[1] == '.'))
		return len == 1 ? "'.' component" : "'..' component";
	if (memchr(s, '/', len))
		return "'/' in a name";
	if (memchr(s, '\0', len))
		return "NUL byte";
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return "control character in a name";
	if (len > NAME_MAX_BYTES)
		return "component longer than 255 bytes";
	return NULL;
}

/*
 * Set "WHAT 'S': WHY", or "'# Source: S': WHY" for what == NULL (S shown
 * with control bytes escaped).
 */
static int refuse(const char *what, const char *s, size_t len, const char *why)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_add_quoted(&sb, s, len);
	if (what)
		hx_error_set("%s '%s': %s", what, sb.buf, why);
	else
		hx_error_set("'# Source: %s': %s", sb.buf, why);
	hx_strbuf_release(&sb);
	return -1;
}

#define ROOTS                                                                  \
	"the temporary chart takes only templates/..., crds/... and "          \
	"charts/NAME/..."

/*
 * Why Helm would not render a file of this base name as a manifest (NULL
 * when it would); in_templates: the file sits right in a templates/ dir.
 */
static const char *not_rendered(const char *base, size_t len, int in_templates)
{
	if (len && base[0] == '_')
		return "a name starting with '_' is a Helm partial, never "
		       "rendered";
	if (in_templates && len == 9 && !memcmp(base, "NOTES.txt", 9))
		return "templates/NOTES.txt is Helm's notes, not a manifest";
	return NULL;
}

int hx_chartpath_from_source(char **out, const char *src, size_t len)
{
	const char *p = src, *end = src + len, *rest, *why;
	const char *root = NULL; /* "templates" or "crds" component */

	*out = NULL;
	if (len && src[0] == '/')
		return refuse(NULL, src, len, "absolute path; " ROOTS);
	/* every component, checked; the first names the chart */
	for (;;) {
		const char *e = memchr(p, '/', (size_t)(end - p));

		why = hx_chartpath_bad_component(p,
		                                 (size_t)((e ? e : end) - p));
		if (why)
			return refuse(NULL, src, len, why);
		if (!e)
			break;
		p = e + 1;
	}
	p = memchr(src, '/', len);
	if (!p)
		return refuse(NULL, src, len, ROOTS);
	rest = ++p;
	/* charts/NAME/ ... templates/PATH or crds/PATH */
	while (!root) {
		const char *e = memchr(p, '/', (size_t)(end - p));
		size_t n;

		if (!e)
			return refuse(NULL, src, len, ROOTS);
		n = (size_t)(e - p);
		if ((n == 9 && !memcmp(p, "templates", 9)) ||
		    (n == 4 && !memcmp(p, "crds", 4))) {
			root = p;
			p = e + 1;
		} else if (n == 6 && !memcmp(p, "charts", 6)) {
			/* charts/NAME/ then more */
			const char *e2 =
			        memchr(e + 1, '/', (size_t)(end - e - 1));

			if (!e2)
				return refuse(NULL, src, len, ROOTS);
			p = e2 + 1;
		} else {
			return refuse(NULL, src, len, ROOTS);
		}
	}
	{
		const char *base = end;
		int direct;

		while (base > p && base[-1] != '/')
			base--;
		/* NOTES.txt right in any templates/ is notes, not a manifest */
		direct = base == p && root[0] == 't';
		why = not_rendered(base, (size_t)(end - base), direct);
		if (why)
			return refuse(NULL, src, len, why);
	}
	*out = hx_xstrndup(rest, (size_t)(end - rest));
	return 0;
}

int hx_chartpath_from_object(char **out, const char *kind, size_t klen,
                             const char *name, size_t nlen)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *why;
	size_t i;

	*out = NULL;
	why = hx_chartpath_bad_component(kind, klen);
	if (!why)
		why = not_rendered(kind, klen, 1);
	if (why)
		return refuse("kind", kind, klen, why);
	why = hx_chartpath_bad_component(name, nlen);
	if (why)
		return refuse("metadata.name", name, nlen, why);
	if (klen + nlen + 6 > NAME_MAX_BYTES)
		return refuse("metadata.name", name, nlen,
		              "kind and name make a file name longer than "
		              "255 bytes");
	hx_strbuf_adds(&sb, "templates/");
	for (i = 0; i < klen; i++)
		hx_strbuf_addch(&sb, (kind[i] >= 'A' && kind[i] <= 'Z')
		                             ? kind[i] + 32
		                             : kind[i]);
	hx_strbuf_addch(&sb, '-');
	hx_strbuf_add(&sb, name, nlen);
	hx_strbuf_adds(&sb, ".yaml");
	*out = hx_strbuf_detach(&sb, NULL);
	return 0;
}

int hx_chartpath_from_file(char **out, const char *base)
{
	size_t len = strlen(base);
	const char *why = hx_chartpath_bad_component(base, len);

	*out = NULL;
	if (!why)
		why = not_rendered(base, len, 1);
	if (why)
		return refuse("manifest file", base, len, why);
	*out = hx_xmalloc(len + 11);
	memcpy(*out, "templates/", 10);
	memcpy(*out + 10, base, len + 1);
	return 0;
}

int hx_chartpath_create(int rootfd, const char *rel, const char *display)
{
	const char *p = rel, *slash, *why;
	int dirfd = rootfd, fd = -1;

	while ((slash = strchr(p, '/')) != NULL) {
		char *part = hx_xstrndup(p, (size_t)(slash - p));
		int next;

		why = hx_chartpath_bad_component(part, strlen(part));
		if (why) {
			hx_error_set("cannot create '%s/%s': %s", display, rel,
			             why);
			free(part);
			goto out;
		}
		if (mkdirat(dirfd, part, 0700) < 0 && errno != EEXIST) {
			hx_error_set_errno("cannot create '%s/%.*s'", display,
			                   (int)(slash - rel), rel);
			free(part);
			goto out;
		}
		next = openat(dirfd, part,
		              O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		free(part);
		if (next < 0) {
			hx_error_set_errno("cannot open '%s/%.*s'", display,
			                   (int)(slash - rel), rel);
			goto out;
		}
		if (dirfd != rootfd)
			close(dirfd);
		dirfd = next;
		p = slash + 1;
	}
	why = hx_chartpath_bad_component(p, strlen(p));
	if (why) {
		hx_error_set("cannot create '%s/%s': %s", display, rel, why);
		goto out;
	}
	fd = openat(dirfd, p,
	            O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		hx_error_set_errno("cannot create '%s/%s'", display, rel);
out:
	if (dirfd != rootfd)
		close(dirfd);
	return fd;
}

int hx_chartpath_write(int rootfd, const char *rel, const char *display,
                       const char *buf, size_t len)
{
	int fd = hx_chartpath_create(rootfd, rel, display);

	if (fd < 0)
		return -1;
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hx_error_set_errno("cannot write '%s/%s'", display,
			                   rel);
			close(fd);
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0) {
		hx_error_set_errno("cannot write '%s/%s'", display, rel);
		return -1;
	}
	return 0;
}
