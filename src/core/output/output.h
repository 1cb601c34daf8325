/* SPDX-License-Identifier: MIT */
/*
 * The output layer: one writer for every command, from one item model
 * (json-c objects) to json, ndjson, table, csv or yaml.
 *
 * Lists stream: output_item() may be called page after page (--all) and,
 * except for table (which needs every row to size its columns), nothing is
 * kept after it is written. --jq runs over each page's items as an array
 * when the caller marks the end of each page (output_page_end), so memory
 * stays that of a page; with slurp it runs once over every item at the end.
 *
 *   json    get/create: the object, pretty-printed; list: one JSON array
 *   ndjson  one compact JSON value per line
 *   table   columns: --fields, else the command's default columns, else the
 *           item's scalar top-level keys; fits the terminal width, cells
 *           ellipsised with "…" but never those of an id column (id, *Id),
 *           '-' for null/absent, header in bold only when colour is on
 *   csv     RFC 4180, header row of the column names: --fields, else the
 *           default columns then every other leaf of the first item by
 *           dot path (an array or {} is one field)
 *   yaml    a YAML document (list: a sequence)
 *   quiet   (-q) only the "id" of each item, one per line
 *
 * --fields takes comma-separated dot paths (metadata.providerId); in json,
 * ndjson and yaml it keeps only those keys (nested as in the source; a
 * missing path is omitted, a null is kept; through an array the element
 * keeps its index). In table and csv a missing path is "-" / empty.
 *
 * Details scripts may rely on:
 *   - an empty list: json "[]", yaml "[]", ndjson nothing, table and csv
 *     the header only when the columns are known without an item (--fields
 *     or default columns)
 *   - a --fields path that no item holds is warned about on stderr at the end
 *   - csv lines end in LF; table cells are one line (control characters
 *     become spaces); display width counts East Asian wide characters as 2
 *     and combining marks as 0, whatever the locale
 *   - --jq takes precedence over -q; -q over the format. Its results print
 *     as JSON (pretty for json, compact otherwise; raw_output: strings
 *     without quotes); for table, csv and yaml they are that writer's items
 *     (the default columns the first result holds, else its own keys)
 *   - a write error (EPIPE under `| head`) makes output_item/output_end
 *     return it, every later call too; EPIPE is not logged
 */
#pragma once

#include "core/json.h" /* json-c, and json_get_path for --fields */
#include <stdbool.h>
#include <stdio.h>

enum output_format {
	OUTPUT_JSON,
	OUTPUT_NDJSON,
	OUTPUT_TABLE,
	OUTPUT_CSV,
	OUTPUT_YAML,
};

extern const char *const output_format_names[]; /* NULL-terminated, enum order */
/* 0, or -EINVAL for an unknown name. */
int output_parse_format(const char *name, enum output_format *out);

struct output_opts {
	enum output_format format;
	const char *fields;               /* comma-separated dot paths, or NULL */
	const char *jq;                   /* jq program, or NULL */
	bool quiet;                       /* ids only */
	bool color;                       /* caller decides (tty, NO_COLOR) */
	int width;                        /* terminal columns for table; <= 0: no limit */
	const char *const *default_columns; /* NULL-terminated, or NULL */
	bool no_header;                   /* table/csv without the header row */
	bool slurp;                       /* --jq over every item at once, not per page */
	bool raw_output;                  /* --jq: strings without quotes, as jq -r */
	bool list_fields;                 /* print the dot paths of the first item's fields,
	                                   * one a line, instead of the items (the
	                                   * default columns when there is no item) */
};

struct output;

/* is_list: the result is a collection (json prints an array even if empty). */
struct output *output_begin(const struct output_opts *opts, FILE *out, bool is_list);
/* Writes (or buffers) one item; the item is borrowed. 0 or negative error
 * (message already logged). */
int output_item(struct output *o, json_object *item);
/* The caller's page is over: --jq (without slurp) runs over the items
 * given since the last page. 0 or negative error (logged, sticky). */
int output_page_end(struct output *o);
/* Finishes the document and frees o. 0 or negative error. */
int output_end(struct output *o);

/* Width of the terminal on fd, from COLUMNS or ioctl; 0 if not a terminal. */
int output_terminal_width(int fd);
/* Colour is on when fd is a terminal and NO_COLOR is unset or empty. */
bool output_color_enabled(int fd);

/* Runs a jq program over a JSON value and prints each result (pretty when
 * pretty is true) to out. Returns 0, or -EINVAL for a program that does not
 * compile (message logged). */
int output_jq(const char *program, json_object *value, FILE *out, bool pretty);
/* Compiles a jq program without running it, so a bad --jq is a usage error
 * before anything is sent. 0, or -EINVAL (message logged). */
int output_jq_check(const char *program);
