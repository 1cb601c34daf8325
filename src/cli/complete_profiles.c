/* SPDX-License-Identifier: MIT */
/*
 * Completion values no table can list: the profile names of the config
 * file (--config as typed, else $SMILE_CONFIG or the default path; a file
 * that cannot be read offers nothing, silently, as completion must), and
 * the file types of the API (complete_remote.c).
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/complete_profiles.h"
#include "core/util.h"

const char *const complete_profile_names[] = { "<profile>", NULL };
const char *const complete_file_types[] = { "<file type>", NULL };

/* "sandbox", "production, the default": what tells profiles apart. */
static char *profile_description(const struct config *cfg, const char *name)
{
	const char *mode = config_get(cfg, name, "mode");
	const char *def = config_default_profile(cfg);
	bool is_default = def && !strcmp(def, name);
	return xasprintf("%s profile%s", mode ? mode : "sandbox", is_default ? ", the default" : "");
}

static void print_profiles(const struct completion_out *co, const char *config_path, const char *cur,
			   const char *lead)
{
	_cleanup_free_ char *path = config_path ? xstrdup(config_path) : config_default_path();
	struct config *cfg = NULL;
	char *err = NULL;
	const char **names;

	if (config_load(path, &cfg, &err) < 0) {
		free(err);
		return;
	}
	size_t n = config_profile_names(cfg, &names);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *description = profile_description(cfg, names[i]);
		complete_offer(co, cur, lead, names[i], description);
	}
	config_free(cfg);
}

bool complete_dynamic(const struct completion_out *co, const char *const *values,
		      const struct global_opts *g, const char *cur, const char *lead)
{
	if (values == complete_profile_names)
		print_profiles(co, g->config_path, cur, lead);
	else if (values == complete_file_types)
		complete_file_type_ids(co, g, cur, lead);
	else
		return false;
	return true;
}
