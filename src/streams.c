/* A list of YAML streams (streams.h). */
#include "hx/streams.h"

#include <stdlib.h>

#include "hx/alloc.h"
#include "hx/yamldoc.h"

#include "hx/banned.h"

void hx_streams_release(struct hx_streams *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		hx_stream_release(&s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->alloc = 0;
}

struct hx_stream *hx_streams_add(struct hx_streams *s)
{
	struct hx_stream init = HX_STREAM_INIT;

	hx_grow(&s->v, &s->alloc, s->n + 1, sizeof(*s->v));
	s->v[s->n] = init;
	return &s->v[s->n++];
}
