/* SPDX-License-Identifier: MIT */
/*
 * --input files: yaml_to_json() over any bytes, YAML or JSON.
 *
 * Properties: a file that is refused gets a one-line error; a file that is
 * taken gives a value whose JSON text (the request body smile sends) is
 * valid UTF-8 and reads back as JSON.
 */
#include "fuzz.h"

#include "core/util.h"
#include "core/yaml_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *v = NULL;
	char *err = NULL;

	if (yaml_to_json((const char *)data, size, &v, &err) < 0) {
		fuzz_assert_one_line("a refused --input file", err);
		free(err);
		return 0;
	}
	const char *body = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t len = strlen(body);
	fuzz_assert_utf8("the request body", body, len);
	json_object *back;
	fuzz_assert(fuzz_json_strict(body, len, &back), "the request body is not JSON: %s", body);
	json_object_put(back);
	json_object_put(v);
	return 0;
}
