/* SPDX-License-Identifier: MIT */
/*
 * The input of `invites send --file`: invite_input_load() over any bytes,
 * as CSV (a .csv file), JSON Lines (.jsonl), or sniffed (another name).
 *
 * Input: one byte (bits 0-1: 0 .csv, 1 .jsonl, else sniffed; bit 2: a
 * --template-id default), then the file.
 *
 * Properties: the loader answers 0 or the usage status; when it takes the
 * file, every row has a valid address and a request body that is one JSON
 * object holding it, in valid UTF-8.
 */
#include "fuzz.h"

#include "cmd/invites/bulk.h"
#include "core/util.h"

static void check_row(const struct invite_row *row)
{
	const char *email = row->field[INVITE_EMAIL];
	fuzz_assert(email && str_is_email(email), "row %zu has no valid address", row->index);
	fuzz_assert(row->field[INVITE_TEMPLATE_ID], "row %zu has no template", row->index);
	_cleanup_free_ char *text = invite_request_body(row);
	fuzz_assert_utf8("a request body", text, strlen(text));
	json_object *body;
	fuzz_assert(fuzz_json_strict(text, strlen(text), &body) && json_object_is_type(body, json_type_object),
		    "row %zu: the body is no JSON object: %s", row->index, text);
	json_object *v;
	fuzz_assert(json_object_object_get_ex(body, "email", &v) && !strcmp(json_object_get_string(v), email),
		    "row %zu: the body does not hold the address", row->index);
	json_object_put(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { "people.csv", "people.jsonl", "people.txt", "people" };
	struct fuzz_input in = { data, size };
	uint8_t flags = fuzz_byte(&in);
	const char *path = fuzz_path(names[flags & 3]);
	struct invite_defaults defaults = { flags & 4 ? "tpl-default" : NULL, NULL };
	struct invite_input input;

	fuzz_write_file(path, in.p, in.n);
	int r = invite_input_load(path, &defaults, &input);
	fuzz_assert(r == 0 || r == SMILE_EXIT_USAGE, "invite_input_load returned %d", r);
	if (r == 0)
		for (size_t i = 0; i < input.n_rows; i++)
			check_row(&input.rows[i]);
	invite_input_release(&input);
	unlink(path);
	return 0;
}
