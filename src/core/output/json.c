/* SPDX-License-Identifier: MIT */
/*
 * The json and ndjson formats. json is printed by hand rather than by
 * json-c's pretty printer so that it reads like `jq .` ("{}" for an empty
 * object, where json-c writes "{\n  }") and so that a list can be streamed
 * item by item into one array.
 */
#include "core/output/internal.h"
#include "core/util.h"

#include <stdio.h>

int output_json_item(struct output *o, json_object *item)
{
	struct strbuf sb = STRBUF_INIT;

	if (o->opts.format == OUTPUT_NDJSON) {
		json_add_value(&sb, item, 0, false);
	} else if (o->is_list) {
		strbuf_addstr(&sb, o->n_items ? ",\n  " : "[\n  ");
		json_add_value(&sb, item, 1, true);
	} else {
		json_add_value(&sb, item, 0, true);
	}
	if (o->opts.format == OUTPUT_NDJSON || !o->is_list)
		strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, o->out);
	strbuf_release(&sb);
	return 0;
}

int output_json_end(struct output *o)
{
	if (o->opts.format == OUTPUT_JSON && o->is_list)
		fputs(o->n_items ? "\n]\n" : "[]\n", o->out);
	return 0;
}
