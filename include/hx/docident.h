#ifndef HX_DOCIDENT_H
#define HX_DOCIDENT_H

#include <stddef.h>

/*
 * What a document is: its apiVersion, kind, name, namespace, labels and
 * annotations, as a patch target matches them; and kustomize's list
 * documents, whose items are objects of their own.
 */

struct hx_node;

struct hx_ident {
	const char *api_version, *kind, *name, *ns; /* borrowed, or NULL */
	const struct hx_node *labels, *annotations;
	size_t group_len; /* of api_version */
	const char *version;
};

/* The identity of a document root (borrowed from its tree). */
void hx_ident_get(struct hx_ident *id, const struct hx_node *root);

/* "apps/v1 Deployment ns/name" of a document root (new, free() it). */
char *hx_doc_ident(const struct hx_node *root);

/*
 * The items of a list document: a kind ending in "List" with an items
 * list (v1 List, ConfigMapList, ...), or NULL.  Lists inside lists are
 * followed HX_MAX_LIST_DEPTH deep.
 */
struct hx_node *hx_list_items(const struct hx_node *root);
#define HX_MAX_LIST_DEPTH 8

#endif
