#include "hx/base64.h"

#include "hx/strbuf.h"

#include "hx/banned.h"

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int hx_base64_decode(struct hx_strbuf *out, const char *s, size_t len)
{
	size_t i;
	unsigned acc = 0;
	int bits = 0, pad = 0;

	if (len % 4)
		return -1;
	for (i = 0; i < len; i++) {
		int v;

		if (s[i] == '=') {
			if (i + 2 < len)
				return -1;
			pad++;
			continue;
		}
		if (pad || (v = b64val((unsigned char)s[i])) < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			hx_strbuf_addch(out, (int)((acc >> bits) & 0xff));
		}
	}
	return 0;
}
