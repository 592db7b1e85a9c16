#ifndef HX_VERSION_H
#define HX_VERSION_H

#include <stdio.h>

#define HX_VERSION "0.1.0"

/* What this binary was built with and against, one item per line. */
void hx_build_info(FILE *f);

#endif
