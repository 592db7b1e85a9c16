#ifndef HX_YAMLRESOLVE_H
#define HX_YAMLRESOLVE_H

/*
 * What the YAML loader (yamldoc.c) resolves beyond libyaml.
 */

struct hx_arena;
struct hx_node;

/*
 * A tag libyaml resolved, as the emitter writes it back (in arena a): the
 * standard ones as "!!suffix", a local one ("!foo") as it is, and any
 * other (a %TAG handle's, or one a shorthand cannot spell) in the
 * verbatim form "!<...>" with %XX escapes.  NULL for NULL.
 */
const char *hx_yaml_tag(struct hx_arena *a, const char *tag);

/*
 * Resolve one YAML 1.1 merge key of map ("<<": a mapping or a list of
 * mappings) as Kubernetes' YAML reader does: the keys of the mapping(s)
 * that map does not set itself take its place, in their order, the first
 * source winning.  1 when one was resolved (the tree is then no longer
 * the text), 0 when there is none, -1 with the error set when its value
 * is no mapping.
 */
int hx_yaml_merge(struct hx_arena *a, struct hx_node *map);

#endif
