/* SPDX-License-Identifier: MIT */
/*
 * The response envelope and the page cursor: http_parse_envelope() over any
 * bytes a server may send, then http_next_cursor() over its data.
 *
 * Properties: a body that is refused gets a one-line error; a body that is
 * taken is JSON whose tokens come back out in the same order when the
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

static void check_envelope(const char *body, size_t len, const struct http_response *r)
{
	fuzz_assert(json_object_is_type(r->envelope, json_type_object), "the envelope is not an object");
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
	if (http_parse_envelope(&r, body, size) == 0)
		check_envelope(body, size, &r);
	else
		fuzz_assert_one_line("a refused body", r.error);
	http_response_clear(&r);
	free(body);
	return 0;
}
