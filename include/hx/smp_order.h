#ifndef HX_SMP_ORDER_H
#define HX_SMP_ORDER_H

#include <stddef.h>
#include <stdint.h>

/*
 * The ordering tools of strategic merge: Go's index() over a list, in O(1)
 * a look-up, and Go's sort.SliceStable replayed exactly (apimachinery's
 * comparator is no strict order, so only the same algorithm gives the
 * same list).
 */

struct hx_node;

/*
 * An index of the items v[0..n) (by merge-key value with mk, else whole):
 * a hash table whose buckets are chained in list order, so that a look-up
 * finds the first equal item as Go's index() does.  Short lists are
 * scanned instead.
 */
struct hx_keyidx {
	struct hx_node *const *v; /* borrowed */
	size_t n;
	const char *mk; /* borrowed, or NULL */
	size_t nb;      /* buckets (a power of two), 0 when scanning */
	size_t *head;   /* owned: first item of each bucket, or (size_t)-1 */
	size_t *next;   /* owned: next item in the same bucket */
	uint64_t *hash; /* owned: each item's hash */
};

void hx_keyidx_init(struct hx_keyidx *x, struct hx_node *const *v, size_t n,
                    const char *mk);
/* Position of the first item equal to item (hx_node_equal), or -1. */
long hx_keyidx_find(const struct hx_keyidx *x, const struct hx_node *item);
void hx_keyidx_release(struct hx_keyidx *x);

/*
 * Sort v[0..n) as Go's sort.SliceStable with apimachinery's comparator:
 * i before j when either is missing from order[0..norder) or i comes
 * first there.
 */
void hx_go_stable_sort(struct hx_node **v, size_t n,
                       struct hx_node *const *order, size_t norder,
                       const char *mk);

#endif
