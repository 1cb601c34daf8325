/* SPDX-License-Identifier: MIT */
/*
 * One smile command line, from argv to its exit status: parse (dispatch.c),
 * then help, a plugin, or setup (setup.c) and the verb, then release what
 * setup made.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/dispatch.h"
#include "cli/help.h"
#include "core/util.h"

/* The groups, then the plugins on PATH (a NULL-terminated list). */
static const char *command_name_at(const void *plugins, size_t i)
{
	size_t n_groups = 0;
	while (smile_groups[n_groups])
		n_groups++;
	if (i < n_groups)
		return smile_groups[i]->name;
	return plugins ? ((char *const *)plugins)[i - n_groups] : NULL;
}

/* A near miss of a built-in command or of a plugin is suggested alike. */
static int unknown_command(const char *word)
{
	char **plugins = cli_plugins_on_path();
	const char *found = suggest_name(word, command_name_at, plugins);
	_cleanup_free_ char *hint = found ? xstrdup(found) : NULL;
	cli_plugins_free(plugins);
	if (hint)
		return log_status(SMILE_EXIT_USAGE, "'%s' is not a smile command; did you mean '%s'?", word, hint);
	return log_status(SMILE_EXIT_USAGE, "'%s' is not a smile command; see 'smile --help'", word);
}

static int print_help(const struct cmd_ctx *ctx)
{
	if (ctx->verb && !ctx->group->command)
		help_print_verb(stdout, ctx->group, ctx->verb);
	else if (ctx->group && ctx->group->command)
		help_print_verb(stdout, ctx->group, ctx->group->command);
	else if (ctx->group)
		help_print_group(stdout, ctx->group);
	else
		help_print_main(stdout);
	return 0;
}

static int run_command(struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	if (v->run)
		return v->run(ctx);
	if (!v->method)
		return log_status(SMILE_EXIT_FAILURE, "'%s %s' has nothing to run", ctx->group->name, v->name);
	return cmd_run_api(ctx);
}

static void release(struct cmd_ctx *ctx)
{
	http_client_free(ctx->http);
	if (ctx->profile_loaded)
		profile_clear(&ctx->profile);
	config_free(ctx->config);
	free(ctx->config_path);
	dispatch_release(ctx);
}

int smile_run(int argc, char **argv, plugin_fn run_plugin)
{
	struct global_opts g = GLOBAL_OPTS_INIT;
	struct cmd_ctx ctx = { .g = &g };
	struct dispatch_result res;
	int r;

	if (argc >= 2 && !strcmp(argv[1], "__complete"))
		return complete_print(stdout, argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "__complete-described"))
		return complete_print_described(stdout, argc - 2, argv + 2);
	if (argc == 3 && !strcmp(argv[1], "help") && argv[2][0] != '-')
		return help_topic(argv[2]); /* the man page; `smile help users list`: the verb's help */
	if (argc >= 2 && !strcmp(argv[1], "__man"))
		return man_print(stdout, argc >= 3 ? argv[2] : "smile");
	if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
		printf("smile %s\n", SMILE_VERSION);
		return 0;
	}

	r = dispatch_parse(argc - 1, argv + 1, &ctx, &res);
	if (!r && res.plugin_argi >= 0) {
		int argi = res.plugin_argi + 1;
		if (run_plugin)
			run_plugin(&ctx, argv, argi);
		dispatch_release(&ctx);
		return unknown_command(argv[argi]);
	}
	if (!r && res.help)
		r = print_help(&ctx);
	else if (!r && !(r = cmd_setup(&ctx)))
		r = run_command(&ctx);
	release(&ctx);
	return r;
}

