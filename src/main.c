/* SPDX-License-Identifier: MIT */
/*
 * smile: a command-line client for the Smile API.
 *
 * main() only sets up the process, asks the dispatcher what to run, runs it
 * and turns the result into an exit status; commands live in src/cmd/.
 */
#include <curl/curl.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "core/util.h"
#include "cli/dispatch.h"

/* Like git, an unknown command `smile foo` runs `smile-foo` from PATH, with
 * the global options given before it in the environment (see
 * cli_export_globals). Returns only when there is no such program. */
static void run_plugin(const struct cmd_ctx *ctx, char **argv, int argi)
{
	char *word = argv[argi];
	cli_export_globals(ctx);
	char *name = xasprintf("smile-%s", word);
	argv[argi] = name;
	execvp(name, argv + argi);
	argv[argi] = word;
	free(name);
}

static const char *group_name_at(const void *table, size_t i)
{
	(void)table;
	return smile_groups[i] ? smile_groups[i]->name : NULL;
}

static int unknown_command(const char *word)
{
	const char *hint = suggest_name(word, group_name_at, NULL);
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

int smile_run(int argc, char **argv, bool allow_plugins)
{
	struct global_opts g = GLOBAL_OPTS_INIT;
	struct cmd_ctx ctx = { .g = &g };
	struct dispatch_result res;
	int r;

	if (argc >= 2 && !strcmp(argv[1], "__complete"))
		return complete_print(stdout, argc - 2, argv + 2);
	if (argc >= 2 && !strcmp(argv[1], "__man"))
		return man_print(stdout, argc >= 3 ? argv[2] : "smile");
	if (argc == 2 && (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version"))) {
		printf("smile %s\n", SMILE_VERSION);
		return 0;
	}

	r = dispatch_parse(argc - 1, argv + 1, &ctx, &res);
	if (!r && res.plugin_argi >= 0) {
		int argi = res.plugin_argi + 1;
		if (allow_plugins)
			run_plugin(&ctx, argv, argi);
		dispatch_release(&ctx);
		return unknown_command(argv[argi]);
	}
	if (!r && res.help)
		r = print_help(&ctx);
	else if (!r)
		r = run_command(&ctx);
	release(&ctx);
	return r;
}

int main(int argc, char **argv)
{
	/* A closed pipe (smile ... | head) is an ordinary end, not a crash. */
	signal(SIGPIPE, SIG_IGN);
	setlocale(LC_CTYPE, "");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("cannot initialise libcurl");
		return SMILE_EXIT_FAILURE;
	}
	int r = smile_run(argc, argv, true);
	/* ferror too: a write that failed inside an earlier fflush (--dry-run,
	 * help) leaves nothing to flush now, only the error flag. */
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && !r) {
		if (errno && errno != EPIPE)
			log_error("cannot write output: %s", strerror(errno));
		r = SMILE_EXIT_FAILURE;
	}
	curl_global_cleanup();
	return r;
}
