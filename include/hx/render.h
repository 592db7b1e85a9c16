#ifndef HX_RENDER_H
#define HX_RENDER_H

struct hx_strvec;

/*
 * The manifest files of a raw directory: *.yaml, *.yml and *.json, found
 * recursively (names starting with '.' are skipped) and sorted by path.
 * Appends to out; sets the error and returns -1 when dir cannot be read.
 */
int hx_render_list_manifests(struct hx_strvec *out, const char *dir);

#endif
