#include "hx/cli.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

enum opt_id {
	OPT_JSON_PATCH,
	OPT_SMP,
	OPT_PATCHES,
	OPT_OPENAPI,
	OPT_ALLOW_NO_MATCH,
	OPT_ALLOW_EMPTY, /* an empty render may replace a release's objects */
	OPT_VALUES,      /* to helm template and helm install/upgrade */
	OPT_TEMPLATE,    /* to helm template */
	OPT_PULL,        /* to helm pull: registry and repository access */
	OPT_INSTALL,     /* to helm install/upgrade */
	OPT_NAME,
	OPT_VERSION,
	OPT_REPO,
	OPT_DEVEL,
	OPT_UPGRADE_INSTALL,
	OPT_KUBE_CONTEXT,
	OPT_KEEP_TMP,
	OPT_INJECT,
	OPT_DEPENDENCY,
	OPT_NAMESPACE,
	OPT_HELP,
	OPT_DEBUG,
	OPT_INJECTOR,     /* old helm-x: --injector 'CMD,FLAG=VALUE,...' */
	OPT_HELM2,        /* Tiller-era flags: refused with a hint */
	OPT_ALPHA,        /* --enable_alpha_plugins: to kustomize */
	OPT_DIFF,         /* helm x diff's own flags, kept as words */
	OPT_POST_RENDER,  /* helm renders, helm-x is its post-renderer */
	OPT_ADOPT,        /* --adopt KIND/NAME[,...] before the install */
	OPT_BOTH,         /* to the render and to helm install/upgrade */
	OPT_LINT,         /* to helm lint */
	OPT_OUTPUT,       /* -o: diff's format, or helm install's */
	OPT_OUTPUT_DIR,   /* template: one file per # Source */
	OPT_SHOW_ONLY,    /* template: only these templates */
	OPT_RELEASE_NAME, /* template --output-dir: under RELEASE/ */
	OPT_REFUSE,       /* known, and refused with what to do */
	OPT_POST_RENDERER,
	OPT_POST_RENDERER_ARGS,
	OPT_PER_COMMAND, /* --no-hooks, --dry-run: where depends */
	OPT_GLOBAL,      /* helm's global flags after the command */
};

/*
 * helm's global flags and the variables helm reads them from: before the
 * command each one becomes its variable (main.c), so that every helm
 * helm-x runs sees it; after the command too (OPT_GLOBAL), except those
 * marked before_only, which are helm-x flags of their own there
 * (--kube-context, -n, --debug, --color) or none (--colour).
 */
static const struct hx_helm_global {
	struct hx_helm_flag f;
	int before_only;
} helm_globals[] = {
        {{"kube-context", 0, 1, "HELM_KUBECONTEXT"}, 1},
        {{"kubeconfig", 0, 1, "KUBECONFIG"}, 0},
        {{"namespace", 'n', 1, "HELM_NAMESPACE"}, 1},
        {{"debug", 0, 0, "HELM_DEBUG"}, 1},
        {{"kube-apiserver", 0, 1, "HELM_KUBEAPISERVER"}, 0},
        {{"kube-token", 0, 1, "HELM_KUBETOKEN"}, 0},
        {{"kube-as-user", 0, 1, "HELM_KUBEASUSER"}, 0},
        {{"kube-as-group", 0, 1, "HELM_KUBEASGROUPS"}, 0},
        {{"kube-ca-file", 0, 1, "HELM_KUBECAFILE"}, 0},
        {{"kube-tls-server-name", 0, 1, "HELM_KUBETLS_SERVER_NAME"}, 0},
        {{"kube-insecure-skip-tls-verify", 0, 0,
          "HELM_KUBEINSECURE_SKIP_TLS_VERIFY"},
         0},
        {{"registry-config", 0, 1, "HELM_REGISTRY_CONFIG"}, 0},
        {{"repository-config", 0, 1, "HELM_REPOSITORY_CONFIG"}, 0},
        {{"repository-cache", 0, 1, "HELM_REPOSITORY_CACHE"}, 0},
        {{"burst-limit", 0, 1, "HELM_BURST_LIMIT"}, 0},
        {{"qps", 0, 1, "HELM_QPS"}, 0},
        /* Helm 4's: helm puts it before the plugin's words */
        {{"color", 0, 1, "HELM_X_COLOR"}, 1},
        {{"colour", 0, 1, "HELM_X_COLOR"}, 1},
};
#define N_GLOBALS (sizeof(helm_globals) / sizeof(helm_globals[0]))

static const struct hx_helm_global *find_global(const char *name, size_t len,
                                                char short_name)
{
	size_t i;

	for (i = 0; i < N_GLOBALS; i++) {
		const struct hx_helm_flag *f = &helm_globals[i].f;

		if (name ? strlen(f->name) == len &&
		                    !strncmp(f->name, name, len)
		         : short_name && f->short_name == short_name)
			return &helm_globals[i];
	}
	return NULL;
}

const struct hx_helm_flag *hx_cli_helm_global(const char *name, size_t len,
                                              char short_name)
{
	const struct hx_helm_global *g = find_global(name, len, short_name);

	return g ? &g->f : NULL;
}

struct optdef {
	const char *name; /* long name without "--" */
	char short_name;
	int takes_value; /* 0 no, 1 yes, 2 optional (only as --flag=value) */
	enum opt_id id;
};

static const struct optdef opts[] = {
        {"json-patch", 0, 1, OPT_JSON_PATCH},
        {"jsonpatch", 0, 1, OPT_JSON_PATCH},
        {"strategic-merge-patch", 0, 1, OPT_SMP},
        {"patches", 0, 1, OPT_PATCHES},
        {"openapi", 0, 1, OPT_OPENAPI},
        {"allow-no-match", 0, 0, OPT_ALLOW_NO_MATCH},
        {"allow-empty", 0, 0, OPT_ALLOW_EMPTY},
        {"values", 'f', 1, OPT_VALUES},
        {"set", 0, 1, OPT_VALUES},
        {"set-string", 0, 1, OPT_VALUES},
        {"set-file", 0, 1, OPT_VALUES},
        {"set-json", 0, 1, OPT_VALUES},
        {"set-literal", 0, 1, OPT_VALUES},
        {"kube-version", 0, 1, OPT_TEMPLATE},
        {"api-versions", 'a', 1, OPT_TEMPLATE},
        {"include-crds", 0, 0, OPT_TEMPLATE},
        {"skip-crds", 0, 0, OPT_INSTALL},
        {"skip-tests", 0, 0, OPT_TEMPLATE},
        {"is-upgrade", 0, 0, OPT_TEMPLATE},
        {"validate", 0, 0, OPT_TEMPLATE},
        {"dry-run", 0, 2, OPT_PER_COMMAND},
        {"wait", 0, 2, OPT_INSTALL},
        {"wait-for-jobs", 0, 0, OPT_INSTALL},
        {"timeout", 0, 1, OPT_INSTALL},
        {"atomic", 0, 0, OPT_INSTALL},
        {"rollback-on-failure", 0, 0, OPT_INSTALL},
        {"create-namespace", 0, 0, OPT_INSTALL},
        {"reset-values", 0, 0, OPT_INSTALL},
        {"reuse-values", 0, 0, OPT_INSTALL},
        {"reset-then-reuse-values", 0, 0, OPT_INSTALL},
        {"take-ownership", 0, 0, OPT_INSTALL},
        {"description", 0, 1, OPT_INSTALL},
        {"history-max", 0, 1, OPT_INSTALL},
        {"force", 0, 0, OPT_INSTALL},
        {"force-replace", 0, 0, OPT_INSTALL},
        {"cleanup-on-fail", 0, 0, OPT_INSTALL},
        {"disable-openapi-validation", 0, 0, OPT_INSTALL},
        {"force-conflicts", 0, 0, OPT_INSTALL},
        {"server-side", 0, 2, OPT_INSTALL},
        {"hide-notes", 0, 0, OPT_INSTALL},
        {"hide-secret", 0, 0, OPT_INSTALL},
        {"labels", 0, 1, OPT_INSTALL},
        {"render-subchart-notes", 0, 0, OPT_INSTALL},
        {"replace", 0, 0, OPT_INSTALL},
        {"skip-schema-validation", 0, 0, OPT_BOTH},
        {"enable-dns", 0, 0, OPT_BOTH},
        {"strict", 0, 0, OPT_LINT},
        {"with-subcharts", 0, 0, OPT_LINT},
        {"quiet", 0, 0, OPT_LINT},
        {"output-dir", 0, 1, OPT_OUTPUT_DIR},
        {"show-only", 's', 1, OPT_SHOW_ONLY},
        {"release-name", 0, 0, OPT_RELEASE_NAME},
        {"generate-name", 'g', 0, OPT_REFUSE},
        {"name-template", 0, 1, OPT_REFUSE},
        {"dependency-update", 0, 0, OPT_REFUSE},
        {"post-renderer", 0, 1, OPT_POST_RENDERER},
        {"post-renderer-args", 0, 1, OPT_POST_RENDERER_ARGS},
        {"plain-http", 0, 0, OPT_PULL},
        {"insecure-skip-tls-verify", 0, 0, OPT_PULL},
        {"ca-file", 0, 1, OPT_PULL},
        {"cert-file", 0, 1, OPT_PULL},
        {"key-file", 0, 1, OPT_PULL},
        {"username", 0, 1, OPT_PULL},
        {"password", 0, 1, OPT_PULL},
        {"pass-credentials", 0, 0, OPT_PULL},
        {"verify", 0, 0, OPT_PULL},
        {"keyring", 0, 1, OPT_PULL},
        {"name", 0, 1, OPT_NAME},
        {"version", 0, 1, OPT_VERSION},
        {"repo", 0, 1, OPT_REPO},
        {"devel", 0, 0, OPT_DEVEL},
        {"install", 'i', 0, OPT_UPGRADE_INSTALL},
        {"kube-context", 0, 1, OPT_KUBE_CONTEXT},
        {"kubecontext", 0, 1, OPT_KUBE_CONTEXT},
        {"keep-tmp", 0, 0, OPT_KEEP_TMP},
        {"inject", 0, 1, OPT_INJECT},
        {"dependency", 0, 1, OPT_DEPENDENCY},
        {"adhoc-dependency", 0, 1, OPT_DEPENDENCY},
        {"injector", 0, 1, OPT_INJECTOR},
        {"enable_alpha_plugins", 0, 0, OPT_ALPHA},
        {"enable-alpha-plugins", 0, 0, OPT_ALPHA},
        {"tiller-namespace", 0, 1, OPT_HELM2},
        {"tiller-connection-timeout", 0, 1, OPT_HELM2},
        {"home", 0, 1, OPT_HELM2},
        {"host", 0, 1, OPT_HELM2},
        {"tls", 0, 0, OPT_HELM2},
        {"tls-verify", 0, 0, OPT_HELM2},
        {"tls-ca-cert", 0, 1, OPT_HELM2},
        {"tls-cert", 0, 1, OPT_HELM2},
        {"tls-key", 0, 1, OPT_HELM2},
        {"tls-hostname", 0, 1, OPT_HELM2},
        {"allow-unreleased", 0, 0, OPT_DIFF},
        {"no-hooks", 0, 0, OPT_PER_COMMAND},
        {"include-tests", 0, 0, OPT_DIFF},
        {"output", 'o', 1, OPT_OUTPUT},
        {"context", 'C', 1, OPT_DIFF},
        {"max-size", 0, 1, OPT_DIFF},
        {"color", 0, 2, OPT_DIFF},
        {"no-color", 0, 0, OPT_DIFF},
        {"ignore-generated", 0, 0, OPT_DIFF},
        {"show-secrets", 0, 0, OPT_DIFF},
        {"show-secrets-decoded", 0, 0, OPT_DIFF},
        {"suppress-secrets", 'q', 0, OPT_DIFF},
        {"suppress", 0, 1, OPT_DIFF},
        {"suppress-output-line-regex", 0, 1, OPT_DIFF},
        {"normalize-manifests", 0, 0, OPT_DIFF},
        {"strip-trailing-cr", 0, 0, OPT_DIFF},
        {"find-renames", 'D', 1, OPT_DIFF},
        {"detailed-exitcode", 0, 0, OPT_DIFF},
        {"three-way-merge", 0, 0, OPT_DIFF},
        {"disable-validation", 0, 0, OPT_DIFF},
        {"from", 0, 1, OPT_DIFF},
        {"post-render", 0, 0, OPT_POST_RENDER},
        {"adopt", 0, 1, OPT_ADOPT},
        {"namespace", 'n', 1, OPT_NAMESPACE},
        {"help", 'h', 0, OPT_HELP},
        {"debug", 0, 0, OPT_DEBUG},
};

/* The flag --NAME (len bytes): helm-x's own, else one of helm's global
 * flags after the command, described in *global. */
static const struct optdef *find_long(const char *name, size_t len,
                                      struct optdef *global)
{
	const struct hx_helm_global *g;
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == len &&
		    !strncmp(opts[i].name, name, len))
			return &opts[i];
	g = find_global(name, len, 0);
	if (!g || g->before_only)
		return NULL;
	global->name = g->f.name;
	global->short_name = 0;
	global->takes_value = g->f.takes_value;
	global->id = OPT_GLOBAL;
	return global;
}

static const struct optdef *find_short(char c)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

int hx_cli_diff_flag(const char *arg, const char **name, int *takes_value)
{
	const struct optdef *d = NULL;
	struct optdef global;

	if (arg[0] == '-' && arg[1] == '-')
		d = find_long(arg + 2, strlen(arg + 2), &global);
	else if (arg[0] == '-' && arg[1] && !arg[2])
		d = find_short(arg[1]);
	if (!d || d->id != OPT_DIFF)
		return 0;
	*name = d->name;
	*takes_value = d->takes_value;
	return 1;
}

int hx_cli_color_word(const char *w)
{
	return !strcmp(w, "always") || !strcmp(w, "never") ||
	       !strcmp(w, "auto");
}

static void add_patch(struct hx_opts *o, enum hx_patch_flag f, const char *v)
{
	struct hx_patch_args *p = &o->patches;

	hx_grow(&p->flags, &p->alloc, p->files.n + 1, sizeof(*p->flags));
	p->flags[p->files.n] = f;
	hx_strvec_push(&p->files, v);
}

/* Keep a helm flag as argv words: "--flag", or "--flag" "value". */
static void keep_flag(struct hx_strvec *sv, const struct optdef *d,
                      const char *v)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_addf(&sb, "--%s", d->name);
	if (v && d->takes_value == 2)
		hx_strbuf_addf(&sb, "=%s", v);
	hx_strvec_push(sv, sb.buf);
	if (v && d->takes_value == 1)
		hx_strvec_push(sv, v);
	hx_strbuf_release(&sb);
}

/* One word of a command text for hx_inject_parse, quoted if need be. */
static void add_word(struct hx_strbuf *sb, const char *w, size_t n)
{
	size_t i;

	if (sb->len)
		hx_strbuf_addch(sb, ' ');
	if (n && !memchr(w, ' ', n) && !memchr(w, '\'', n) &&
	    !memchr(w, '"', n) && !memchr(w, '\\', n)) {
		hx_strbuf_add(sb, w, n);
		return;
	}
	hx_strbuf_addch(sb, '\'');
	for (i = 0; i < n; i++) {
		if (w[i] == '\'')
			hx_strbuf_adds(sb, "'\"'\"'");
		else
			hx_strbuf_addch(sb, w[i]);
	}
	hx_strbuf_addch(sb, '\'');
}

/*
 * Old helm-x's --injector 'CMD ARGS,FLAG,KEY=VALUE,...': CMD ARGS split into
 * words, a bare FLAG appended as a word (FILE among them), KEY=VALUE as
 * "--KEY VALUE" ("-K VALUE" for a one-letter key); the result is an
 * --inject command.
 */
static void add_injector(struct hx_opts *o, const char *v)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	const char *p = v, *comma = strchr(v, ','), *end, *w;

	end = comma ? comma : v + strlen(v);
	while (p < end) {
		while (p < end && *p == ' ')
			p++;
		for (w = p; p < end && *p != ' '; p++)
			;
		if (p > w)
			add_word(&sb, w, (size_t)(p - w));
	}
	while (comma) {
		const char *tok = comma + 1, *eq;

		comma = strchr(tok, ',');
		end = comma ? comma : tok + strlen(tok);
		eq = memchr(tok, '=', (size_t)(end - tok));
		if (eq) {
			struct hx_strbuf flag = HX_STRBUF_INIT;

			hx_strbuf_adds(&flag, eq - tok == 1 ? "-" : "--");
			hx_strbuf_add(&flag, tok, (size_t)(eq - tok));
			add_word(&sb, flag.buf, flag.len);
			add_word(&sb, eq + 1, (size_t)(end - eq - 1));
			hx_strbuf_release(&flag);
		} else if (end > tok) {
			add_word(&sb, tok, (size_t)(end - tok));
		}
	}
	hx_strvec_push(&o->inject, sb.buf);
	hx_strbuf_release(&sb);
}

static void set_opt(struct hx_opts *o, const struct optdef *d, const char *v)
{
	switch (d->id) {
	case OPT_VALUES:
		keep_flag(&o->values, d, v);
		break;
	case OPT_TEMPLATE:
		keep_flag(&o->template_args, d, v);
		break;
	case OPT_PULL:
		keep_flag(&o->pull_args, d, v);
		break;
	case OPT_INSTALL:
		if (v && !strcmp(d->name, "timeout") && *v &&
		    strspn(v, "0123456789") == strlen(v)) {
			/* old helm-x and Helm 2: a bare number of seconds */
			struct hx_strbuf sb = HX_STRBUF_INIT;

			hx_strbuf_addf(&sb, "%ss", v);
			keep_flag(&o->install_args, d, sb.buf);
			/* the word is kept: the strvec owns a copy */
			hx_strbuf_release(&sb);
			break;
		}
		keep_flag(&o->install_args, d, v);
		break;
	case OPT_NAME:
		o->name = v;
		break;
	case OPT_VERSION:
		o->chart_version = v;
		break;
	case OPT_REPO:
		o->repo = v;
		break;
	case OPT_DEVEL:
		o->devel = 1;
		break;
	case OPT_UPGRADE_INSTALL:
		o->install = 1;
		break;
	case OPT_KUBE_CONTEXT:
		o->kube_context = v;
		break;
	case OPT_KEEP_TMP:
		o->keep_tmp = 1;
		break;
	case OPT_INJECT:
		hx_strvec_push(&o->inject, v);
		break;
	case OPT_INJECTOR:
		add_injector(o, v);
		break;
	case OPT_HELM2:
		break; /* refused by hx_cli_parse */
	case OPT_ALPHA:
		o->alpha_plugins = 1;
		break;
	case OPT_DIFF:
		keep_flag(&o->diff_args, d, v);
		break;
	case OPT_POST_RENDER:
		o->post_render = 1;
		break;
	case OPT_ADOPT:
		hx_strvec_push(&o->adopt, v);
		break;
	case OPT_BOTH:
		keep_flag(&o->template_args, d, v);
		keep_flag(&o->both_args, d, v);
		break;
	case OPT_LINT:
		keep_flag(&o->lint_args, d, v);
		break;
	case OPT_OUTPUT:
		if (!strcmp(o->command, "diff"))
			keep_flag(&o->diff_args, d, v);
		else
			o->output = v;
		break;
	case OPT_OUTPUT_DIR:
		o->output_dir = v;
		break;
	case OPT_SHOW_ONLY:
		hx_strvec_push(&o->show_only, v);
		break;
	case OPT_RELEASE_NAME:
		o->release_name_dir = 1;
		break;
	case OPT_REFUSE:
		break; /* refused by hx_cli_parse */
	case OPT_POST_RENDERER:
		o->post_renderer = v;
		break;
	case OPT_POST_RENDERER_ARGS:
		hx_strvec_push(&o->post_renderer_args, v);
		break;
	case OPT_GLOBAL: {
		struct hx_strbuf sb = HX_STRBUF_INIT;
		const struct hx_helm_global *g =
		        find_global(d->name, strlen(d->name), 0);

		hx_strbuf_addf(&sb, "%s=%s", g->f.env, v ? v : "true");
		hx_strvec_push(&o->globals, sb.buf);
		hx_strbuf_release(&sb);
		break;
	}
	case OPT_PER_COMMAND:
		if (!strcmp(o->command, "diff") && !strcmp(d->name, "no-hooks"))
			keep_flag(&o->diff_args, d, v);
		else if (!strcmp(o->command, "template") ||
		         !strcmp(o->command, "lint"))
			keep_flag(&o->template_args, d, v);
		else
			keep_flag(&o->install_args, d, v);
		break;
	case OPT_DEPENDENCY:
		hx_strvec_push(&o->deps, v);
		break;
	case OPT_JSON_PATCH:
		add_patch(o, HX_FLAG_JSON_PATCH, v);
		break;
	case OPT_SMP:
		add_patch(o, HX_FLAG_SMP, v);
		break;
	case OPT_PATCHES:
		add_patch(o, HX_FLAG_PATCHES, v);
		break;
	case OPT_OPENAPI:
		hx_strvec_push(&o->openapi, v);
		break;
	case OPT_ALLOW_NO_MATCH:
		o->allow_no_match = 1;
		break;
	case OPT_ALLOW_EMPTY:
		o->allow_empty = 1;
		break;
	case OPT_NAMESPACE:
		o->ns = v;
		break;
	case OPT_HELP:
		o->help = 1;
		break;
	case OPT_DEBUG:
		o->debug = 1;
		break;
	}
}

int hx_cli_parse(struct hx_opts *out, int argc, char **argv)
{
	int i;

	out->command = argc > 0 ? argv[0] : NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *value = NULL, *eqs;
		const struct optdef *d;
		struct optdef global;

		if (a[0] != '-' || !a[1]) {
			hx_strvec_push(&out->args, a);
			continue;
		}
		if (!strcmp(a, "--")) {
			/* the rest goes to the helm command as it is */
			for (i++; i < argc; i++)
				hx_strvec_push(&out->extra, argv[i]);
			break;
		}
		if (a[1] == '-') {
			eqs = strchr(a + 2, '=');
			d = find_long(a + 2,
			              eqs ? (size_t)(eqs - a - 2)
			                  : strlen(a + 2),
			              &global);
			if (eqs)
				value = eqs + 1;
		} else {
			d = find_short(a[1]);
			if (d && a[2]) {
				/* -nNAMESPACE */
				value = d->takes_value ? a + 2 : NULL;
				if (!value)
					d = NULL;
			}
		}
		if (!d) {
			hx_error_set("unknown flag '%s' for '%s' (see 'helm-x "
			             "%s --help')",
			             a, out->command, out->command);
			return -1;
		}
		/* Helm 4's --server-side takes true|false|auto as the next
		 * word too (upgrade), or none (install) */
		if (d->takes_value == 2 && !value &&
		    !strcmp(d->name, "server-side") && i + 1 < argc &&
		    (!strcmp(argv[i + 1], "true") ||
		     !strcmp(argv[i + 1], "false") ||
		     !strcmp(argv[i + 1], "auto")))
			value = argv[++i];
		/* --color always|never|auto, as Helm 4's own --color */
		if (d->takes_value == 2 && !value &&
		    !strcmp(d->name, "color") && i + 1 < argc &&
		    hx_cli_color_word(argv[i + 1]))
			value = argv[++i];
		/* a switch takes =true or =false, as helm's (Go's) do */
		if (!d->takes_value && value && !strcmp(value, "false"))
			continue;
		if (!d->takes_value && value && !strcmp(value, "true"))
			value = NULL;
		if (d->takes_value == 1 && !value) {
			if (i + 1 >= argc) {
				hx_error_set("flag '%s' needs a value", a);
				return -1;
			}
			value = argv[++i];
		} else if (!d->takes_value && value) {
			hx_error_set("flag '--%s' takes no value", d->name);
			return -1;
		}
		if (d->id == OPT_HELM2) {
			hx_error_set(
			        "'--%s' is a Helm 2 flag: Helm 2 and "
			        "Tiller are gone; Helm 3 and 4 reach the "
			        "cluster through your kubeconfig "
			        "(--kube-context) and keep each release in "
			        "its namespace (-n)",
			        d->name);
			return -1;
		}
		if (d->id == OPT_REFUSE) {
			hx_error_set(
			        !strcmp(d->name, "dependency-update")
			                ? "'--dependency-update' would write "
			                  "charts/ into your chart: run 'helm "
			                  "dependency update CHART' first "
			                  "(helm-x "
			                  "never writes to your chart)"
			                : "'--%s' lets helm pick the release "
			                  "name; helm-x takes RELEASE as an "
			                  "argument: give one",
			        d->name);
			return -1;
		}
		if ((d->id == OPT_DIFF ||
		     (d->id == OPT_OUTPUT &&
		      !strcmp(out->command ? out->command : "", "diff"))) &&
		    !out->diff_flag)
			out->diff_flag = a;
		if (!out->helm_flag && d->id != OPT_GLOBAL &&
		    d->id != OPT_JSON_PATCH && d->id != OPT_SMP &&
		    d->id != OPT_PATCHES && d->id != OPT_OPENAPI &&
		    d->id != OPT_ALLOW_NO_MATCH && d->id != OPT_NAMESPACE &&
		    d->id != OPT_HELP && d->id != OPT_DEBUG)
			out->helm_flag = a;
		set_opt(out, d, value);
	}
	return 0;
}

void hx_opts_release(struct hx_opts *o)
{
	hx_strvec_clear(&o->args);
	hx_strvec_clear(&o->patches.files);
	free(o->patches.flags);
	o->patches.flags = NULL;
	o->patches.alloc = 0;
	hx_strvec_clear(&o->openapi);
	hx_strvec_clear(&o->values);
	hx_strvec_clear(&o->template_args);
	hx_strvec_clear(&o->install_args);
	hx_strvec_clear(&o->pull_args);
	hx_strvec_clear(&o->diff_args);
	hx_strvec_clear(&o->extra);
	hx_strvec_clear(&o->inject);
	hx_strvec_clear(&o->deps);
	hx_strvec_clear(&o->adopt);
	hx_strvec_clear(&o->both_args);
	hx_strvec_clear(&o->lint_args);
	hx_strvec_clear(&o->show_only);
	hx_strvec_clear(&o->post_renderer_args);
	hx_strvec_clear(&o->install_only);
	hx_strvec_clear(&o->globals);
}

static void add_name(struct hx_strvec *out, const char *prefix,
                     const char *name)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;

	hx_strbuf_addf(&sb, "--%s", name);
	if (!strncmp(sb.buf, prefix, strlen(prefix)))
		hx_strvec_push(out, sb.buf);
	hx_strbuf_release(&sb);
}

void hx_cli_flag_names(struct hx_strvec *out, const char *prefix)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].id != OPT_HELM2 && opts[i].id != OPT_REFUSE)
			add_name(out, prefix, opts[i].name);
	for (i = 0; i < N_GLOBALS; i++)
		if (!helm_globals[i].before_only)
			add_name(out, prefix, helm_globals[i].f.name);
}

int hx_cli_takes_file(const char *flag)
{
	static const char *const files[] = {
	        "--json-patch", "--jsonpatch", "--strategic-merge-patch",
	        "--patches",    "--openapi",   "--values",
	        "-f",           "--set-file",  "--from",
	        "--output-dir", NULL};
	size_t i;

	for (i = 0; files[i]; i++)
		if (!strcmp(flag, files[i]))
			return 1;
	return 0;
}
