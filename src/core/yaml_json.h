/* SPDX-License-Identifier: MIT */
/* YAML (a superset of JSON) to json-c, for --input files. */
#pragma once

#include <json-c/json.h>
#include <stddef.h>

/* Parses one YAML or JSON document. Plain scalars become numbers, booleans
 * or null as YAML 1.2's core schema says; quoted scalars stay strings.
 * Returns 0, or -EINVAL with *err set to "line N: problem" (allocated). */
int yaml_to_json(const char *text, size_t len, json_object **out, char **err);
