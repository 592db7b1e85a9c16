#ifndef HX_STREAMS_H
#define HX_STREAMS_H

#include <stddef.h>

struct hx_stream;

/* Streams, owned, in order. */
struct hx_streams {
	struct hx_stream *v;
	size_t n, alloc;
};
#define HX_STREAMS_INIT                                                        \
	{                                                                      \
		NULL, 0, 0                                                     \
	}
void hx_streams_release(struct hx_streams *s);
/* A new empty stream at the end (borrowed). */
struct hx_stream *hx_streams_add(struct hx_streams *s);

#endif
