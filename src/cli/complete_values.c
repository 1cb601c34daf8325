/* SPDX-License-Identifier: MIT */
/*
 * Completion of a verb's second argument, where its first decides what it
 * may be: the value of a config key (config set mode <Tab>), and the paths
 * smile knows for a method (api GET <Tab>).
 */
#include "cli/complete_profiles.h"
#include "core/util.h"

#include <string.h>
#include <strings.h>

/* The values a key takes from a fixed set, or NULL. */
static const char *const *config_key_values(const char *key)
{
	if (!strcmp(key, "mode"))
		return config_mode_values;
	if (!strcmp(key, "output") || !strcmp(key, "pipe_output"))
		return output_format_names;
	return NULL;
}

/* Whether an earlier operation of the tables has the same method and path. */
static bool path_seen_before(size_t group, size_t verb, const char *method, const char *path)
{
	for (size_t g = 0; g <= group; g++) {
		const struct verb_spec *vs = smile_groups[g]->verbs;
		for (size_t v = 0; vs && vs[v].name && (g < group || v < verb); v++)
			if (vs[v].method && !strcmp(vs[v].method, method) && !strcmp(vs[v].path, path))
				return true;
	}
	return false;
}

/* The paths of the operations of method that the command tables know, each
 * described by the summary of the first verb that sends it. */
static void complete_api_paths(const struct completion_out *co, const char *method, const char *cur)
{
	for (size_t g = 0; smile_groups[g]; g++) {
		const struct verb_spec *vs = smile_groups[g]->verbs;
		for (size_t v = 0; vs && vs[v].name; v++)
			if (vs[v].method && !strcasecmp(vs[v].method, method) &&
			    !path_seen_before(g, v, vs[v].method, vs[v].path))
				complete_offer(co, cur, "", vs[v].path, vs[v].summary);
	}
}

bool complete_second_arg(const struct completion_out *co, const struct verb_spec *v,
			 const char *first, const char *cur)
{
	if (v->arg_values == api_methods) {
		complete_api_paths(co, first, cur);
		return true;
	}
	if (v->arg_values == config_profile_keys) {
		const char *const *values = config_key_values(first);
		for (size_t i = 0; values && values[i]; i++)
			complete_offer(co, cur, "", values[i], NULL);
		return true;
	}
	return false;
}
