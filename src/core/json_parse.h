/* SPDX-License-Identifier: MIT */
/*
 * The one JSON reader for what servers send (the response envelope):
 * RFC 8259 into json-c objects, with the rules that json-c's own tokener
 * does not have and that smile documents (README "Output"):
 *   - an object that holds a key twice is refused, naming the key (json-c
 *     would keep the last value and drop the first unseen);
 *   - an integer beyond 64 bits keeps its digits and prints as received
 *     (json-c would clamp it to the 64-bit limits); decimals, however long,
 *     print as received too;
 *   - \u0000 stays in the string (json_object_get_string_len);
 *   - the grammar is RFC 8259's: no comments, single quotes, trailing
 *     commas, NaN or leading zeros; only control characters are taken
 *     unescaped in strings, as json-c takes them (the writers escape them).
 * Bytes that are not UTF-8 are kept as received: the writers replace them
 * (core/text.h), so the data is not altered before it is looked at.
 */
#pragma once

#include <json-c/json.h>
#include <stddef.h>

#include <errno.h>

/* What json_parse returns for text that is not JSON, and for JSON whose
 * object keys smile cannot take (one given twice, one holding a NUL). */
#define JSON_PARSE_ERR_SYNTAX (-EBADMSG)
#define JSON_PARSE_ERR_KEY (-EEXIST)

/* Parses text[0..len) as one JSON value (leading and trailing white space
 * allowed), at most max_depth arrays and objects deep. Returns 0 and the
 * value in *out (NULL for null), or one of the errors above with *err set
 * to a one-line, lowercase problem ("duplicate key 'id'", "unexpected 'x'
 * at byte 7"; allocated). */
int json_parse(const char *text, size_t len, int max_depth, json_object **out, char **err);
