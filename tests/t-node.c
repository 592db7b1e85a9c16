/* Unit tests: node tree, YAML 1.1 type resolution, equality. */
#include "hx/node.h"

#include <string.h>

#include "tap.h"

#include "hx/banned.h"

static struct hx_arena A = HX_ARENA_INIT;

static struct hx_node *plain(const char *s)
{
	return hx_node_new_scalar(&A, s, strlen(s), HX_STYLE_PLAIN);
}

static void resolves(const char *s, enum hx_type want)
{
	ok(hx_node_resolve(plain(s), NULL, NULL) == want,
	   "plain '%s' resolves to type %d", s, (int)want);
}

int main(void)
{
	struct hx_node *m, *q, *s;
	long long iv = 0;
	double fv = 0;

	resolves("", HX_TYPE_NULL);
	resolves("~", HX_TYPE_NULL);
	resolves("null", HX_TYPE_NULL);
	resolves("Null", HX_TYPE_NULL);
	resolves("nULL", HX_TYPE_STR);
	resolves("yes", HX_TYPE_BOOL);
	resolves("On", HX_TYPE_BOOL);
	resolves("off", HX_TYPE_BOOL);
	resolves("y", HX_TYPE_BOOL);
	resolves("True", HX_TYPE_BOOL);
	resolves("yEs", HX_TYPE_STR);
	resolves("12", HX_TYPE_INT);
	resolves("-12", HX_TYPE_INT);
	resolves("0x1F", HX_TYPE_INT);
	resolves("1_000", HX_TYPE_INT);
	/* yaml.v2 drops every '_' before it tries a float, too */
	resolves("1_0.0_1", HX_TYPE_FLOAT);
	resolves("-1_5e1_0", HX_TYPE_FLOAT);
	resolves("_1", HX_TYPE_STR);
	resolves("1_a", HX_TYPE_STR);
	resolves("1.5", HX_TYPE_FLOAT);
	resolves("1e3", HX_TYPE_FLOAT);
	resolves(".inf", HX_TYPE_FLOAT);
	resolves(".nan", HX_TYPE_FLOAT);
	resolves("1.2.3", HX_TYPE_STR);
	resolves("nginx:1.2", HX_TYPE_STR);
	resolves("0.0.0.0", HX_TYPE_STR);
	resolves("9223372036854775807", HX_TYPE_INT);
	resolves("9223372036854775808", HX_TYPE_FLOAT);

	ok(hx_node_resolve(plain("0777"), &iv, NULL) == HX_TYPE_INT &&
	           iv == 511,
	   "0777 is octal 511 (YAML 1.1)");
	ok(hx_node_resolve(plain("0b101"), &iv, NULL) == HX_TYPE_INT && iv == 5,
	   "0b101 is 5");
	ok(hx_node_resolve(plain("-9223372036854775808"), &iv, NULL) ==
	                   HX_TYPE_INT &&
	           iv == (-9223372036854775807LL - 1),
	   "int64 minimum survives");
	ok(hx_node_resolve(plain("2.5e1"), NULL, &fv) == HX_TYPE_FLOAT &&
	           fv == 25.0,
	   "2.5e1 is 25.0");
	q = hx_node_new_scalar(&A, "yes", 3, HX_STYLE_DOUBLE);
	ok(hx_node_resolve(q, NULL, NULL) == HX_TYPE_STR,
	   "quoted yes is a string");
	q = hx_node_new_scalar(&A, "", 0, HX_STYLE_ANY);
	ok(hx_node_resolve(q, NULL, NULL) == HX_TYPE_STR,
	   "an empty string of any style is a string, not null");
	q = hx_node_new_scalar(&A, "12", 2, HX_STYLE_SINGLE);
	ok(!hx_node_equal(q, plain("12")), "'12' differs from 12");
	ok(hx_node_equal(plain("1"), plain("1.0")), "1 equals 1.0");
	ok(hx_node_equal(plain("yes"), plain("true")), "yes equals true");
	ok(hx_node_equal(plain("~"), plain("null")), "~ equals null");

	m = hx_node_new_map(&A);
	hx_map_set(&A, m, "a", 1, plain("1"));
	hx_map_set(&A, m, "b", 1, plain("2"));
	s = hx_node_new_map(&A);
	hx_map_set(&A, s, "b", 1, plain("2"));
	hx_map_set(&A, s, "a", 1, plain("1"));
	ok(hx_node_equal(m, s), "maps compare unordered");
	hx_map_set(&A, s, "a", 1, plain("3"));
	ok(!hx_node_equal(m, s), "a changed value makes maps differ");
	ok(s->u.map.n == 2 && !strcmp(s->u.map.pairs[1].key->u.s.str, "a"),
	   "hx_map_set replaces in place");
	ok(hx_map_remove(s, "b", 1) && s->u.map.n == 1, "remove a key");
	ok(!hx_map_remove(s, "zz", 2), "removing a missing key says so");

	q = hx_node_new_seq(&A);
	hx_seq_append(&A, q, plain("x"));
	hx_seq_insert(&A, q, 0, plain("w"));
	hx_seq_append(&A, q, plain("y"));
	ok(q->u.seq.n == 3 && !strcmp(q->u.seq.items[0]->u.s.str, "w") &&
	           !strcmp(q->u.seq.items[2]->u.s.str, "y"),
	   "sequence insert and append");
	hx_seq_remove(q, 1);
	ok(q->u.seq.n == 2 && !strcmp(q->u.seq.items[1]->u.s.str, "y"),
	   "sequence remove");
	hx_map_set(&A, m, "list", 4, q);
	s = hx_node_copy(&A, m);
	ok(hx_node_equal(s, m) && s != m &&
	           hx_map_get(s, "list") != hx_map_get(m, "list"),
	   "deep copy is equal and distinct");
	ok(hx_map_path(m, "list", NULL) == q, "hx_map_path walks keys");

	hx_arena_release(&A);
	return tap_done();
}
