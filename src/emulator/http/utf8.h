/* SPDX-License-Identifier: MIT */
/* UTF-8 as RFC 3629 defines it: no overlong forms, no surrogates, nothing
 * past U+10FFFF. Request bodies must be it; messages are made to be it. */
#pragma once

#include <stddef.h>

/* Length of the valid sequence at s (of at most left bytes), or 0. */
size_t utf8_seq_len(const unsigned char *s, size_t left);
/* Offset of the first byte that does not start a valid sequence, or len. */
size_t utf8_invalid_at(const char *s, size_t len);
/* A copy of the C string s with every such byte replaced by '?'. */
char *utf8_scrub(const char *s);
