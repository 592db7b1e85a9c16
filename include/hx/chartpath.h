#ifndef HX_CHARTPATH_H
#define HX_CHARTPATH_H

#include <stddef.h>

/*
 * Paths inside the temporary chart.  The names come from documents (a
 * "# Source:" line, a kind, a name), which strangers wrote: they are data,
 * never paths.  Every output path is built from a root helm-x chose
 * (templates/, crds/, charts/NAME/ ...) plus components checked one by one,
 * and files are created relative to the chart's directory descriptor
 * without following links (STYLE.md 4.3, SPEC.md section 10).
 */

/*
 * Check one component of len bytes: not empty, not "." or "..", no '/'
 * and no NUL, at most 255 bytes.  Returns NULL when it is fine, else why
 * not (a static string).
 */
const char *hx_chartpath_bad_component(const char *s, size_t len);

/*
 * The file a "# Source: CHART/REST" line (len bytes, as helm template
 * writes it) names in the temporary chart: REST, which must be
 * templates/PATH, crds/PATH or charts/NAME/ followed by one of these, with
 * every component checked, and a last component that Helm renders (not
 * "_*", nor NOTES.txt right in a templates/ dir).  *out is new (free()
 * it).  Sets the error ("'# Source: ...': why") and returns -1.
 */
int hx_chartpath_from_source(char **out, const char *src, size_t len);

/*
 * "templates/KIND-NAME.yaml" (kind in lower case) for a document without a
 * "# Source:" line; kind and name are single components.  *out is new.
 * Sets the error and returns -1.
 */
int hx_chartpath_from_object(char **out, const char *kind, size_t klen,
                             const char *name, size_t nlen);

/*
 * "templates/BASE" for a manifest file's base name.  *out is new.  Sets the
 * error and returns -1 (a name Helm would not render, such as "_x.yaml").
 */
int hx_chartpath_from_file(char **out, const char *base);

/*
 * Create the new file rel (a path checked as above) below the directory
 * open as rootfd: each directory is created 0700 if missing and opened with
 * O_NOFOLLOW, the file with O_CREAT | O_EXCL | O_NOFOLLOW (mode 0600).
 * Returns the open descriptor (close it), or -1 with the error set (naming
 * the path as display/rel).
 */
int hx_chartpath_create(int rootfd, const char *rel, const char *display);

/* Write len bytes of buf to the new file rel below rootfd (as above). */
int hx_chartpath_write(int rootfd, const char *rel, const char *display,
                       const char *buf, size_t len);

#endif
