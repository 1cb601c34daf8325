/* SPDX-License-Identifier: MIT */
/* YAML (a superset of JSON) to json-c, for --input files. */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/* Parses one YAML or JSON document. Plain scalars become numbers, booleans
 * or null as YAML 1.2's core schema says; quoted scalars stay strings.
 * Returns 0, or -EINVAL with *err set to "line N: problem" (allocated). */
int yaml_to_json(const char *text, size_t len, json_object **out, char **err);

/* Where each node of a document starts, by its JSON Pointer (RFC 6901):
 * "" is the root, "/resources/hr/body/name" a member, "/tags/0" an item.
 * Lines and columns count from 1. */
struct yaml_location {
	char *pointer;
	unsigned line, column;
};
struct yaml_locations {
	struct yaml_location *items;
	size_t n, cap;
};

/* The first problem of a document that does not parse. */
struct yaml_problem {
	char *what;              /* allocated; the caller frees it */
	unsigned line, column;
};

/* yaml_to_json that also records where every node starts in *locs (when
 * not NULL; release it with yaml_locations_release, also on failure), and
 * on failure tells the problem and its place apart. */
int yaml_to_json_located(const char *text, size_t len, json_object **out, struct yaml_locations *locs,
			 struct yaml_problem *problem);
struct strbuf;
/* Appends "/token" to a JSON Pointer, with RFC 6901's escapes (~0 for ~,
 * ~1 for /). */
void json_pointer_push(struct strbuf *sb, const char *token);
/* The place of the node at pointer: false when there is none. */
bool yaml_locate(const struct yaml_locations *locs, const char *pointer, unsigned *line, unsigned *column);
void yaml_locations_release(struct yaml_locations *locs);
