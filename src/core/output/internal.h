/* SPDX-License-Identifier: MIT */
/*
 * What the pieces of the output layer share: the writer's state and the
 * per-format entry points. Not for use outside the files in src/core/output/ (and the
 * unit tests, which check the helpers directly).
 */
#pragma once

#include "core/output/output.h"
#include "core/yaml_words.h"

#include <stddef.h>
#include <stdio.h>

struct strbuf;
#include <yaml.h>

struct output {
	struct output_opts opts;
	FILE *out;
	bool is_list;
	size_t n_items;      /* items seen so far */
	int error;           /* first write error; later calls return it */

	char **fields;       /* opts.fields split on ',', or NULL */
	size_t n_fields;
	bool *field_seen;    /* per field: some item holds it */

	/* table and csv */
	char **columns;      /* dot paths, decided by the first item at the latest */
	size_t n_columns;
	bool columns_known;
	char ***rows;        /* table only: cell texts, n_columns each */
	size_t n_rows, alloc_rows;

	/* yaml */
	yaml_emitter_t *yaml;

	/* --jq (jq.c): compiled once, run over each input */
	struct jq_state *jq;
	json_object *collected;     /* the object, or this page's items (--slurp: all) */
	bool jq_pending;            /* collected holds what the program has not seen */
	bool jq_halted;             /* `halt` ended the program */
	size_t jq_runs;
	const struct output_nest *nest; /* how jq.c makes jq_writer */
	struct output *jq_writer;   /* -o table/csv/yaml: the results as its items */
	const char **jq_columns;    /* its default columns (see jq_pick_columns) */
};

/* The writer's entry points, handed to jq.c for the writer of its results
 * (-o table/csv/yaml with --jq), so that jq.c does not call into output.c,
 * which calls into it. */
struct output_nest {
	struct output *(*begin)(const struct output_opts *opts, FILE *out, bool is_list);
	int (*item)(struct output *o, json_object *item);
	int (*end)(struct output *o);
};

/* common.c: Checks the stream after a write: 0, or the sticky negative error (EPIPE
 * is not logged, since `smile ... | head` is normal use). */
int output_check_write(struct output *o);

/* common.c: Compact JSON text of any v, by the text rule of core/text.h
 * (what is not UTF-8 becomes U+FFFD), so it is always valid JSON.
 * Allocated. json_add_value appends v, pretty (indented by depth, as
 * `jq .` prints) or compact. */
char *json_text(json_object *v);
void json_add_value(struct strbuf *sb, json_object *v, int depth, bool pretty);

/* json.c: json and ndjson. */
int output_json_item(struct output *o, json_object *item);
int output_json_end(struct output *o);

/* columns.c: table and csv. */
int output_columns_begin(struct output *o);
int output_columns_item(struct output *o, json_object *item);
int output_columns_end(struct output *o);
void output_columns_free(struct output *o);
/* list_fields: the first item's dot paths (its leaves, as csv's columns),
 * printed one a line at the end. */
int output_fields_item(struct output *o, json_object *item);
int output_fields_end(struct output *o);
/* Terminal columns taken by a UTF-8 string (see columns.c). */
size_t utf8_display_width(const char *s);
/* A copy of s cut to at most width columns, ending in "…" when cut. */
char *utf8_truncate(const char *s, size_t width);

/* jq.c: the writer's --jq. begin compiles (-EINVAL, logged), collect keeps
 * an item for the next run, run feeds what was collected to the program,
 * end runs what is left and closes the results' writer. */
int output_jq_begin(struct output *o);
void output_jq_collect(struct output *o, json_object *item);
int output_jq_run(struct output *o);
int output_jq_end(struct output *o);
void output_jq_free(struct output *o);

/* yaml.c */
int output_yaml_begin(struct output *o);
int output_yaml_item(struct output *o, json_object *item);
int output_yaml_end(struct output *o);
void output_yaml_free(struct output *o);
/* Whether a string must be quoted so YAML reads it back as a string. */
