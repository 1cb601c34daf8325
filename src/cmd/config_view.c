/* SPDX-License-Identifier: MIT */
/*
 * smile config list, get and profiles: what is in effect, and where it
 * came from.
 *
 * list and get show the values a command would run with (as `aws configure
 * list` does): every key of the chosen profile after the file, the
 * environment and the command line are applied, each with its source
 * (flag, env, file, default) and where exactly (--rate, SMILE_BASE_URL,
 * ~/.config/smile/config.yaml:5). profiles lists the profiles of the file.
 * api_secret shows as ******** unless `get --reveal` asks for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cmd/config_view.h"
#include "core/text.h"
#include "core/util.h"

#define SECRET_MASK "********"

/* ---- one setting in effect -------------------------------------------- */

struct setting {
	const char *key;
	char *value;          /* as the file would spell it; NULL: not set */
	bool numeric;
	enum profile_source source;
	char *location;       /* "--rate", "SMILE_API_KEY", "FILE:LINE"; NULL: none */
};

static void setting_clear(struct setting *s)
{
	if (s->value)
		explicit_bzero(s->value, strlen(s->value));
	free(s->value);
	free(s->location);
}

static char *seconds(long ms)
{
	return xasprintf("%g", (double)ms / 1000.0);
}

/* The value in effect of key, in the file's units. */
static char *value_in_effect(const struct profile *p, const char *key, bool *numeric)
{
	*numeric = true;
	if (!strcmp(key, "rate"))
		return xasprintf("%g", p->rate);
	if (!strcmp(key, "connect_timeout"))
		return seconds(p->connect_timeout_ms);
	if (!strcmp(key, "timeout"))
		return seconds(p->timeout_ms);
	if (!strcmp(key, "retry_max_time"))
		return seconds(p->retry_max_ms);
	if (!strcmp(key, "retries"))
		return xasprintf("%d", p->max_attempts - 1);
	if (!strcmp(key, "account_retention_days"))
		return xasprintf("%d", p->account_retention_days);
	if (!strcmp(key, "upload_retention_days"))
		return xasprintf("%d", p->upload_retention_days);
	*numeric = false;
	const char *const strings[][2] = {
		{ "api_key", p->api_key }, { "api_secret", p->api_secret }, { "mode", p->mode },
		{ "base_url", p->base_url }, { "output", p->output }, { "pipe_output", p->pipe_output },
		{ "wink_sdk_url", p->wink_sdk_url },
	};
	for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++)
		if (!strcmp(key, strings[i][0]))
			return strings[i][1] ? xstrdup(strings[i][1]) : NULL;
	return NULL;
}

/* "--connect-timeout" for connect_timeout: the global option of a key. */
static char *option_name(const char *key)
{
	char *s = xasprintf("--%s", key);
	for (char *c = s; *c; c++)
		if (*c == '_')
			*c = '-';
	return s;
}

static char *file_location(const struct config *cfg, const char *profile, const char *key)
{
	_cleanup_free_ char *shown = config_display_path(config_path(cfg));
	size_t line = config_line(cfg, profile, key);
	return line ? xasprintf("%s:%zu", shown, line) : xstrdup(shown);
}

static char *location_of(const struct config *cfg, const struct profile *p, const char *key,
			 enum profile_source src)
{
	switch (src) {
	case PROFILE_SOURCE_OPTION:
		return option_name(key);
	case PROFILE_SOURCE_ENV:
		return xstrdup(config_key_env(key));
	case PROFILE_SOURCE_FILE:
		return file_location(cfg, p->name, key);
	case PROFILE_SOURCE_DEFAULT:
		break;
	}
	/* The official URL is the mode's: say which mode picked it. */
	if (!strcmp(key, "base_url"))
		return xasprintf("mode %s", p->mode);
	return NULL;
}

static void setting_of(const struct config *cfg, const struct profile *p, const char *key,
		       struct setting *out)
{
	*out = (struct setting){ .key = key };
	out->value = value_in_effect(p, key, &out->numeric);
	out->source = profile_source(p, key);
	if (out->value)
		out->location = location_of(cfg, p, key, out->source);
}

/* The profile's own row: chosen by --profile, SMILE_PROFILE, default:. */
static void profile_setting(const struct config *cfg, const struct profile *p, struct setting *out)
{
	*out = (struct setting){ .key = "profile", .source = p->name_source };
	out->value = p->name ? xstrdup(p->name) : NULL;
	if (p->name_source == PROFILE_SOURCE_OPTION)
		out->location = xstrdup("--profile");
	else if (p->name_source == PROFILE_SOURCE_ENV)
		out->location = xstrdup("SMILE_PROFILE");
	else if (p->name_source == PROFILE_SOURCE_FILE)
		out->location = file_location(cfg, NULL, "default");
}

static json_object *string_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static json_object *setting_item(const struct setting *s, bool reveal)
{
	json_object *item = json_object_new_object();
	json_object *value;

	if (!s->value)
		value = NULL;
	else if (config_key_is_secret(s->key) && !reveal)
		value = json_object_new_string(SECRET_MASK);
	else if (s->numeric)
		value = json_object_new_double_s(strtod(s->value, NULL), s->value);
	else
		value = json_object_new_string(s->value);
	json_object_object_add(item, "key", json_object_new_string(s->key));
	json_object_object_add(item, "value", value);
	json_object_object_add(item, "source", s->value ? json_object_new_string(profile_source_name(s->source)) : NULL);
	json_object_object_add(item, "location", string_or_null(s->location));
	return item;
}

static const char *const setting_columns[] = { "key", "value", "source", "location", NULL };

/* ---- list ------------------------------------------------------------- */

static int print_items(struct cmd_ctx *ctx, json_object **items, size_t n, bool is_list)
{
	struct output_opts oo;
	int r = 0;

	cmd_output_opts(ctx, &oo, setting_columns);
	struct output *o = output_begin(&oo, stdout, is_list);
	for (size_t i = 0; i < n && r == 0; i++)
		r = output_item(o, items[i]);
	int e = output_end(o);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}

int config_verb_list(struct cmd_ctx *ctx)
{
	const struct profile *p;
	struct config *cfg;
	int r;

	if ((r = cmd_config(ctx, &cfg)) || (r = cmd_profile(ctx, &p)))
		return r;
	size_t n = 1;
	while (config_profile_keys[n - 1])
		n++;
	json_object **items = xcalloc(n, sizeof(*items));
	struct setting s;
	profile_setting(cfg, p, &s);
	items[0] = setting_item(&s, false);
	setting_clear(&s);
	for (size_t i = 1; i < n; i++) {
		setting_of(cfg, p, config_profile_keys[i - 1], &s);
		items[i] = setting_item(&s, false);
		setting_clear(&s);
	}
	r = print_items(ctx, items, n, true);
	for (size_t i = 0; i < n; i++)
		json_object_put(items[i]);
	free(items);
	return r;
}

/* ---- get -------------------------------------------------------------- */

/* Under the value, for a person at a terminal: where it came from. */
static void say_source(const struct setting *s)
{
	if (s->location)
		fprintf(stderr, "(%s: %s)\n", profile_source_name(s->source), s->location);
	else
		fprintf(stderr, "(%s)\n", profile_source_name(s->source));
}

static int print_setting(struct cmd_ctx *ctx, const struct setting *s, bool reveal)
{
	if (ctx->g->output) { /* -o asks for the row, as config list shows it */
		json_object *item = setting_item(s, reveal);
		int r = print_items(ctx, &item, 1, false);
		json_object_put(item);
		return r;
	}
	printf("%s\n", s->value);
	if (fflush(stdout) != 0)
		return SMILE_EXIT_FAILURE;
	if (isatty(STDOUT_FILENO) && !ctx->g->quiet)
		say_source(s);
	return 0;
}

int config_verb_get(struct cmd_ctx *ctx)
{
	const char *key = ctx->args[0];
	const struct profile *p;
	struct config *cfg;
	struct setting s;
	int r;

	if (!config_key_is_known(key) && strcmp(key, "profile")) {
		char *err = NULL;
		config_check_value(key, "", &err);
		log_error("%s", err);
		free(err);
		return SMILE_EXIT_USAGE;
	}
	bool reveal = cmd_flag(ctx, "reveal");
	if (config_key_is_secret(key) && !reveal)
		return log_status(SMILE_EXIT_USAGE, "%s is a secret and is not printed; add --reveal to print it", key);
	if ((r = cmd_config(ctx, &cfg)) || (r = cmd_profile(ctx, &p)))
		return r;
	if (!strcmp(key, "profile"))
		profile_setting(cfg, p, &s);
	else
		setting_of(cfg, p, key, &s);
	if (!s.value) {
		/* Exit 1 without noise under -q, for `smile -q config get x || ...`. */
		if (!ctx->g->quiet)
			log_error("%s is not set in profile '%s'", key, p->name ? p->name : "default");
		setting_clear(&s);
		return SMILE_EXIT_FAILURE;
	}
	r = print_setting(ctx, &s, reveal);
	setting_clear(&s);
	return r;
}

/* ---- profiles --------------------------------------------------------- */

/* Numbers as JSON numbers (keeping the file's spelling, "2.5" not
 * "2.5000"); a bad value stays a string so the listing still shows it. */
static json_object *file_value(const char *key, const char *value)
{
	char *err = NULL;

	if (config_key_is_secret(key))
		return json_object_new_string(SECRET_MASK);
	if (config_check_value(key, value, &err) < 0) {
		free(err);
		return json_object_new_string(value);
	}
	if (!strcmp(key, "retries") || !strcmp(key, "account_retention_days") ||
	    !strcmp(key, "upload_retention_days"))
		return json_object_new_int(atoi(value));
	static const char *const numeric[] = { "rate", "connect_timeout", "timeout", "retry_max_time", NULL };
	for (size_t i = 0; numeric[i]; i++)
		if (!strcmp(key, numeric[i]))
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
			json_object_object_add(item, key, file_value(key, value));
	}
	return item;
}

/* -q: the names, one a line, made printable as -q prints ids (the file
 * may have been edited by hand). */
static int print_profile_names(const char **names, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		strbuf_add_printable(&sb, names[i], strlen(names[i]), 0);
		strbuf_addch(&sb, '\n');
	}
	bool ok = fwrite(sb.buf, 1, sb.len, stdout) == sb.len && fflush(stdout) == 0;
	strbuf_release(&sb);
	return ok ? 0 : SMILE_EXIT_FAILURE;
}

const char *const config_profiles_columns[] = {
	"name", "default", "mode", "base_url", "api_key", "api_secret", "output", NULL,
};

int config_verb_profiles(struct cmd_ctx *ctx)
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
	cmd_output_opts(ctx, &oo, config_profiles_columns);
	/* -q prints each item's id, and a profile's id is its name. */
	if (oo.quiet && !oo.jq)
		return print_profile_names(names, n);
	struct output *o = output_begin(&oo, stdout, true);
	for (size_t i = 0; i < n && r == 0; i++) {
		json_object *item = profile_item(cfg, names[i]);
		r = output_item(o, item);
		json_object_put(item);
	}
	int e = output_end(o);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}
