/* SPDX-License-Identifier: MIT */
/* yaml_to_json, the --input reader: what a file says is what is sent. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "core/yaml_json.h"

/* Converts text and compares the compact JSON (want NULL: refused). */
static void check(const char *text, const char *want, const char *name)
{
	json_object *out = NULL;
	char *err = NULL;
	int r = yaml_to_json(text, strlen(text), &out, &err);
	const char *got = r == 0 ? json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN) : NULL;
	CHECK_STR(got, want, name);
	if (r < 0 && !want)
		printf("# error: %s\n", err);
	json_object_put(out);
	free(err);
}

static void test_numbers(void)
{
	check("a: 12.34", "{\"a\":12.34}", "numbers: a decimal keeps its digits");
	check("{\"a\": 0.1, \"b\": 1.10}", "{\"a\":0.1,\"b\":1.10}", "numbers: JSON decimals keep their digits");
	check("a: 1e5", "{\"a\":1e5}", "numbers: an exponent is kept as written");
	check("a: 99999999999999999999", "{\"a\":99999999999999999999}",
	      "numbers: an integer beyond 64 bits keeps every digit");
	check("a: -12345678901234567890123", "{\"a\":-12345678901234567890123}",
	      "numbers: a negative one too");
	check("a: 42", "{\"a\":42}", "numbers: an integer stays an integer");
	check("a: +1.5", "{\"a\":1.5}", "numbers: YAML's +1.5 becomes JSON's 1.5");
	check("a: .5", "{\"a\":0.5}", "numbers: YAML's .5 becomes JSON's 0.5");
	check("a: \"12.34\"", "{\"a\":\"12.34\"}", "numbers: a quoted number is a string");
}

static void test_tags(void)
{
	check("zip: !!str 01234", "{\"zip\":\"01234\"}", "tags: !!str keeps a number-looking value a string");
	check("n: !!int \"5\"", "{\"n\":5}", "tags: !!int makes a quoted 5 a number");
	check("b: !!bool true", "{\"b\":true}", "tags: !!bool true");
	check("x: !!null ~", "{\"x\":null}", "tags: !!null");
	check("a: !!map {b: 1}", "{\"a\":{\"b\":1}}", "tags: !!map on a mapping");
	check("n: !!int abc", NULL, "tags: !!int on text is refused");
	check("f: !!binary aGk=", NULL, "tags: !!binary is refused, not sent as text");
	check("f: !local x", NULL, "tags: a local tag is refused");
	check("a: !!seq {b: 1}", NULL, "tags: !!seq on a mapping is refused");
}

static void test_keys(void)
{
	check("{\"a\": 1, \"a\": 2}", NULL, "keys: a duplicate JSON key is refused, not the last kept");
	check("a: 1\nb: {c: 1, c: 2}\n", NULL, "keys: a nested duplicate YAML key is refused");
	check("{\"a\\u0000b\": 1}", NULL, "keys: a key with a NUL is refused, not cut to 'a'");
	check("{\"a\": \"x\\u0000y\"}", "{\"a\":\"x\\u0000y\"}", "keys: a NUL in a value is kept");
}

/* Where a node starts: "line:column", or "-" when the pointer names none. */
static const char *where(const struct yaml_locations *locs, const char *pointer, char *buf, size_t n)
{
	unsigned line, col;
	if (!yaml_locate(locs, pointer, &line, &col))
		return "-";
	snprintf(buf, n, "%u:%u", line, col);
	return buf;
}

static void test_locations(void)
{
	const char *text = "resources:\n"
			   "  hr:\n"
			   "    type: invite-templates\n"
			   "    body: {name: \"CI\", tags: [a, b]}\n"
			   "  \"a/b~c\": {type: x}\n";
	struct yaml_locations locs = { 0 };
	struct yaml_problem problem = { 0 };
	json_object *out = NULL;
	char buf[32];
	int r = yaml_to_json_located(text, strlen(text), &out, &locs, &problem);

	CHECK(r == 0, "locations: the document parses");
	CHECK_STR(where(&locs, "", buf, sizeof(buf)), "1:1", "locations: the root");
	CHECK_STR(where(&locs, "/resources/hr/type", buf, sizeof(buf)), "3:11", "locations: a member's value");
	CHECK_STR(where(&locs, "/resources/hr/body/name", buf, sizeof(buf)), "4:18", "locations: inside a flow mapping");
	CHECK_STR(where(&locs, "/resources/hr/body/tags/1", buf, sizeof(buf)), "4:34", "locations: an item of a sequence");
	CHECK_STR(where(&locs, "/resources/a~1b~0c/type", buf, sizeof(buf)), "5:19",
		  "locations: / and ~ in a key are escaped as RFC 6901 says");
	CHECK_STR(where(&locs, "/resources/nope", buf, sizeof(buf)), "-", "locations: no node, no place");
	json_object_put(out);
	yaml_locations_release(&locs);

	const char *unclosed = "a: 1\nb: [1, 2\n", *dup = "a: 1\nb: {c: 1, c: 2}\n";
	r = yaml_to_json_located(unclosed, strlen(unclosed), &out, NULL, &problem);
	CHECK(r < 0 && problem.line == 3 && problem.column == 1, "locations: a syntax error has its line and column");
	free(problem.what);
	r = yaml_to_json_located(dup, strlen(dup), &out, NULL, &problem);
	CHECK(r < 0 && problem.line == 2 && problem.column == 11, "locations: a duplicate key is placed at the key");
	free(problem.what);
}

int main(void)
{
	test_locations();
	test_numbers();
	test_tags();
	test_keys();
	return tap_done();
}
