/* SPDX-License-Identifier: MIT */
/*
 * Reading and printing json-c values the one way smile does everywhere:
 * a string member, a dot path ("metadata.providerId", "items.0.id"), and
 * compact text without '/' escaped (what the API, --dry-run bodies, the
 * journal and the link server send and show).
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>

/* The string value of obj's member key; NULL when obj is no object, the
 * member is absent or not a string. Owned by obj. */
const char *json_string_member(json_object *obj, const char *key);

/* One step of a path: the member segment of an object, or the element at
 * index segment of an array. True and *out set when there is one. */
bool json_child(json_object *obj, const char *segment, json_object **out);
/* Looks up a dot path in obj: a key of an object, or an index into an
 * array, per segment; "" or NULL is obj itself. True when found, *out then
 * being the value (NULL for a JSON null); false when absent. */
bool json_lookup_path(json_object *obj, const char *path, json_object **out);
/* Like json_lookup_path, without telling a null from an absent path. */
json_object *json_get_path(json_object *obj, const char *path);

/* Compact JSON text of v, '/' not escaped. Owned by v (or static): valid
 * until v changes or is freed. */
const char *json_compact(json_object *v);
/* The same, as a copy the caller frees. */
char *json_compact_dup(json_object *v);
/* Indented JSON text of v for files people read, '/' not escaped. Owned
 * by v, as json_compact's. */
const char *json_pretty(json_object *v);
