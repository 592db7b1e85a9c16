#include "hx/liverender.h"

#include <jansson.h>
#include <string.h>

#include "hx/err.h"
#include "hx/helm.h"
#include "hx/render.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"

#include "hx/banned.h"

/* Install flags a dry run has no use for: it waits for nothing. */
static int skipped(const char *f)
{
	static const char *const skip[] = {"--wait",
	                                   "--wait-for-jobs",
	                                   "--atomic",
	                                   "--rollback-on-failure",
	                                   "--cleanup-on-fail",
	                                   NULL};
	size_t i;

	if (!strncmp(f, "--dry-run", 9) || !strncmp(f, "--wait=", 7))
		return 1;
	for (i = 0; skip[i]; i++)
		if (!strcmp(f, skip[i]))
			return 1;
	return 0;
}

static void add_doc(struct hx_strbuf *out, const char *path, const char *text)
{
	size_t n = strlen(text);

	hx_strbuf_addf(out, "---\n# Source: %s\n", path);
	hx_strbuf_add(out, text, n);
	if (n && text[n - 1] != '\n')
		hx_strbuf_addch(out, '\n');
}

/* The release JSON helm printed, as a stream of documents. */
static int from_json(struct hx_strbuf *out, const struct hx_strbuf *js)
{
	json_error_t je;
	json_t *rel = json_loadb(js->buf ? js->buf : "", js->len, 0, &je);
	json_t *manifest, *hooks, *h;
	size_t i;
	int rc = -1;

	if (!json_is_object(rel)) {
		hx_error_set("helm --dry-run=server -o json printed no release "
		             "(line %d: %s)",
		             je.line, je.text);
		goto out;
	}
	manifest = json_object_get(rel, "manifest");
	hooks = json_object_get(rel, "hooks");
	if ((manifest && !json_is_string(manifest)) ||
	    (hooks && !json_is_array(hooks) && !json_is_null(hooks))) {
		hx_error_set("helm --dry-run=server -o json: the release has "
		             "no manifest text or no list of hooks");
		goto out;
	}
	if (manifest) {
		const char *m = json_string_value(manifest);
		size_t n = json_string_length(manifest);

		hx_strbuf_add(out, m, n);
		if (n && m[n - 1] != '\n')
			hx_strbuf_addch(out, '\n');
	}
	json_array_foreach(hooks, i, h)
	{
		const char *path =
		        json_string_value(json_object_get(h, "path"));
		const char *text =
		        json_string_value(json_object_get(h, "manifest"));

		if (!path || !text || strpbrk(path, "\r\n")) {
			hx_error_set("helm --dry-run=server -o json: hook %zu "
			             "has no usable path or manifest",
			             i);
			goto out;
		}
		add_doc(out, path, text);
	}
	rc = 0;
out:
	json_decref(rel);
	return rc;
}

int hx_live_render(struct hx_strbuf *out, int upgrade, const char *chart,
                   const struct hx_render_opts *ro,
                   const struct hx_strvec *install_flags)
{
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf js = HX_STRBUF_INIT;
	size_t i;
	int rc;

	hx_strvec_push(&p.args, hx_helm_bin());
	if (upgrade)
		hx_strvec_pushl(&p.args, "upgrade", "--install", NULL);
	else
		hx_strvec_push(&p.args, "install");
	hx_strvec_pushl(&p.args, ro->release, chart, "--dry-run=server", "-o",
	                "json", NULL);
	if (ro->ns)
		hx_strvec_pushl(&p.args, "--namespace", ro->ns, NULL);
	if (ro->kube_context)
		hx_strvec_pushl(&p.args, "--kube-context", ro->kube_context,
		                NULL);
	for (i = 0; ro->values && i < ro->values->n; i++)
		hx_strvec_push(&p.args, ro->values->v[i]);
	for (i = 0; install_flags && i < install_flags->n; i++) {
		const char *f = install_flags->v[i];

		/* a flag with its value as the next word */
		if (!strcmp(f, "--timeout")) {
			i++;
			continue;
		}
		if (!skipped(f) && strncmp(f, "--timeout=", 10))
			hx_strvec_push(&p.args, f);
	}
	p.capture_out = 1;
	p.what = upgrade ? "helm upgrade --dry-run=server"
	                 : "helm install --dry-run=server";
	rc = hx_helm_run(&p, &js);
	if (rc == 0 && from_json(out, &js) < 0)
		rc = -1;
	hx_strbuf_release(&js);
	hx_proc_release(&p);
	return rc;
}
