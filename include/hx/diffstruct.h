#ifndef HX_DIFFSTRUCT_H
#define HX_DIFFSTRUCT_H

struct hx_strbuf;

/*
 * helm-diff's --output structured (its diff/structured.go): one JSON
 * entry per changed object, {apiVersion, kind, namespace, name,
 * changeType, resourceStatus {oldExists, newExists}, changes [{path,
 * field, change, oldValue, newValue}], changesSuppressed}, the changes
 * read off an RFC 7386 merge patch from the old object to the new one,
 * written as Go's encoding/json writes them.
 */
struct hx_dstruct_obj {
	const char *key;                 /* "NS, NAME, KIND (GROUP)" */
	const char *kind;                /* the object's kind */
	const char *change;              /* ADD, REMOVE or MODIFY */
	const char *old_text, *new_text; /* the compared texts ("": none) */
	int suppressed;                  /* its kind is in --suppress */
};

/*
 * Append the object's entry to sb, indented as the second level of a
 * list (two spaces).  Returns 0, or 1 when there is no entry: a MODIFY
 * whose objects differ in no field (helm-diff drops it).  An object that
 * is no JSON value (a YAML .inf, a list where a map was) gets helm-diff's
 * fallback entry {name: KEY, changeType} and a warning.
 */
int hx_diff_struct_entry(struct hx_strbuf *sb, const struct hx_dstruct_obj *o);

#endif
