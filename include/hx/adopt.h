#ifndef HX_ADOPT_H
#define HX_ADOPT_H

#include "hx/strvec.h"

/*
 * Adoption: make objects that exist in the cluster part of a Helm release,
 * by giving them the ownership metadata Helm 3 and 4 check before they
 * install over an object (meta.helm.sh/release-name and release-namespace
 * annotations, the label app.kubernetes.io/managed-by: Helm), through
 * kubectl ($KUBECTL_BIN, else kubectl in PATH) with helm's kubeconfig,
 * context and credentials.
 */

/*
 * Split KIND/NAME words (each may be a comma list: "cm/a,deploy/b") into
 * out, checking each.  Sets the error and returns -1 on a malformed one.
 */
int hx_adopt_parse(struct hx_strvec *out, const char *word);

/*
 * Adopt every object of objs into release in namespace ns (NULL: the
 * kubeconfig's, else "default").  Every object is read first; one that
 * another release owns, or that is not there, is an error before any is
 * changed.  Prints one line per object to stdout when verbose, else to
 * stderr.  Returns 0, or -1 with the error set.
 */
int hx_adopt(const char *release, const char *ns, const struct hx_strvec *objs,
             int verbose);

#endif
