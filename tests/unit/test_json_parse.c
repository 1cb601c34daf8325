/* SPDX-License-Identifier: MIT */
/* The envelope's JSON reader (core/json_parse.h). */
#include "core/json_parse.h"
#include "core/util.h"
#include "tap.h"

#include <stdlib.h>

static int parse(const char *text, size_t len, json_object **out, char **err)
{
	*err = NULL;
	return json_parse(text, len, 8, out, err);
}

static void check_refused(const char *text, int want_rc, const char *want_err, const char *name)
{
	json_object *v = NULL;
	char *err;
	int rc = parse(text, strlen(text), &v, &err);
	CHECK(rc == want_rc && !v, name);
	if (want_err)
		CHECK_STR(err, want_err, name);
	free(err);
}

static void test_values(void)
{
	json_object *v;
	char *err;
	const char *text = " {\"a\":[1,-2,3.5e1,true,false,null,\"x\"],\"b\":{}} \n";
	CHECK(parse(text, strlen(text), &v, &err) == 0 && json_object_is_type(v, json_type_object), "parse: an object");
	CHECK_STR(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), "{\"a\":[1,-2,3.5e1,true,false,null,\"x\"],\"b\":{}}",
		  "parse: every kind of value, numbers as written");
	json_object_put(v);

	text = "{\"n\":99999999999999999999999,\"m\":-9223372036854775809,\"u\":18446744073709551615}";
	CHECK(parse(text, strlen(text), &v, &err) == 0, "parse: integers beyond 64 bits are taken");
	CHECK_STR(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), text, "parse: and print as received");
	CHECK(json_object_get_uint64(json_object_object_get(v, "u")) == UINT64_MAX, "parse: uint64 is exact");
	json_object_put(v);

	text = "{\"s\":\"a\\u0000b\\ud83d\\ude00\\ud800x\\u00e9\\n\"}";
	CHECK(parse(text, strlen(text), &v, &err) == 0, "parse: escapes");
	json_object *s = json_object_object_get(v, "s");
	CHECK(json_object_get_string_len(s) == 14 &&
		      !memcmp(json_object_get_string(s), "a\0b\xf0\x9f\x98\x80\xef\xbf\xbdx\xc3\xa9\n", 14),
	      "parse: \\u0000 is kept, pairs joined, a lone surrogate is U+FFFD");
	json_object_put(v);

	text = "{\"s\":\"\xff\xc0\"}";
	CHECK(parse(text, strlen(text), &v, &err) == 0 &&
		      !strcmp(json_object_get_string(json_object_object_get(v, "s")), "\xff\xc0"),
	      "parse: bytes that are not UTF-8 are kept for the writers to repair");
	json_object_put(v);
}

static void test_refused(void)
{
	check_refused("{\"id\":\"u-1\",\"id\":\"u-2\"}", JSON_PARSE_ERR_KEY, "duplicate key 'id'",
		      "refused: a duplicate key, named");
	check_refused("{\"a\":{\"x\":1,\"x\\n\":2,\"x\":3}}", JSON_PARSE_ERR_KEY, "duplicate key 'x'",
		      "refused: a duplicate key in a nested object");
	check_refused("{\"a\\u0000\":1}", JSON_PARSE_ERR_KEY, "a key holds a NUL character", "refused: a key with a NUL");
	check_refused("{\"a\":1,}", JSON_PARSE_ERR_SYNTAX, "unexpected '}' at byte 8", "refused: a trailing comma");
	check_refused("{\"a\":01}", JSON_PARSE_ERR_SYNTAX, NULL, "refused: a leading zero");
	check_refused("{\"a\":NaN}", JSON_PARSE_ERR_SYNTAX, NULL, "refused: NaN");
	check_refused("{'a':1}", JSON_PARSE_ERR_SYNTAX, NULL, "refused: single quotes");
	check_refused("{\"a\":1} /* c */", JSON_PARSE_ERR_SYNTAX, NULL, "refused: a comment");
	check_refused("{\"a\":\"x", JSON_PARSE_ERR_SYNTAX, "a string is not closed", "refused: an open string");
	check_refused("[[[[[[[[[1]]]]]]]]]", JSON_PARSE_ERR_SYNTAX, "nested more than 8 deep", "refused: too deep");
	check_refused("", JSON_PARSE_ERR_SYNTAX, "unexpected end of the text", "refused: nothing");
	check_refused("{} {}", JSON_PARSE_ERR_SYNTAX, "text after the JSON value at byte 4", "refused: two values");
}

int main(void)
{
	test_values();
	test_refused();
	return tap_done();
}
