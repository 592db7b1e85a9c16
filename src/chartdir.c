#include "hx/chartdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/chartpath.h"
#include "hx/err.h"
#include "hx/node.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

/*
 * s as a YAML scalar for a file helm-x writes: plain when it is made of
 * name characters, else double-quoted with escapes (a name is data).
 */
static void add_yaml_str(struct hx_strbuf *sb, const char *s)
{
	const char *p;

	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
		      *p == '.'))
			break;
	if (*s && !*p && (*s < '0' || *s > '9') && *s != '.' && *s != '-') {
		hx_strbuf_adds(sb, s);
		return;
	}
	hx_strbuf_addch(sb, '"');
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '"' || c == '\\')
			hx_strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			hx_strbuf_addf(sb, "\\x%02x", c);
		else
			hx_strbuf_addch(sb, c);
	}
	hx_strbuf_addch(sb, '"');
}

/* Copy the file from into the chart as rel (below rootfd). */
static int copy_file(const char *from, int rootfd, const char *rel,
                     const char *display)
{
	char *buf;
	size_t len;
	int rc;

	if (hx_read_file(&buf, &len, from) < 0)
		return -1;
	rc = hx_chartpath_write(rootfd, rel, display, buf, len);
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
 * The document's text without its leading marker, "# Source:" and blank
 * lines (helm writes its own), "{{" escaped when escape is set.
 */
static void doc_body(struct hx_strbuf *out, const struct hx_stream *st,
                     const struct hx_doc *d, int escape)
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
		    !strncmp(p, "# Source: ", 10) || *p == '\n' ||
		    (*p == '\r' && p + 1 < end && p[1] == '\n')) {
			p = le;
			continue;
		}
		break;
	}
	if (escape)
		add_escaped(out, p, (size_t)(end - p));
	else
		hx_strbuf_add(out, p, (size_t)(end - p));
	if (out->len && out->buf[out->len - 1] != '\n')
		hx_strbuf_addch(out, '\n');
	hx_strbuf_release(&all);
}

/*
 * The file of a document without a usable Source line: "templates/KIND-
 * NAME.yaml", or fallback when it has no kind or name.  Sets the error and
 * returns -1 when kind or name cannot be a file name.
 */
static int doc_file(char **out, const struct hx_stream *st,
                    const struct hx_doc *d, const char *fallback)
{
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_stream tmp;
	const struct hx_node *kind = NULL, *name = NULL;
	size_t len;
	char *text = hx_doc_flatten(st, d, &len);
	int rc = 0;

	/* parse a copy of the document to learn its kind and name */
	hx_stream_init_buf(&tmp, st->name, text, len);
	if (tmp.n && hx_doc_load(&tmp, &tmp.docs[0], &a) == 0 &&
	    tmp.docs[0].root) {
		kind = hx_map_get(tmp.docs[0].root, "kind");
		name = hx_map_path(tmp.docs[0].root, "metadata", "name", NULL);
	}
	hx_error_clear();
	if (kind && name && kind->kind == HX_SCALAR && name->kind == HX_SCALAR)
		rc = hx_chartpath_from_object(out, kind->u.s.str, kind->u.s.len,
		                              name->u.s.str, name->u.s.len);
	else
		*out = hx_xstrdup(fallback);
	hx_stream_release(&tmp);
	hx_arena_release(&a);
	return rc;
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

/* The directories being walked, to stop at a link back to one of them. */
struct walk {
	dev_t dev;
	ino_t ino;
	const struct walk *up;
};

/*
 * Copy the regular files below from to rel below rootfd: all of them, or
 * (partials) only the "_*" partials and NOTES.txt, as the templates of a
 * rendered chart need.  follow: links are followed as helm's loader follows
 * them in a chart directory, but never into a directory being walked; else
 * (a packaged subchart unpacked here) a link is skipped, as helm's loader
 * of an archive never follows one.
 */
static int copy_tree(const char *from, int rootfd, const char *rel,
                     const char *display, int follow, int partials,
                     const struct walk *up)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	struct walk here;
	const struct walk *w;
	struct stat st;
	size_t i;
	int rc = 0;

	if ((follow ? stat(from, &st) : lstat(from, &st)) < 0 ||
	    !S_ISDIR(st.st_mode))
		return 0;
	for (w = up; w; w = w->up)
		if (w->dev == st.st_dev && w->ino == st.st_ino)
			return 0;
	here.dev = st.st_dev;
	here.ino = st.st_ino;
	here.up = up;
	if (hx_list_dir(&names, from, 0) < 0)
		return -1;
	for (i = 0; rc == 0 && i < names.n; i++) {
		char *f = hx_path_join(from, names.v[i]);
		char *t = hx_path_join(rel, names.v[i]);

		if ((follow ? stat(f, &st) : lstat(f, &st)) == 0) {
			if (S_ISDIR(st.st_mode))
				rc = copy_tree(f, rootfd, t, display, follow,
				               partials, &here);
			else if (S_ISREG(st.st_mode) &&
			         (!partials || names.v[i][0] == '_' ||
			          !strcmp(names.v[i], "NOTES.txt")))
				rc = copy_file(f, rootfd, t, display);
		}
		free(f);
		free(t);
	}
	hx_strvec_clear(&names);
	return rc;
}

/* The scalar key of the chart's Chart.yaml (new), or NULL. */
static char *chart_field(const char *chart, const char *key)
{
	struct hx_stream st;
	char *from = hx_path_join(chart, "Chart.yaml"), *v = NULL;
	const struct hx_node *n;

	if (hx_stream_read(&st, from) == 0) {
		if (hx_stream_load_all(&st) == 0 && st.n && st.docs[0].root &&
		    (n = hx_map_get(st.docs[0].root, key)) &&
		    n->kind == HX_SCALAR)
			v = hx_xstrndup(n->u.s.str, n->u.s.len);
		hx_stream_release(&st);
	}
	hx_error_clear();
	free(from);
	return v;
}

/* A name helm could give a chart directory: no '/', not '.' or '..'. */
static int plain_name(const char *s)
{
	return *s && !strchr(s, '/') && strcmp(s, ".") && strcmp(s, "..") &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	                 "0123456789-_.") == strlen(s);
}

/*
 * The library subcharts in charts/ of the chart at orig (directories and
 * packaged .tgz, unpacked into unpack): a library renders no document, so
 * the render names none of them, yet NOTES.txt and the partials include
 * its helpers (every Bitnami chart's 'common').  Each is written to
 * charts/NAME below prefix with its templates, values.yaml and a
 * Chart.yaml of type library, and noted in subs.
 */
static int copy_libraries(const char *orig, int rootfd, const char *prefix,
                          const char *display, const char *unpack,
                          struct hx_strvec *subs)
{
	static size_t unpacked; /* archives unpacked in this run */
	struct hx_strvec names = HX_STRVEC_INIT;
	char *charts = hx_path_join(orig, "charts");
	struct stat st;
	size_t i, k;
	int rc = 0;

	if (stat(charts, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    hx_list_dir(&names, charts, 1) < 0) {
		hx_error_clear();
		free(charts);
		return 0;
	}
	for (i = 0; rc == 0 && i < names.n; i++) {
		const char *e = names.v[i];
		size_t len = strlen(e);
		char *src = hx_path_join(charts, e), *dir = NULL, *type, *name;
		int follow = 1;

		if (len > 4 && !strcmp(e + len - 4, ".tgz")) {
			struct hx_proc p = HX_PROC_INIT;
			struct hx_strbuf where = HX_STRBUF_INIT;
			struct hx_strvec in = HX_STRVEC_INIT;
			int made = 0;

			/* one new directory per archive, whatever the depth */
			for (;;) {
				hx_strbuf_reset(&where);
				hx_strbuf_addf(&where, "%s/sub-%zu", unpack,
				               unpacked++);
				if (mkdir(where.buf, 0700) == 0)
					made = 1;
				if (made || errno != EEXIST)
					break;
			}
			if (made) {
				hx_strvec_pushl(&p.args, "tar", "-xzf", src,
				                "-C", where.buf, NULL);
				p.what = "tar";
				p.err_file = "/dev/null";
				if (hx_proc_run(&p, NULL) == 0 &&
				    hx_list_dir(&in, where.buf, 1) == 0 &&
				    in.n == 1)
					dir = hx_path_join(where.buf, in.v[0]);
			}
			hx_error_clear();
			hx_strvec_clear(&in);
			hx_strbuf_release(&where);
			hx_proc_release(&p);
			follow = 0;
		} else if (stat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
			dir = hx_xstrdup(src);
		}
		type = dir ? chart_field(dir, "type") : NULL;
		name = dir ? chart_field(dir, "name") : NULL;
		if (type && name && !strcmp(type, "library") &&
		    plain_name(name)) {
			struct hx_strbuf rel = HX_STRBUF_INIT,
			                 cy = HX_STRBUF_INIT;
			char *tpl = hx_path_join(dir, "templates");
			char *vals = hx_path_join(dir, "values.yaml");

			hx_strbuf_addf(&rel, "%scharts/%s", prefix, name);
			for (k = 0; k < subs->n && strcmp(subs->v[k], rel.buf);
			     k++)
				;
			if (k == subs->n) {
				char *t = hx_path_join(rel.buf, "templates");
				char *v = hx_path_join(rel.buf, "values.yaml");
				char *c = hx_path_join(rel.buf, "Chart.yaml");

				hx_strvec_push(subs, rel.buf);
				hx_strbuf_adds(&cy, "apiVersion: v2\nname: ");
				add_yaml_str(&cy, name);
				hx_strbuf_adds(&cy, "\ntype: library\n"
				                    "version: 0.0.0\n");
				rc = copy_tree(tpl, rootfd, t, display, follow,
				               0, NULL);
				if (!rc &&
				    (follow ? stat(vals, &st)
				            : lstat(vals, &st)) == 0 &&
				    S_ISREG(st.st_mode))
					rc = copy_file(vals, rootfd, v,
					               display);
				if (!rc)
					rc = hx_chartpath_write(rootfd, c,
					                        display, cy.buf,
					                        cy.len);
				free(t);
				free(v);
				free(c);
			}
			free(tpl);
			free(vals);
			hx_strbuf_release(&rel);
			hx_strbuf_release(&cy);
		}
		free(type);
		free(name);
		free(dir);
		free(src);
	}
	hx_strvec_clear(&names);
	free(charts);
	return rc;
}

/*
 * A rendered subchart's partials, NOTES.txt and values.yaml, from the
 * original chart's directory of the same path (subcharts named by an
 * alias, or packaged, keep only their documents), and its own libraries.
 */
static int copy_sub_partials(const char *orig, int rootfd, const char *sub,
                             const char *display, const char *unpack,
                             struct hx_strvec *subs)
{
	char *from = hx_path_join(orig, sub);
	char *tpl = hx_path_join(from, "templates");
	char *vals = hx_path_join(from, "values.yaml");
	char *rel_t = hx_path_join(sub, "templates");
	char *rel_v = hx_path_join(sub, "values.yaml");
	char *prefix = hx_path_join(sub, "");
	char *cy = hx_path_join(sub, "Chart.yaml");
	struct stat st;
	int rc = 0;

	/* a library copied whole already has its Chart.yaml */
	if (fstatat(rootfd, cy, &st, AT_SYMLINK_NOFOLLOW) < 0 &&
	    stat(from, &st) == 0 && S_ISDIR(st.st_mode)) {
		rc = copy_tree(tpl, rootfd, rel_t, display, 1, 1, NULL);
		if (!rc && stat(vals, &st) == 0 && S_ISREG(st.st_mode))
			rc = copy_file(vals, rootfd, rel_v, display);
		if (!rc)
			rc = copy_libraries(from, rootfd, prefix, display,
			                    unpack, subs);
	}
	free(cy);
	free(prefix);
	free(rel_v);
	free(rel_t);
	free(vals);
	free(tpl);
	free(from);
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
		hx_strbuf_adds(sb, "- name: ");
		add_yaml_str(sb, rest + 7);
		hx_strbuf_adds(sb, "\n  version: 0.0.0\n");
	}
}

/*
 * The original Chart.yaml with its 'dependencies' replaced by the
 * subcharts the render produced.
 */
static int write_chart_yaml(int rootfd, const char *display, const char *orig,
                            const struct hx_strvec *subs)
{
	struct hx_stream st;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char *from = hx_path_join(orig, "Chart.yaml");
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
	rc = hx_chartpath_write(rootfd, "Chart.yaml", display, sb.buf, sb.len);
out:
	hx_stream_release(&st);
	hx_strbuf_release(&sb);
	free(from);
	return rc;
}

/* The file in the chart that document d goes to; new in *out. */
static int doc_path(char **out, const struct hx_stream *st,
                    const struct hx_doc *d)
{
	size_t len = 0;
	char *source = hx_doc_source(st, d, &len);
	int rc;

	if (source && st->from_chart) {
		rc = hx_chartpath_from_source(out, source, len);
	} else if (!st->from_chart && st->name[0] != '<') {
		/* a manifest file keeps its name */
		const char *base = strrchr(st->name, '/');

		rc = hx_chartpath_from_file(out, base ? base + 1 : st->name);
	} else {
		rc = doc_file(out, st, d, "templates/manifest.yaml");
	}
	free(source);
	if (rc < 0) /* at the document's first line */
		hx_error_locate(st->name, d->line, 0);
	return rc;
}

/* Chart.yaml of a subchart the render named but whose chart had none. */
static int write_sub_chart_yaml(int rootfd, const char *display,
                                const struct hx_strvec *subs, const char *sub)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	char *cy = hx_path_join(sub, "Chart.yaml");
	char *prefix = hx_path_join(sub, "");
	struct stat st;
	int rc = 0;

	if (fstatat(rootfd, cy, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		hx_strbuf_adds(&sb, "apiVersion: v2\nname: ");
		add_yaml_str(&sb, strrchr(sub, '/') + 1);
		hx_strbuf_adds(&sb, "\nversion: 0.0.0\n");
		add_deps(&sb, subs, prefix);
		rc = hx_chartpath_write(rootfd, cy, display, sb.buf, sb.len);
	}
	free(prefix);
	free(cy);
	hx_strbuf_release(&sb);
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
	int rootfd = -1, rc = -1;

	if (mkdir(dir, 0700) < 0) {
		hx_error_set_errno("cannot create '%s'", dir);
		goto out;
	}
	rootfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rootfd < 0) {
		hx_error_set_errno("cannot open '%s'", dir);
		goto out;
	}
	for (i = 0; i < s->n; i++) {
		const struct hx_stream *st = &s->v[i];

		for (j = 0; j < st->n; j++) {
			const struct hx_doc *d = &st->docs[j];
			struct outfile *f;
			char *path;

			if (d->empty || d->deleted)
				continue;
			if (doc_path(&path, st, d) < 0)
				goto out;
			f = file_for(&files, path);
			if (f->text.len)
				hx_strbuf_adds(&f->text, "---\n");
			doc_body(&f->text, st, d, 1);
			/* helm template ends a file's last document with a
			 * blank line that Helm 4.2 keeps (older helms trim
			 * it) and writes again: the file has it once */
			if (f->text.len > 1 &&
			    f->text.buf[f->text.len - 1] == '\n' &&
			    f->text.buf[f->text.len - 2] == '\n')
				f->text.buf[--f->text.len] = '\0';
			if (orig_chart)
				note_subcharts(&subcharts, path);
			free(path);
		}
	}
	for (i = 0; i < files.n; i++)
		if (hx_chartpath_write(rootfd, files.v[i].path, dir,
		                       files.v[i].text.buf,
		                       files.v[i].text.len) < 0)
			goto out;
	if (orig_chart) {
		/* helpers for NOTES.txt and the partials: the libraries and
		 * the rendered subcharts' partials (the list grows) */
		char *unpack = hx_dirname(dir);

		rc = copy_libraries(orig_chart, rootfd, "", dir, unpack,
		                    &subcharts);
		for (i = 0; rc == 0 && i < subcharts.n; i++)
			rc = copy_sub_partials(orig_chart, rootfd,
			                       subcharts.v[i], dir, unpack,
			                       &subcharts);
		free(unpack);
		if (rc)
			goto out;
		rc = -1;
	}
	for (i = 0; i < subcharts.n; i++)
		if (write_sub_chart_yaml(rootfd, dir, &subcharts,
		                         subcharts.v[i]) < 0)
			goto out;
	if (orig_chart) {
		char *v1 = hx_path_join(orig_chart, "values.yaml");
		char *t1 = hx_path_join(orig_chart, "templates");
		struct stat st;

		rc = write_chart_yaml(rootfd, dir, orig_chart, &subcharts);
		if (!rc && stat(v1, &st) == 0)
			rc = copy_file(v1, rootfd, "values.yaml", dir);
		if (!rc)
			rc = copy_tree(t1, rootfd, "templates", dir, 1, 1,
			               NULL);
		free(v1);
		free(t1);
		if (rc)
			goto out;
	} else {
		hx_strbuf_adds(&sb, "apiVersion: v2\nname: ");
		add_yaml_str(&sb, name);
		hx_strbuf_adds(&sb, "\nversion: ");
		if (version)
			add_yaml_str(&sb, version);
		else
			hx_strbuf_adds(&sb, "0.1.0");
		hx_strbuf_addch(&sb, '\n');
		/* helm lint says "values.yaml: file does not exist" */
		if (hx_chartpath_write(rootfd, "Chart.yaml", dir, sb.buf,
		                       sb.len) < 0 ||
		    hx_chartpath_write(rootfd, "values.yaml", dir, "", 0) < 0)
			goto out;
	}
	rc = 0;
out:
	if (rootfd >= 0)
		close(rootfd);
	for (i = 0; i < files.n; i++) {
		free(files.v[i].path);
		hx_strbuf_release(&files.v[i].text);
	}
	free(files.v);
	hx_strvec_clear(&subcharts);
	hx_strbuf_release(&sb);
	return rc;
}

/* Is path (in the chart) under a crds/ dir of the chart or a subchart? */
static int is_crd_path(const char *path)
{
	while (!strncmp(path, "charts/", 7)) {
		const char *slash = strchr(path + 7, '/');

		if (!slash)
			return 0;
		path = slash + 1;
	}
	return !strncmp(path, "crds/", 5);
}

/* The documents of s as helm lists them, CRDs only or CRDs left out. */
static int list_docs(struct hx_strbuf *out, const struct hx_streams *s,
                     const char *name, int crds)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		const struct hx_stream *st = &s->v[i];

		for (j = 0; j < st->n; j++) {
			const struct hx_doc *d = &st->docs[j];
			char *path, *src;
			size_t len = 0;

			if (d->empty || d->deleted)
				continue;
			if (doc_path(&path, st, d) < 0)
				return -1;
			if (is_crd_path(path) != crds) {
				free(path);
				continue;
			}
			src = st->from_chart ? hx_doc_source(st, d, &len)
			                     : NULL;
			hx_strbuf_adds(out, "---\n# Source: ");
			if (src)
				hx_strbuf_add(out, src, len);
			else
				hx_strbuf_addf(out, "%s/%s", name, path);
			hx_strbuf_addch(out, '\n');
			doc_body(out, st, d, 0);
			free(src);
			free(path);
		}
	}
	return 0;
}

int hx_chartdir_manifest(struct hx_strbuf *out, const struct hx_streams *s,
                         const char *name)
{
	return list_docs(out, s, name, 0);
}

int hx_chartdir_crds(struct hx_strbuf *out, const struct hx_streams *s)
{
	return list_docs(out, s, "", 1);
}

int hx_chartdir_is_crd(const struct hx_stream *st, const struct hx_doc *d)
{
	char *path;
	int crd;

	if (!st->from_chart || d->empty)
		return 0;
	if (doc_path(&path, st, d) < 0) {
		hx_error_clear(); /* not a file: no CRD */
		return 0;
	}
	crd = is_crd_path(path);
	free(path);
	return crd;
}

void hx_chartdir_drop_crds(struct hx_streams *s)
{
	size_t i, j;

	for (i = 0; i < s->n; i++) {
		struct hx_stream *st = &s->v[i];

		for (j = 0; st->from_chart && j < st->n; j++) {
			struct hx_doc *d = &st->docs[j];
			char *path;

			if (d->empty || d->deleted)
				continue;
			if (doc_path(&path, st, d) < 0) {
				hx_error_clear(); /* not a file: no CRD */
				continue;
			}
			if (is_crd_path(path))
				d->deleted = 1;
			free(path);
		}
	}
}
