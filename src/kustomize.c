/*
 * Building a kustomization with $KUSTOMIZE_BIN build, kustomize build or
 * kubectl kustomize.  Values files given with -f may set the images,
 * namePrefix, nameSuffix and namespace of the build, as old helm-x and
 * chartify let them: those go into an overlay kustomization written in the
 * private temporary dir, whose only resource is the user's kustomization
 * (by a relative path: kustomize refuses absolute ones), so the user's
 * files are never edited.  Any other key of such a file is an error.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hx/emit.h"
#include "hx/err.h"
#include "hx/kustomize.h"
#include "hx/node.h"
#include "hx/dirtree.h"
#include "hx/helm.h"
#include "hx/renderopts.h"
#include "hx/streams.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static const char *const str_keys[] = {"namePrefix", "nameSuffix", "namespace"};
static const char *const image_keys[] = {"name", "newName", "newTag", "digest"};

/* Is n a scalar string kustomize can take (not a collection, no NUL)? */
static int want_str(const struct hx_node *n, const char *what)
{
	if (n->kind == HX_SCALAR && hx_node_str(n) && !hx_node_is_null(n))
		return 0;
	hx_error_set_node(n, "%s: want a string", what);
	return -1;
}

static int check_images(const struct hx_node *list)
{
	size_t i, j, k;

	if (list->kind != HX_SEQ) {
		hx_error_set_node(list, "images: want a list of {name, "
		                        "newName, newTag, digest}");
		return -1;
	}
	for (i = 0; i < list->u.seq.n; i++) {
		const struct hx_node *m = list->u.seq.items[i];

		if (m->kind != HX_MAP || !hx_map_get(m, "name")) {
			hx_error_set_node(m,
			                  "images: item %zu wants a map "
			                  "with 'name'",
			                  i);
			return -1;
		}
		for (j = 0; j < m->u.map.n; j++) {
			const char *k2 = hx_node_str(m->u.map.pairs[j].key);

			for (k = 0; k < 4 && k2 && strcmp(k2, image_keys[k]);
			     k++)
				;
			if (k == 4) {
				hx_error_set_node(
				        m->u.map.pairs[j].key,
				        "images: unknown key (want name, "
				        "newName, newTag, digest)");
				return -1;
			}
			if (want_str(m->u.map.pairs[j].value, image_keys[k]) <
			    0)
				return -1;
		}
	}
	return 0;
}

/*
 * The top-level values the templates of DIR/templates/tests read: each
 * ".Values.NAME" in them (into keys), or *all when one takes .Values
 * whole (toYaml .Values, index .Values "k", ...).  The test templates get
 * every -f and --set, as a chart's own templates would.
 */
void hx_kustomize_test_values(const char *dir, struct hx_strvec *keys, int *all,
                              int *has_tests)
{
	char *tests = hx_path_join(dir, "templates/tests");
	struct hx_strvec files = HX_STRVEC_INIT;
	size_t i;

	*all = 0;
	*has_tests = hx_is_dir(tests) == 1;
	if (*has_tests && hx_dirtree_manifests(&files, tests, NULL) < 0)
		hx_error_clear();
	for (i = 0; i < files.n; i++) {
		char *text = NULL;
		const char *p;
		size_t len;

		if (hx_read_file(&text, &len, files.v[i]) < 0) {
			hx_error_clear();
			continue;
		}
		for (p = text; (p = strstr(p, ".Values")) != NULL; p += 7) {
			const char *q = p + 7;
			size_t n = 0;

			if (*q != '.') {
				*all = 1; /* the whole map */
				continue;
			}
			q++;
			while (q[n] == '_' || (q[n] >= 'a' && q[n] <= 'z') ||
			       (q[n] >= 'A' && q[n] <= 'Z') ||
			       (n && q[n] >= '0' && q[n] <= '9'))
				n++;
			if (n) {
				char *k = hx_xstrndup(q, n);

				if (!hx_strvec_has(keys, k))
					hx_strvec_push(keys, k);
				free(k);
			}
		}
		free(text);
	}
	hx_strvec_clear(&files);
	free(tests);
}

/* Does a test template read the value key? */
static int read_by_tests(const struct hx_strvec *keys, int all, const char *k)
{
	return all || hx_strvec_has(keys, k);
}

/*
 * Read one values file into overlay (a map): known keys replace what an
 * earlier file set, as a later -f does in Helm; keys the test templates
 * read are theirs (helm gets the file too).
 */
static int read_values(struct hx_arena *a, struct hx_node *overlay,
                       const char *path, const char *dir,
                       const struct hx_strvec *keys, int all)
{
	struct hx_stream st;
	size_t d, i, k;
	int rc = -1;

	if (hx_stream_read(&st, path) < 0 || hx_stream_load_all(&st) < 0)
		goto out;
	for (d = 0; d < st.n; d++) {
		const struct hx_node *root = st.docs[d].root;

		if (!root || hx_node_is_null(root))
			continue;
		if (root->kind != HX_MAP) {
			hx_error_set_node(root, "values for a kustomization "
			                        "must be a map");
			goto out;
		}
		for (i = 0; i < root->u.map.n; i++) {
			const struct hx_node *key = root->u.map.pairs[i].key;
			const struct hx_node *v = root->u.map.pairs[i].value;
			const char *ks = hx_node_str(key);

			if (ks && !strcmp(ks, "images")) {
				if (check_images(v) < 0)
					goto out;
				hx_map_set(a, overlay, "images", 6,
				           hx_node_copy(a, v));
				continue;
			}
			for (k = 0; k < 3 && (!ks || strcmp(ks, str_keys[k]));
			     k++)
				;
			if (k == 3 && ks && read_by_tests(keys, all, ks))
				continue;
			if (k == 3) {
				hx_error_set_node(
				        key,
				        "'%s' has no meaning for the "
				        "kustomization '%s': its values may "
				        "set images, namePrefix, nameSuffix "
				        "and namespace%s%s%s (patch anything "
				        "else)",
				        ks ? ks : "?", dir,
				        keys->n ? ", and what its "
				                  "templates/tests read: "
				                : "",
				        keys->n ? keys->v[0] : "",
				        keys->n > 1 ? ", ..." : "");
				goto out;
			}
			if (want_str(v, ks) < 0)
				goto out;
			hx_map_set(a, overlay, str_keys[k], strlen(str_keys[k]),
			           hx_node_new_scalar(a, v->u.s.str, v->u.s.len,
			                              HX_STYLE_DOUBLE));
		}
	}
	rc = 0;
out:
	hx_stream_release(&st);
	return rc;
}

/* The path of to relative to from; both absolute and canonical. */
static char *relative(const char *from, const char *to)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	size_t common = 0, i;
	const char *p;

	/* the longest common prefix ending at a component boundary */
	for (i = 0; from[i] && from[i] == to[i]; i++)
		if (from[i] == '/')
			common = i;
	if (!from[i] && (to[i] == '/' || !to[i]))
		common = i;
	else if (!to[i] && from[i] == '/')
		common = i;
	for (p = from + common; *p; p++)
		if (*p == '/')
			hx_strbuf_adds(&sb, "../");
	p = to + common;
	if (*p == '/')
		p++;
	hx_strbuf_adds(&sb, *p ? p : ".");
	return hx_strbuf_detach(&sb, NULL);
}

/* Collect the -f/--values files from the helm value flags. */
static void values_files(struct hx_strvec *out, const struct hx_strvec *v)
{
	size_t i;

	for (i = 0; v && i + 1 < v->n; i++) {
		const char *s, *comma;

		if (strcmp(v->v[i], "--values"))
			continue;
		/* helm splits -f a.yaml,b.yaml too */
		for (s = v->v[++i]; (comma = strchr(s, ',')) != NULL;
		     s = comma + 1) {
			char *one = hx_xstrndup(s, (size_t)(comma - s));

			hx_strvec_push(out, one);
			free(one);
		}
		hx_strvec_push(out, s);
	}
}

/*
 * Write tmpdir/kustomize/kustomization.yaml taking dir as its resource,
 * with what the values set; *overlay_dir is the new directory.
 */
static int write_overlay(char **overlay_dir, const char *dir,
                         const char *tmpdir, struct hx_arena *a,
                         struct hx_node *set)
{
	struct hx_node *root = hx_node_new_map(a), *res = hx_node_new_seq(a);
	struct hx_strbuf text = HX_STRBUF_INIT;
	char src[PATH_MAX], here[PATH_MAX];
	char *odir = hx_path_join(tmpdir, "kustomize"), *rel = NULL, *file;
	size_t i;
	int rc = -1;

	file = hx_path_join(odir, "kustomization.yaml");
	if (mkdir(odir, 0700) < 0) {
		hx_error_set_errno("cannot create '%s'", odir);
		goto out;
	}
	if (!realpath(dir, src) || !realpath(odir, here)) {
		hx_error_set_errno("cannot resolve '%s'", dir);
		goto out;
	}
	rel = relative(here, src);
	hx_map_set(a, root, "apiVersion", 10,
	           hx_node_new_scalar(a, "kustomize.config.k8s.io/v1beta1", 31,
	                              HX_STYLE_PLAIN));
	hx_map_set(a, root, "kind", 4,
	           hx_node_new_scalar(a, "Kustomization", 13, HX_STYLE_PLAIN));
	hx_seq_append(a, res,
	              hx_node_new_scalar(a, rel, strlen(rel), HX_STYLE_DOUBLE));
	hx_map_set(a, root, "resources", 9, res);
	for (i = 0; i < set->u.map.n; i++)
		hx_map_set_node(a, root, set->u.map.pairs[i].key,
		                set->u.map.pairs[i].value);
	hx_node_emit(&text, root);
	rc = hx_write_new_file(file, text.buf, text.len);
out:
	if (rc == 0) {
		*overlay_dir = odir;
		odir = NULL;
	}
	free(odir);
	free(file);
	free(rel);
	hx_strbuf_release(&text);
	return rc;
}

int hx_kustomize_build(struct hx_streams *out, const char *dir,
                       const struct hx_render_opts *o)
{
	const char *env = getenv("KUSTOMIZE_BIN");
	const char *cands[3][3] = {
	        {env, "build", "$KUSTOMIZE_BIN build"},
	        {"kustomize", "build", "kustomize build"},
	        {"kubectl", "kustomize", "kubectl kustomize"}};
	struct hx_strbuf buf = HX_STRBUF_INIT;
	struct hx_strvec files = HX_STRVEC_INIT;
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_node *set = hx_node_new_map(&a);
	struct hx_strvec keys = HX_STRVEC_INIT;
	char *overlay = NULL;
	size_t i;
	int rc = -1, all, has_tests;

	values_files(&files, o->values);
	if (files.n)
		hx_kustomize_test_values(dir, &keys, &all, &has_tests);
	for (i = 0; i < files.n; i++)
		if (read_values(&a, set, files.v[i], dir, &keys, all) < 0)
			goto out;
	if (set->u.map.n &&
	    write_overlay(&overlay, dir, o->tmpdir, &a, set) < 0)
		goto out;
	for (i = env && *env ? 0 : 1; i < 3; i++) {
		struct hx_proc p = HX_PROC_INIT;

		hx_strvec_pushl(&p.args, cands[i][0], cands[i][1],
		                overlay ? overlay : dir, NULL);
		if (o->alpha_plugins)
			hx_strvec_push(&p.args, "--enable-alpha-plugins");
		p.capture_out = 1;
		p.what = cands[i][2];
		rc = hx_helm_run(&p, &buf);
		hx_proc_release(&p);
		/* a missing program is skipped, unless it was named */
		if (rc >= 0 || i == 0)
			break;
		hx_error_clear();
	}
	if (rc < 0 && !hx_error_is_set())
		hx_error_set("cannot build the kustomization '%s': no "
		             "kustomize or kubectl in PATH (or set "
		             "KUSTOMIZE_BIN)",
		             dir);
	if (rc == 0) {
		size_t len;
		char *text = hx_strbuf_detach(&buf, &len);
		struct hx_strbuf name = HX_STRBUF_INIT;

		hx_strbuf_addf(&name, "<kustomize build %s>", dir);
		hx_stream_init_buf(hx_streams_add(out), name.buf, text, len);
		hx_strbuf_release(&name);
	}
out:
	free(overlay);
	hx_strvec_clear(&files);
	hx_strvec_clear(&keys);
	hx_strbuf_release(&buf);
	hx_arena_release(&a);
	return rc;
}
