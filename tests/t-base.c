/* Unit tests: error slot, strbuf, strvec, util, cli. */
#include <stdlib.h>
#include <string.h>

#include "hx/cli.h"
#include "hx/err.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/util.h"
#include "tap.h"

#include "hx/banned.h"

/* A mutable argv from a list of words (argv is char **, as main gets). */
static char **argv_of(struct hx_strvec *sv, const char *words)
{
	char *copy = hx_xstrdup(words), *tok, *save = NULL;

	for (tok = strtok_r(copy, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save))
		hx_strvec_push(sv, tok);
	free(copy);
	return sv->v;
}

static void cli(void)
{
	struct hx_strvec full = HX_STRVEC_INIT, bad_sv = HX_STRVEC_INIT,
	                 nov_sv = HX_STRVEC_INIT;
	char **argv = argv_of(&full, "patch a.yaml --json-patch p1 "
	                             "--jsonpatch=p2 -nprod --allow-no-match "
	                             "- --set a=b -- --not-a-flag x");
	char **bad = argv_of(&bad_sv, "patch -x");
	char **novalue = argv_of(&nov_sv, "patch -n");
	struct hx_opts o = HX_OPTS_INIT;

	ok(hx_cli_parse(&o, (int)full.n, argv) == 0,
	   "parse a full command line");
	ok(o.patches.files.n == 2 && !strcmp(o.patches.files.v[0], "p1") &&
	           !strcmp(o.patches.files.v[1], "p2") &&
	           o.patches.flags[1] == HX_FLAG_JSON_PATCH,
	   "--json-patch and --jsonpatch= keep their order");
	ok(o.ns && !strcmp(o.ns, "prod"), "-nNS");
	ok(o.allow_no_match, "--allow-no-match");
	ok(o.args.n == 2 && !strcmp(o.args.v[1], "-") && o.extra.n == 2 &&
	           !strcmp(o.extra.v[0], "--not-a-flag") && o.values.n == 2 &&
	           !strcmp(o.values.v[1], "a=b"),
	   "'-' is an argument; helm flags kept; the rest after '--' is extra");
	hx_opts_release(&o);

	hx_error_clear();
	ok(hx_cli_parse(&o, 2, bad) < 0, "unknown short flag");
	is_str(hx_error_message(),
	       "error: unknown flag '-x' for 'patch' (see 'helm-x patch "
	       "--help')",
	       "unknown flag message");
	hx_opts_release(&o);
	hx_error_clear();
	ok(hx_cli_parse(&o, 2, novalue) < 0, "missing value");
	is_str(hx_error_message(), "error: flag '-n' needs a value",
	       "missing value message");
	hx_opts_release(&o);
	hx_error_clear();
	hx_strvec_clear(&full);
	hx_strvec_clear(&bad_sv);
	hx_strvec_clear(&nov_sv);
}

int main(void)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_strvec sv = HX_STRVEC_INIT;
	char *s, *d;
	size_t len;

	ok(sb.buf && !*sb.buf && sb.len == 0, "an empty strbuf is \"\"");
	hx_strbuf_addf(&sb, "%s-%d", "a", 42);
	hx_strbuf_addchars(&sb, 'x', 3);
	hx_strbuf_addch(&sb, '!');
	is_str(sb.buf, "a-42xxx!", "addf, addchars, addch");
	s = hx_strbuf_detach(&sb, &len);
	ok(len == 8 && sb.len == 0 && !*sb.buf, "detach hands the string over");
	free(s);
	for (len = 0; len < 1000; len++)
		hx_strbuf_add(&sb, "0123456789", 10);
	ok(sb.len == 10000 && strlen(sb.buf) == 10000, "strbuf grows");
	hx_strbuf_release(&sb);

	hx_strvec_pushl(&sv, "helm", "x", "a b", NULL);
	ok(sv.n == 3 && !strcmp(sv.v[2], "a b") && sv.v[3] == NULL,
	   "strvec is a NULL-terminated argv");
	hx_strvec_clear(&sv);
	ok(sv.n == 0 && sv.v == NULL, "strvec clear");

	hx_error_clear();
	ok(!hx_error_is_set() && !*hx_error_message(), "no error at start");
	hx_error_set_at("f.yaml", 3, 7, "duplicate key '%s'", "image");
	is_str(hx_error_message(), "f.yaml:3:7: error: duplicate key 'image'",
	       "error with position");
	hx_error_prefix("op %d: ", 2);
	hx_error_suffix(" (%s)", "v1 Service web");
	is_str(hx_error_message(),
	       "f.yaml:3:7: error: op 2: duplicate key 'image' (v1 Service "
	       "web)",
	       "prefix goes after the position, suffix at the end");
	hx_error_clear();
	hx_error_set("plain");
	is_str(hx_error_message(), "error: plain", "error without position");
	hx_error_clear();

	d = hx_dirname("a/b/c.yaml");
	is_str(d, "a/b", "dirname");
	free(d);
	d = hx_dirname("c.yaml");
	is_str(d, ".", "dirname of a bare name");
	free(d);
	d = hx_path_join("a/b", "ops.json");
	is_str(d, "a/b/ops.json", "path join");
	free(d);
	d = hx_path_join("a", "/abs");
	is_str(d, "/abs", "absolute names are kept");
	free(d);
	ok(hx_read_file(&s, &len, "/nonexistent/x") < 0, "missing file fails");
	is_str(hx_error_message(),
	       "error: cannot open '/nonexistent/x': No such file or directory",
	       "missing file message");
	hx_error_clear();
	cli();
	return tap_done();
}
