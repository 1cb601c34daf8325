/* SPDX-License-Identifier: MIT */
/*
 * smile config: the profiles file, from the command line.
 *
 * set, get and unset work on one profile: --profile, else $SMILE_PROFILE,
 * else the file's default:, else the profile named "default". The first
 * profile a file gets becomes its default. Every change is written through
 * config_save (temporary file and rename, mode 0600, directory 0700).
 *
 * Secrets (api_secret) never come from argv, where ps and shell history show
 * them, and are never printed unless `get --reveal` asks for exactly that.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cmd/config_view.h"
#include "cmd/groups.h"
#include "core/util.h"

/* The profile that set, get and unset act on (see the top of the file). */
static const char *target_profile(const struct cmd_ctx *ctx, const struct config *cfg)
{
	if (ctx->g->profile)
		return ctx->g->profile;
	const char *env = getenv("SMILE_PROFILE");
	if (env && *env)
		return env;
	const char *def = config_default_profile(cfg);
	return def ? def : "default";
}

static int save(struct cmd_ctx *ctx, const struct config *cfg)
{
	char *err = NULL;
	if (ctx->g->dry_run) {
		/* --dry-run changes nothing: not the server, not the config file. */
		_cleanup_free_ char *shown = config_display_path(ctx->config_path);
		fprintf(stderr, "smile: would write %s (--dry-run: left as it was)\n", shown);
		return 0;
	}
	if (config_save(cfg, ctx->config_path, &err) < 0) {
		log_error("%s", err ? err : "cannot write the config file");
		free(err);
		return SMILE_EXIT_FAILURE;
	}
	return 0;
}

/* Unknown keys are usage errors; the message lists the valid ones. */
static int check_known_key(const char *key)
{
	char *err = NULL;
	if (config_key_is_known(key))
		return 0;
	config_check_value(key, "", &err);
	log_error("%s", err);
	free(err);
	return SMILE_EXIT_USAGE;
}

static int profile_not_found(const struct cmd_ctx *ctx, const char *name)
{
	_cleanup_free_ char *shown = config_display_path(ctx->config_path);
	return log_status(SMILE_EXIT_USAGE,
			  "profile '%s' not found in %s; create it with 'smile --profile %s config set api_key KEY'",
			  name, shown, name);
}

/* ---- set -------------------------------------------------------------- */

/* The output layer owns the format names; the core cannot check them. */
static int check_output_format(const char *key, const char *value)
{
	enum output_format f;
	if (output_parse_format(value, &f) == 0)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; output_format_names[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", output_format_names[i]);
	log_error("%s must be one of %s, not '%s'", key, sb.buf, value);
	strbuf_release(&sb);
	return SMILE_EXIT_USAGE;
}

static int check_value(const char *key, const char *value)
{
	char *err = NULL;
	if (config_check_value(key, value, &err) < 0) {
		log_error("%s", err);
		free(err);
		return SMILE_EXIT_USAGE;
	}
	if (strcmp(key, "output") == 0 || strcmp(key, "pipe_output") == 0)
		return check_output_format(key, value);
	return 0;
}

static int read_secret_value(const char *key, const char *profile, char **out)
{
	_cleanup_free_ char *prompt = xasprintf("%s for profile '%s': ", key, profile);
	int r = cmd_read_secret(prompt, out);
	if (r)
		return r;
	if (**out == '\0') {
		free(*out);
		*out = NULL;
		return log_status(SMILE_EXIT_USAGE, "%s must not be empty", key);
	}
	return 0;
}

static void free_secret(char *s)
{
	if (s)
		explicit_bzero(s, strlen(s));
	free(s);
}

/* The value to store: argv for plain keys, stdin or a prompt for secrets. */
static int value_for(const struct cmd_ctx *ctx, const char *key, const char *profile, char **out)
{
	if (config_key_is_secret(key)) {
		if (ctx->n_args > 1) /* the message must not repeat the value */
			return log_status(SMILE_EXIT_USAGE,
					  "secrets are not taken from the command line, where ps shows them; "
					  "pipe it in or type it at the prompt: smile config set %s", key);
		return read_secret_value(key, profile, out);
	}
	if (ctx->n_args < 2)
		return log_status(SMILE_EXIT_USAGE, "'smile config set %s' needs a VALUE", key);
	*out = xstrdup(ctx->args[1]);
	return 0;
}

static int verb_set(struct cmd_ctx *ctx)
{
	const char *key = ctx->args[0];
	struct config *cfg;
	const char **names;
	char *value = NULL;
	int r;

	if ((r = check_known_key(key)))
		return r;
	/* A file we could not rewrite should fail before the secret is typed. */
	if ((r = cmd_config(ctx, &cfg)))
		return r;
	const char *profile = target_profile(ctx, cfg);
	if ((r = value_for(ctx, key, profile, &value)))
		return r;
	if ((r = check_value(key, value))) {
		free_secret(value);
		return r;
	}

	bool first_profile = config_profile_names(cfg, &names) == 0;
	r = config_set(cfg, profile, key, value);
	free_secret(value);
	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "the profile name is %s", r == -EILSEQ ? "not valid UTF-8" : "empty");
	if (first_profile && !config_default_profile(cfg))
		config_set_default_profile(cfg, profile);
	return save(ctx, cfg);
}

/* ---- unset ------------------------------------------------------------ */

static int verb_unset(struct cmd_ctx *ctx)
{
	const char *key = ctx->args[0];
	struct config *cfg;
	int r;

	if ((r = cmd_config(ctx, &cfg)))
		return r;
	const char *profile = target_profile(ctx, cfg);
	if (!config_has_profile(cfg, profile))
		return profile_not_found(ctx, profile);
	if (config_unset(cfg, profile, key) < 0) {
		/* Unknown keys that are present may be unset: that is how typos go. */
		if ((r = check_known_key(key)))
			return r;
		return log_status(SMILE_EXIT_FAILURE, "%s is not set in profile '%s'", key, profile);
	}
	return save(ctx, cfg);
}

/* ---- use -------------------------------------------------------------- */

static int verb_use(struct cmd_ctx *ctx)
{
	const char *profile = ctx->args[0];
	struct config *cfg;
	int r;

	if ((r = cmd_config(ctx, &cfg)))
		return r;
	if (config_set_default_profile(cfg, profile) < 0)
		return profile_not_found(ctx, profile);
	return save(ctx, cfg);
}

/* ---- delete and rename ------------------------------------------------ */

static int verb_delete(struct cmd_ctx *ctx)
{
	const char *profile = ctx->args[0];
	struct config *cfg;
	int r;

	if ((r = cmd_config(ctx, &cfg)))
		return r;
	const char *def = config_default_profile(cfg);
	bool was_default = def && !strcmp(def, profile);
	if (config_delete_profile(cfg, profile) < 0)
		return profile_not_found(ctx, profile);
	if ((r = save(ctx, cfg)))
		return r;
	if (was_default && !ctx->g->quiet)
		log_warn("'%s' was the default profile; choose another with 'smile config use NAME'", profile);
	return 0;
}

static int verb_rename(struct cmd_ctx *ctx)
{
	const char *from = ctx->args[0], *to = ctx->args[1];
	struct config *cfg;
	int r;

	if ((r = cmd_config(ctx, &cfg)))
		return r;
	switch (config_rename_profile(cfg, from, to)) {
	case 0:
		return save(ctx, cfg);
	case -ENOENT:
		return profile_not_found(ctx, from);
	case -EEXIST:
		return log_status(SMILE_EXIT_USAGE, "profile '%s' exists already; delete it first with 'smile config delete %s'",
				  to, to);
	case -EILSEQ:
		return log_status(SMILE_EXIT_USAGE, "the new profile name is not valid UTF-8");
	default:
		return log_status(SMILE_EXIT_USAGE, "the new profile name is empty");
	}
}

/* ---- tables ----------------------------------------------------------- */

static const char *const config_list_columns[] = { "key", "value", "source", "location", NULL };

static const struct opt_spec get_options[] = {
	{ .name = "reveal", .type = OPT_FLAG, .where = OPT_LOCAL,
	  .help = "print api_secret too (refused without this flag)" },
	{ .name = NULL },
};

static const struct verb_spec config_verbs[] = {
	{
		.name = "list",
		.summary = "show every setting in effect, with where it came from",
		.run = config_verb_list,
		.columns = config_list_columns,
		.flags = VERB_NO_API,
		.example = "smile config list\nsmile --profile local config list -o json",
		.description = "Shows the settings a command would run with, as aws configure list "
			       "does: the profile, then every key, each with its value, its source "
			       "(flag, env, file or default) and where exactly (--rate, SMILE_API_KEY, "
			       "~/.config/smile/config.yaml:5, or for base_url the mode that picked it). "
			       "A key with no value and no default shows '-'. api_secret shows as ********. "
			       "The profiles of the file are listed by 'smile config profiles'.",
	},
	{
		.name = "get",
		.summary = "print the value in effect of one setting",
		.run = config_verb_get,
		.opts = get_options,
		.args = "KEY",
		.min_args = 1,
		.max_args = 1,
		.example = "smile config get rate\nsmile --profile production config get base_url -o json",
		.arg_values = config_profile_keys,
		.flags = VERB_NO_API,
		.description = "Prints the value KEY has in effect: from a command-line option, else the "
			       "environment, else the profile in the config file, else the default (rate 20, "
			       "retries 3, ...). On a terminal the next line says where it came from; -o "
			       "json (or yaml, table) prints it as a row of 'smile config list' instead. "
			       "KEY may also be 'profile'. The profile is --profile, else $SMILE_PROFILE, "
			       "else the default profile, else \"default\". Exits 1 when KEY has no value. "
			       "api_secret is printed only with --reveal.",
	},
	{
		.name = "profiles",
		.summary = "list the profiles of the config file, marking the default",
		.run = config_verb_profiles,
		.columns = config_profiles_columns,
		.flags = VERB_NO_API,
		.example = "smile config profiles -o yaml",
		.description = "Lists every profile of the config file with the settings it holds. The "
			       "default profile has default: true. api_secret is shown as ******** when set, "
			       "never as its value.",
	},
	{
		.name = "set",
		.summary = "set one setting of the profile, creating the profile",
		.run = verb_set,
		.args = "KEY [VALUE]",
		.min_args = 1,
		.max_args = 2,
		.flags = VERB_NO_API | VERB_CREATES_CONFIG,
		.example = "smile config set api_key KEY && smile config set api_secret < secret.txt",
		.arg_values = config_profile_keys,
		.description = "Keys: api_key, api_secret, mode (sandbox or production), base_url "
			       "(beats mode), output (json, ndjson, table, csv, yaml: the format on a terminal), "
			       "pipe_output (the format when stdout is not a terminal; default json), rate (requests per "
			       "second, 0 = unlimited), connect_timeout, timeout and retry_max_time "
			       "(seconds, decimals allowed), retries (extra attempts), wink_sdk_url (the Wink "
			       "SDK that smile link's page loads), account_retention_days and "
			       "upload_retention_days (whole days, 1 to 36500: the policy smile "
			       "retention judges by). api_secret is never "
			       "taken from the command line: it is read from stdin, or from a prompt that "
			       "does not echo. The profile is --profile, else $SMILE_PROFILE, else the "
			       "default profile, else \"default\"; the first profile of a file becomes its "
			       "default. The file is written atomically with mode 0600.",
	},
	{
		.name = "unset",
		.summary = "remove one setting from the profile",
		.run = verb_unset,
		.args = "KEY",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_NO_API,
		.example = "smile config unset base_url",
		.arg_values = config_profile_keys,
	},
	{
		.name = "use",
		.summary = "make PROFILE the default profile",
		.run = verb_use,
		.args = "PROFILE",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_NO_API,
		.example = "smile config use production",
		.arg_values = complete_profile_names,
		.description = "Sets default: in the config file. The profile must exist.",
	},
	{
		.name = "delete",
		.summary = "remove PROFILE and its settings from the config file",
		.run = verb_delete,
		.args = "PROFILE",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_NO_API,
		.example = "smile config delete old-sandbox",
		.arg_values = complete_profile_names,
		.description = "Removes the profile with its keys and secret. When it was the default, "
			       "the file has no default profile until 'smile config use NAME'.",
	},
	{
		.name = "rename",
		.summary = "rename profile OLD to NEW",
		.run = verb_rename,
		.args = "OLD NEW",
		.min_args = 2,
		.max_args = 2,
		.flags = VERB_NO_API,
		.example = "smile config rename sandbox staging",
		.arg_values = complete_profile_names,
		.description = "Keeps the profile's settings and its place in the file; a default: naming "
			       "OLD names NEW. NEW must not exist yet.",
	},
	{ .name = NULL },
};

const struct group_spec group_config = {
	.name = "config",
	.summary = "manage profiles: API keys and per-profile settings",
	.verbs = config_verbs,
	.description = "The config file is $SMILE_CONFIG, else $XDG_CONFIG_HOME/smile/config.yaml, "
		       "else ~/.config/smile/config.yaml (or --config FILE). It must not be readable by "
		       "others: smile refuses it and says how to fix it (chmod 600). Values from the "
		       "environment ($SMILE_API_KEY, $SMILE_API_SECRET, $SMILE_BASE_URL) beat the file, "
		       "and command-line options beat both; 'smile config list' shows which won for each "
		       "key. A profile's output: is the default format on a terminal only; pipe_output: "
		       "is the one for pipes and files (default json).",
};
