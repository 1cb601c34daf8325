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
#include "cmd/groups.h"
#include "core/util.h"

#define SECRET_MASK "********"

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

/* ---- list ------------------------------------------------------------- */

/* Numbers as JSON numbers (keeping the file's spelling, "2.5" not
 * "2.5000"); a bad value stays a string so list still shows it. */
static json_object *setting_value(const char *key, const char *value)
{
	static const char *const numeric[] = { "rate", "connect_timeout", "timeout", "retry_max_time", NULL };
	char *err = NULL;

	if (config_key_is_secret(key))
		return json_object_new_string(SECRET_MASK);
	if (config_check_value(key, value, &err) < 0) {
		free(err);
		return json_object_new_string(value);
	}
	if (strcmp(key, "retries") == 0 || strcmp(key, "account_retention_days") == 0 ||
	    strcmp(key, "upload_retention_days") == 0)
		return json_object_new_int(atoi(value));
	for (size_t i = 0; numeric[i]; i++)
		if (strcmp(key, numeric[i]) == 0)
			return json_object_new_double_s(strtod(value, NULL), value);
	return json_object_new_string(value);
}

static json_object *profile_item(const struct config *cfg, const char *name)
{
	json_object *item = json_object_new_object();
	const char *def = config_default_profile(cfg);

	json_object_object_add(item, "name", json_object_new_string(name));
	json_object_object_add(item, "default", json_object_new_boolean(def && strcmp(def, name) == 0));
	for (size_t i = 0; config_profile_keys[i]; i++) {
		const char *key = config_profile_keys[i];
		const char *value = config_get(cfg, name, key);
		if (value)
			json_object_object_add(item, key, setting_value(key, value));
	}
	return item;
}

static const char *const list_columns[] = {
	"name", "default", "mode", "base_url", "api_key", "api_secret", "output", NULL,
};

static int verb_list(struct cmd_ctx *ctx)
{
	struct config *cfg;
	const char **names;
	struct output_opts oo;
	int r = cmd_config(ctx, &cfg);
	if (r)
		return r;

	size_t n = config_profile_names(cfg, &names);
	if (n == 0 && !ctx->g->quiet) {
		_cleanup_free_ char *shown = config_display_path(ctx->config_path);
		log_warn("no profiles in %s; add one with 'smile config set api_key KEY'", shown);
	}
	cmd_output_opts(ctx, &oo, list_columns);
	struct output *o = output_begin(&oo, stdout, true);
	for (size_t i = 0; i < n && r == 0; i++) {
		json_object *item = profile_item(cfg, names[i]);
		r = output_item(o, item);
		json_object_put(item);
	}
	int e = output_end(o);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}

/* ---- get -------------------------------------------------------------- */

static int verb_get(struct cmd_ctx *ctx)
{
	const char *key = ctx->args[0];
	struct config *cfg;
	int r;

	if ((r = check_known_key(key)))
		return r;
	if (config_key_is_secret(key) && !cmd_flag(ctx, "reveal"))
		return log_status(SMILE_EXIT_USAGE, "%s is a secret and is not printed; add --reveal to print it", key);
	if ((r = cmd_config(ctx, &cfg)))
		return r;

	const char *profile = target_profile(ctx, cfg);
	if (!config_has_profile(cfg, profile))
		return profile_not_found(ctx, profile);
	const char *value = config_get(cfg, profile, key);
	if (!value) {
		/* Exit 1 without noise under -q, for `smile -q config get x || ...`. */
		if (!ctx->g->quiet)
			log_error("%s is not set in profile '%s'", key, profile);
		return SMILE_EXIT_FAILURE;
	}
	printf("%s\n", value);
	return 0;
}

/* ---- set -------------------------------------------------------------- */

/* The output layer owns the format names; the core cannot check them. */
static int check_output_format(const char *value)
{
	enum output_format f;
	if (output_parse_format(value, &f) == 0)
		return 0;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; output_format_names[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", output_format_names[i]);
	log_error("output must be one of %s, not '%s'", sb.buf, value);
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
	if (strcmp(key, "output") == 0)
		return check_output_format(value);
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

/* ---- tables ----------------------------------------------------------- */

static const struct opt_spec get_options[] = {
	{ .name = "reveal", .type = OPT_FLAG, .where = OPT_LOCAL,
	  .help = "print api_secret too (refused without this flag)" },
	{ .name = NULL },
};

static const struct verb_spec config_verbs[] = {
	{
		.name = "list",
		.summary = "list the profiles, marking the default; secrets show as ********",
		.run = verb_list,
		.columns = list_columns,
		.flags = VERB_NO_API,
		.example = "smile config list -o yaml",
		.description = "Lists every profile of the config file with its settings. The default "
			       "profile has default: true. api_secret is shown as ******** when set, "
			       "never as its value.",
	},
	{
		.name = "get",
		.summary = "print one setting of the profile",
		.run = verb_get,
		.opts = get_options,
		.args = "KEY",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_NO_API,
		.example = "smile --profile production config get base_url",
		.arg_values = config_profile_keys,
		.description = "Prints the value of KEY as written in the config file (the environment "
			       "and command-line options are not applied). The profile is --profile, else "
			       "$SMILE_PROFILE, else the default profile, else \"default\". Exits 1 when KEY "
			       "is not set. api_secret is printed only with --reveal.",
	},
	{
		.name = "set",
		.summary = "set one setting of the profile, creating the profile",
		.run = verb_set,
		.args = "KEY [VALUE]",
		.min_args = 1,
		.max_args = 2,
		.flags = VERB_NO_API,
		.example = "smile config set api_key KEY && smile config set api_secret < secret.txt",
		.arg_values = config_profile_keys,
		.description = "Keys: api_key, api_secret, mode (sandbox or production), base_url "
			       "(beats mode), output (json, ndjson, table, csv, yaml), rate (requests per "
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
		.description = "Sets default: in the config file. The profile must exist.",
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
		       "and command-line options beat both.",
};
