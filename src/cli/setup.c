/* SPDX-License-Identifier: MIT */
/*
 * Setup once, before the command runs (as git's RUN_SETUP): what the verb's
 * flags ask for is made here, in one order, so a run function receives a
 * ready ctx and never opens anything itself:
 *
 *   config file -> profile -> client (credentials, stop flag, dry-run sink)
 *   -> output options -> confirmation (VERB_DESTRUCTIVE on production)
 *
 * cmd_config, cmd_profile and cmd_http return what setup made. Only a
 * VERB_SETUP_GENTLY verb reaches them before anything is made, and then
 * they make it on that first call, in the same order.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/dispatch.h"
#include "cli/prompt.h"
#include "cli/status.h"
#include "core/util.h"

int cmd_config(struct cmd_ctx *ctx, struct config **out)
{
	if (!ctx->config) {
		char *err = NULL;
		free(ctx->config_path);
		ctx->config_path = ctx->g->config_path ? xstrdup(ctx->g->config_path) : config_default_path();
		if (config_load(ctx->config_path, &ctx->config, &err) < 0) {
			log_error("%s", err ? err : "cannot read the config file");
			free(err);
			return SMILE_EXIT_FAILURE;
		}
		/* A file named on the command line is meant to be there: a typo
		 * must not quietly run with no profiles. Only a verb that writes
		 * the file may create it. */
		bool creates = ctx->verb && (ctx->verb->flags & VERB_CREATES_CONFIG);
		if (ctx->g->config_path && !config_file_exists(ctx->config) && !creates)
			return log_status(SMILE_EXIT_USAGE, "--config %s: no such file", ctx->config_path);
	}
	*out = ctx->config;
	return 0;
}

static const char *key_name_at(const void *table, size_t i)
{
	(void)table;
	return config_profile_keys[i];
}

/* Keys smile does not know are kept in the file (other tools' settings
 * survive a rewrite) but a typo of a known one must not pass unseen. */
static void warn_unknown_keys(const struct config *cfg, const char *profile)
{
	const char **keys;
	size_t n = profile ? config_profile_file_keys(cfg, profile, &keys) : 0;
	_cleanup_free_ char *shown = n ? config_display_path(config_path(cfg)) : NULL;

	for (size_t i = 0; i < n; i++) {
		if (config_key_is_known(keys[i]))
			continue;
		const char *hint = suggest_name(keys[i], key_name_at, NULL);
		size_t line = config_line(cfg, profile, keys[i]);
		_cleanup_free_ char *did_you_mean = hint ? xasprintf("; did you mean '%s'?", hint)
							 : xstrdup(" (ignored)");
		log_warn("%s:%zu: unknown key '%s' in profile '%s'%s", shown, line, keys[i], profile,
			 did_you_mean);
	}
}

void cmd_profile_overrides(const struct global_opts *g, struct profile_overrides *ov)
{
	ov->profile = g->profile;
	ov->base_url = g->base_url;
	ov->output = g->output;
	ov->rate = g->rate;
	ov->connect_timeout_ms = g->connect_timeout_ms;
	ov->timeout_ms = g->timeout_ms;
	ov->max_attempts = g->retries >= 0 ? g->retries + 1 : -1;
	ov->retry_max_ms = g->retry_max_ms;
}

int cmd_profile(struct cmd_ctx *ctx, const struct profile **out)
{
	if (!ctx->profile_loaded) {
		struct config *cfg;
		int r = cmd_config(ctx, &cfg);
		if (r)
			return r;
		struct profile_overrides ov = PROFILE_OVERRIDES_INIT;
		cmd_profile_overrides(ctx->g, &ov);
		char *err = NULL;
		int e = profile_resolve(cfg, &ov, &ctx->profile, &err);
		if (e < 0) {
			log_error("%s", err ? err : "cannot resolve the profile");
			free(err);
			/* An unknown --profile is a usage error; a bad value in the
			 * file or environment is a configuration failure. */
			return e == -ENOENT ? SMILE_EXIT_USAGE : SMILE_EXIT_FAILURE;
		}
		ctx->profile_loaded = true;
		warn_unknown_keys(cfg, ctx->profile.name);
	}
	*out = &ctx->profile;
	return 0;
}

/* --dry-run's one output: the request as a curl command on stdout. */
static void print_dry_run(void *unused, const char *curl_command)
{
	(void)unused;
	printf("%s\n", curl_command);
	/* main() turns the error into the exit status; say why here, where
	 * errno still tells. */
	if (fflush(stdout) != 0 && errno != EPIPE)
		log_error("cannot write output: %s", strerror(errno));
}

int cmd_http(struct cmd_ctx *ctx, struct http_client **out)
{
	/* A local command (config, shell) never talks to the API: a client
	 * asked for there is a bug, not a request to send. */
	if (ctx->verb && (ctx->verb->flags & VERB_NO_API))
		return log_status(SMILE_EXIT_FAILURE, "internal error: '%s' is a local command", ctx->group->name);
	if (!ctx->http) {
		const struct profile *p;
		int r = cmd_profile(ctx, &p);
		if (r)
			return r;
		/* A dry run shows the request without needing real credentials. */
		if (!ctx->g->dry_run && (r = cli_require_credentials(p)))
			return r;
		struct http_client_opts opts = {
			.base_url = p->base_url,
			.api_key = p->api_key,
			.api_secret = p->api_secret,
			.rate = p->rate,
			.connect_timeout_ms = p->connect_timeout_ms,
			.timeout_ms = p->timeout_ms,
			.max_attempts = p->max_attempts,
			.retry_max_ms = p->retry_max_ms,
			.verbose = ctx->g->verbose,
			.dry_run = ctx->g->dry_run,
			.dry_run_sink = print_dry_run,
			.stop = &ctx->stop,
		};
		ctx->http = http_client_new(&opts);
		if (!ctx->http)
			return log_status(SMILE_EXIT_FAILURE, "cannot set up the HTTP client");
	}
	*out = ctx->http;
	return 0;
}

struct http_client *cmd_http_for(struct cmd_ctx *ctx, const char *base_url, long timeout_ms)
{
	struct http_client_opts opts = {
		.base_url = base_url,
		.connect_timeout_ms = timeout_ms,
		.timeout_ms = timeout_ms,
		.max_attempts = 1,
		.verbose = ctx->g->verbose,
		.dry_run = ctx->g->dry_run,
		.dry_run_sink = print_dry_run,
		.stop = &ctx->stop,
	};
	struct http_client *c = http_client_new(&opts);

	if (!c)
		log_error("cannot set up the HTTP client");
	return c;
}

int cmd_confirm(struct cmd_ctx *ctx, const char *what)
{
	const struct profile *p;
	int r = cmd_profile(ctx, &p);
	if (r)
		return r;
	if (!profile_is_production(p) || ctx->g->yes || ctx->g->dry_run)
		return 0;
	const char *name = p->name ? p->name : "(none)";
	if (!isatty(STDIN_FILENO))
		return log_status(SMILE_EXIT_USAGE,
				  "refusing to %s on production profile '%s' without --yes (stdin is not a terminal)",
				  what, name);
	_cleanup_free_ char *question = xasprintf("%s on production profile '%s'?", what, name);
	int yes = prompt_yes(question);
	if (yes < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot ask for confirmation; pass --yes to %s", what);
	return yes ? 0 : log_status(SMILE_EXIT_FAILURE, "aborted");
}

/* The profile's default format: output: on a terminal, pipe_output:
 * otherwise, so `output: table` makes no pipe into jq read a table. */
static const char *profile_format(const struct cmd_ctx *ctx, bool terminal)
{
	if (!ctx->profile_loaded)
		return NULL;
	return terminal ? ctx->profile.output : ctx->profile.pipe_output;
}

/* The output options, from the global flags, then the profile's output key,
 * then the terminal. Made once the profile is known (or known not to be
 * needed), so every command's default format is the same. */
static void make_output_opts(struct cmd_ctx *ctx)
{
	const struct global_opts *g = ctx->g;
	const char *format = g->output;
	enum output_format f;

	if (!format)
		format = profile_format(ctx, isatty(STDOUT_FILENO));
	ctx->output_chosen = format && output_parse_format(format, &f) == 0;
	if (!ctx->output_chosen)
		f = isatty(STDOUT_FILENO) ? OUTPUT_TABLE : OUTPUT_JSON;
	/* --jq prints JSON lines unless -o asks for a table (or csv, yaml). */
	if (g->jq && !g->output && f == OUTPUT_TABLE)
		f = OUTPUT_NDJSON;
	bool list_fields = g->fields && !strcmp(g->fields, FIELDS_HELP);
	ctx->output = (struct output_opts){
		.format = f,
		.fields = list_fields ? NULL : g->fields,
		.list_fields = list_fields,
		.jq = g->jq,
		.quiet = g->quiet,
		.color = output_color_enabled(STDOUT_FILENO),
		.width = output_terminal_width(STDOUT_FILENO),
		.default_columns = ctx->verb ? ctx->verb->columns : NULL,
		.no_header = g->no_header,
		.slurp = g->slurp,
		.raw_output = g->raw_output,
	};
	ctx->output_ready = true;
}

void cmd_output_opts(struct cmd_ctx *ctx, struct output_opts *out, const char *const *default_columns)
{
	if (!ctx->output_ready)
		make_output_opts(ctx); /* a VERB_SETUP_GENTLY verb before its first request */
	*out = ctx->output;
	out->default_columns = default_columns;
}

/* VERB_DESTRUCTIVE: the verb's one operation, named as "DELETE /path/ID". */
static int confirm_verb(struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	_cleanup_free_ char *path = cmd_expand_path(ctx, v->path ? v->path : "");
	_cleanup_free_ char *what = v->method ? xasprintf("%s %s", v->method, path)
					      : xasprintf("%s %s", ctx->group->name, v->name);
	return cmd_confirm(ctx, what);
}

int cmd_check_fields_help(const struct cmd_ctx *ctx, const char *method)
{
	/* The fields come from the first item of an answer: a command that
	 * changes something must not be run to learn them. */
	if (ctx->g->fields && !strcmp(ctx->g->fields, FIELDS_HELP) && strcmp(method, "GET"))
		return log_status(SMILE_EXIT_USAGE, "--fields help takes the fields from an answer, so only a "
				  "command that reads (get, list) can list them; this one would send %s", method);
	return 0;
}

int cmd_setup(struct cmd_ctx *ctx)
{
	unsigned flags = ctx->verb->flags;
	struct config *cfg;
	struct http_client *http;
	int r = 0;

	if (!ctx->g->jq && (ctx->g->slurp || ctx->g->raw_output))
		return log_status(SMILE_EXIT_USAGE, "--%s applies to --jq, which is not given",
				  ctx->g->slurp ? "slurp" : "raw-output");
	if (ctx->verb->method && (r = cmd_check_fields_help(ctx, ctx->verb->method)))
		return r;
	/* Usage errors first: exit 2 says more than "no credentials" (3). */
	if ((r = cmd_check_input(ctx)) || (ctx->verb->check && (r = ctx->verb->check(ctx))))
		return r;
	if (flags & VERB_SETUP_GENTLY)
		return 0;
	if (!(flags & VERB_NO_CONFIG))
		r = cmd_config(ctx, &cfg);
	if (!r && !(flags & VERB_NO_API))
		r = cmd_http(ctx, &http);
	if (r)
		return r;
	make_output_opts(ctx);
	if (flags & VERB_DESTRUCTIVE)
		r = confirm_verb(ctx);
	return r;
}
