/*
 * A patch that matched nothing: the error or warning naming it, and what
 * the render holds near its target (patchrun.h).
 */
#include <stdlib.h>
#include <string.h>

#include "hx/docident.h"
#include "hx/err.h"
#include "hx/kzxform.h"
#include "hx/patchrun.h"
#include "hx/patchset.h"
#include "hx/select.h"
#include "hx/strbuf.h"
#include "hx/strvec.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static void describe_target(struct hx_strbuf *sb, const struct hx_patch *p)
{
	const struct hx_target *t = &p->target;
	const char *sep = "";

	if (!p->has_target) {
		hx_strbuf_adds(sb, "every document");
		return;
	}
#define FIELD(name, val)                                                       \
	do {                                                                   \
		if (val) {                                                     \
			hx_strbuf_addf(sb, "%s%s=%s", sep, name, val);         \
			sep = ", ";                                            \
		}                                                              \
	} while (0)
	FIELD("group", t->group);
	FIELD("version", t->version);
	FIELD("kind", t->kind);
	FIELD("name", t->name);
	FIELD("namespace", t->ns);
	FIELD("labelSelector", p->label_text);
	FIELD("annotationSelector", p->annotation_text);
#undef FIELD
	if (!*sep)
		hx_strbuf_adds(sb, "anything");
}

/* A kustomization key's transformer that applied to nothing. */
static void describe_kzx(struct hx_strbuf *sb, const struct hx_patch *p)
{
	switch (p->kzx->type) {
	case HX_KZX_IMAGE:
		hx_strbuf_addf(sb,
		               "images entry %zu of %s matched no container "
		               "image (name: %s)",
		               p->index, p->file, p->kzx->name);
		break;
	case HX_KZX_REPLICAS:
		hx_strbuf_addf(
		        sb,
		        "replicas entry %zu of %s matched no Deployment, "
		        "ReplicaSet, ReplicationController or "
		        "StatefulSet named '%s'",
		        p->index, p->file, p->kzx->name);
		break;
	default:
		hx_strbuf_addf(sb,
		               "%s of %s applied to no document: the "
		               "render is empty",
		               p->flag, p->file);
	}
}

int hx_patchset_check_matched(const struct hx_patchset *ps, int allow,
                              struct hx_strvec *warnings)
{
	size_t i;

	for (i = 0; i < ps->warnings.n; i++)
		hx_strvec_push(warnings, ps->warnings.v[i]);

	for (i = 0; i < ps->n; i++) {
		const struct hx_patch *p = &ps->patches[i];
		struct hx_strbuf sb = HX_STRBUF_INIT;

		if (p->matches || p->any_render)
			continue;
		if (p->type == HX_PATCH_KZX) {
			describe_kzx(&sb, p);
		} else {
			hx_strbuf_addf(&sb,
			               "patch %zu of %s matched no document "
			               "(target: ",
			               p->index, p->flag);
			describe_target(&sb, p);
			hx_strbuf_addch(&sb, ')');
		}
		if (!allow) {
			hx_error_set_node(p->where, "%s", sb.buf);
			hx_strbuf_release(&sb);
			return -1;
		}
		hx_strbuf_addf(&sb, " at %s:%u:%u", p->file, p->where->line,
		               p->where->col);
		hx_strvec_push(warnings, sb.buf);
		hx_strbuf_release(&sb);
	}
	return 0;
}

/* ---- what the render holds near a target that matched nothing ------- */

struct near {
	struct hx_strbuf same_kind, same_name;
	struct hx_strvec kinds; /* the first few kinds, once each */
	size_t n_kind, n_name, objects;
	int release_name; /* an object is "release-name-" + the target name */
};

#define NEAR_MAX 4

static int part_matches(const char *want, const struct hx_regex *re,
                        const char *have)
{
	if (!want)
		return 1;
	if (!have)
		return 0;
	return re ? hx_regex_match(re, have) > 0 : !strcmp(want, have);
}

static void near_add(struct hx_strbuf *sb, size_t *n, const struct hx_ident *id)
{
	if ((*n)++ >= NEAR_MAX)
		return;
	/* names from the render: control characters shown as escapes */
	if (sb->len)
		hx_strbuf_adds(sb, ", ");
	hx_strbuf_add_visible(sb, id->kind ? id->kind : "?",
	                      id->kind ? strlen(id->kind) : 1);
	hx_strbuf_addch(sb, ' ');
	if (id->ns) {
		hx_strbuf_add_visible(sb, id->ns, strlen(id->ns));
		hx_strbuf_addch(sb, '/');
	}
	hx_strbuf_add_visible(sb, id->name ? id->name : "?",
	                      id->name ? strlen(id->name) : 1);
}

static void near_object(struct near *nr, const struct hx_target *t,
                        const struct hx_node *root, int depth)
{
	const struct hx_node *items = hx_list_items(root);
	struct hx_ident id;
	int k, nm;
	size_t i;

	if (items && depth < HX_MAX_LIST_DEPTH) {
		for (i = 0; i < items->u.seq.n; i++)
			near_object(nr, t, items->u.seq.items[i], depth + 1);
		return;
	}
	hx_ident_get(&id, root);
	if (!id.kind)
		return;
	nr->objects++;
	k = part_matches(t->kind, t->kind_re, id.kind);
	nm = part_matches(t->name, t->name_re, id.name);
	if (k && t->name && id.name && !strncmp(id.name, "release-name-", 13) &&
	    !strcmp(id.name + 13, t->name))
		nr->release_name = 1;
	if (k && t->kind)
		near_add(&nr->same_kind, &nr->n_kind, &id);
	else if (nm && t->name)
		near_add(&nr->same_name, &nr->n_name, &id);
	if (nr->kinds.n < 8 && !hx_strvec_has(&nr->kinds, id.kind))
		hx_strvec_push(&nr->kinds, id.kind);
}

static void near_list(struct hx_strbuf *out, const char *what,
                      const struct hx_strbuf *sb, size_t n)
{
	hx_strbuf_addf(out, "; %s: %s", what, sb->buf);
	if (n > NEAR_MAX)
		hx_strbuf_addf(out, " and %zu more", n - NEAR_MAX);
}

void hx_patchset_explain_nomatch(const struct hx_patchset *ps,
                                 struct hx_stream *sts, size_t nstreams)
{
	const struct hx_patch *p = NULL;
	struct hx_arena a = HX_ARENA_INIT;
	struct hx_strbuf out = HX_STRBUF_INIT;
	struct near nr;
	char *head = NULL, *msg = NULL;
	size_t i, j;

	for (i = 0; i < ps->n && !p; i++)
		if (!ps->patches[i].matches && ps->patches[i].has_target &&
		    ps->patches[i].type != HX_PATCH_KZX)
			p = &ps->patches[i];
	if (!p || (!p->target.kind && !p->target.name))
		return;
	memset(&nr, 0, sizeof(nr));
	/* the no-match error stays; a document that fails to load here is
	 * left out */
	hx_error_save(&head, &msg);
	for (i = 0; i < nstreams; i++)
		for (j = 0; j < sts[i].n; j++) {
			struct hx_doc *d = &sts[i].docs[j];

			if (d->empty)
				continue;
			hx_arena_reset(&a);
			if (hx_doc_load(&sts[i], d, &a) < 0)
				continue;
			if (d->root)
				near_object(&nr, &p->target, d->root, 0);
			d->root = NULL;
		}
	if (!nr.objects) {
		hx_strbuf_adds(&out, "; the render holds no object");
	} else if (nr.n_kind) {
		near_list(&out, "the render holds", &nr.same_kind, nr.n_kind);
	} else if (nr.n_name) {
		near_list(&out, "of that name the render holds", &nr.same_name,
		          nr.n_name);
	} else {
		hx_strbuf_addf(&out, "; the render holds no %s; its kinds:",
		               p->target.kind ? p->target.kind
		                              : "object of that name");
		for (i = 0; i < nr.kinds.n; i++) {
			hx_strbuf_adds(&out, i ? ", " : " ");
			hx_strbuf_add_visible(&out, nr.kinds.v[i],
			                      strlen(nr.kinds.v[i]));
		}
	}
	if (nr.release_name)
		hx_strbuf_adds(&out, " (named for the release 'release-name', "
		                     "as helm names it when RELEASE is left "
		                     "out: give RELEASE)");
	hx_error_restore(head, msg);
	free(head);
	free(msg);
	hx_error_suffix("%s", out.buf);
	hx_strbuf_release(&out);
	hx_strbuf_release(&nr.same_kind);
	hx_strbuf_release(&nr.same_name);
	hx_strvec_clear(&nr.kinds);
	hx_arena_release(&a);
}
