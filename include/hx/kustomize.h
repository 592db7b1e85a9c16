#ifndef HX_KUSTOMIZE_H
#define HX_KUSTOMIZE_H

struct hx_streams;
struct hx_render_opts;

/*
 * Build the kustomization in dir into a new stream of out, with
 * $KUSTOMIZE_BIN build, else kustomize build, else kubectl kustomize (the
 * first found; --enable-alpha-plugins when o->alpha_plugins).  The -f
 * values files in o->values may set images, namePrefix, nameSuffix and
 * namespace: they go into an overlay kustomization in o->tmpdir whose base
 * is dir; keys its templates/tests read are theirs; any other key is an
 * error at its position.  Returns 0, -1 with
 * the error set, or the builder's non-zero exit status.
 */
int hx_kustomize_build(struct hx_streams *out, const char *dir,
                       const struct hx_render_opts *o);

struct hx_strvec;

/*
 * The top-level values the templates of DIR/templates/tests read
 * (".Values.NAME", pushed to keys once each); *all when one reads .Values
 * whole; *has_tests when that dir exists.
 */
void hx_kustomize_test_values(const char *dir, struct hx_strvec *keys, int *all,
                              int *has_tests);

#endif
