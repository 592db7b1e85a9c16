#ifndef HX_BASE64_H
#define HX_BASE64_H

#include <stddef.h>

struct hx_strbuf;

/*
 * Decode standard base64 with padding (a Secret's data) onto out; -1 when
 * s is not that (out may then hold part of it).
 */
int hx_base64_decode(struct hx_strbuf *out, const char *s, size_t len);

#endif
