/* SPDX-License-Identifier: MIT */
/*
 * What every format of the writer uses: JSON text by the text rule (json,
 * ndjson, csv and table cells, --jq's input) and the check of the stream
 * after a write.
 */
#include "core/output/internal.h"
#include "core/text.h"
#include "core/util.h"

#include <errno.h>
#include <string.h>

static void json_add_indent(struct strbuf *sb, int depth)
{
	for (int i = 0; i < depth; i++)
		strbuf_addstr(sb, "  ");
}

/* A string as JSON, by the text rule: bytes that are not UTF-8 become
 * U+FFFD, so the output is valid JSON; json-c escapes the rest (\u0000
 * included). v is the string object when there is one, else NULL. */
static void json_add_string(struct strbuf *sb, json_object *v, const char *s, size_t len)
{
	if (v && utf8_is_valid(s, len)) {
		strbuf_addstr(sb, json_compact(v));
		return;
	}
	size_t fixed_len;
	_cleanup_free_ char *fixed = utf8_repair(s, len, &fixed_len);
	json_object *t = json_object_new_string_len(fixed, (int)fixed_len);
	strbuf_addstr(sb, json_compact(t));
	json_object_put(t);
}

/* v as JSON text: pretty (indented by depth, as `jq .` prints) or compact. */
void json_add_value(struct strbuf *sb, json_object *v, int depth, bool pretty)
{
	bool first = true;
	const char *sep = pretty ? ",\n" : ",";

	switch (json_object_get_type(v)) {
	case json_type_object:
		if (json_object_object_length(v) == 0) {
			strbuf_addstr(sb, "{}");
			return;
		}
		strbuf_addstr(sb, pretty ? "{\n" : "{");
		json_object_object_foreach(v, key, val) {
			if (!first)
				strbuf_addstr(sb, sep);
			first = false;
			if (pretty)
				json_add_indent(sb, depth + 1);
			json_add_string(sb, NULL, key, strlen(key));
			strbuf_addstr(sb, pretty ? ": " : ":");
			json_add_value(sb, val, depth + 1, pretty);
		}
		if (pretty) {
			strbuf_addch(sb, '\n');
			json_add_indent(sb, depth);
		}
		strbuf_addch(sb, '}');
		return;
	case json_type_array: {
		size_t n = json_object_array_length(v);
		if (n == 0) {
			strbuf_addstr(sb, "[]");
			return;
		}
		strbuf_addstr(sb, pretty ? "[\n" : "[");
		for (size_t i = 0; i < n; i++) {
			if (i)
				strbuf_addstr(sb, sep);
			if (pretty)
				json_add_indent(sb, depth + 1);
			json_add_value(sb, json_object_array_get_idx(v, i), depth + 1, pretty);
		}
		if (pretty) {
			strbuf_addch(sb, '\n');
			json_add_indent(sb, depth);
		}
		strbuf_addch(sb, ']');
		return;
	}
	case json_type_string:
		json_add_string(sb, v, json_object_get_string(v), (size_t)json_object_get_string_len(v));
		return;
	default:
		strbuf_addstr(sb, json_compact(v));
		return;
	}
}

char *json_text(json_object *v)
{
	struct strbuf sb = STRBUF_INIT;
	json_add_value(&sb, v, 0, false);
	return strbuf_detach(&sb);
}

int output_check_write(struct output *o)
{
	if (o->error)
		return o->error;
	if (!ferror(o->out))
		return 0;
	o->error = errno ? -errno : -EIO;
	if (o->error != -EPIPE)
		log_error("cannot write output: %s", strerror(-o->error));
	return o->error;
}
