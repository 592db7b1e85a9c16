#ifndef HX_SHA256_H
#define HX_SHA256_H

#include <stddef.h>

/*
 * SHA-256 (FIPS 180-4) of len bytes, as 64 lower-case hex digits and a NUL
 * in hex[65]: helm-controller's shortened release names hash with it.
 */
void hx_sha256_hex(char hex[65], const void *data, size_t len);

#endif
