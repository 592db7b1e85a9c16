#include "hx/helm.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/spawn.h"
#include "hx/strbuf.h"

#include "hx/banned.h"

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

static int name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

int hx_helm_check_release(const char *name)
{
	size_t i, n = strlen(name);
	int ok = n > 0 && n <= 53;

	/* each '.'-separated part: alphanumeric at both ends, '-' inside */
	for (i = 0; ok && i < n; i++) {
		char c = name[i];
		int first = i == 0 || name[i - 1] == '.';
		int last = i + 1 == n || name[i + 1] == '.';

		if (name_char(c))
			continue;
		ok = (c == '-' && !first && !last) ||
		     (c == '.' && !first && !last);
	}
	if (!ok) {
		struct hx_strbuf sb = HX_STRBUF_INIT;

		hx_strbuf_add_visible(&sb, name, n);
		hx_error_set("invalid release name '%s': helm takes lower-case "
		             "letters, digits, '-' and '.' (each part between "
		             "dots starting and ending with a letter or "
		             "digit), at most 53 characters",
		             sb.buf ? sb.buf : "");
		hx_strbuf_release(&sb);
		return -1;
	}
	return 0;
}

int hx_helm_run(struct hx_proc *p, struct hx_strbuf *out)
{
	int rc = hx_proc_run(p, out);

	if (rc < 0 && !strcmp(p->args.v[0], hx_helm_bin()))
		hx_error_suffix("%s", hx_helm_bin_origin());
	if (rc > 0)
		hx_error_set("'%s' exited with status %d", p->what, rc);
	return rc;
}
