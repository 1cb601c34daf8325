/* SPDX-License-Identifier: MIT */
/* Text that is not UTF-8 (see text.h). */
#include "core/text.h"

#include <string.h>

/* The range the second byte of a sequence must fall in, by its lead byte
 * (Unicode 15, table 3-7): this is what excludes overlong forms,
 * surrogates and code points above U+10FFFF. */
static bool second_byte_ok(unsigned char lead, unsigned char b)
{
	switch (lead) {
	case 0xe0:
		return b >= 0xa0 && b <= 0xbf;
	case 0xed:
		return b >= 0x80 && b <= 0x9f;
	case 0xf0:
		return b >= 0x90 && b <= 0xbf;
	case 0xf4:
		return b >= 0x80 && b <= 0x8f;
	default:
		return b >= 0x80 && b <= 0xbf;
	}
}

static size_t sequence_length(unsigned char lead)
{
	if (lead < 0x80)
		return 1;
	if (lead >= 0xc2 && lead <= 0xdf)
		return 2;
	if (lead >= 0xe0 && lead <= 0xef)
		return 3;
	if (lead >= 0xf0 && lead <= 0xf4)
		return 4;
	return 0; /* a continuation byte, C0, C1 or F5..FF: never a lead */
}

size_t utf8_sequence(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = sequence_length(s[0]);
	*bad = 0;
	if (n == 1)
		return 1;
	if (n == 0) {
		*bad = 1;
		return 0;
	}
	/* The maximal subpart: as many bytes as could still have been valid. */
	for (size_t i = 1; i < n; i++) {
		bool ok = i < len && (i == 1 ? second_byte_ok(s[0], s[1]) : (s[i] & 0xc0) == 0x80);
		if (!ok) {
			*bad = i;
			return 0;
		}
	}
	return n;
}

bool utf8_is_valid(const char *s, size_t len)
{
	size_t bad;
	for (size_t i = 0; i < len;) {
		/* ASCII runs are most of any text: skip them a byte at a time. */
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_sequence(s + i, len - i, &bad);
		if (!n)
			return false;
		i += n;
	}
	return true;
}

void strbuf_add_utf8(struct strbuf *sb, const char *s, size_t len)
{
	size_t start = 0, i = 0, bad;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = utf8_sequence(s + i, len - i, &bad);
		if (n) {
			i += n;
			continue;
		}
		strbuf_add(sb, s + start, i - start);
		strbuf_addstr(sb, UTF8_REPLACEMENT);
		i += bad;
		start = i;
	}
	strbuf_add(sb, s + start, len - start);
}

char *utf8_repair(const char *s, size_t len, size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_grow(&sb, len);
	strbuf_add_utf8(&sb, s, len);
	if (out_len)
		*out_len = sb.len;
	return strbuf_detach(&sb);
}

static bool is_control(const unsigned char *s, size_t n)
{
	if (n == 1)
		return s[0] < 0x20 || s[0] == 0x7f;
	return n == 2 && s[0] == 0xc2 && s[1] < 0xa0; /* U+0080..U+009F */
}

static void add_printable(struct strbuf *sb, const char *s, size_t len, size_t max, char stand_in)
{
	size_t chars = 0, bad;
	for (size_t i = 0; i < len; chars++) {
		if (max && chars == max) {
			strbuf_addstr(sb, "...");
			return;
		}
		size_t n = utf8_sequence(s + i, len - i, &bad);
		if (!n) {
			strbuf_addstr(sb, UTF8_REPLACEMENT);
			i += bad;
		} else if (is_control((const unsigned char *)s + i, n)) {
			strbuf_addch(sb, stand_in);
			i += n;
		} else {
			strbuf_add(sb, s + i, n);
			i += n;
		}
	}
}

void strbuf_add_printable(struct strbuf *sb, const char *s, size_t len, size_t max)
{
	add_printable(sb, s, len, max, ' ');
}

void strbuf_add_printable_name(struct strbuf *sb, const char *s, size_t len, size_t max)
{
	add_printable(sb, s, len, max, '?');
}
