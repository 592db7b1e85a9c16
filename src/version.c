#include "hx/version.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <jansson.h>
#include <pcre2.h>
#include <yaml.h>

#include "hx/banned.h"

#if defined(__SANITIZE_ADDRESS__)
#define HX_SANITIZED " with AddressSanitizer"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HX_SANITIZED " with AddressSanitizer"
#endif
#endif
#ifndef HX_SANITIZED
#define HX_SANITIZED ""
#endif

void hx_build_info(FILE *f)
{
	char pcre[64] = "?";

	if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) <= (int)sizeof pcre)
		pcre2_config(PCRE2_CONFIG_VERSION, pcre);
	fprintf(f, "  libyaml %s, PCRE2 %s, jansson %s\n",
	        yaml_get_version_string(), pcre, jansson_version_str());
#ifdef __VERSION__
	fprintf(f, "  built with C compiler %s%s\n", __VERSION__, HX_SANITIZED);
#endif
#ifdef HX_BUILD
	fprintf(f, "  built as %s\n", HX_BUILD);
#else
	fprintf(f, "  built from source (make)\n");
#endif
}
