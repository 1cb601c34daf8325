/* SPDX-License-Identifier: MIT */
/*
 * The response envelope and the page cursor: http_parse_envelope() over any
 * bytes a server may send, then http_next_cursor() over its data.
 *
 * Properties: a body is taken when it is a JSON object by RFC 8259 (as a
 * recognizer here, apart from the parser, reads it), and refused with a
 * one-line error otherwise, or when a key is there twice or holds a NUL;
 * a body that is taken is JSON whose tokens come back out in the same order when the
 * envelope is printed again, so no member is lost (a duplicate key) and no
 * number is changed (an integer beyond 64 bits, a long decimal).
 */
#include "fuzz.h"

#include "core/http/client.h"
#include "core/util.h"

/*
 * The token stream of a JSON text, one letter per token ('s' a string,
 * 't', 'f', 'z' true, false, null, the punctuation as itself) and numbers
 * as their text between '#' and ' '. "-0" is the integer 0 and prints as
 * such. Anything else is '?', which never matches a printed envelope.
 */
static void json_tokens(const char *s, size_t len, struct strbuf *out)
{
	size_t i = 0;
	while (i < len) {
		char c = s[i];
		if (strchr(" \t\r\n", c)) {
			i++;
		} else if (strchr("{}[]:,", c)) {
			strbuf_addch(out, c);
			i++;
		} else if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++)
				if (s[i] == '\\')
					i++;
			strbuf_addch(out, 's');
			i++;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			size_t start = i;
			while (i < len && strchr("0123456789.eE+-", s[i]) && s[i])
				i++;
			size_t n = i - start;
			strbuf_addch(out, '#');
			if (n == 2 && !memcmp(s + start, "-0", 2))
				strbuf_addch(out, '0');
			else
				strbuf_add(out, s + start, n);
			strbuf_addch(out, ' ');
		} else if (len - i >= 4 && !memcmp(s + i, "true", 4)) {
			strbuf_addch(out, 't');
			i += 4;
		} else if (len - i >= 5 && !memcmp(s + i, "false", 5)) {
			strbuf_addch(out, 'f');
			i += 5;
		} else if (len - i >= 4 && !memcmp(s + i, "null", 4)) {
			strbuf_addch(out, 'z');
			i += 4;
		} else {
			strbuf_addch(out, '?');
			return;
		}
	}
}

/*
 * An RFC 8259 recognizer, apart from the parser under test, with the one
 * leniency smile documents (control characters unescaped in strings).
 * Returns the end of the value at s, or NULL; *depth gets the deepest
 * nesting seen.
 */
static const char *rfc_value(const char *s, const char *end, int level, int *depth);

static const char *rfc_space(const char *s, const char *end)
{
	while (s < end && strchr(" \t\r\n", *s) && *s)
		s++;
	return s;
}

static const char *rfc_string(const char *s, const char *end)
{
	for (s++; s < end; s++) {
		if (*s == '"')
			return s + 1;
		if (*s != '\\')
			continue;
		if (++s >= end)
			return NULL;
		if (*s == 'u') {
			for (int i = 0; i < 4; i++)
				if (++s >= end || !strchr("0123456789abcdefABCDEF", *s) || !*s)
					return NULL;
		} else if (!strchr("\"\\/bfnrt", *s) || !*s) {
			return NULL;
		}
	}
	return NULL;
}

static const char *rfc_digits(const char *s, const char *end)
{
	const char *from = s;
	while (s < end && *s >= '0' && *s <= '9')
		s++;
	return s > from ? s : NULL;
}

static const char *rfc_number(const char *s, const char *end)
{
	if (s < end && *s == '-')
		s++;
	if (s < end && *s == '0')
		s++;
	else if (!(s = rfc_digits(s, end)))
		return NULL;
	if (s < end && *s == '.' && !(s = rfc_digits(s + 1, end)))
		return NULL;
	if (s < end && (*s == 'e' || *s == 'E')) {
		s++;
		if (s < end && (*s == '+' || *s == '-'))
			s++;
		if (!(s = rfc_digits(s, end)))
			return NULL;
	}
	return s;
}

static const char *rfc_members(const char *s, const char *end, char close, int level, int *depth)
{
	s = rfc_space(s + 1, end);
	if (s < end && *s == close)
		return s + 1;
	for (;;) {
		if (close == '}') {
			if (s >= end || *s != '"' || !(s = rfc_string(s, end)))
				return NULL;
			s = rfc_space(s, end);
			if (s >= end || *s++ != ':')
				return NULL;
		}
		if (!(s = rfc_value(s, end, level + 1, depth)))
			return NULL;
		s = rfc_space(s, end);
		if (s < end && *s == ',') {
			s = rfc_space(s + 1, end);
			continue;
		}
		return s < end && *s == close ? s + 1 : NULL;
	}
}

static const char *rfc_value(const char *s, const char *end, int level, int *depth)
{
	s = rfc_space(s, end);
	if (s >= end)
		return NULL;
	if (*s == '{' || *s == '[') {
		if (level > *depth)
			*depth = level;
		if (level > 1000)
			return NULL;
		return rfc_members(s, end, *s == '{' ? '}' : ']', level, depth);
	}
	if (*s == '"')
		return rfc_string(s, end);
	if (*s == '-' || (*s >= '0' && *s <= '9'))
		return rfc_number(s, end);
	static const char *const words[] = { "true", "false", "null" };
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if ((size_t)(end - s) >= n && !memcmp(s, words[i], n))
			return s + n;
	}
	return NULL;
}

/* Whether body is, by RFC 8259, one object at most 128 deep (the parser's
 * bound); *deep when it is deeper. */
static bool rfc_object(const char *body, size_t len, bool *deep)
{
	int depth = 0;
	const char *end = body + len, *s = rfc_space(body, end);
	bool object = s < end && *s == '{';
	s = rfc_value(s, end, 1, &depth);
	*deep = depth > 128;
	return object && s && rfc_space(s, end) == end;
}

static void check_envelope(const char *body, size_t len, const struct http_response *r)
{
	bool deep;
	fuzz_assert(json_object_is_type(r->envelope, json_type_object), "the envelope is not an object");
	fuzz_assert(rfc_object(body, len, &deep) && !deep, "a body that is no JSON object (RFC 8259) is taken");
	const char *printed = json_object_to_json_string_ext(r->envelope, JSON_C_TO_STRING_PLAIN);
	struct strbuf in = STRBUF_INIT, out = STRBUF_INIT;
	json_tokens(body, len, &in);
	json_tokens(printed, strlen(printed), &out);
	fuzz_assert(in.len == out.len && !memcmp(in.buf, out.buf, in.len),
		    "the envelope printed again differs from the body:\n  body    %s\n  printed %s\n  as      %s",
		    in.buf, out.buf, printed);
	strbuf_release(&in);
	strbuf_release(&out);

	const char *cursor = NULL;
	if (http_next_cursor(r->data, &cursor) == 0 && cursor)
		fuzz_assert(*cursor, "an empty cursor is the last page, not a cursor");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct http_response r = { 0 };
	/* A body as the transfer code hands it over: NUL-terminated. */
	char *body = xmalloc(size + 1);
	memcpy(body, data, size);
	body[size] = '\0';

	r.retry_after_ms = -1;
	if (http_parse_envelope(&r, body, size) == 0) {
		check_envelope(body, size, &r);
	} else {
		fuzz_assert_one_line("a refused body", r.error);
		/* A JSON object is refused only for a duplicate key, a key with
		 * a NUL in it, or nesting beyond the bound. */
		bool deep;
		fuzz_assert(!rfc_object(body, size, &deep) || deep || strstr(r.error, "malformed"),
			    "a JSON object refused: %s", r.error);
	}
	http_response_clear(&r);
	free(body);
	return 0;
}
