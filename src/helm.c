#include "hx/helm.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"

const char *hx_helm_bin(void)
{
	const char *h = getenv("HELM_BIN");

	return h && *h ? h : "helm";
}

const char *hx_helm_bin_origin(void)
{
	const char *h = getenv("HELM_BIN");

	return h && *h ? " (from HELM_BIN)" : "";
}

int hx_helm_major(void)
{
	static int major;
	struct hx_proc p = HX_PROC_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	const char *v;
	int rc;

	if (major)
		return major;
	hx_strvec_pushl(&p.args, hx_helm_bin(), "version", "--template",
	                "{{.Version}}", NULL);
	p.capture_out = 1;
	p.what = "helm version";
	rc = hx_proc_run(&p, &out);
	hx_proc_release(&p);
	if (rc < 0) {
		hx_error_suffix("%s", hx_helm_bin_origin());
		goto out;
	}
	v = out.buf;
	if (*v == 'v')
		v++;
	if (rc != 0 || (*v != '3' && *v != '4') || v[1] != '.') {
		hx_error_set("cannot tell the version of '%s'%s: 'version' "
		             "said '%.40s' (exit %d)",
		             hx_helm_bin(), hx_helm_bin_origin(), out.buf, rc);
		goto out;
	}
	major = *v - '0';
out:
	hx_strbuf_release(&out);
	return major ? major : -1;
}
