/* SPDX-License-Identifier: MIT */
/*
 * Every output writer (json, ndjson, table, csv, yaml, -q, --jq), with and
 * without --fields, over any response the envelope parser takes.
 *
 * Input: one byte of options, then --fields up to a NUL, then the body.
 *   bits 0-2  0 json, 1 ndjson, 2 table, 3 csv, 4 yaml, 5 -q, 6 --jq ., 7 --jq [..|strings?]
 *   bit 3     a list: every member of the body is an item; else the body is the item
 *   bit 4     --no-header
 *   bit 5     a terminal width (the next byte, 1..64), so table cells get cut
 *   bit 6     the command's default columns
 *   bit 7     --fields as given (else none)
 *
 * Properties: the writer never fails; whatever it prints is valid UTF-8;
 * json and ndjson read back as JSON, yaml as YAML (by libyaml and by
 * smile's own --input reader), csv as records of the header's width, table
 * lines hold no control character.
 */
#include "fuzz.h"

#include "core/csv.h"
#include "core/http/client.h"
#include "core/output/output.h"
#include "core/output/internal.h" /* json_lookup_path */
#include "core/util.h"
#include "core/yaml_json.h"

#include <yaml.h>

static const char *const default_columns[] = { "id", "name.first", "items.0", NULL };
static const char *const jq_programs[] = { ".", "[.. | strings?]" };


static size_t trimmed(const char *s, size_t len)
{
	while (len && strchr(" \n", s[len - 1]))
		len--;
	return len;
}

static void check_json(const char *out, size_t len)
{
	json_object *v;
	fuzz_assert(fuzz_json_strict(out, trimmed(out, len), &v), "json output is not JSON:\n%s", out);
	json_object_put(v);
}

static void check_ndjson(const char *out, size_t len, size_t n_items)
{
	size_t lines = 0;
	for (const char *p = out, *end = out + len; p < end; lines++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		fuzz_assert(nl, "ndjson output does not end in a line break");
		json_object *v;
		fuzz_assert(fuzz_json_strict(p, (size_t)(nl - p), &v), "ndjson line %zu is not JSON: %.*s", lines + 1, (int)(nl - p), p);
		json_object_put(v);
		p = nl + 1;
	}
	fuzz_assert(lines == n_items, "ndjson: %zu lines for %zu items", lines, n_items);
}

static void check_yaml(const char *out, size_t len)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	bool done = false;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)out, len);
	while (!done) {
		fuzz_assert(yaml_parser_parse(&parser, &ev), "yaml output is not YAML (%s, line %zu):\n%s",
			    parser.problem, parser.problem_mark.line + 1, out);
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);

	json_object *back = NULL;
	char *err = NULL;
	fuzz_assert(yaml_to_json(out, len, &back, &err) == 0, "smile cannot read its yaml back: %s\n%s", err, out);
	json_object_put(back);
}

/* What a csv cell must hold for value: strings by the text rule, other
 * values as compact JSON (checked only for being valid UTF-8), NULL when
 * any such text will do. */
static char *expected_cell(json_object *item, const char *path)
{
	json_object *v = NULL;
	if (!json_lookup_path(item, path, &v) || !v)
		return xstrdup("");
	if (!json_object_is_type(v, json_type_string))
		return NULL;
	return fuzz_expected_text(json_object_get_string(v), (size_t)json_object_get_string_len(v), true);
}

/* Each row read back holds, cell by cell, the item's values by the text rule
 * (when the header names the columns, and rows cannot vanish as empty lines). */
static void check_csv_cells(const struct csv_record *header, const struct csv_record *rec, json_object *item)
{
	for (size_t c = 0; c < rec->n; c++) {
		if (!strcmp(header->fields[c], "value"))
			continue; /* the item itself, or a key named so: either */
		if (strstr(header->fields[c], "\xef\xbf\xbd") || strstr(header->fields[c], "\\0"))
			continue; /* a title repaired by the text rule names no path */
		_cleanup_free_ char *want = expected_cell(item, header->fields[c]);
		fuzz_assert(!want || !strcmp(want, rec->fields[c]), "csv column %s: '%s' expected, '%s' written",
			    header->fields[c], want, rec->fields[c]);
	}
}

static void check_csv(const char *out, size_t len, bool no_header, json_object **items, size_t n_items)
{
	struct csv_reader rd;
	struct csv_record rec = { 0 }, header = { 0 };
	size_t records = 0, width = 0;
	csv_reader_init(&rd, out, len);
	while (csv_next(&rd, &rec)) {
		fuzz_assert(!rec.error, "csv record %zu: %s", records + 1, rec.error);
		if (!records) {
			width = rec.n;
			if (!no_header) {
				header = rec;
				rec = (struct csv_record){ 0 };
			}
		}
		fuzz_assert(rec.n == width || !rec.n, "csv record %zu has %zu fields, the first %zu", records + 1, rec.n,
			    width);
		size_t item = records - !no_header;
		if (header.n && width > 1 && rec.n && item < n_items)
			check_csv_cells(&header, &rec, items[item]);
		records++;
	}
	csv_record_release(&rec);
	csv_record_release(&header);
	/* An empty line reads as no record: a one-column row of "" is one. */
	fuzz_assert(records <= n_items + !no_header, "csv: %zu records for %zu items", records, n_items);
	if (width > 1)
		fuzz_assert(records == n_items + !no_header || (!n_items && !records), "csv: %zu records for %zu items",
			    records, n_items);
}

static void check_table(const char *out, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)out[i];
		fuzz_assert(c == '\n' || (c >= 0x20 && c != 0x7f), "table output holds control character 0x%02x", c);
	}
}

static void check_output(unsigned kind, const char *out, size_t len, bool no_header, json_object **items,
			 size_t n_items)
{
	fuzz_assert_utf8("the output", out, len);
	switch (kind) {
	case 0:
		check_json(out, len);
		break;
	case 1:
		check_ndjson(out, len, n_items);
		break;
	case 2:
		check_table(out, len);
		break;
	case 3:
		check_csv(out, len, no_header, items, n_items);
		break;
	case 4:
		check_yaml(out, len);
		break;
	default:
		break;
	}
}

/* The items: a get prints the body; a list, each member (or element) of it. */
static json_object **list_items(json_object *body, bool is_list, size_t *n)
{
	json_object **items;
	*n = 0;
	if (!is_list) {
		items = xcalloc(1, sizeof(*items));
		items[(*n)++] = body;
	} else if (json_object_is_type(body, json_type_array)) {
		items = xcalloc(json_object_array_length(body) + 1, sizeof(*items));
		for (size_t i = 0; i < json_object_array_length(body); i++)
			items[(*n)++] = json_object_array_get_idx(body, i);
	} else {
		items = xcalloc((size_t)json_object_object_length(body) + 1, sizeof(*items));
		json_object_object_foreach(body, key, val) {
			(void)key;
			items[(*n)++] = val;
		}
	}
	return items;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	uint8_t flags = fuzz_byte(&in);
	uint8_t width = fuzz_byte(&in);
	_cleanup_free_ char *fields = fuzz_part(&in, NULL);
	struct http_response resp = { 0 };
	if (http_parse_envelope(&resp, (const char *)in.p, in.n) < 0) {
		http_response_clear(&resp);
		return 0;
	}

	unsigned kind = flags & 7;
	bool is_list = flags & 8;
	struct output_opts oo = {
		.format = kind <= 4 ? (enum output_format)kind : OUTPUT_JSON,
		.fields = flags & 0x80 ? fields : NULL,
		.jq = kind >= 6 ? jq_programs[kind - 6] : NULL,
		.quiet = kind == 5,
		.no_header = flags & 0x10,
		.width = flags & 0x20 ? 1 + width % 64 : 0,
		.default_columns = flags & 0x40 ? default_columns : NULL,
	};
	char *out = NULL;
	size_t len = 0, n_items = 0;
	json_object **items = list_items(resp.data ? resp.data : resp.envelope, is_list, &n_items);
	FILE *f = open_memstream(&out, &len);
	struct output *o = output_begin(&oo, f, is_list);
	int r = 0;
	for (size_t i = 0; i < n_items && !r; i++)
		r = output_item(o, items[i]);
	int e = output_end(o);
	fclose(f);
	fuzz_assert(r == 0 && e == 0, "the writer failed (%d, %d)", r, e);
	check_output(kind, out, len, oo.no_header, items, n_items);
	free(items);
	free(out);
	http_response_clear(&resp);
	return 0;
}
