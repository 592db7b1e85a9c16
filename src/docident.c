/*
 * The identity of a document (docident.h).
 */
#include "hx/docident.h"

#include <string.h>

#include "hx/node.h"
#include "hx/strbuf.h"

#include "hx/banned.h"

void hx_ident_get(struct hx_ident *id, const struct hx_node *root)
{
	const char *slash;

	memset(id, 0, sizeof(*id));
	if (root->kind != HX_MAP)
		return;
	id->api_version = hx_node_str(hx_map_get(root, "apiVersion"));
	id->kind = hx_node_str(hx_map_get(root, "kind"));
	id->name = hx_node_str(hx_map_path(root, "metadata", "name", NULL));
	id->ns = hx_node_str(hx_map_path(root, "metadata", "namespace", NULL));
	id->labels = hx_map_path(root, "metadata", "labels", NULL);
	id->annotations = hx_map_path(root, "metadata", "annotations", NULL);
	if (id->ns && !*id->ns)
		id->ns = NULL;
	if (id->api_version) {
		slash = strrchr(id->api_version, '/');
		id->group_len = slash ? (size_t)(slash - id->api_version) : 0;
		id->version = slash ? slash + 1 : id->api_version;
	}
}

char *hx_doc_ident(const struct hx_node *root)
{
	struct hx_strbuf sb = HX_STRBUF_INIT;
	struct hx_ident id;

	hx_ident_get(&id, root);
	if (!id.kind) {
		hx_strbuf_adds(&sb, root->kind == HX_SEQ ? "a list document"
		                    : root->kind == HX_SCALAR
		                            ? "a scalar document"
		                            : "a document without kind");
		return hx_strbuf_detach(&sb, NULL);
	}
	if (id.api_version)
		hx_strbuf_addf(&sb, "%s ", id.api_version);
	hx_strbuf_adds(&sb, id.kind);
	if (id.name || id.ns)
		hx_strbuf_addch(&sb, ' ');
	if (id.ns)
		hx_strbuf_addf(&sb, "%s/", id.ns);
	if (id.name)
		hx_strbuf_adds(&sb, id.name);
	return hx_strbuf_detach(&sb, NULL);
}

/*
 * kustomize's list documents: a kind ending in "List" with an items list
 * (v1 List, ConfigMapList, ...), whose items are objects of their own.
 */
struct hx_node *hx_list_items(const struct hx_node *root)
{
	const char *kind = hx_node_str(hx_map_get(root, "kind"));
	size_t len = kind ? strlen(kind) : 0;
	struct hx_node *items;

	if (len < 4 || strcmp(kind + len - 4, "List"))
		return NULL;
	items = hx_map_get(root, "items");
	return items && items->kind == HX_SEQ ? items : NULL;
}
