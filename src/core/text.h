/* SPDX-License-Identifier: MIT */
/*
 * Text that is not UTF-8, under one rule (README "Output", smile(1)):
 *   - writers (json, ndjson, table, csv, yaml, -q, --jq, `smile api`)
 *     replace each ill-formed sequence with U+FFFD, so what they print is
 *     always valid UTF-8, and valid JSON where it is JSON;
 *   - values the user types (config values, profile names) are refused.
 * "Ill-formed" is RFC 3629's: overlong forms, UTF-16 surrogates, code
 * points above U+10FFFF and stray or missing continuation bytes. One
 * U+FFFD stands for each maximal subpart (Unicode 15, 3.9), as browsers,
 * Python and ICU replace them. NUL is valid UTF-8 and left alone here.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "core/util.h"
/* hex_encode lived here: the emulator (src/emulator/http/request.c) still
 * finds it through this include until it includes core/hex.h itself. */
#include "core/hex.h"

#define UTF8_REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

/* Length of the valid sequence at s (len > 0 bytes left): 1..4, or 0 when
 * s starts an ill-formed one, *bad then being how many bytes it spans. */
size_t utf8_sequence(const char *s, size_t len, size_t *bad);
/* Whether all len bytes of s are valid UTF-8. */
bool utf8_is_valid(const char *s, size_t len);
/* Appends s to sb, each ill-formed sequence replaced by U+FFFD. */
void strbuf_add_utf8(struct strbuf *sb, const char *s, size_t len);
/* s as valid UTF-8: a copy with the replacements (allocated); *out_len
 * gets its length, which may hold NULs. */
char *utf8_repair(const char *s, size_t len, size_t *out_len);
/* Appends s as one printable line for a message or a table cell: UTF-8
 * repaired, each control character (C0, DEL, C1) a space, so neither a line
 * break nor a terminal escape gets through; at most max characters (0: no
 * limit), "..." marking a cut. */
void strbuf_add_printable(struct strbuf *sb, const char *s, size_t len, size_t max);
/* The same rule for a name or value quoted in a message ('%s'), where a
 * space would hide that something was there: each control character is a
 * '?', as ls -q shows file names. */
void strbuf_add_printable_name(struct strbuf *sb, const char *s, size_t len, size_t max);
