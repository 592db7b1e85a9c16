#include "hx/inject.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

int hx_inject_parse(struct hx_strvec *out, const char *text)
{
	const char *p = text;
	int has_file = 0;

	for (;;) {
		struct hx_strbuf w = HX_STRBUF_INIT;
		int any = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		while (*p && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				char q = *p++;

				while (*p && *p != q)
					hx_strbuf_addch(&w, *p++);
				if (!*p) {
					hx_strbuf_release(&w);
					hx_error_set(
					        "--inject '%s': unclosed %c",
					        text, q);
					return -1;
				}
				p++;
			} else {
				hx_strbuf_addch(&w, *p++);
			}
			any = 1;
		}
		if (any) {
			if (strstr(w.buf, "FILE"))
				has_file = 1;
			hx_strvec_push(out, w.buf);
		}
		hx_strbuf_release(&w);
	}
	if (!out->n || !has_file) {
		hx_error_set("--inject '%s': want a command with FILE in it, "
		             "e.g. 'linkerd inject FILE'",
		             text);
		return -1;
	}
	return 0;
}

/* word with every "FILE" replaced by path */
static void substitute(struct hx_strvec *argv, const char *word,
                       const char *path)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *p = word, *f;

	while ((f = strstr(p, "FILE")) != NULL) {
		hx_strbuf_add(&sb, p, (size_t)(f - p));
		hx_strbuf_adds(&sb, path);
		p = f + 4;
	}
	hx_strbuf_adds(&sb, p);
	hx_strvec_push(argv, sb.buf);
	hx_strbuf_release(&sb);
}

/* The documents in text that hold something (not only comments). */
static size_t count_docs(const char *text, size_t len)
{
	struct hx_stream st;
	size_t i, n = 0;

	hx_stream_init_buf(&st, "inject", hx_xstrndup(text, len), len);
	for (i = 0; i < st.n; i++)
		n += !st.docs[i].empty;
	hx_stream_release(&st);
	return n;
}

/* Replace the file's content (the file is ours: the temporary dir's). */
static int rewrite(const char *path, const char *display, const char *buf,
                   size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
	int rc = 0;

	if (fd < 0 || write(fd, buf, len) != (ssize_t)len)
		rc = -1;
	if (fd >= 0 && close(fd) < 0)
		rc = -1;
	if (rc)
		hx_error_set_errno("cannot write '%s'", display);
	return rc;
}

int hx_inject_file(const struct hx_strvec *cmd, const char *path,
                   const char *display)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	char *before = NULL, *after = NULL;
	size_t i, blen = 0, alen = 0, had, has;
	int rc, printed;

	if (hx_read_file(&before, &blen, path) < 0) {
		hx_error_set_errno("cannot read '%s'", display);
		return -1;
	}
	for (i = 0; i < cmd->n; i++)
		substitute(&p.args, cmd->v[i], path);
	p.capture_out = 1;
	p.what = cmd->v[0];
	rc = hx_proc_run(&p, &out);
	if (rc > 0)
		hx_error_set("--inject: '%s' exited with status %d on '%s'",
		             cmd->v[0], rc, display);
	if (rc)
		goto out;
	rc = -1;
	printed = out.len > 0;
	if (printed) {
		/* a filter: what it printed is the new content */
		after = hx_strbuf_detach(&out, &alen);
	} else if (hx_read_file(&after, &alen, path) < 0) {
		/* printed nothing: an in-place editor (sed -i, yq -i) */
		hx_error_set_errno("cannot read '%s' after --inject '%s'",
		                   display, cmd->v[0]);
		goto out;
	}
	had = count_docs(before, blen);
	has = count_docs(after, alen);
	if (has < had) {
		hx_error_set("--inject: '%s' left %zu of the %zu documents of "
		             "'%s'%s; it must print the whole file on stdout "
		             "(or edit FILE in place and print nothing)",
		             cmd->v[0], has, had, display,
		             printed ? "" : " (it printed nothing)");
		goto out;
	}
	rc = printed || alen != blen || memcmp(after, before, blen)
	             ? rewrite(path, display, after, alen)
	             : 0;
out:
	hx_proc_release(&p);
	hx_strbuf_release(&out);
	free(before);
	free(after);
	return rc ? -1 : 0;
}

static int inject_dir(const struct hx_strvec *cmd, const char *dir,
                      const char *rel)
{
	struct hx_strvec names = HX_STRVEC_INIT;
	size_t i;
	int rc = 0;

	if (hx_list_dir(&names, dir, 0) < 0)
		return -1;
	for (i = 0; rc == 0 && i < names.n; i++) {
		char *p = hx_path_join(dir, names.v[i]);
		char *r = *rel ? hx_path_join(rel, names.v[i])
		               : hx_xstrdup(names.v[i]);
		struct stat st;

		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			rc = inject_dir(cmd, p, r);
		else if (S_ISREG(st.st_mode) && names.v[i][0] != '_' &&
		         strcmp(names.v[i], "NOTES.txt") &&
		         strcmp(names.v[i], "Chart.yaml") &&
		         strcmp(names.v[i], "values.yaml"))
			rc = hx_inject_file(cmd, p, r);
		free(p);
		free(r);
	}
	hx_strvec_clear(&names);
	return rc;
}

int hx_inject_dir(const struct hx_strvec *cmd, const char *dir)
{
	return inject_dir(cmd, dir, "");
}
