/* SPDX-License-Identifier: MIT */
/*
 * Handing the global options given on: to each line of smile shell, and to
 * plugins through the environment (SMILE_<NAME>).
 */
#include "cli/dispatch.h"

#include "core/util.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>

struct global_given *cli_globals_given(const struct cmd_ctx *ctx, size_t *n)
{
	struct global_given *given = xcalloc(opt_count(global_options) + 1, sizeof(*given));
	*n = 0;
	for (size_t i = 0; global_options[i].name && ctx->global_values; i++) {
		const struct opt_spec *o = &global_options[i];
		const struct opt_value *v = &ctx->global_values[i];
		if (!v->given || o->offset == offsetof(struct global_opts, help))
			continue;
		given[(*n)++] = (struct global_given){ o->name, opt_takes_value(o) ? v->values[v->n - 1] : NULL, v->n };
	}
	return given;
}

static char *env_name(const char *option)
{
	char *name = xasprintf("SMILE_%s", option);
	for (char *c = name; *c; c++)
		*c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
	return name;
}

void cli_export_globals(const struct cmd_ctx *ctx)
{
	size_t n;
	struct global_given *given = cli_globals_given(ctx, &n);
	for (size_t i = 0; i < n; i++) {
		char *name = env_name(given[i].name);
		/* A flag is 1, or how often it was given: SMILE_VERBOSE=2 for -vv. */
		char *times = xasprintf("%zu", given[i].times);
		setenv(name, given[i].value ? given[i].value : times, 1);
		free(times);
		free(name);
	}
	free(given);
}
