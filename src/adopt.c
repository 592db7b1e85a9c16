#include "hx/adopt.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/kubectl.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/tmpdir.h"
#include "hx/util.h"

#include "hx/banned.h"

#define NOTE_NAME "meta.helm.sh/release-name"
#define NOTE_NS "meta.helm.sh/release-namespace"
#define LABEL_BY "app.kubernetes.io/managed-by"

/* KIND[.GROUP]/NAME as kubectl takes it, nothing else. */
static int check_object(const char *w, size_t n)
{
	const char *slash = memchr(w, '/', n);
	size_t i;

	if (!slash || slash == w || slash == w + n - 1 ||
	    memchr(slash + 1, '/', (size_t)(w + n - slash - 1)))
		goto bad;
	for (i = 0; i < n; i++) {
		char c = w[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '-' ||
		      c == '/'))
			goto bad;
	}
	if (w[0] == '-' || slash[1] == '-' || slash[1] == '.')
		goto bad;
	return 0;
bad:
	hx_error_set("'%.*s' is not KIND/NAME (as kubectl takes it: "
	             "configmap/app, deployments.apps/web)",
	             (int)n, w);
	return -1;
}

int hx_adopt_parse(struct hx_strvec *out, const char *word)
{
	const char *p = word;

	for (;;) {
		const char *comma = strchr(p, ',');
		size_t n = comma ? (size_t)(comma - p) : strlen(p);
		char *one;

		if (check_object(p, n) < 0)
			return -1;
		one = hx_xstrndup(p, n);
		hx_strvec_push(out, one);
		free(one);
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static const char *str_at(json_t *o, const char *k1, const char *k2,
                          const char *k3)
{
	json_t *v = json_object_get(json_object_get(json_object_get(o, k1), k2),
	                            k3);

	return json_is_string(v) ? json_string_value(v) : NULL;
}

/*
 * Read obj: 1 when it already belongs to release, 0 when to no release,
 * -1 with the error set (not there, another release, kubectl failed).
 */
/* An object's ownership metadata before adopt changed it (NULL: absent). */
struct before {
	char *name, *ns, *by;
};

static void before_release(struct before *b)
{
	free(b->name);
	free(b->ns);
	free(b->by);
	memset(b, 0, sizeof(*b));
}

static char *dup_or_null(const char *s)
{
	return s ? hx_xstrdup(s) : NULL;
}

static int owner_of(const char *obj, const char *release, const char *ns,
                    struct before *was)
{
	struct hx_strbuf out = HX_STRBUF_INIT;
	json_error_t je;
	json_t *o = NULL;
	const char *rel, *rns;
	int rc = -1;

	if (hx_kubectl(&out, "kubectl get", "get", obj, "--namespace", ns,
	               "--output", "json", NULL) < 0) {
		hx_error_prefix("cannot adopt '%s': ", obj);
		goto out;
	}
	o = json_loadb(out.buf ? out.buf : "", out.len, 0, &je);
	if (!json_is_object(o)) {
		hx_error_set("cannot adopt '%s': kubectl get printed no "
		             "object (%s)",
		             obj, je.text);
		goto out;
	}
	if (json_object_get(o, "items")) {
		hx_error_set("cannot adopt '%s': it names a list", obj);
		goto out;
	}
	rel = str_at(o, "metadata", "annotations", NOTE_NAME);
	rns = str_at(o, "metadata", "annotations", NOTE_NS);
	was->name = dup_or_null(rel);
	was->ns = dup_or_null(rns);
	was->by = dup_or_null(str_at(o, "metadata", "labels", LABEL_BY));
	if (!rel && !rns) {
		rc = 0;
	} else if (rel && rns && !strcmp(rel, release) && !strcmp(rns, ns)) {
		const char *by = str_at(o, "metadata", "labels", LABEL_BY);

		rc = by && !strcmp(by, "Helm") ? 1 : 0;
	} else {
		hx_error_set("'%s' belongs to release '%s' in namespace '%s': "
		             "helm-x adopts only objects of no release (helm "
		             "upgrade --take-ownership takes it from the other "
		             "release)",
		             obj, rel ? rel : "?", rns ? rns : "?");
	}
out:
	json_decref(o);
	hx_strbuf_release(&out);
	return rc;
}

static int take(const char *obj, const char *release, const char *ns)
{
	json_t *patch = json_pack("{s:{s:{s:s,s:s},s:{s:s}}}", "metadata",
	                          "annotations", NOTE_NAME, release, NOTE_NS,
	                          ns, "labels", LABEL_BY, "Helm");
	char *text = patch ? json_dumps(patch, JSON_COMPACT) : NULL;
	int rc;

	if (!text) {
		json_decref(patch);
		hx_error_set("out of memory");
		return -1;
	}
	rc = hx_kubectl(NULL, "kubectl patch", "patch", obj, "--namespace", ns,
	                "--type", "merge", "--patch", text, NULL);
	if (rc < 0)
		hx_error_prefix("cannot adopt '%s': ", obj);
	free(text);
	json_decref(patch);
	return rc;
}

/* Give obj back the ownership metadata it had (absent ones removed). */
static int restore(const char *obj, const char *ns, const struct before *b)
{
	json_t *patch = json_pack(
	        "{s:{s:{s:o,s:o},s:{s:o}}}", "metadata", "annotations",
	        NOTE_NAME, b->name ? json_string(b->name) : json_null(),
	        NOTE_NS, b->ns ? json_string(b->ns) : json_null(), "labels",
	        LABEL_BY, b->by ? json_string(b->by) : json_null());
	char *text = patch ? json_dumps(patch, JSON_COMPACT) : NULL;
	int rc = -1;

	if (text)
		rc = hx_kubectl(NULL, "kubectl patch", "patch", obj,
		                "--namespace", ns, "--type", "merge", "--patch",
		                text, NULL);
	free(text);
	json_decref(patch);
	return rc;
}

/*
 * After a failed take: every object adopt changed (or may have: the one
 * that failed, a dropped connection can hide a success) gets its metadata
 * back.  The error gains what happened to them.
 */
static void undo(const struct hx_strvec *objs, const int *have,
                 const struct before *was, size_t failed, const char *ns)
{
	struct hx_strbuf lost = HX_STRBUF_INIT;
	char *head = NULL, *msg = NULL;
	size_t i, n = 0;

	hx_error_save(&head, &msg);
	for (i = 0; i <= failed; i++) {
		int lost_one;

		if (have[i])
			continue;
		n += i < failed;
		/* the failed one most likely changed nothing */
		lost_one = restore(objs->v[i], ns, &was[i]) < 0;
		if (lost_one && i < failed)
			hx_strbuf_addf(&lost, "%s%s", lost.len ? ", " : "",
			               objs->v[i]);
	}
	hx_error_restore(head, msg);
	free(head);
	free(msg);
	if (lost.len)
		hx_error_suffix("; could not restore the ownership metadata "
		                "of %s (kubectl annotate and kubectl label "
		                "put it back by hand)",
		                lost.buf);
	else if (n)
		hx_error_suffix("; the %zu object%s adopted before it %s "
		                "restored",
		                n, n == 1 ? "" : "s", n == 1 ? "was" : "were");
	hx_strbuf_release(&lost);
}

int hx_adopt(const char *release, const char *ns, const struct hx_strvec *objs,
             int verbose)
{
	FILE *say = verbose ? stdout : stderr;
	char *own_ns = NULL;
	int *have = hx_xcalloc(objs->n ? objs->n : 1, sizeof(*have));
	struct before *was = hx_xcalloc(objs->n ? objs->n : 1, sizeof(*was));
	size_t i;
	int rc = -1;

	if (hx_kubectl_token_env() < 0)
		goto out;
	if (!ns && !(ns = own_ns = hx_kubectl_default_namespace()))
		goto out;
	/* every object read, and checked, before any is changed */
	for (i = 0; i < objs->n; i++)
		if ((have[i] = owner_of(objs->v[i], release, ns, &was[i])) < 0)
			goto out;
	for (i = 0; i < objs->n; i++) {
		if (have[i]) {
			fprintf(say,
			        "helm-x: %s is already part of release '%s' "
			        "in namespace '%s'\n",
			        objs->v[i], release, ns);
			continue;
		}
		if (take(objs->v[i], release, ns) < 0) {
			undo(objs, have, was, i, ns);
			goto out;
		}
		fprintf(say,
		        "helm-x: %s adopted by release '%s' in namespace "
		        "'%s'\n",
		        objs->v[i], release, ns);
	}
	rc = 0;
out:
	hx_kubectl_token_env_restore();
	fflush(say);
	for (i = 0; i < objs->n; i++)
		before_release(&was[i]);
	free(was);
	free(have);
	free(own_ns);
	return rc;
}
