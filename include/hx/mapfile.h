#ifndef HX_MAPFILE_H
#define HX_MAPFILE_H

#include <stddef.h>

/*
 * Big regular files mapped instead of read: no copy into fresh memory, so
 * fewer page faults and no kernel copy (the largest cost after parsing on
 * a 15 MB stream).  A mapped file that another process makes shorter
 * would kill the process with SIGBUS when its lost pages are touched: a
 * handler puts zero pages there instead and remembers it, and
 * hx_mapfile_changed() then says so, so that nothing read from it is used.
 */

/* Files below this many bytes are read, not mapped. */
#define HX_MAP_MIN ((size_t)1 << 20)

/*
 * Map path when it is a regular file of at least HX_MAP_MIN bytes whose
 * size is not a whole number of pages (the page's rest is the NUL that
 * ends the buffer).  Returns 1 and sets *buf, *len; 0 when the file is not
 * one to map (read it); never an error of its own.
 */
int hx_mapfile_map(char **buf, size_t *len, const char *path);
/* 1 if buf is a mapping made by hx_mapfile_map (unmapped by
 * hx_mapfile_release). */
int hx_mapfile_owns(const char *buf);
void hx_mapfile_release(char *buf, size_t len);
/* Touch every page of every mapping (so that a lost one is noted now). */
void hx_mapfile_probe(void);
/*
 * The name of a mapped file that became shorter while it was mapped, or
 * NULL.  Every output made from mapped input is checked with it.
 */
const char *hx_mapfile_changed(void);

#endif
