/* SPDX-License-Identifier: MIT */
#include <string.h>

#include "core/util.h"
#include "emulator/http/utf8.h"

size_t utf8_seq_len(const unsigned char *s, size_t left)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
		 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;

	if (n > left)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f))) ||
	    (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))))
		return 0; /* overlong, surrogate, beyond U+10FFFF */
	return n;
}

size_t utf8_invalid_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t at = 0;

	while (at < len) {
		size_t n = utf8_seq_len(p + at, len - at);
		if (n == 0)
			return at;
		at += n;
	}
	return len;
}

char *utf8_scrub(const char *s)
{
	char *out = xstrdup(s);
	size_t len = strlen(out);

	for (size_t at = 0; at < len;) {
		size_t n = utf8_seq_len((unsigned char *)out + at, len - at);
		if (n == 0)
			out[at++] = '?';
		else
			at += n;
	}
	return out;
}
