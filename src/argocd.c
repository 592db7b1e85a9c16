/*
 * An Argo CD Application as helm-x's Config Management Plugin reads it
 * from the environment: the parameter table (what argocd/plugin.yaml
 * announces), ARGOCD_APP_PARAMETERS or PARAM_*, the repository's root
 * and the paths that must stay in it (argocd.h).
 */
#include "hx/argocd.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/strbuf.h"
#include "hx/util.h"

#include "hx/banned.h"

enum ptype { P_STRING, P_ARRAY, P_MAP };

static const struct param {
	const char *name;
	enum ptype type;
	const char *title;
	const char *def; /* the announced default (strings only) */
} params[] = {
        {"chart", P_STRING,
         "The chart: a path in the repository (default: the app "
         "directory), REPO/CHART or oci://...",
         "."},
        {"version", P_STRING, "The chart version (remote charts)", NULL},
        {"repo", P_STRING, "The chart repository URL", NULL},
        {"release-name", P_STRING,
         "The release name (default: the Application's name)", NULL},
        {"values", P_ARRAY, "Values files (paths in the repository)", NULL},
        {"set", P_MAP, "Values, as helm --set KEY=VALUE", NULL},
        {"set-string", P_MAP, "Values, as helm --set-string KEY=VALUE", NULL},
        {"patches", P_ARRAY,
         "Kustomize-style patch files (paths in the repository)", NULL},
        {"strategic-merge-patch", P_ARRAY,
         "Strategic merge patch files (paths in the repository)", NULL},
        {"json-patch", P_ARRAY,
         "JSON patch (RFC 6902) files (paths in the repository)", NULL},
        {"skip-crds", P_STRING, "true: leave out the chart's crds/", "false"},
        {"skip-tests", P_STRING, "true: leave out the chart's tests", "false"},
        {"helmrelease", P_STRING,
         "Render the Flux HelmReleases in this path (a file or "
         "directory in the repository) as helm-controller would",
         NULL},
};
#define NPARAMS (sizeof(params) / sizeof(params[0]))
_Static_assert(NPARAMS == HX_ARGO_NPARAMS,
               "HX_ARGO_NPARAMS is the table's size");

static const struct param *param_find(const char *name, size_t *idx)
{
	size_t i;

	for (i = 0; i < NPARAMS; i++)
		if (!strcmp(params[i].name, name)) {
			*idx = i;
			return &params[i];
		}
	return NULL;
}

static const char *type_name(enum ptype t)
{
	return t == P_STRING ? "a string" : t == P_ARRAY ? "an array" : "a map";
}

static int unknown_param(const char *where, const char *name)
{
	struct hx_strbuf names = HX_STRBUF_INIT;
	size_t i;

	for (i = 0; i < NPARAMS; i++)
		hx_strbuf_addf(&names, "%s%s", i ? ", " : "", params[i].name);
	hx_error_set("%s: no parameter '%s' in helm-x's plugin (its "
	             "parameters: %s)",
	             where, name, names.buf);
	hx_strbuf_release(&names);
	return -1;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One entry of ARGOCD_APP_PARAMETERS: {"name", "string"|"array"|"map"}. */
static int json_param(struct hx_argo_app *c, json_t *e, size_t at)
{
	const char *W = "ARGOCD_APP_PARAMETERS";
	json_t *name = json_object_get(e, "name"), *val;
	const struct param *p;
	const char *key, *field;
	size_t idx, i;

	if (!json_is_object(e) || !json_is_string(name)) {
		hx_error_set("%s: entry %zu is no {\"name\": ...} object", W,
		             at);
		return -1;
	}
	p = param_find(json_string_value(name), &idx);
	if (!p)
		return unknown_param(W, json_string_value(name));
	if (c->v[idx].given) {
		hx_error_set("%s: parameter '%s' is given twice", W, p->name);
		return -1;
	}
	json_object_foreach(e, key, val)
	{
		if (!strcmp(key, "name"))
			continue;
		if (strcmp(key, "string") && strcmp(key, "array") &&
		    strcmp(key, "map")) {
			hx_error_set("%s: parameter '%s' has a field '%s' "
			             "(Argo CD sends name with string, array "
			             "or map)",
			             W, p->name, key);
			return -1;
		}
	}
	field = p->type == P_STRING  ? "string"
	        : p->type == P_ARRAY ? "array"
	                             : "map";
	val = json_object_get(e, field);
	if (!val || json_object_size(e) != 2) {
		hx_error_set("%s: parameter '%s' is %s (give it as '%s')", W,
		             p->name, type_name(p->type), field);
		return -1;
	}
	c->v[idx].given = 1;
	if (p->type == P_STRING) {
		if (!json_is_string(val))
			goto bad;
		c->v[idx].str = hx_xstrdup(json_string_value(val));
	} else if (p->type == P_ARRAY) {
		json_t *item;

		if (!json_is_array(val))
			goto bad;
		json_array_foreach(val, i, item)
		{
			if (!json_is_string(item))
				goto bad;
			hx_strvec_push(&c->v[idx].items,
			               json_string_value(item));
		}
	} else {
		json_t *item;
		struct hx_strbuf kv = HX_STRBUF_INIT;

		if (!json_is_object(val))
			goto bad;
		json_object_foreach(val, key, item)
		{
			if (!json_is_string(item)) {
				hx_strbuf_release(&kv);
				goto bad;
			}
			hx_strbuf_reset(&kv);
			hx_strbuf_addf(&kv, "%s=%s", key,
			               json_string_value(item));
			hx_strvec_push(&c->v[idx].items, kv.buf);
		}
		hx_strbuf_release(&kv);
		if (c->v[idx].items.n > 1)
			qsort(c->v[idx].items.v, c->v[idx].items.n,
			      sizeof(char *), cmp_str);
	}
	return 0;
bad:
	hx_error_set("%s: parameter '%s': '%s' must hold %s", W, p->name, field,
	             p->type == P_STRING  ? "a string"
	             : p->type == P_ARRAY ? "strings"
	                                  : "string values");
	return -1;
}

/* PARAM_NAME as Argo CD writes it: upper case, [^A-Z0-9_] as '_'. */
static void env_name(char *out, size_t size, const char *name)
{
	size_t i, n = strlen("PARAM_");

	memcpy(out, "PARAM_", n);
	for (i = 0; name[i] && n + 1 < size; i++, n++) {
		char ch = name[i];

		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		else if (!((ch >= 'A' && ch <= 'Z') ||
		           (ch >= '0' && ch <= '9')))
			ch = '_';
		out[n] = ch;
	}
	out[n] = '\0';
}

/*
 * Without ARGOCD_APP_PARAMETERS: PARAM_NAME (strings), PARAM_NAME_0...
 * (arrays).  A map's keys cannot be read back (Argo CD writes them upper
 * case with '.' as '_'), nor can a PARAM_* that is none of ours.
 */
static int env_params(struct hx_argo_app *c)
{
	extern char **environ;
	char **e;
	size_t i;

	for (e = environ; *e; e++) {
		const char *eq = strchr(*e, '=');
		int known = 0;

		if (strncmp(*e, "PARAM_", 6) || !eq)
			continue;
		for (i = 0; i < NPARAMS && !known; i++) {
			char nm[64];
			size_t n;

			env_name(nm, sizeof nm, params[i].name);
			n = strlen(nm);
			if ((size_t)(eq - *e) == n && !strncmp(*e, nm, n))
				known = params[i].type == P_STRING;
			else if (!strncmp(*e, nm, n) && (*e)[n] == '_' &&
			         params[i].type != P_STRING) {
				if (params[i].type == P_MAP) {
					hx_error_set(
					        "%.*s: a map parameter's "
					        "keys cannot be read from "
					        "PARAM_* (Argo CD upper-cases "
					        "them): pass "
					        "ARGOCD_APP_PARAMETERS",
					        (int)(eq - *e), *e);
					return -1;
				}
				/* PARAM_NAME_0, _1, ...: digits only */
				known = (*e)[n + 1] != '=' &&
				        strspn(*e + n + 1, "0123456789") ==
				                (size_t)(eq - *e) - n - 1;
			}
		}
		if (!known) {
			hx_error_set("%.*s: no parameter of helm-x's plugin "
			             "has this name (see 'helm-x argocd "
			             "parameters')",
			             (int)(eq - *e), *e);
			return -1;
		}
	}
	for (i = 0; i < NPARAMS; i++) {
		char nm[64], item[80];
		const char *s;
		size_t k;

		env_name(nm, sizeof nm, params[i].name);
		if (params[i].type == P_STRING) {
			s = getenv(nm);
			if (s) {
				c->v[i].given = 1;
				c->v[i].str = hx_xstrdup(s);
			}
			continue;
		}
		for (k = 0;; k++) {
			snprintf(item, sizeof item, "%s_%zu", nm, k);
			s = getenv(item);
			if (!s)
				break;
			c->v[i].given = 1;
			hx_strvec_push(&c->v[i].items, s);
		}
	}
	return 0;
}

int hx_argo_read_params(struct hx_argo_app *c)
{
	const char *js = getenv("ARGOCD_APP_PARAMETERS");
	json_error_t jerr;
	json_t *root, *e;
	size_t i;
	int rc = 0;

	if (!js)
		return env_params(c);
	root = json_loads(js, JSON_REJECT_DUPLICATES, &jerr);
	if (!root) {
		hx_error_set_at("ARGOCD_APP_PARAMETERS",
		                jerr.line > 0 ? (unsigned)jerr.line : 1,
		                jerr.column > 0 ? (unsigned)jerr.column : 1,
		                "%s", jerr.text);
		return -1;
	}
	if (!json_is_array(root)) {
		hx_error_set("ARGOCD_APP_PARAMETERS: want a JSON array of "
		             "{\"name\": ...} objects");
		json_decref(root);
		return -1;
	}
	json_array_foreach(root, i, e)
	{
		if (json_param(c, e, i) < 0) {
			rc = -1;
			break;
		}
	}
	json_decref(root);
	return rc;
}

const struct hx_argo_val *hx_argo_val(const struct hx_argo_app *c,
                                      const char *name)
{
	size_t idx;

	if (!param_find(name, &idx))
		abort(); /* a name of this file's own table */
	return c->v[idx].given ? &c->v[idx] : NULL;
}

/* A "true"/"false" parameter (default false). */
int hx_argo_flag(const struct hx_argo_app *c, const char *name, int *out)
{
	const struct hx_argo_val *v = hx_argo_val(c, name);

	*out = 0;
	if (!v || !strcmp(v->str, "false") || !*v->str)
		return 0;
	if (!strcmp(v->str, "true")) {
		*out = 1;
		return 0;
	}
	hx_error_set("parameter '%s': '%s' is neither true nor false", name,
	             v->str);
	return -1;
}

/*
 * The repository's root: the app directory less ARGOCD_APP_SOURCE_PATH
 * (argocd-cmp-server unpacks the repository and runs us in
 * ROOT/SOURCE_PATH); the app directory itself when that is not set.
 */
int hx_argo_find_root(struct hx_argo_app *c)
{
	const char *sp = getenv("ARGOCD_APP_SOURCE_PATH");
	char real[PATH_MAX];
	size_t depth = 0;
	const char *p;
	char *root;

	if (!realpath(".", real)) {
		hx_error_set_errno("cannot read the app directory");
		return -1;
	}
	c->app = hx_xstrdup(real);
	if (sp)
		for (p = sp; *p;) {
			size_t len = strcspn(p, "/");

			if (len == 2 && !strncmp(p, "..", 2)) {
				hx_error_set("ARGOCD_APP_SOURCE_PATH '%s' "
				             "leaves the repository",
				             sp);
				return -1;
			}
			if (len && !(len == 1 && *p == '.'))
				depth++;
			p += len;
			p += *p == '/';
		}
	root = hx_xstrdup(real);
	for (; depth; depth--) {
		char *slash = strrchr(root, '/');

		if (!slash || slash == root) {
			hx_error_set("ARGOCD_APP_SOURCE_PATH '%s' is deeper "
			             "than the app directory",
			             sp);
			free(root);
			return -1;
		}
		*slash = '\0';
	}
	c->root = root;
	return 0;
}

/* dir is root or below it ("/" holds everything). */
static int inside(const char *root, const char *dir)
{
	size_t n = strlen(root);

	if (n == 1 && root[0] == '/')
		return 1;
	return !strncmp(dir, root, n) && (!dir[n] || dir[n] == '/');
}

/* path with ".", ".." and "//" taken out, as text (absolute path). */
static char *lexical(const char *path)
{
	char *out = hx_xmalloc(strlen(path) + 2);
	size_t n = 0;
	const char *p = path;

	while (*p) {
		size_t len;

		while (*p == '/')
			p++;
		len = strcspn(p, "/");
		if (!len)
			break;
		if (len == 2 && !strncmp(p, "..", 2)) {
			while (n && out[n - 1] != '/')
				n--;
			if (n)
				n--; /* the '/' before it */
		} else if (!(len == 1 && *p == '.')) {
			out[n++] = '/';
			memcpy(out + n, p, len);
			n += len;
		}
		p += len;
	}
	if (!n)
		out[n++] = '/';
	out[n] = '\0';
	return out;
}

/*
 * A path parameter as a path helm-x can open: relative to the app
 * directory, absolute ones to the repository's root (as Argo CD's own
 * value files); it must stay in the repository, as written and with
 * its links followed.  Returns rel itself when relative (the child runs
 * in the app directory too) unless it starts with '-', else the real path.
 */
char *hx_argo_repo_path(const struct hx_argo_app *c, const char *name,
                        const char *rel)
{
	char real[PATH_MAX];
	char *joined, *norm;

	if (!*rel) {
		hx_error_set("parameter '%s': an empty path", name);
		return NULL;
	}
	joined = rel[0] == '/' ? hx_path_join(c->root, rel + 1)
	                       : hx_path_join(c->app, rel);
	norm = lexical(joined);
	free(joined);
	if (!inside(c->root, norm)) {
		free(norm);
		hx_error_set("parameter '%s': '%s' leaves the repository", name,
		             rel);
		return NULL;
	}
	if (!realpath(norm, real)) {
		hx_error_set("parameter '%s': cannot open '%s': %s", name, rel,
		             strerror(errno));
		free(norm);
		return NULL;
	}
	free(norm);
	if (!inside(c->root, real)) {
		hx_error_set("parameter '%s': '%s' leaves the repository (a "
		             "link)",
		             name, rel);
		return NULL;
	}
	/* as written when relative: messages then name the user's path */
	return hx_xstrdup(rel[0] == '/' || rel[0] == '-' ? real : rel);
}

/* The announcements argocd/plugin.yaml holds as parameters.static. */
char *hx_argo_announce(void)
{
	json_t *arr = json_array();
	size_t i;
	char *s;

	for (i = 0; i < NPARAMS; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "name", json_string(params[i].name));
		json_object_set_new(o, "title", json_string(params[i].title));
		if (params[i].type == P_STRING) {
			if (params[i].def)
				json_object_set_new(o, "string",
				                    json_string(params[i].def));
		} else {
			json_object_set_new(
			        o, "collectionType",
			        json_string(params[i].type == P_ARRAY ? "array"
			                                              : "map"));
		}
		json_array_append_new(arr, o);
	}
	s = json_dumps(arr, JSON_INDENT(2));
	json_decref(arr);
	if (!s) {
		hx_error_set("out of memory");
		return NULL;
	}
	return s;
}

void hx_argo_app_release(struct hx_argo_app *c)
{
	size_t i;

	for (i = 0; i < NPARAMS; i++) {
		free(c->v[i].str);
		hx_strvec_clear(&c->v[i].items);
	}
	free(c->root);
	free(c->app);
}
