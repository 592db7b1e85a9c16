#ifndef HX_DIRTREE_H
#define HX_DIRTREE_H

struct hx_strvec;

/*
 * The manifest files under dir: *.yaml, *.yml and *.json, found
 * recursively (names starting with '.' are skipped, and the directory
 * skip when not NULL), sorted by path within each directory.  Appends
 * to out; sets the error and returns -1 when dir cannot be read, on a
 * link loop, past 64 levels or 100,000 entries.
 */
int hx_dirtree_manifests(struct hx_strvec *out, const char *dir,
                         const char *skip);

/*
 * cp -R from to (to must not exist): files and directories, links
 * followed but never in a circle, capped at the input limit.  0 or -1.
 */
int hx_dirtree_copy(const char *from, const char *to);

#endif
