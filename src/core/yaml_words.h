/* SPDX-License-Identifier: MIT */
/*
 * The plain YAML scalars that are not strings, in one place: what the
 * readers (the config file, --input) take for null and booleans, and what
 * the writers (-o yaml, the config file) must quote so that a string reads
 * back as that string with any reader, YAML 1.1 (PyYAML) or 1.2.
 */
#pragma once

#include <stdbool.h>

/* YAML 1.2 core schema's null: empty, "~", null, Null, NULL. */
bool yaml_null_word(const char *s);
/* YAML 1.2 core schema's booleans (true, True, TRUE, false, ...): 1 or 0,
 * or -1 when s is no boolean. */
int yaml_bool_word(const char *s);
/* Would some YAML reader take the plain scalar s for something other than
 * a string: empty, null or a boolean of YAML 1.1 or 1.2 (any case: yes, n,
 * off, ~), a merge or value key (<<, =), or anything starting like a
 * number, date, time, .inf or .nan (a digit, '+', '-', '.')? Quoting every
 * such string is simpler, and safer, than matching each grammar. */
bool yaml_string_needs_quotes(const char *s);
