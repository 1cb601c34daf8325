/* SPDX-License-Identifier: MIT */
/*
 * A recursive descent reader of RFC 8259 (see json_parse.h). Depth is
 * bounded by the caller, so recursion cannot exhaust the stack; every loop
 * moves forward through the text, so any input ends.
 */
#include "core/json_parse.h"

#include "core/text.h"
#include "core/util.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct reader {
	const char *start, *p, *end;
	int depth, max_depth;
	char *err;
	struct strbuf scratch; /* string and number text, reused */
};

static int fail(struct reader *rd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(struct reader *rd, const char *fmt, ...)
{
	if (!rd->err) {
		struct strbuf sb = STRBUF_INIT;
		va_list ap;
		va_start(ap, fmt);
		strbuf_vaddf(&sb, fmt, ap);
		va_end(ap);
		rd->err = strbuf_detach(&sb);
	}
	return -EBADMSG;
}

/* "unexpected 'x' at byte 7", "unexpected end" */
static int fail_here(struct reader *rd)
{
	if (rd->p >= rd->end)
		return fail(rd, "unexpected end of the text");
	unsigned char c = (unsigned char)*rd->p;
	size_t at = (size_t)(rd->p - rd->start) + 1;
	if (c > 0x20 && c < 0x7f)
		return fail(rd, "unexpected '%c' at byte %zu", c, at);
	return fail(rd, "unexpected byte 0x%02x at byte %zu", c, at);
}

static void skip_space(struct reader *rd)
{
	while (rd->p < rd->end && (*rd->p == ' ' || *rd->p == '\t' || *rd->p == '\n' || *rd->p == '\r'))
		rd->p++;
}

static bool take(struct reader *rd, char c)
{
	if (rd->p < rd->end && *rd->p == c) {
		rd->p++;
		return true;
	}
	return false;
}

/* ---- strings ---- */

static int hex4(struct reader *rd, unsigned *out)
{
	unsigned v = 0;
	if (rd->end - rd->p < 4)
		return fail(rd, "a \\u escape is cut short");
	for (int i = 0; i < 4; i++) {
		char c = *rd->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return fail(rd, "a \\u escape needs four hex digits (byte %zu)", (size_t)(rd->p - rd->start));
	}
	*out = v;
	return 0;
}

static void add_code_point(struct strbuf *sb, unsigned cp)
{
	if (cp < 0x80) {
		strbuf_addch(sb, (char)cp);
	} else if (cp < 0x800) {
		strbuf_addch(sb, (char)(0xc0 | cp >> 6));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		strbuf_addch(sb, (char)(0xe0 | cp >> 12));
		strbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3f)));
	} else {
		strbuf_addch(sb, (char)(0xf0 | cp >> 18));
		strbuf_addch(sb, (char)(0x80 | ((cp >> 12) & 0x3f)));
		strbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3f)));
		strbuf_addch(sb, (char)(0x80 | (cp & 0x3f)));
	}
}

/* \uXXXX, after the "\u": a surrogate pair is one code point; a surrogate
 * without its other half stands for nothing and becomes U+FFFD. */
static int unicode_escape(struct reader *rd, struct strbuf *sb)
{
	unsigned cp, low;
	int r = hex4(rd, &cp);
	if (r < 0)
		return r;
	if (cp >= 0xd800 && cp <= 0xdbff && rd->end - rd->p >= 6 && rd->p[0] == '\\' && rd->p[1] == 'u') {
		const char *back = rd->p;
		rd->p += 2;
		if ((r = hex4(rd, &low)) < 0)
			return r;
		if (low >= 0xdc00 && low <= 0xdfff) {
			add_code_point(sb, 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00));
			return 0;
		}
		rd->p = back; /* not a pair: the next escape stands on its own */
	}
	add_code_point(sb, cp >= 0xd800 && cp <= 0xdfff ? 0xfffd : cp);
	return 0;
}

static int escape(struct reader *rd, struct strbuf *sb)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	if (rd->p >= rd->end)
		return fail(rd, "a string is not closed");
	char c = *rd->p++;
	if (c == 'u')
		return unicode_escape(rd, sb);
	const char *at = memchr(from, c, sizeof(from) - 1);
	if (!at || !c) {
		rd->p--;
		return fail_here(rd);
	}
	strbuf_addch(sb, to[at - from]);
	return 0;
}

/* The string at rd->p (its opening quote) into sb, decoded. */
static int read_string(struct reader *rd, struct strbuf *sb)
{
	strbuf_reset(sb);
	rd->p++;
	for (;;) {
		const char *run = rd->p;
		while (rd->p < rd->end && *rd->p != '"' && *rd->p != '\\')
			rd->p++;
		strbuf_add(sb, run, (size_t)(rd->p - run));
		if (rd->p >= rd->end)
			return fail(rd, "a string is not closed");
		if (*rd->p == '"') {
			rd->p++;
			return 0;
		}
		rd->p++;
		int r = escape(rd, sb);
		if (r < 0)
			return r;
	}
}

/* ---- numbers ---- */

static size_t digits(struct reader *rd)
{
	const char *from = rd->p;
	while (rd->p < rd->end && *rd->p >= '0' && *rd->p <= '9')
		rd->p++;
	return (size_t)(rd->p - from);
}

/* An integer that fits 64 bits as json-c holds them (int64, or uint64 above
 * INT64_MAX); false when it does not. */
static bool integer_value(const char *text, json_object **out)
{
	char *end;
	errno = 0;
	if (text[0] == '-') {
		long long v = strtoll(text, &end, 10);
		if (errno)
			return false;
		*out = json_object_new_int64(v);
	} else {
		unsigned long long v = strtoull(text, &end, 10);
		if (errno)
			return false;
		*out = v <= INT64_MAX ? json_object_new_int64((int64_t)v) : json_object_new_uint64(v);
	}
	return true;
}

static int read_number(struct reader *rd, json_object **out)
{
	const char *from = rd->p;
	bool integer = true;
	take(rd, '-');
	if (!take(rd, '0') && !digits(rd))
		return fail_here(rd);
	if (take(rd, '.')) {
		integer = false;
		if (!digits(rd))
			return fail_here(rd);
	}
	if (take(rd, 'e') || take(rd, 'E')) {
		integer = false;
		if (!take(rd, '+'))
			take(rd, '-');
		if (!digits(rd))
			return fail_here(rd);
	}
	struct strbuf *text = &rd->scratch;
	strbuf_reset(text);
	strbuf_add(text, from, (size_t)(rd->p - from));
	if (integer && integer_value(text->buf, out))
		return 0;
	/* Decimals and integers past 64 bits: the double for arithmetic, the
	 * digits as received for printing, as json-c does for decimals. */
	*out = json_object_new_double_s(strtod(text->buf, NULL), text->buf);
	return 0;
}

/* ---- values ---- */

static int read_value(struct reader *rd, json_object **out);

static int read_literal(struct reader *rd, const char *word, json_object *value, json_object **out)
{
	size_t n = strlen(word);
	if ((size_t)(rd->end - rd->p) < n || memcmp(rd->p, word, n)) {
		json_object_put(value);
		return fail_here(rd);
	}
	rd->p += n;
	*out = value;
	return 0;
}

static int read_member(struct reader *rd, json_object *obj)
{
	if (rd->p >= rd->end || *rd->p != '"')
		return fail_here(rd);
	int r = read_string(rd, &rd->scratch);
	if (r < 0)
		return r;
	/* json-c keys are C strings: one with a NUL would name another key. */
	if (memchr(rd->scratch.buf, '\0', rd->scratch.len)) {
		fail(rd, "a key holds a NUL character");
		return JSON_PARSE_ERR_KEY;
	}
	_cleanup_free_ char *key = xstrdup(rd->scratch.buf);
	if (json_object_object_get_ex(obj, key, NULL)) {
		struct strbuf shown = STRBUF_INIT;
		strbuf_add_printable(&shown, key, strlen(key), 60);
		fail(rd, "duplicate key '%s'", shown.buf);
		strbuf_release(&shown);
		return JSON_PARSE_ERR_KEY;
	}
	skip_space(rd);
	if (!take(rd, ':'))
		return fail_here(rd);
	json_object *value = NULL;
	if ((r = read_value(rd, &value)) < 0)
		return r;
	json_object_object_add_ex(obj, key, value, JSON_C_OBJECT_ADD_KEY_IS_NEW);
	return 0;
}

static int read_object(struct reader *rd, json_object **out)
{
	json_object *obj = json_object_new_object();
	int r = 0;
	rd->p++;
	skip_space(rd);
	if (!take(rd, '}')) {
		do {
			skip_space(rd);
			if ((r = read_member(rd, obj)) < 0)
				break;
			skip_space(rd);
		} while (take(rd, ','));
		if (r == 0 && !take(rd, '}'))
			r = fail_here(rd);
	}
	if (r < 0) {
		json_object_put(obj);
		return r;
	}
	*out = obj;
	return 0;
}

static int read_array(struct reader *rd, json_object **out)
{
	json_object *arr = json_object_new_array();
	int r = 0;
	rd->p++;
	skip_space(rd);
	if (!take(rd, ']')) {
		do {
			json_object *v = NULL;
			if ((r = read_value(rd, &v)) < 0)
				break;
			json_object_array_add(arr, v);
			skip_space(rd);
		} while (take(rd, ','));
		if (r == 0 && !take(rd, ']'))
			r = fail_here(rd);
	}
	if (r < 0) {
		json_object_put(arr);
		return r;
	}
	*out = arr;
	return 0;
}

static int read_nested(struct reader *rd, json_object **out, bool object)
{
	if (++rd->depth > rd->max_depth)
		return fail(rd, "nested more than %d deep", rd->max_depth);
	int r = object ? read_object(rd, out) : read_array(rd, out);
	rd->depth--;
	return r;
}

static int read_value(struct reader *rd, json_object **out)
{
	int r;
	*out = NULL;
	skip_space(rd);
	if (rd->p >= rd->end)
		return fail_here(rd);
	switch (*rd->p) {
	case '{':
		return read_nested(rd, out, true);
	case '[':
		return read_nested(rd, out, false);
	case '"':
		if ((r = read_string(rd, &rd->scratch)) < 0)
			return r;
		*out = json_object_new_string_len(rd->scratch.buf, (int)rd->scratch.len);
		return 0;
	case 't':
		return read_literal(rd, "true", json_object_new_boolean(1), out);
	case 'f':
		return read_literal(rd, "false", json_object_new_boolean(0), out);
	case 'n':
		return read_literal(rd, "null", NULL, out);
	default:
		if (*rd->p == '-' || (*rd->p >= '0' && *rd->p <= '9'))
			return read_number(rd, out);
		return fail_here(rd);
	}
}

int json_parse(const char *text, size_t len, int max_depth, json_object **out, char **err)
{
	struct reader rd = { text, text, text + len, 0, max_depth, NULL, STRBUF_INIT };
	json_object *v = NULL;

	*out = NULL;
	*err = NULL;
	int r = read_value(&rd, &v);
	if (r == 0) {
		skip_space(&rd);
		if (rd.p < rd.end)
			r = fail(&rd, "text after the JSON value at byte %zu", (size_t)(rd.p - rd.start) + 1);
	}
	strbuf_release(&rd.scratch);
	if (r < 0) {
		json_object_put(v);
		*err = rd.err ? rd.err : xstrdup("malformed JSON");
		return r == JSON_PARSE_ERR_KEY ? r : JSON_PARSE_ERR_SYNTAX;
	}
	*out = v;
	return 0;
}
