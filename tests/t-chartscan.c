/*
 * Unit tests: which charts may render differently against the cluster
 * (chartscan.h), so that a first install skips the server dry run only
 * where it cannot change the render.
 */
#include "hx/chartscan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "tap.h"

#include "hx/banned.h"

static char root[64];

/* Write text to root/rel, making its directories. */
static void put(const char *rel, const char *text)
{
	struct hx_strbuf p = HX_STRBUF_INIT;
	char *slash;
	FILE *f;

	hx_strbuf_addf(&p, "%s/%s", root, rel);
	for (slash = strchr(p.buf + strlen(root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(p.buf, 0700);
		*slash = '/';
	}
	f = fopen(p.buf, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	hx_strbuf_release(&p);
}

static char *at(const char *rel)
{
	return hx_path_join(root, rel);
}

static void rm_tree(void)
{
	struct hx_proc p = HX_PROC_INIT;

	hx_strvec_pushl(&p.args, "rm", "-rf", root, NULL);
	p.what = "rm";
	hx_proc_run(&p, NULL);
	hx_proc_release(&p);
}

int main(void)
{
	char *c;

	snprintf(root, sizeof root, "%s", "/tmp/hx-chartscan.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	put("a/Chart.yaml", "apiVersion: v2\nname: a\nversion: 0.1.0\n");
	put("a/templates/cm.yaml",
	    "kind: ConfigMap\nmetadata: {name: '{{ .Release.Name }}'}\n");
	put("a/templates/_helpers.tpl",
	    "{{- define \"a.name\" -}}a{{- end }}\n");
	put("a/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\n");
	put("a/charts/sub/templates/x.yaml", "kind: Secret\n");
	c = at("a");
	ok(hx_chart_needs_cluster(c) == 0,
	   "templates that read only values and the release: no cluster");

	put("a/charts/sub/charts/deep/templates/y.yaml",
	    "{{ if .Capabilities.APIVersions.Has \"x/v1\" }}{{ end }}\n");
	ok(hx_chart_needs_cluster(c) == 1,
	   ".Capabilities in a subchart's subchart needs the cluster");
	put("a/charts/sub/charts/deep/templates/y.yaml", "kind: Pod\n");
	ok(hx_chart_needs_cluster(c) == 0, "... and without it, none");

	put("a/templates/_helpers.tpl",
	    "{{- define \"a.pw\" -}}{{ lookup \"v1\" \"Secret\" \"\" \"x\" }}"
	    "{{- end }}\n");
	ok(hx_chart_needs_cluster(c) == 1, "lookup in a partial");
	put("a/templates/_helpers.tpl", "{{ tpl .Values.x . }}\n");
	ok(hx_chart_needs_cluster(c) == 1,
	   "tpl, which may template a value naming lookup");
	put("a/templates/_helpers.tpl", "{{ getHostByName \"x\" }}\n");
	ok(hx_chart_needs_cluster(c) == 1, "getHostByName");
	put("a/templates/_helpers.tpl",
	    "{{- define \"a.name\" -}}a{{- end }}\n");

	put("a/charts/common-1.0.0.tgz", "not read through\n");
	ok(hx_chart_needs_cluster(c) == 1,
	   "a packaged subchart is not read through: the cluster");
	{
		char *t = at("a/charts/common-1.0.0.tgz");

		unlink(t);
		free(t);
	}
	{
		char *l = at("a/templates/link.yaml");

		ok(symlink("/etc/hostname", l) == 0 &&
		           hx_chart_needs_cluster(c) == 1,
		   "a link is not followed: the cluster");
		unlink(l);
		free(l);
	}
	ok(hx_chart_needs_cluster(c) == 0, "the chart is clean again");
	{
		char *n = at("nope");

		ok(hx_chart_needs_cluster(n) == 0,
		   "no templates and no charts: nothing to reach");
		free(n);
	}
	free(c);
	rm_tree();
	return tap_done();
}
