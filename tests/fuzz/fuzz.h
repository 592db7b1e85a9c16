/*
 * Shared by the fuzz targets (libFuzzer entry points; tests/fuzz/replay.c
 * runs them without libFuzzer).  An input of several parts (a document, a
 * patch file, an OpenAPI file) holds them separated by NUL bytes, which no
 * YAML may contain.  Parts that the library reads by path are written to
 * a private temporary directory, made once per process.
 */
#ifndef HX_FUZZ_H
#define HX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

struct hx_node;
struct hx_stream;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Split data at NUL bytes into at most max parts (the last takes the
 * rest); returns how many.  Parts point into data. */
size_t fuzz_split(const uint8_t *data, size_t size, const char **part,
                  size_t *len, size_t max);

/* Write len bytes to NAME in the private directory; returns its path
 * (static storage, valid until the next call with the same name). */
const char *fuzz_file(const char *name, const char *buf, size_t len);

/*
 * The emitter's oracle: every document of st that a patch re-emitted
 * (modified) must parse again, and emitting what it parsed to must give
 * the same bytes.  Aborts (a finding) when not.
 */
void fuzz_check_reemitted(struct hx_stream *st);

/* Structural equality, stricter than JSON's: order, kinds, tags and each
 * scalar's type and text (or value) all agree. */
int fuzz_same_tree(const struct hx_node *a, const struct hx_node *b);

#endif
