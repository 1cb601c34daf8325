/* SPDX-License-Identifier: MIT */
/*
 * Completion values no table can list: the profile names of the config
 * file ($SMILE_CONFIG or the default path; a file that cannot be read
 * offers nothing, silently, as completion must).
 */
#include <stdlib.h>

#include "cli/cmd.h"
#include "cli/complete_profiles.h"
#include "core/util.h"

const char *const complete_profile_names[] = { "<profile>", NULL };

static void print_profiles(FILE *out, const char *cur, const char *lead)
{
	_cleanup_free_ char *path = config_default_path();
	struct config *cfg = NULL;
	char *err = NULL;
	const char **names;

	if (config_load(path, &cfg, &err) < 0) {
		free(err);
		return;
	}
	size_t n = config_profile_names(cfg, &names);
	for (size_t i = 0; i < n; i++) {
		_cleanup_free_ char *full = xasprintf("%s%s", lead, names[i]);
		if (str_starts_with(full, cur))
			fprintf(out, "%s\n", full);
	}
	config_free(cfg);
}

bool complete_dynamic(FILE *out, const char *const *values, const char *cur, const char *lead)
{
	if (values != complete_profile_names)
		return false;
	print_profiles(out, cur, lead);
	return true;
}
