#ifndef HX_LIVERENDER_H
#define HX_LIVERENDER_H

struct hx_render_opts;
struct hx_strbuf;
struct hx_strvec;

/*
 * The render of an install or an upgrade as helm itself will make it:
 * "helm install RELEASE CHART --dry-run=server -o json", or "helm upgrade
 * --install ..." when upgrade is set, with ro's namespace, context and
 * values and the install flags given (--reuse-values and its kin).  So
 * lookup, .Release.Revision, .Capabilities and reused values are those of
 * the real install.  The release's manifest and then its hooks, each
 * document under its "# Source:" line, are appended to out as one stream
 * the way helm template prints it (CRDs are not in a release: see
 * hx_chartdir_crds).  Returns as hx_helm_run: 0, -1 with the error set,
 * or helm's non-zero exit status.
 */
int hx_live_render(struct hx_strbuf *out, int upgrade, const char *chart,
                   const struct hx_render_opts *ro,
                   const struct hx_strvec *install_flags);

#endif
