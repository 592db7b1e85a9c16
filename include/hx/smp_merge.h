#ifndef HX_SMP_MERGE_H
#define HX_SMP_MERGE_H

/*
 * Inside the strategic merge: what smp.c (maps, directives, the entry
 * points) and smp_list.c (lists: apimachinery's mergeSlice and
 * $setElementOrder) share, smp_util.c's helpers below both.  No other
 * module includes this.
 */

#include <stddef.h>

#include "hx/compat.h"
#include "hx/schema.h"
#include "hx/strbuf.h"

struct hx_arena;
struct hx_node;

#define HX_SMP_SEO "$setElementOrder/"
#define HX_SMP_DFPL "$deleteFromPrimitiveList/"

/* One merge: where new nodes come from, and where it is. */
struct hx_smp {
	struct hx_arena *a;
	struct hx_strbuf path; /* JSON pointer of the place being merged */
	/* apimachinery's mergeMap (smp.c's), which a list of maps calls
	 * for each item: patch merged into *orig (a new map when none) */
	int (*merge_map)(struct hx_smp *s, struct hx_node **orig,
	                 const struct hx_node *patch, struct hx_stype t);
};

/* smp_util.c.  "strategic merge: MESSAGE at 'PATH'", located at where. */
void hx_smp_error(struct hx_smp *s, const struct hx_node *where,
                  const char *fmt, ...) HX_PRINTF(3, 4);
/* Path steps into a key or an index; pop back to the mark they return. */
size_t hx_smp_path_push(struct hx_smp *s, const char *key, size_t len);
size_t hx_smp_path_push_index(struct hx_smp *s, size_t i);
void hx_smp_path_pop(struct hx_smp *s, size_t mark);

/* A scalar key that starts with prefix, or is s. */
int hx_smp_key_starts(const struct hx_node *k, const char *prefix);
int hx_smp_key_is(const struct hx_node *k, const char *s);
/* $patch, $retainKeys, $setElementOrder/..., $deleteFromPrimitiveList/... */
int hx_smp_is_directive(const struct hx_node *k);
/* A map's "$patch" value, or NULL. */
const char *hx_smp_directive(const struct hx_node *m);

/*
 * A copy of a patch value taken whole, without directives.  drop_nulls also
 * drops map entries whose value is null (apimachinery's
 * discardNullValuesFromPatch, for values that had nothing to merge into).
 */
struct hx_node *hx_smp_strip(struct hx_smp *s, const struct hx_node *n,
                             int drop_nulls);

/*
 * smp_list.c.  The list patch merged with the live list orig as the
 * field's strategy says (mergeSliceHandler): *out is the new list.  field
 * names it in messages.
 */
int hx_smp_merge_list(struct hx_smp *s, struct hx_node **out,
                      const struct hx_node *orig, const struct hx_node *patch,
                      const struct hx_smeta *meta, struct hx_stype ft,
                      int delete_list, const char *field);
/*
 * The patch's i-th key, "$setElementOrder/FIELD": FIELD's list in orig
 * merged and put in that order; done[j] is set for the patch key of the
 * list it handled.
 */
int hx_smp_set_element_order(struct hx_smp *s, struct hx_node *orig,
                             const struct hx_node *patch, size_t i,
                             struct hx_stype t, unsigned char *done);

#endif
