/*
 * Unit tests: surgical writing.  Every document of every data-driven input
 * (comments, odd indentation, block scalars, flow collections) changed in
 * many ways at many places must read back as the changed tree; unchanged,
 * it must come back byte for byte.  Plus the cases the code has branches
 * for.
 */
#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "surgcheck.h"
#include "tap.h"

#include "hx/banned.h"

/* The collections of a document changed in each way. */
#define PLACES 24

static size_t n_checked, n_failed;

/* Every document of one stream file, unchanged and changed. */
static void check_file(const char *path)
{
	struct hx_stream st;
	size_t i;

	if (hx_stream_read(&st, path) < 0) {
		hx_error_clear();
		return;
	}
	for (i = 0; i < st.n; i++) {
		const struct hx_doc *d = &st.docs[i];
		const char *text = st.buf + d->off;
		struct surg_mutation m;
		char label[600];
		int rc;

		snprintf(label, sizeof(label), "%s, document %zu", path, i + 1);
		rc = surg_check(text, d->len, NULL, NULL, label);
		if (rc < 0)
			continue;
		n_checked++;
		if (!rc)
			n_failed++;
		for (m.k = 0; m.k < PLACES; m.k++)
			for (m.op = 0; m.op < SURG_OPS; m.op++) {
				snprintf(label, sizeof(label),
				         "%s, document %zu, change %d at "
				         "collection %zu",
				         path, i + 1, m.op, m.k);
				rc = surg_check(text, d->len, surg_mutate, &m,
				                label);
				if (rc < 0)
					continue;
				n_checked++;
				if (!rc)
					n_failed++;
			}
	}
	hx_stream_release(&st);
}

static int is_file(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static void check_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct hx_strvec_local {
		char **v;
		size_t n, alloc;
	} names = {NULL, 0, 0};
	size_t i;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		hx_grow(&names.v, &names.alloc, names.n + 1, sizeof(char *));
		names.v[names.n++] = hx_path_join(dir, e->d_name);
	}
	closedir(d);
	for (i = 0; i < names.n; i++) {
		char *in = hx_path_join(names.v[i], "input.yaml");

		if (hx_is_dir(names.v[i]) && !is_file(in))
			check_dir(names.v[i]);
		else if (is_file(in))
			check_file(in);
		free(in);
		free(names.v[i]);
	}
	free(names.v);
}

/* One document, one change: the exact output. */
static char *one(const char *text, int op, size_t k)
{
	struct hx_stream st;
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_surgery_out so = HX_SURGERY_OUT_INIT;
	struct hx_node *now;
	struct surg_mutation m;
	char *r = NULL;

	m.k = k;
	m.op = op;
	hx_stream_init_buf(&st, "t", hx_xstrdup(text), strlen(text));
	if (hx_doc_load(&st, &st.docs[0], &st.arena) == 0) {
		now = hx_node_copy(&a, st.docs[0].root);
		if (surg_mutate(&a, &now, &m) == 0 &&
		    hx_surgery_write(&so, text, strlen(text), st.docs[0].root,
		                     now) == 0) {
			hx_surgery_out_flatten(&sb, so.p, so.n, text,
			                       so.fresh.buf);
			r = hx_strbuf_detach(&sb, NULL);
		}
	}
	hx_surgery_out_release(&so);
	hx_strbuf_release(&sb);
	hx_arena_release(&a);
	hx_stream_release(&st);
	return r;
}

static void exact(const char *text, int op, size_t k, const char *want,
                  const char *what)
{
	char *got = one(text, op, k);

	is_str(got, want, "%s", what);
	free(got);
}

int main(void)
{
	/* the branches, one by one */
	exact("a: 1 # one\nb: 2\n", 0, 0, "b: 2\n",
	      "the first key goes with its line");
	exact("a: 1\n# about b\nb: 2 # two\nc: 3\n", 2, 0, "a: 1\nc: 3\n",
	      "a removed key takes its comment lines and line-end comment");
	exact("a: 1\n# about b\nb: 2\n", 0, 0, "# about b\nb: 2\n",
	      "the comment before a new first entry stays");
	exact("a: 'x' # keep\n", 3, 0, "a: 'new value' # keep\n",
	      "a replaced string takes the old quotes, the comment stays");
	exact("a:\n    b: 1\n", 6, 1,
	      "a:\n    b: 1\n    zz-added:\n        list:\n        - 1\n"
	      "        - \"two: 2\"\n        \"yes\": \"yes\"\n",
	      "what is added takes the document's indentation");
	exact("a:\n  - x\n  - y\nb: 1\n", 7, 1,
	      "a:\n  - first\n  - x\n  - y\nb: 1\n",
	      "an item added at the start of an indented list");
	exact("a: [x, y]  # flow\n", 6, 1,
	      "a: [x, y, {list: [1, \"two: 2\"], "
	      "\"yes\": \"yes\"}]  # flow\n",
	      "a flow list stays flow when it fits");
	exact("a: |\n  text\n\nb: 1\n", 3, 0, "a: new value\nb: 1\n",
	      "a block scalar replaced by a one-line string");
	exact("- name: a\n  x: 1\n- name: b\n", 0, 1, "- x: 1\n- name: b\n",
	      "the first key of a list item goes; the item stays inline");
	exact("k:\n- a\n- b\n", 8, 1, "k:\n- b\n- a\n",
	      "swapped list items keep their text");
	exact("a: 1\nb: 2", 6, 0,
	      "a: 1\nb: 2\nzz-added:\n  list:\n  - 1\n  - \"two: 2\"\n"
	      "  \"yes\": \"yes\"\n",
	      "a last line without a line break gets one before an entry");

	/* the property over every data-driven input */
	check_dir("testdata/patch");
	check_dir("testdata/kustomize");
	ok(n_checked > 5000 && !n_failed,
	   "%zu changed documents of the data-driven inputs read back as "
	   "the changed trees (%zu did not)",
	   n_checked, n_failed);
	return tap_done();
}
