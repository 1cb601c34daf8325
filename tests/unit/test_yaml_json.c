/* SPDX-License-Identifier: MIT */
/* yaml_to_json, the --input reader: what a file says is what is sent. */
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

int main(void)
{
	test_numbers();
	return tap_done();
}
