#include "hx/strvec.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "hx/alloc.h"

#include "hx/banned.h"

void hx_strvec_push(struct hx_strvec *sv, const char *s)
{
	hx_grow(&sv->v, &sv->alloc, sv->n + 2, sizeof(*sv->v));
	sv->v[sv->n++] = hx_xstrdup(s);
	sv->v[sv->n] = NULL;
}

void hx_strvec_pushl(struct hx_strvec *sv, ...)
{
	const char *s;
	va_list ap;

	va_start(ap, sv);
	while ((s = va_arg(ap, const char *)) != NULL)
		hx_strvec_push(sv, s);
	va_end(ap);
}

void hx_strvec_push_all(struct hx_strvec *sv, const struct hx_strvec *words)
{
	size_t i;

	for (i = 0; words && i < words->n; i++)
		hx_strvec_push(sv, words->v[i]);
}

void hx_strvec_clear(struct hx_strvec *sv)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->alloc = 0;
}

int hx_strvec_has(const struct hx_strvec *sv, const char *s)
{
	size_t i;

	for (i = 0; i < sv->n; i++)
		if (!strcmp(sv->v[i], s))
			return 1;
	return 0;
}
