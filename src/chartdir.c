#include "hx/chartdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/render.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

/* mkdir -p, each part 0700 */
static int mkdirs(const char *path)
{
	char *p = hx_xstrdup(path), *s;
	int rc = 0;

	for (s = p + 1; *s && !rc; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(p, 0700) < 0 && errno != EEXIST) {
				hx_error_set_errno("cannot create '%s'", p);
				rc = -1;
			}
			*s = '/';
		}
	if (!rc && mkdir(p, 0700) < 0 && errno != EEXIST) {
		hx_error_set_errno("cannot create '%s'", p);
		rc = -1;
	}
	free(p);
	return rc;
}

/* Write a new file (never follows or replaces anything). */
static int write_new(const char *path, const char *buf, size_t len)
{
	char *dir = hx_dirname(path);
	int fd, rc = -1;

	if (mkdirs(dir) < 0)
		goto out;
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	          0600);
	if (fd < 0) {
		hx_error_set_errno("cannot create '%s'", path);
		goto out;
	}
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			hx_error_set_errno("cannot write '%s'", path);
			close(fd);
			goto out;
		}
		buf += n;
		len -= (size_t)n;
	}
	rc = close(fd);
	if (rc < 0)
		hx_error_set_errno("cannot write '%s'", path);
out:
	free(dir);
	return rc;
}

static int copy_file(const char *from, const char *to)
{
	char *buf;
	size_t len;
	int rc;

	if (hx_read_file(&buf, &len, from) < 0)
		return -1;
	rc = write_new(to, buf, len);
	free(buf);
	return rc;
}

/* One output file: the documents that go to it, joined with "---". */
struct outfile {
	char *path; /* relative to the chart; owned */
	struct hx_strbuf text;
};

struct files {
	struct outfile *v;
	size_t n, alloc;
};

static struct outfile *file_for(struct files *f, const char *path)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!strcmp(f->v[i].path, path))
			return &f->v[i];
	hx_grow(&f->v, &f->alloc, f->n + 1, sizeof(*f->v));
	f->v[f->n].path = hx_xstrdup(path);
	hx_strbuf_init(&f->v[f->n].text);
	return &f->v[f->n++];
}

/* "{{" would start a template action: write it as {{ "{{" }}. */
static void add_escaped(struct hx_strbuf *sb, const char *s, size_t len)
{
	const char *end = s + len, *p;

	for (p = s; p + 1 < end; p++)
		if (p[0] == '{' && p[1] == '{') {
			hx_strbuf_add(sb, s, (size_t)(p - s));
			hx_strbuf_adds(sb, "{{ \"{{\" }}");
			s = p + 2;
			p++;
		}
	hx_strbuf_add(sb, s, (size_t)(end - s));
}

/*
 * The document's text without its leading marker and "# Source:" lines
 * (helm writes its own), "{{" escaped.
 */
static void doc_body(struct hx_strbuf *out, const struct hx_stream *st,
                     const struct hx_doc *d)
{
	struct hx_strbuf all = HX_STRBUF_INIT;
	const char *p, *end;

	hx_doc_write(&all, st, d);
	p = all.buf;
	end = all.buf + all.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl + 1 : end;

		if ((!strncmp(p, "---", 3) && (le - p == 3 || p[3] == '\n' ||
		                               p[3] == '\r' || p[3] == ' ')) ||
		    !strncmp(p, "# Source: ", 10)) {
			p = le;
			continue;
		}
		break;
	}
	add_escaped(out, p, (size_t)(end - p));
	if (out->len && out->buf[out->len - 1] != '\n')
		hx_strbuf_addch(out, '\n');
	hx_strbuf_release(&all);
}

/* A file name for a document without a Source line. */
static char *doc_file(const struct hx_stream *st, const struct hx_doc *d,
                      const char *fallback)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_stream tmp;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *kind = NULL, *name = NULL, *c;

	/* parse a copy of the document to learn its kind and name */
	hx_stream_init_buf(&tmp, st->name,
	                   hx_xstrndup(d->modified ? d->out : st->buf + d->off,
	                               d->modified ? d->out_len : d->len),
	                   d->modified ? d->out_len : d->len);
	if (tmp.n && hx_doc_load(&tmp, &tmp.docs[0], &a) == 0 &&
	    tmp.docs[0].root) {
		kind = hx_node_str(hx_map_get(tmp.docs[0].root, "kind"));
		name = hx_node_str(hx_map_path(tmp.docs[0].root, "metadata",
		                               "name", NULL));
	}
	hx_error_clear();
	if (kind && name) {
		hx_strbuf_adds(&sb, "templates/");
		for (c = kind; *c; c++)
			hx_strbuf_addch(&sb, (*c >= 'A' && *c <= 'Z') ? *c + 32
			                                              : *c);
		hx_strbuf_addch(&sb, '-');
		for (c = name; *c; c++)
			hx_strbuf_addch(&sb, *c == '/' ? '-' : *c);
		hx_strbuf_adds(&sb, ".yaml");
	} else {
		hx_strbuf_adds(&sb, fallback);
	}
	hx_stream_release(&tmp);
	hx_arena_release(&a);
	return hx_strbuf_detach(&sb, NULL);
}

/* Every charts/NAME level of path (at any depth) is a subchart. */
static void note_subcharts(struct hx_strvec *out, const char *path)
{
	const char *p = path;

	while (!strncmp(p, "charts/", 7)) {
		const char *e = strchr(p + 7, '/');
		size_t i;
		char *sub;

		if (!e)
			return;
		sub = hx_xstrndup(path, (size_t)(e - path));
		for (i = 0; i < out->n && strcmp(out->v[i], sub); i++)
			;
		if (i == out->n)
			hx_strvec_push(out, sub);
		free(sub);
		p = e + 1;
	}
}

/* Where a "# Source:" path goes in the chart: drop the chart name. */
static const char *source_rel(const char *source)
{
	const char *slash = strchr(source, '/');

	return slash ? slash + 1 : source;
}

static int copy_partials(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *e;
	int rc = 0;

	if (!d)
		return 0;
	while (rc == 0 && (e = readdir(d)) != NULL) {
		char *f, *t;
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		f = hx_path_join(from, e->d_name);
		t = hx_path_join(to, e->d_name);
		if (stat(f, &st) == 0 && S_ISDIR(st.st_mode))
			rc = copy_partials(f, t);
		else if (e->d_name[0] == '_' || !strcmp(e->d_name, "NOTES.txt"))
			rc = copy_file(f, t);
		free(f);
		free(t);
	}
	closedir(d);
	return rc;
}

/*
 * "dependencies:" naming the subcharts directly under prefix ("" for the
 * top chart, "charts/a/" for a subchart): helm lint and install want every
 * directory in charts/ declared.  No repository, condition or tags: the
 * render already chose what is in.
 */
static void add_deps(struct hx_strbuf *sb, const struct hx_strvec *subs,
                     const char *prefix)
{
	size_t i, n = strlen(prefix), count = 0;

	for (i = 0; i < subs->n; i++) {
		const char *rest = subs->v[i] + n;

		if (strncmp(subs->v[i], prefix, n) ||
		    strncmp(rest, "charts/", 7) || strchr(rest + 7, '/'))
			continue;
		if (!count++)
			hx_strbuf_adds(sb, "dependencies:\n");
		hx_strbuf_addf(sb, "- name: %s\n  version: 0.0.0\n", rest + 7);
	}
}

/*
 * The original Chart.yaml with its 'dependencies' replaced by the
 * subcharts the render produced.
 */
static int write_chart_yaml(const char *dir, const char *orig,
                            const struct hx_strvec *subs)
{
	struct hx_stream st;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char *from = hx_path_join(orig, "Chart.yaml");
	char *to = hx_path_join(dir, "Chart.yaml");
	int rc = -1;

	if (hx_stream_read(&st, from) < 0 || hx_stream_load_all(&st) < 0 ||
	    !st.n || !st.docs[0].root)
		goto out;
	if (hx_map_remove(st.docs[0].root, "dependencies", 12))
		hx_doc_update(&st, &st.docs[0]);
	hx_doc_write(&sb, &st, &st.docs[0]);
	if (sb.len && sb.buf[sb.len - 1] != '\n')
		hx_strbuf_addch(&sb, '\n');
	add_deps(&sb, subs, "");
	rc = write_new(to, sb.buf, sb.len);
out:
	hx_stream_release(&st);
	hx_strbuf_release(&sb);
	free(from);
	free(to);
	return rc;
}

int hx_chartdir_write(const char *dir, const struct hx_streams *s,
                      const char *orig_chart, const char *name,
                      const char *version)
{
	struct files files = {NULL, 0, 0};
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_strvec subcharts = HX_STRVEC_INIT;
	size_t i, j;
	int rc = -1;

	if (mkdirs(dir) < 0)
		goto out;
	for (i = 0; i < s->n; i++) {
		const struct hx_stream *st = &s->v[i];

		for (j = 0; j < st->n; j++) {
			const struct hx_doc *d = &st->docs[j];
			struct hx_strbuf body = HX_STRBUF_INIT;
			char *source, *path;
			struct outfile *f;

			if (d->empty || d->deleted)
				continue;
			source = hx_doc_source(st, d);
			doc_body(&body, st, d);
			if (source && orig_chart) {
				path = hx_xstrdup(source_rel(source));
			} else if (!orig_chart && st->name[0] != '<' &&
			           strcmp(st->name, "<stdin>")) {
				/* a manifest file keeps its name */
				struct hx_strbuf p = HX_STRBUF_INIT;
				const char *base = strrchr(st->name, '/');

				hx_strbuf_addf(&p, "templates/%s",
				               base ? base + 1 : st->name);
				path = hx_strbuf_detach(&p, NULL);
			} else {
				path = doc_file(st, d,
				                "templates/manifest.yaml");
			}
			f = file_for(&files, path);
			if (f->text.len)
				hx_strbuf_adds(&f->text, "---\n");
			hx_strbuf_add(&f->text, body.buf, body.len);
			if (orig_chart)
				note_subcharts(&subcharts, path);
			hx_strbuf_release(&body);
			free(source);
			free(path);
		}
	}
	for (i = 0; i < files.n; i++) {
		char *p = hx_path_join(dir, files.v[i].path);
		int r = write_new(p, files.v[i].text.buf, files.v[i].text.len);

		free(p);
		if (r < 0)
			goto out;
	}
	for (i = 0; i < subcharts.n; i++) {
		char *cy = hx_path_join(subcharts.v[i], "Chart.yaml");
		char *p = hx_path_join(dir, cy);
		struct stat st;

		if (stat(p, &st) < 0) {
			char *prefix = hx_path_join(subcharts.v[i], "");

			hx_strbuf_reset(&sb);
			hx_strbuf_addf(&sb,
			               "apiVersion: v2\nname: %s\nversion: "
			               "0.0.0\n",
			               strrchr(subcharts.v[i], '/') + 1);
			add_deps(&sb, &subcharts, prefix);
			free(prefix);
			if (write_new(p, sb.buf, sb.len) < 0) {
				free(cy);
				free(p);
				goto out;
			}
		}
		free(cy);
		free(p);
	}
	if (orig_chart) {
		char *v1 = hx_path_join(orig_chart, "values.yaml");
		char *v2 = hx_path_join(dir, "values.yaml");
		char *t1 = hx_path_join(orig_chart, "templates");
		char *t2 = hx_path_join(dir, "templates");
		struct stat st;

		rc = write_chart_yaml(dir, orig_chart, &subcharts);
		if (!rc && stat(v1, &st) == 0)
			rc = copy_file(v1, v2);
		if (!rc)
			rc = copy_partials(t1, t2);
		free(v1);
		free(v2);
		free(t1);
		free(t2);
		if (rc)
			goto out;
	} else {
		char *p = hx_path_join(dir, "Chart.yaml");

		hx_strbuf_reset(&sb);
		hx_strbuf_addf(&sb, "apiVersion: v2\nname: %s\nversion: %s\n",
		               name, version ? version : "0.1.0");
		rc = write_new(p, sb.buf, sb.len);
		free(p);
		if (rc)
			goto out;
	}
	rc = 0;
out:
	for (i = 0; i < files.n; i++) {
		free(files.v[i].path);
		hx_strbuf_release(&files.v[i].text);
	}
	free(files.v);
	hx_strvec_clear(&subcharts);
	hx_strbuf_release(&sb);
	return rc;
}
