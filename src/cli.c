#include "hx/cli.h"

#include <stdlib.h>
#include <string.h>

#include "hx/err.h"
#include "hx/util.h"

enum opt_id {
	OPT_JSON_PATCH,
	OPT_SMP,
	OPT_PATCHES,
	OPT_OPENAPI,
	OPT_ALLOW_NO_MATCH,
	OPT_NAMESPACE,
	OPT_HELP,
	OPT_DEBUG,
};

struct optdef {
	const char *name; /* long name without "--" */
	char short_name;
	int takes_value;
	enum opt_id id;
};

static const struct optdef opts[] = {
        {"json-patch", 0, 1, OPT_JSON_PATCH},
        {"jsonpatch", 0, 1, OPT_JSON_PATCH},
        {"strategic-merge-patch", 0, 1, OPT_SMP},
        {"patches", 0, 1, OPT_PATCHES},
        {"openapi", 0, 1, OPT_OPENAPI},
        {"allow-no-match", 0, 0, OPT_ALLOW_NO_MATCH},
        {"namespace", 'n', 1, OPT_NAMESPACE},
        {"help", 'h', 0, OPT_HELP},
        {"debug", 0, 0, OPT_DEBUG},
};

static const struct optdef *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (strlen(opts[i].name) == len &&
		    !strncmp(opts[i].name, name, len))
			return &opts[i];
	return NULL;
}

static const struct optdef *find_short(char c)
{
	size_t i;

	for (i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (opts[i].short_name == c)
			return &opts[i];
	return NULL;
}

static void add_patch(struct hx_opts *o, enum hx_patch_flag f, const char *v)
{
	struct hx_patch_args *p = &o->patches;

	hx_grow(&p->flags, &p->alloc, p->files.n + 1, sizeof(*p->flags));
	p->flags[p->files.n] = f;
	hx_strvec_push(&p->files, v);
}

static void set_opt(struct hx_opts *o, const struct optdef *d, const char *v)
{
	switch (d->id) {
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
	int i, flags_done = 0;

	out->command = argc > 0 ? argv[0] : NULL;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *value = NULL, *eqs;
		const struct optdef *d;

		if (flags_done || a[0] != '-' || !a[1]) {
			hx_strvec_push(&out->args, a);
			continue;
		}
		if (!strcmp(a, "--")) {
			flags_done = 1;
			continue;
		}
		if (a[1] == '-') {
			eqs = strchr(a + 2, '=');
			d = find_long(a + 2, eqs ? (size_t)(eqs - a - 2)
			                         : strlen(a + 2));
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
		if (d->takes_value && !value) {
			if (i + 1 >= argc) {
				hx_error_set("flag '%s' needs a value", a);
				return -1;
			}
			value = argv[++i];
		} else if (!d->takes_value && value) {
			hx_error_set("flag '--%s' takes no value", d->name);
			return -1;
		}
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
}
