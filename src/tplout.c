#include "hx/tplout.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/render.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/* Which pattern keeps src (a "# Source:" path), or -1. */
static long kept_by(const char *src, const struct hx_strvec *pats)
{
	const char *tpl = strchr(src, '/');
	size_t i;

	tpl = tpl ? tpl + 1 : src;
	for (i = 0; i < pats->n; i++)
		if (!strcmp(pats->v[i], tpl) ||
		    fnmatch(pats->v[i], tpl, FNM_PATHNAME) == 0)
			return (long)i;
	return -1;
}

/* A Source path to write under --output-dir: relative, no "..", no "". */
static int safe_relative(const char *p)
{
	const char *c = p;

	if (!*p || *p == '/')
		return 0;
	while (*c) {
		const char *e = strchr(c, '/');
		size_t n = e ? (size_t)(e - c) : strlen(c);

		if (!n || (n == 1 && c[0] == '.') ||
		    (n == 2 && c[0] == '.' && c[1] == '.'))
			return 0;
		c += n + (e ? 1 : 0);
		if (e && !*c)
			return 0;
	}
	return 1;
}

static int mkdirs(char *path)
{
	char *s;

	for (s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			hx_error_set_errno("cannot create '%s'", path);
			*s = '/';
			return -1;
		}
		*s = '/';
	}
	return 0;
}

/* Append one document to its file (created new the first time). */
static int write_file(struct hx_strvec *made, const char *file, const char *src,
                      const char *body, size_t len)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char *path = hx_xstrdup(file);
	size_t i;
	int fresh = 1, fd, rc = -1;

	for (i = 0; i < made->n && fresh; i++)
		fresh = strcmp(made->v[i], file) != 0;
	if (mkdirs(path) < 0)
		goto out;
	fd = open(file,
	          O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
	                  (fresh ? O_TRUNC : O_APPEND),
	          0644);
	if (fd < 0) {
		hx_error_set_errno("cannot write '%s'", file);
		goto out;
	}
	hx_strbuf_addf(&sb, "---\n# Source: %s\n", src);
	hx_strbuf_add(&sb, body, len);
	if (!len || body[len - 1] != '\n')
		hx_strbuf_addch(&sb, '\n');
	if (write(fd, sb.buf, sb.len) != (ssize_t)sb.len) {
		hx_error_set_errno("cannot write '%s'", file);
		close(fd);
		goto out;
	}
	if (close(fd) != 0) {
		hx_error_set_errno("cannot write '%s'", file);
		goto out;
	}
	if (fresh)
		hx_strvec_push(made, file);
	printf("wrote %s\n", file);
	rc = 0;
out:
	hx_strbuf_release(&sb);
	free(path);
	return rc;
}

/* The document's text without its "---" and "# Source:" lines. */
static const char *body_of(const struct hx_strbuf *all, size_t *len)
{
	const char *p = all->buf ? all->buf : "", *end = p + all->len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;

		if ((!strncmp(p, "---", 3) &&
		     (le - p == 3 || p[3] == '\n' || p[3] == ' ')) ||
		    !strncmp(p, "# Source: ", 10))
			p = le;
		else
			break;
	}
	*len = (size_t)(end - p);
	return p;
}

int hx_tplout_write(const struct hx_streams *s,
                    const struct hx_strvec *show_only, const char *out_dir,
                    const char *release)
{
	struct hx_strvec made = HX_STRVEC_INIT;
	char *hits = hx_xcalloc(show_only->n + 1, 1);
	size_t i, j;
	int rc = -1;

	for (i = 0; i < s->n; i++) {
		const struct hx_stream *st = &s->v[i];

		for (j = 0; j < st->n; j++) {
			const struct hx_doc *d = &st->docs[j];
			struct hx_strbuf all = HX_STRBUF_INIT;
			size_t slen = 0, blen;
			char *src = NULL;
			const char *body;
			long k = 0;
			int r = 0;

			if (d->empty || d->deleted)
				continue;
			src = hx_doc_source(st, d, &slen);
			if (show_only->n) {
				k = src ? kept_by(src, show_only) : -1;
				if (k < 0) {
					free(src);
					continue;
				}
				hits[k] = 1;
			}
			hx_doc_write(&all, st, d);
			if (!out_dir) {
				if (fwrite(all.buf, 1, all.len, stdout) !=
				    all.len) {
					hx_error_set_errno("cannot write "
					                   "output");
					r = -1;
				}
			} else if (!src || strlen(src) != slen ||
			           !safe_relative(src)) {
				hx_error_set(
				        "--output-dir: the document has %s",
				        src ? "a '# Source:' that is no "
				              "relative path"
				            : "no '# Source:' line");
				hx_error_locate(st->name, d->line, 0);
				r = -1;
			} else {
				struct hx_strbuf file = HX_STRBUF_INIT;

				hx_strbuf_adds(&file, out_dir);
				if (release)
					hx_strbuf_addf(&file, "/%s", release);
				hx_strbuf_addf(&file, "/%s", src);
				body = body_of(&all, &blen);
				r = write_file(&made, file.buf, src, body,
				               blen);
				hx_strbuf_release(&file);
			}
			hx_strbuf_release(&all);
			free(src);
			if (r < 0)
				goto out;
		}
	}
	for (i = 0; i < show_only->n; i++)
		if (!hits[i]) {
			hx_error_set("--show-only: could not find template "
			             "'%s' in the chart",
			             show_only->v[i]);
			goto out;
		}
	if (fflush(stdout) != 0) {
		hx_error_set_errno("cannot write output");
		goto out;
	}
	rc = 0;
out:
	free(hits);
	hx_strvec_clear(&made);
	return rc;
}
