/*
 * The line that leads each HelmRelease's objects in flux template's
 * output, and reading it back from a saved template (flux diff --from):
 * its format is here alone.
 */
#include <stdlib.h>
#include <string.h>

#include "hx/flux.h"
#include "hx/strbuf.h"
#include "hx/util.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

static const char mark[] = "# HelmRelease ";
static const char in_ns[] = " in namespace ";

void hx_flux_header(struct hx_strbuf *sb, const struct hx_flux_job *j)
{
	hx_strbuf_addf(sb, "%s%s/%s: release %s%s%s\n", mark, j->obj->ns,
	               j->obj->name, j->release, in_ns, j->rel_ns);
}

int hx_flux_split_saved(struct hx_streams *out, struct hx_strvec *ns,
                        struct hx_streams *in)
{
	size_t i, j;

	for (i = 0; i < in->n; i++) {
		struct hx_stream *st = &in->v[i];
		struct hx_strbuf seg = HX_STRBUF_INIT;
		char *cur_ns = hx_xstrdup("default");

		for (j = 0; j <= st->n; j++) {
			const char *t =
			        j < st->n ? st->buf + st->docs[j].off : NULL;
			size_t len = j < st->n ? st->docs[j].len : 0;
			const char *m = NULL;

			if (t) {
				const char *p = t;

				while (p < t + len && !m) {
					const char *e = memchr(
					        p, '\n', (size_t)(t + len - p));

					if (!strncmp(p, mark, sizeof(mark) - 1))
						m = p;
					else if (*p != '#' && *p != '-' &&
					         *p != '\n')
						break;
					p = e ? e + 1 : t + len;
				}
			}
			if ((m || !t) && seg.len) {
				struct hx_strbuf name = HX_STRBUF_INIT;
				size_t sl;
				char *b;

				hx_strbuf_addf(&name, "%s", st->name);
				b = hx_strbuf_detach(&seg, &sl);
				hx_stream_init_buf(hx_streams_add(out),
				                   name.buf, b, sl);
				hx_strbuf_release(&name);
				hx_strvec_push(ns, cur_ns);
			}
			if (m) {
				const char *e =
				        memchr(m, '\n', (size_t)(t + len - m));
				char *line = hx_xstrndup(
				        m, (size_t)((e ? e : t + len) - m));
				const char *n = strstr(line, in_ns);

				free(cur_ns);
				cur_ns = hx_xstrdup(n ? n + sizeof(in_ns) - 1
				                      : "default");
				free(line);
			}
			if (t)
				hx_strbuf_add(&seg, t, len);
		}
		hx_strbuf_release(&seg);
		free(cur_ns);
	}
	return 0;
}
