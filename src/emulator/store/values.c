/* SPDX-License-Identifier: MIT */
/*
 * The small values every part of the emulator makes: object ids, and
 * json-c conveniences for string members and copies (emu.h).
 */
#include "core/util.h"
#include "emulator/server.h"

char *emu_new_id(struct emu *emu, const char *prefix)
{
	uint64_t a = emu_splitmix64(&emu->id_rng), b = emu_splitmix64(&emu->id_rng);

	return xasprintf("%s%016llx%016llx", prefix, (unsigned long long)a, (unsigned long long)b);
}

const char *emu_json_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

void emu_json_set_str(json_object *obj, const char *key, const char *value)
{
	json_object_object_add(obj, key, value ? json_object_new_string(value) : NULL);
}

json_object *emu_json_copy(json_object *obj)
{
	json_object *copy = NULL;

	json_object_deep_copy(obj, &copy, NULL);
	return copy;
}
