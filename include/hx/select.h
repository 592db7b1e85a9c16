#ifndef HX_SELECT_H
#define HX_SELECT_H

#include <stddef.h>

struct hx_node;

/*
 * kustomize-style target matching: anchored regular expressions (PCRE2)
 * for kind, name and namespace, and Kubernetes label selectors.
 */

struct hx_regex; /* a compiled "^(?:PATTERN)$" */

/*
 * PCRE2 limits for one match (Go's RE2, which kustomize uses, is linear;
 * a backtracking pattern here stops with an error): steps of the matcher,
 * depth of its backtracking, and its heap in KiB.
 */
#define HX_REGEX_MATCH_LIMIT 200000
#define HX_REGEX_DEPTH_LIMIT 10000
#define HX_REGEX_HEAP_LIMIT_KB 20000

/*
 * Compile pattern (from node, for messages) anchored at both ends.  Errors
 * name the pattern and the offset: "invalid regular expression 'a(': ...".
 */
struct hx_regex *hx_regex_new(const char *pattern, const struct hx_node *node);
/* The same, unanchored: a match anywhere in the text (Go's MatchString). */
struct hx_regex *hx_regex_new_search(const char *pattern);
/*
 * 1 if s matches, 0 if not, -1 with the error set when matching failed (a
 * limit below was hit): never read as "no match".
 */
int hx_regex_match(const struct hx_regex *re, const char *s);
void hx_regex_free(struct hx_regex *re);

/* A parsed selector: requirements that must all hold. */
struct hx_selector;

/*
 * Parse Kubernetes selector syntax: "a=b", "a==b", "a!=b", "a in (x,y)",
 * "a notin (x,y)", "a", "!a", "a>1", "a<1", joined by commas.  Errors
 * point at the node and name the offset in the text.
 */
struct hx_selector *hx_selector_parse(const char *text,
                                      const struct hx_node *node);
/* Does the map (labels or annotations; may be NULL) satisfy it? */
int hx_selector_match(const struct hx_selector *sel, const struct hx_node *map);
void hx_selector_free(struct hx_selector *sel);

#endif
