/* Unit tests: pairing objects for helm x diff (keys, lists, hooks). */
#include "hx/manifest.h"

#include <string.h>

#include "hx/err.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "tap.h"

#include "hx/banned.h"

static int parse(struct hx_mset *set, const char *text, int tests, int no_hooks)
{
	struct hx_stream st;
	struct hx_manifest_opts o = {"rel-ns", tests, 0, no_hooks, 0};
	int rc;

	hx_stream_init_buf(&st, "t", hx_xstrdup(text), strlen(text));
	rc = hx_manifest_parse(set, &st, &o);
	if (rc == 0)
		rc = hx_manifest_finish(set);
	hx_stream_release(&st);
	return rc;
}

int main(void)
{
	struct hx_mset s = HX_MSET_INIT;

	ok(parse(&s,
	         "---\n# Source: a/t.yaml\napiVersion: apps/v1\nkind: "
	         "Deployment\nmetadata: {name: w}\n---\napiVersion: v1\nkind: "
	         "Pod\nmetadata: {name: p, namespace: x}\n",
	         0, 0) == 0 &&
	           s.n == 2,
	   "two objects");
	is_str(s.v[0].key, "rel-ns, w, Deployment (apps)",
	       "empty namespace is the release's; group without version");
	is_str(s.v[1].key, "x, p, Pod (v1)", "core group is v1");
	is_str(s.v[0].content,
	       "# Source: a/t.yaml\napiVersion: apps/v1\nkind: Deployment\n"
	       "metadata: {name: w}",
	       "content: the document trimmed, its Source line kept");
	is_str(s.v[0].source, "a/t.yaml", "source from the Source line");
	ok(hx_manifest_find(&s, "x, p, Pod (v1)") == &s.v[1], "find by key");
	ok(!hx_manifest_find(&s, "x, q, Pod (v1)"), "find: absent");
	hx_mset_release(&s);

	ok(parse(&s,
	         "apiVersion: v1\nkind: ConfigMapList\nitems:\n- {apiVersion: "
	         "v1, kind: ConfigMap, metadata: {name: a}}\n- {apiVersion: "
	         "v1, "
	         "kind: ConfigMap, metadata: {name: b}}\n",
	         0, 0) == 0 &&
	           s.n == 2,
	   "a *List gives its items");
	hx_mset_release(&s);

	ok(parse(&s,
	         "# only comments\n---\nfoo: bar\n---\napiVersion: v1\nkind: "
	         "Pod\nmetadata:\n  name: t\n  annotations: {helm.sh/hook: "
	         "test}\n",
	         0, 0) == 0 &&
	           s.n == 0,
	   "no apiVersion and kind: skipped; a test hook: skipped");
	hx_mset_release(&s);
	ok(parse(&s,
	         "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  "
	         "annotations: {helm.sh/hook: test}\n",
	         1, 0) == 0 &&
	           s.n == 1,
	   "include_tests keeps a test hook");
	hx_mset_release(&s);
	ok(parse(&s,
	         "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  "
	         "annotations: {helm.sh/hook: pre-install}\n",
	         0, 1) == 0 &&
	           s.n == 0,
	   "no_hooks leaves every hook out");
	hx_mset_release(&s);
	ok(parse(&s,
	         "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s-1a2b\n  "
	         "annotations: {helm-diff/base-name: s, "
	         "helm.sh/resource-policy: keep}\n",
	         0, 0) == 0 &&
	           s.n == 1 && s.v[0].keep,
	   "resource-policy keep is noted");
	is_str(s.v[0].key, "rel-ns, s, Secret (v1)",
	       "helm-diff/base-name stands for the name");
	hx_mset_release(&s);
	ok(parse(&s,
	         "---\n# Source: a/x.yaml\napiVersion: v1\nkind: "
	         "Pod\nmetadata: "
	         "{name: p}\n---\n# Source: a/y.yaml\napiVersion: v1\nkind: "
	         "Pod\nmetadata: {name: p, namespace: rel-ns}\n",
	         0, 0) == -1,
	   "one key twice is an error");
	is_str(hx_error_message(),
	       "error: two objects are 'rel-ns, p, Pod (v1)': in 'a/x.yaml' "
	       "and in "
	       "'a/y.yaml'",
	       "... naming both sources");
	hx_error_clear();
	hx_mset_release(&s);
	return tap_done();
}
