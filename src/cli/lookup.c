/* SPDX-License-Identifier: MIT */
/*
 * Lookups in the command tables (cmd/registry.c): a group by name, a verb
 * of a group, an option of a verb. Used by the parser, help, completion and
 * apply; it calls nothing of the CLI's, so none of them depends on another
 * through it.
 */
#include "cli/cmd.h"

#include <string.h>

const struct group_spec *cmd_find_group(const char *name)
{
	for (size_t i = 0; smile_groups[i]; i++)
		if (!strcmp(smile_groups[i]->name, name))
			return smile_groups[i];
	return NULL;
}

const struct verb_spec *cmd_find_verb(const struct group_spec *g, const char *name)
{
	for (size_t i = 0; g->verbs && g->verbs[i].name; i++)
		if (!strcmp(g->verbs[i].name, name))
			return &g->verbs[i];
	return NULL;
}

const struct opt_spec *cmd_find_opt(const struct verb_spec *v, const char *name, char short_name)
{
	for (size_t i = 0; v->opts && v->opts[i].name; i++)
		if ((name && !strcmp(v->opts[i].name, name)) || (short_name && v->opts[i].short_name == short_name))
			return &v->opts[i];
	return NULL;
}
