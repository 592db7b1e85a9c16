/* Helpers of the fuzz targets: see fuzz.h. */
#include "fuzz.h"

#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

size_t fuzz_split(const uint8_t *data, size_t size, const char **part,
                  size_t *len, size_t max)
{
	size_t n = 0;
	const char *p = (const char *)data, *end = p + size;

	while (n + 1 < max) {
		const char *z = memchr(p, '\0', (size_t)(end - p));

		if (!z)
			break;
		part[n] = p;
		len[n++] = (size_t)(z - p);
		p = z + 1;
	}
	part[n] = p;
	len[n++] = (size_t)(end - p);
	return n;
}

static char dir[64] = "/tmp/hx-fuzz.XXXXXX";
static int have_dir;

static int rm_one(const char *path, const struct stat *sb, int flag,
                  struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void remove_dir(void)
{
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_file(const char *name, const char *buf, size_t len)
{
	static char path[4][128];
	static const char *names[4];
	size_t i;
	int fd;

	if (!have_dir) {
		const char *tmp = getenv("TMPDIR");

		if (tmp && *tmp && strlen(tmp) < 40)
			snprintf(dir, sizeof(dir), "%s/hx-fuzz.XXXXXX", tmp);
		if (!mkdtemp(dir))
			abort();
		have_dir = 1;
		atexit(remove_dir);
	}
	for (i = 0; i < 4 && names[i] && strcmp(names[i], name); i++)
		;
	if (i == 4)
		abort();
	names[i] = name;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	fd = open(path[i], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || (len && write(fd, buf, len) != (ssize_t)len) ||
	    close(fd) < 0)
		abort();
	return path[i];
}

int fuzz_same_tree(const struct hx_node *a, const struct hx_node *b)
{
	size_t i;

	if (a->kind != b->kind)
		return 0;
	if ((a->tag == NULL) != (b->tag == NULL) ||
	    (a->tag && strcmp(a->tag, b->tag)))
		return 0;
	switch (a->kind) {
	case HX_SCALAR: {
		long long ia, ib;
		double fa, fb;
		enum hx_type ta = hx_node_resolve(a, &ia, &fa);
		enum hx_type tb = hx_node_resolve(b, &ib, &fb);

		if (ta != tb)
			return 0;
		if (a->u.s.len == b->u.s.len &&
		    !memcmp(a->u.s.str, b->u.s.str, a->u.s.len))
			return 1;
		/* a null or bool may be spelled otherwise; strings may not */
		return ta == HX_TYPE_NULL || (ta == HX_TYPE_BOOL && ia == ib);
	}
	case HX_SEQ:
		if (a->u.seq.n != b->u.seq.n)
			return 0;
		for (i = 0; i < a->u.seq.n; i++)
			if (!fuzz_same_tree(a->u.seq.items[i],
			                    b->u.seq.items[i]))
				return 0;
		return 1;
	case HX_MAP:
		if (a->u.map.n != b->u.map.n)
			return 0;
		for (i = 0; i < a->u.map.n; i++)
			if (!fuzz_same_tree(a->u.map.pairs[i].key,
			                    b->u.map.pairs[i].key) ||
			    !fuzz_same_tree(a->u.map.pairs[i].value,
			                    b->u.map.pairs[i].value))
				return 0;
		return 1;
	}
	return 0;
}

/* The one document of text, emitted again (new), or abort. */
static char *reemit(const char *name, const char *text, size_t len,
                    size_t *out_len)
{
	struct hx_stream st;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	size_t i, docs = 0;

	hx_stream_init_buf(&st, name, hx_xstrndup(text, len), len);
	for (i = 0; i < st.n; i++) {
		if (st.docs[i].empty)
			continue;
		docs++;
		if (hx_doc_load(&st, &st.docs[i], &st.arena) < 0) {
			fprintf(stderr,
			        "fuzz: emitted YAML does not parse: "
			        "%s\n---\n%.*s\n",
			        hx_error_message(), (int)len, text);
			abort();
		}
		if (st.docs[i].root)
			hx_node_emit(&sb, st.docs[i].root);
	}
	if (docs > 1) {
		fprintf(stderr, "fuzz: one document emitted as %zu:\n%.*s\n",
		        docs, (int)len, text);
		abort();
	}
	hx_stream_release(&st);
	return hx_strbuf_detach(&sb, out_len);
}

void fuzz_check_reemitted(struct hx_stream *st)
{
	size_t i;

	for (i = 0; i < st->n; i++) {
		const struct hx_doc *d = &st->docs[i];
		struct hx_strbuf body = HX_STRBUF_INIT;
		char *once, *twice;
		size_t l1, l2;

		if (!d->modified || d->deleted)
			continue;
		/* the emitted part: between the leading and trailing lines */
		hx_doc_write(&body, st, d);
		once = reemit("<emitted>", body.buf, body.len, &l1);
		twice = reemit("<emitted again>", once, l1, &l2);
		if (l1 != l2 || memcmp(once, twice, l1)) {
			fprintf(stderr,
			        "fuzz: emitting is not stable:\n%s\n---\n%s\n",
			        once, twice);
			abort();
		}
		free(once);
		free(twice);
		hx_strbuf_release(&body);
	}
}
