/* SPDX-License-Identifier: MIT */
/* The values of a verb's options as setup (setup.c) bound them (cli/cmd.h). */
#include "cli/cmd.h"

#include <string.h>

static const struct opt_value *lookup_in(const struct opt_spec *opts, const struct opt_value *values,
					 const char *name)
{
	for (size_t i = 0; values && opts && opts[i].name; i++)
		if (!strcmp(opts[i].name, name))
			return &values[i];
	return NULL;
}

const struct opt_value *cmd_opt_all(const struct cmd_ctx *ctx, const char *name)
{
	const struct opt_value *v = NULL;
	if (ctx->verb)
		v = lookup_in(ctx->verb->opts, ctx->opt_values, name);
	if (!v)
		v = lookup_in(list_options, ctx->list_values, name);
	if (!v)
		v = lookup_in(body_options, ctx->body_values, name);
	if (!v)
		v = lookup_in(global_options, ctx->global_values, name);
	return v;
}

const char *cmd_opt(const struct cmd_ctx *ctx, const char *name)
{
	const struct opt_value *v = cmd_opt_all(ctx, name);
	return v && v->given ? v->values[v->n - 1] : NULL;
}

bool cmd_flag(const struct cmd_ctx *ctx, const char *name)
{
	const struct opt_value *v = cmd_opt_all(ctx, name);
	return v && v->given;
}
