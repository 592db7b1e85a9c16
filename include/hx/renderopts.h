#ifndef HX_RENDEROPTS_H
#define HX_RENDEROPTS_H

struct hx_strvec;

/* How a source is rendered (render.h, kustomize.h). */
struct hx_render_opts {
	const char *release;
	const char *ns;           /* NULL: helm's default */
	const char *kube_context; /* NULL: none */
	int is_upgrade;
	const struct hx_strvec *values;        /* -f, --set ... */
	const struct hx_strvec *template_args; /* --kube-version ... */
	const struct hx_strvec *extra;         /* after "--" */
	const char *chart_version, *repo;      /* for pulls */
	const struct hx_strvec *pull_args;     /* --plain-http ... */
	int devel;
	const char *tmpdir; /* where pulled charts go */
	/* --dependency ALIAS=REPO/CHART:VERSION, added to a copy of the chart
	 * and fetched with helm dependency build */
	const struct hx_strvec *deps;
	int alpha_plugins; /* --enable_alpha_plugins: kustomize's plugins */
};

#endif
