/* SPDX-License-Identifier: MIT */
#include "core/json.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *json_string_member(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_is_type(obj, json_type_object) || !json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

bool json_child(json_object *obj, const char *segment, json_object **out)
{
	if (json_object_is_type(obj, json_type_object))
		return json_object_object_get_ex(obj, segment, out);
	if (!json_object_is_type(obj, json_type_array) || !isdigit((unsigned char)*segment))
		return false;
	char *end;
	errno = 0;
	unsigned long idx = strtoul(segment, &end, 10);
	if (errno || *end || idx >= json_object_array_length(obj))
		return false;
	*out = json_object_array_get_idx(obj, idx);
	return true;
}

bool json_lookup_path(json_object *obj, const char *path, json_object **out)
{
	if (!path || !*path) {
		*out = obj;
		return true;
	}
	_cleanup_free_ char *copy = xstrdup(path);
	char *rest = copy;
	char *segment;
	while ((segment = strsep(&rest, "."))) {
		if (!json_child(obj, segment, &obj))
			return false;
	}
	*out = obj;
	return true;
}

json_object *json_get_path(json_object *obj, const char *path)
{
	json_object *v;
	return json_lookup_path(obj, path, &v) ? v : NULL;
}

const char *json_compact(json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
}

char *json_compact_dup(json_object *v)
{
	return xstrdup(json_compact(v));
}

const char *json_pretty(json_object *v)
{
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
}
