#ifndef HX_STRVEC_H
#define HX_STRVEC_H

#include <stddef.h>

/* A NULL-terminated, owning vector of strings (an argv). */
struct hx_strvec {
	char **v; /* owned, each string owned; never NULL after a push */
	size_t n, alloc;
};
#define HX_STRVEC_INIT                                                         \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

void hx_strvec_push(struct hx_strvec *sv, const char *s);
/* Push each argument up to a terminating NULL. */
void hx_strvec_pushl(struct hx_strvec *sv, ...) __attribute__((sentinel));
/* Push every string of words (NULL: none). */
void hx_strvec_push_all(struct hx_strvec *sv, const struct hx_strvec *words);
void hx_strvec_clear(struct hx_strvec *sv);
/* 1 when one of the strings is s. */
int hx_strvec_has(const struct hx_strvec *sv, const char *s);

#endif
