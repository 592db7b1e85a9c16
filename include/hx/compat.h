#ifndef HX_COMPAT_H
#define HX_COMPAT_H

/* What helm-x asks of the compiler beyond C11, with fallbacks. */

/* printf-style arguments a and b, checked by GCC and clang. */
#if defined(__GNUC__)
#define HX_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define HX_PRINTF(a, b)
#endif

#endif
