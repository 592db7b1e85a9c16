/*
 * Differential test of strategic merge against real kubectl.
 *
 *   smpdiff HELM-X KUBECTL [CASES [SEED]]
 *
 * Generates seeded random Deployments and strategic merge patches (merge-key
 * lists nested two deep, $patch delete/replace, nulls, primitive unions,
 * $deleteFromPrimitiveList, $setElementOrder, $retainKeys, replaced lists),
 * then for each case compares
 *   kubectl patch --local -f orig --type strategic -p PATCH -o json
 * with helm-x's result passed through the same kubectl with an empty patch
 * (so both sides get kubectl's serialization), as parsed values with list
 * order.  Either both refuse the patch or both agree.  helm-x's own output
 * must hold no directive.  Prints TAP.
 *
 * One intended difference is normalized away: when a patch adds a new list
 * item whole, apimachinery copies the directives nested in it verbatim
 * (kubectl prints "env: [{name: C, $patch: delete}]").  helm-x never emits
 * directives, so kubectl's output is read with directive keys dropped and
 * items carrying "$patch: delete" removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hx/err.h"
#include "hx/node.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "hx/yamldoc.h"
#include "kdiff.h"

#include "hx/banned.h"

/* ---- generation (JSON text) ------------------------------------------ */

static const char *const cnames[] = {"app",  "sidecar", "proxy",
                                     "init", "log",     "debug"};
static const char *const enames[] = {"A", "B", "C", "D", "E"};
static const char *const fins[] = {"a.io/x", "b.io/y", "c.io/z", "d.io/w"};

static void pick(unsigned *out, unsigned *n, unsigned max, unsigned total)
{
	unsigned i, j, k = rnd(max + 1);

	*n = 0;
	for (i = 0; i < k; i++) {
		unsigned v = rnd(total);

		for (j = 0; j < *n && out[j] != v; j++)
			;
		if (j == *n)
			out[(*n)++] = v;
	}
}

static void gen_env(struct hx_strbuf *sb, int patch)
{
	unsigned idx[5], n, i;

	pick(idx, &n, 3, 5);
	hx_strbuf_adds(sb, "[");
	for (i = 0; i < n; i++) {
		if (i)
			hx_strbuf_adds(sb, ", ");
		if (patch && chance(20))
			hx_strbuf_addf(sb,
			               "{\"name\": \"%s\", \"$patch\": "
			               "\"delete\"}",
			               enames[idx[i]]);
		else
			hx_strbuf_addf(sb,
			               "{\"name\": \"%s\", \"value\": \"%u\"}",
			               enames[idx[i]], rnd(9));
	}
	hx_strbuf_adds(sb, "]");
}

static void gen_orig(struct hx_strbuf *sb, unsigned *cs, unsigned *nc)
{
	unsigned f[4], nf, i;

	pick(cs, nc, 4, 6);
	if (!*nc)
		cs[(*nc)++] = 0;
	pick(f, &nf, 3, 4);
	hx_strbuf_adds(sb, "{\"apiVersion\": \"apps/v1\", \"kind\": "
	                   "\"Deployment\", \"metadata\": {\"name\": \"d\", "
	                   "\"labels\": {\"app\": \"d\", \"tier\": \"x\"}");
	if (nf) {
		hx_strbuf_adds(sb, ", \"finalizers\": [");
		for (i = 0; i < nf; i++)
			hx_strbuf_addf(sb, "%s\"%s\"", i ? ", " : "",
			               fins[f[i]]);
		hx_strbuf_adds(sb, "]");
	}
	hx_strbuf_addf(sb,
	               "}, \"spec\": {\"replicas\": %u, \"strategy\": "
	               "{\"type\": \"RollingUpdate\", \"rollingUpdate\": "
	               "{\"maxSurge\": 1, \"maxUnavailable\": 0}}, "
	               "\"template\": {\"spec\": {\"containers\": [",
	               1 + rnd(3));
	for (i = 0; i < *nc; i++) {
		hx_strbuf_addf(sb, "%s{\"name\": \"%s\", \"image\": \"%s:%u\"",
		               i ? ", " : "", cnames[cs[i]], cnames[cs[i]],
		               rnd(3));
		if (chance(60)) {
			hx_strbuf_adds(sb, ", \"env\": ");
			gen_env(sb, 0);
		}
		if (chance(30))
			hx_strbuf_addf(sb, ", \"args\": [\"--v=%u\"]", rnd(5));
		hx_strbuf_adds(sb, "}");
	}
	hx_strbuf_adds(sb, "], \"volumes\": [{\"name\": \"data\", "
	                   "\"emptyDir\": {}}]");
	if (chance(40))
		hx_strbuf_adds(sb, ", \"tolerations\": [{\"key\": \"k\", "
		                   "\"operator\": \"Exists\"}]");
	hx_strbuf_adds(sb, "}}}}");
}

static void gen_patch(struct hx_strbuf *sb, const unsigned *cs, unsigned nc)
{
	unsigned pc[6], np, i, j, keep[6] = {0}, nkeep = 0;
	int first = 1, seo = chance(30);

	hx_strbuf_adds(sb, "{\"apiVersion\": \"apps/v1\", \"kind\": "
	                   "\"Deployment\", \"metadata\": {\"name\": \"d\"");
	if (chance(30))
		hx_strbuf_adds(sb, ", \"labels\": {\"tier\": null, \"new\": "
		                   "\"1\"}");
	if (chance(25))
		hx_strbuf_addf(sb, ", \"finalizers\": [\"%s\"]", fins[rnd(4)]);
	else if (chance(25))
		hx_strbuf_addf(sb,
		               ", \"$deleteFromPrimitiveList/finalizers\": "
		               "[\"%s\"]",
		               fins[rnd(4)]);
	hx_strbuf_adds(sb, "}, \"spec\": {");
	if (chance(30)) {
		hx_strbuf_adds(sb, chance(50) ? "\"replicas\": null"
		                              : "\"replicas\": 5");
		first = 0;
	}
	if (chance(20)) {
		hx_strbuf_addf(sb,
		               "%s\"strategy\": {\"$retainKeys\": [\"type\"], "
		               "\"type\": \"Recreate\"}",
		               first ? "" : ", ");
		first = 0;
	}
	hx_strbuf_addf(sb, "%s\"template\": {\"spec\": {", first ? "" : ", ");
	/* patch items: existing and new containers, in random order */
	pick(pc, &np, 4, 6);
	if (seo) {
		/* $setElementOrder: patch items (not deletions) in their
		 * order, with live names slotted in at random */
		unsigned k = 0;
		int any = 0;

		for (i = 0; i < np; i++)
			if (chance(85))
				keep[nkeep++] = pc[i];
		hx_strbuf_adds(sb, "\"$setElementOrder/containers\": [");
		for (i = 0, j = 0; i < nkeep || j < nc;) {
			int live = j < nc && (i == nkeep || chance(50));
			unsigned name = live ? cs[j++] : keep[i++];
			unsigned q;

			/* a live name already among the patch items is
			 * placed by them */
			for (q = 0; live && q < nkeep && keep[q] != name; q++)
				;
			if (live && q < nkeep)
				continue;
			hx_strbuf_addf(sb, "%s{\"name\": \"%s\"}",
			               any ? ", " : "", cnames[name]);
			any = 1;
			k++;
		}
		hx_strbuf_adds(sb, "]");
		np = nkeep;
		memcpy(pc, keep, nkeep * sizeof(*pc));
		if (np)
			hx_strbuf_adds(sb, ", ");
	}
	if (np || !seo || nc) {
		if (seo && !np)
			hx_strbuf_adds(sb, ", ");
		hx_strbuf_adds(sb, "\"containers\": [");
		for (i = 0; i < np; i++) {
			hx_strbuf_addf(sb, "%s{\"name\": \"%s\"", i ? ", " : "",
			               cnames[pc[i]]);
			if (!seo && chance(12)) {
				hx_strbuf_adds(sb, ", \"$patch\": \"delete\"}");
				continue;
			}
			if (chance(50))
				hx_strbuf_addf(sb, ", \"image\": \"%s:%u\"",
				               cnames[pc[i]], 5 + rnd(3));
			if (chance(10)) {
				hx_strbuf_adds(sb, ", \"env\": null");
			} else if (chance(50)) {
				hx_strbuf_adds(sb, ", \"env\": ");
				gen_env(sb, 1);
			}
			if (chance(15))
				hx_strbuf_adds(sb, ", \"args\": [\"--new\"]");
			hx_strbuf_adds(sb, "}");
		}
		if (!seo && np && chance(8))
			hx_strbuf_adds(sb, ", {\"$patch\": \"replace\"}");
		/* with $setElementOrder, delete a live item the order does not
		 * name: deletions shift the live list's backing array */
		for (i = 0, j = np; seo && i < nc; i++) {
			unsigned q;

			for (q = 0; q < nkeep && keep[q] != cs[i]; q++)
				;
			if (q == nkeep && chance(40))
				hx_strbuf_addf(sb,
				               "%s{\"name\": \"%s\", "
				               "\"$patch\": \"delete\"}",
				               j++ ? ", " : "", cnames[cs[i]]);
		}
		hx_strbuf_adds(sb, "]");
	}
	if (chance(25))
		hx_strbuf_adds(sb,
		               ", \"volumes\": [{\"name\": \"data\", "
		               "\"$retainKeys\": [\"name\", \"configMap\"], "
		               "\"configMap\": {\"name\": \"cm\"}}]");
	if (chance(20))
		hx_strbuf_adds(sb, ", \"tolerations\": [{\"key\": \"t\", "
		                   "\"operator\": \"Exists\"}]");
	hx_strbuf_adds(sb, "}}}}");
}

/* ---- running ----------------------------------------------------------- */

/* Drop what apimachinery leaks: directive keys, "$patch: delete" items. */
static void drop_directives(struct hx_node *n)
{
	size_t i;

	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n;) {
			struct hx_node *it = n->u.seq.items[i];
			const char *d = hx_node_str(hx_map_get(it, "$patch"));

			if (d && !strcmp(d, "delete")) {
				hx_seq_remove(n, i);
				continue;
			}
			drop_directives(it);
			i++;
		}
	} else if (n->kind == HX_MAP) {
		for (i = 0; i < n->u.map.n;) {
			const struct hx_node *k = n->u.map.pairs[i].key;

			if (k->kind == HX_SCALAR && k->u.s.str[0] == '$') {
				hx_map_remove(n, k->u.s.str, k->u.s.len);
				continue;
			}
			drop_directives(n->u.map.pairs[i].value);
			i++;
		}
	}
}

static int has_directive(const struct hx_node *n)
{
	size_t i;

	if (n->kind == HX_SEQ) {
		for (i = 0; i < n->u.seq.n; i++)
			if (has_directive(n->u.seq.items[i]))
				return 1;
	} else if (n->kind == HX_MAP) {
		for (i = 0; i < n->u.map.n; i++) {
			const char *k = hx_node_str(n->u.map.pairs[i].key);

			if ((k && k[0] == '$') ||
			    has_directive(n->u.map.pairs[i].value))
				return 1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	char dir[] = "/tmp/hx-smpdiff.XXXXXX";
	char orig[64], patch[64], ours[64], k1[64], k2[64];
	unsigned cases, c, failed = 0, refused = 0;

	if (argc < 3) {
		fprintf(stderr,
		        "usage: smpdiff HELM-X KUBECTL [CASES [SEED]]\n");
		return 2;
	}
	if (access(argv[2], X_OK) < 0) {
		printf("# SKIP: no kubectl at %s (run tests/tools.sh)\n",
		       argv[2]);
		printf("1..0 # SKIP kubectl missing\n");
		return 0;
	}
	cases = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 200;
	kd_rng = argc > 4 ? strtoull(argv[4], NULL, 10) : 20261124;
	if (!kd_rng)
		kd_rng = 1;
	if (!mkdtemp(dir))
		return 2;
	snprintf(orig, sizeof(orig), "%s/orig.json", dir);
	snprintf(patch, sizeof(patch), "%s/patch.json", dir);
	snprintf(ours, sizeof(ours), "%s/ours.yaml", dir);
	snprintf(k1, sizeof(k1), "%s/k1.json", dir);
	snprintf(k2, sizeof(k2), "%s/k2.json", dir);
	printf("# seed %llu\n", kd_rng);
	for (c = 1; c <= cases; c++) {
		struct hx_strbuf o = HX_STRBUF_INIT, p = HX_STRBUF_INIT;
		struct hx_stream s1, s2, s3;
		struct hx_node *a = NULL, *b = NULL, *mine = NULL;
		unsigned cs[6], nc;
		int rh, rk, pass;
		struct hx_strvec hxa = HX_STRVEC_INIT, k1a = HX_STRVEC_INIT,
		                 k2a = HX_STRVEC_INIT;

		gen_orig(&o, cs, &nc);
		gen_patch(&p, cs, nc);
		kd_spew(orig, o.buf);
		kd_spew(patch, p.buf);
		hx_strvec_pushl(&hxa, argv[1], "patch", orig,
		                "--strategic-merge-patch", patch, NULL);
		hx_strvec_pushl(&k1a, argv[2], "patch", "--local", "-f", orig,
		                "--type", "strategic", "-p", p.buf, "-o",
		                "json", NULL);
		hx_strvec_pushl(&k2a, argv[2], "patch", "--local", "-f", ours,
		                "--type", "strategic", "-p", "{}", "-o", "json",
		                NULL);
		rh = kd_run(hxa.v, ours);
		rk = kd_run(k1a.v, k1);
		memset(&s1, 0, sizeof(s1));
		memset(&s2, 0, sizeof(s2));
		memset(&s3, 0, sizeof(s3));
		if (rh || rk) {
			pass = rh && rk;
			refused += pass;
		} else {
			kd_run(k2a.v, k2);
			a = kd_load(&s1, k1);
			b = kd_load(&s2, k2);
			if (a)
				drop_directives(a);
			mine = kd_load(&s3, ours);
			pass = a && b && mine && hx_node_equal(a, b) &&
			       !has_directive(mine);
		}
		printf("%s %u - case %u%s\n", pass ? "ok" : "not ok", c, c,
		       rh && rk ? " (both refuse the patch)" : "");
		if (!pass) {
			failed++;
			printf("# helm-x exit %d, kubectl exit %d\n# original: "
			       "%s\n# patch: %s\n",
			       rh, rk, o.buf, p.buf);
			if (a && b) {
				struct hx_strbuf x = HX_STRBUF_INIT,
				                 y = HX_STRBUF_INIT;

				hx_node_emit_flow(&x, a);
				hx_node_emit_flow(&y, b);
				printf("# kubectl: %s\n# helm-x:  %s\n", x.buf,
				       y.buf);
				hx_strbuf_release(&x);
				hx_strbuf_release(&y);
			}
		}
		hx_stream_release(&s1);
		hx_stream_release(&s2);
		hx_stream_release(&s3);
		hx_strbuf_release(&o);
		hx_strbuf_release(&p);
		hx_strvec_clear(&hxa);
		hx_strvec_clear(&k1a);
		hx_strvec_clear(&k2a);
	}
	unlink(orig);
	unlink(patch);
	unlink(ours);
	unlink(k1);
	unlink(k2);
	rmdir(dir);
	printf("1..%u\n# %u agree (%u of them refused by both), %u differ\n",
	       cases, cases - failed, refused, failed);
	return failed ? 1 : 0;
}
