/* SPDX-License-Identifier: MIT */
/*
 * Profile resolution: which profile, then its values from the file, the
 * environment and the command line, in that order of strength, into a
 * struct profile of plain values.
 *
 * Units in the file: rate is requests per second (0 = unlimited);
 * connect_timeout, timeout and retry_max_time are seconds, decimals allowed
 * ("2.5"), and become milliseconds in struct profile; retries counts the
 * extra attempts after the first (so max_attempts = retries + 1).
 */
#include "core/config/internal.h"
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_RATE 20.0
#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define DEFAULT_TIMEOUT_MS 60000L
#define DEFAULT_MAX_ATTEMPTS 4
#define DEFAULT_RETRY_MAX_MS 60000L
#define DEFAULT_ACCOUNT_RETENTION_DAYS 60
#define DEFAULT_UPLOAD_RETENTION_DAYS 7

static const char *nonempty_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static char *config_shown_path(const struct config *cfg)
{
	if (cfg)
		return config_display_path(cfg->path);
	_cleanup_free_ char *path = config_default_path();
	return config_display_path(path);
}

/* --profile, else $SMILE_PROFILE, else default:, else a profile named
 * "default" (what `smile config set` creates when nothing names one). */
static int choose_profile(const struct config *cfg, const struct profile_overrides *ov,
			  struct profile *out, char **err)
{
	const char *name = ov ? ov->profile : NULL;
	const char *why = "";

	out->name_from_option = name != NULL;
	out->name_source = PROFILE_SOURCE_OPTION;
	if (!name) {
		name = nonempty_env("SMILE_PROFILE");
		out->name_source = PROFILE_SOURCE_ENV;
	}
	if (!name && cfg) {
		name = config_default_profile(cfg);
		why = " (the default profile)";
		out->name_source = PROFILE_SOURCE_FILE;
	}
	if (!name)
		out->name_source = PROFILE_SOURCE_DEFAULT;
	if (!name) {
		if (cfg && config_has_profile(cfg, "default"))
			out->name = xstrdup("default");
		return 0;
	}
	if (!cfg || !config_has_profile(cfg, name)) {
		_cleanup_free_ char *shown = config_shown_path(cfg);
		*err = xasprintf("profile '%s'%s not found in %s", name, why, shown);
		return -ENOENT;
	}
	out->name = xstrdup(name);
	return 0;
}

static void set_source(struct profile *p, const char *key, enum profile_source s)
{
	int i = config_key_index(key);
	if (i >= 0 && i < CONFIG_MAX_KEYS)
		p->sources[i] = s;
}

enum profile_source profile_source(const struct profile *p, const char *key)
{
	int i = config_key_index(key);
	return i >= 0 && i < CONFIG_MAX_KEYS ? p->sources[i] : PROFILE_SOURCE_DEFAULT;
}

const char *profile_source_name(enum profile_source s)
{
	static const char *const names[] = {
		[PROFILE_SOURCE_DEFAULT] = "default",
		[PROFILE_SOURCE_FILE] = "file",
		[PROFILE_SOURCE_ENV] = "env",
		[PROFILE_SOURCE_OPTION] = "flag",
	};
	return names[s];
}

/* Validates a value from the file; errors name the file, line and key. */
static int file_value(const struct config *cfg, struct profile *p, const char *key,
		      const char **out, char **err)
{
	const char *profile = p->name;
	struct node *v = cfg && profile ? profile_value(cfg, profile, key) : NULL;
	*out = NULL;
	if (!v)
		return 0;
	set_source(p, key, PROFILE_SOURCE_FILE);
	const char *problem = config_value_problem(key, v->value);
	if (problem) {
		_cleanup_free_ char *shown = config_display_path(cfg->path);
		if (config_key_is_secret(key))
			*err = xasprintf("%s:%zu: profiles.%s.%s %s", shown, v->line, profile, key, problem);
		else
			*err = xasprintf("%s:%zu: profiles.%s.%s %s, not '%s'", shown, v->line, profile,
					 key, problem, v->value);
		return -EINVAL;
	}
	*out = v->value;
	return 0;
}

static void take_string(char **dst, const char *src)
{
	if (!src)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

static long seconds_to_ms(const char *s)
{
	double d = 0;
	config_parse_decimal(s, 1e7, &d);
	return lround(d * 1000.0);
}

static int resolve_strings(const struct config *cfg, struct profile *out, char **err)
{
	static const char *const keys[] = { "api_key", "api_secret", "mode", "base_url", "output",
					    "pipe_output", "wink_sdk_url" };
	char **fields[] = { &out->api_key, &out->api_secret, &out->mode, &out->base_url, &out->output,
			    &out->pipe_output, &out->wink_sdk_url };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v;
		int r = file_value(cfg, out, keys[i], &v, err);
		if (r < 0)
			return r;
		take_string(fields[i], v);
	}
	return 0;
}

/* How a numeric key's text becomes its profile field. */
enum number_kind {
	NUMBER_RATE,    /* double, requests per second */
	NUMBER_SECONDS, /* long, milliseconds of the seconds given */
	NUMBER_TRIES,   /* int, the retries given plus the first try */
	NUMBER_DAYS,    /* int */
};

static const struct {
	const char *key;
	enum number_kind kind;
	size_t offset;
} number_keys[] = {
	{ "rate", NUMBER_RATE, offsetof(struct profile, rate) },
	{ "connect_timeout", NUMBER_SECONDS, offsetof(struct profile, connect_timeout_ms) },
	{ "timeout", NUMBER_SECONDS, offsetof(struct profile, timeout_ms) },
	{ "retry_max_time", NUMBER_SECONDS, offsetof(struct profile, retry_max_ms) },
	{ "retries", NUMBER_TRIES, offsetof(struct profile, max_attempts) },
	{ "account_retention_days", NUMBER_DAYS, offsetof(struct profile, account_retention_days) },
	{ "upload_retention_days", NUMBER_DAYS, offsetof(struct profile, upload_retention_days) },
};

static void store_number(struct profile *out, enum number_kind kind, size_t offset, const char *v)
{
	void *field = (char *)out + offset;

	switch (kind) {
	case NUMBER_RATE:
		config_parse_decimal(v, 1e6, field);
		break;
	case NUMBER_SECONDS:
		*(long *)field = seconds_to_ms(v);
		break;
	case NUMBER_TRIES:
		*(int *)field = atoi(v) + 1;
		break;
	case NUMBER_DAYS:
		*(int *)field = atoi(v);
		break;
	}
}

static int resolve_numbers(const struct config *cfg, struct profile *out, char **err)
{
	for (size_t i = 0; i < sizeof(number_keys) / sizeof(number_keys[0]); i++) {
		const char *v;
		int r = file_value(cfg, out, number_keys[i].key, &v, err);
		if (r < 0)
			return r;
		if (v)
			store_number(out, number_keys[i].kind, number_keys[i].offset, v);
	}
	return 0;
}

static int apply_environment(struct profile *out, char **err)
{
	const char *url = nonempty_env("SMILE_BASE_URL");
	if (url && config_value_problem("base_url", url)) {
		*err = xasprintf("SMILE_BASE_URL %s, not '%s'", config_value_problem("base_url", url), url);
		return -EINVAL;
	}
	static const char *const keys[] = { "api_key", "api_secret", "base_url" };
	char **fields[] = { &out->api_key, &out->api_secret, &out->base_url };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = nonempty_env(config_key_env(keys[i]));
		if (!v)
			continue;
		take_string(fields[i], v);
		set_source(out, keys[i], PROFILE_SOURCE_ENV);
	}
	return 0;
}

/* A value given on the command line, recorded as such. */
static void take_option_string(struct profile *out, const char *key, char **dst, const char *src)
{
	if (!src)
		return;
	take_string(dst, src);
	set_source(out, key, PROFILE_SOURCE_OPTION);
}

static void take_option_long(struct profile *out, const char *key, long *dst, long src)
{
	if (src < 0)
		return;
	*dst = src;
	set_source(out, key, PROFILE_SOURCE_OPTION);
}

static int apply_overrides(const struct profile_overrides *ov, struct profile *out, char **err)
{
	if (!ov)
		return 0;
	if (ov->base_url && config_value_problem("base_url", ov->base_url)) {
		*err = xasprintf("--base-url %s, not '%s'", config_value_problem("base_url", ov->base_url),
				 ov->base_url);
		return -EINVAL;
	}
	take_option_string(out, "base_url", &out->base_url, ov->base_url);
	take_option_string(out, "output", &out->output, ov->output);
	if (ov->rate >= 0) {
		out->rate = ov->rate;
		set_source(out, "rate", PROFILE_SOURCE_OPTION);
	}
	take_option_long(out, "connect_timeout", &out->connect_timeout_ms, ov->connect_timeout_ms);
	take_option_long(out, "timeout", &out->timeout_ms, ov->timeout_ms);
	take_option_long(out, "retry_max_time", &out->retry_max_ms, ov->retry_max_ms);
	if (ov->max_attempts >= 0) {
		out->max_attempts = ov->max_attempts;
		set_source(out, "retries", PROFILE_SOURCE_OPTION);
	}
	return 0;
}

/* base_url beats mode; mode only picks one of the official URLs. A
 * trailing slash is dropped so paths can be appended as "/users". */
static void finish_base_url(struct profile *out)
{
	if (!out->mode)
		out->mode = xstrdup("sandbox");
	if (!out->base_url)
		out->base_url = xstrdup(strcmp(out->mode, "production") == 0 ? SMILE_PRODUCTION_URL
									       : SMILE_SANDBOX_URL);
	size_t n = strlen(out->base_url);
	while (n > 0 && out->base_url[n - 1] == '/' && !str_ends_with(out->base_url, "://"))
		out->base_url[--n] = '\0';
}

int profile_resolve(const struct config *cfg, const struct profile_overrides *ov,
		    struct profile *out, char **err)
{
	*out = (struct profile){
		.rate = DEFAULT_RATE,
		.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS,
		.timeout_ms = DEFAULT_TIMEOUT_MS,
		.max_attempts = DEFAULT_MAX_ATTEMPTS,
		.retry_max_ms = DEFAULT_RETRY_MAX_MS,
		.account_retention_days = DEFAULT_ACCOUNT_RETENTION_DAYS,
		.upload_retention_days = DEFAULT_UPLOAD_RETENTION_DAYS,
	};

	*err = NULL;

	int r = choose_profile(cfg, ov, out, err);

	if (r >= 0)
		r = resolve_strings(cfg, out, err);

	if (r >= 0)
		r = resolve_numbers(cfg, out, err);

	if (r >= 0)
		r = apply_environment(out, err);

	if (r >= 0)
		r = apply_overrides(ov, out, err);

	if (r < 0) {
		profile_clear(out);
		return r;
	}
	finish_base_url(out);

	return 0;

}

enum profile_credentials profile_credentials(const struct profile *p)
{
	bool has_key = p->api_key && *p->api_key;

	bool has_secret = p->api_secret && *p->api_secret;

	if (has_key && has_secret)
		return CREDENTIALS_COMPLETE;

	if (!has_key && !has_secret)
		return CREDENTIALS_NONE;

	return has_key ? CREDENTIALS_NO_SECRET : CREDENTIALS_NO_KEY;

}

bool profile_is_production(const struct profile *p)
{
	/* Either signal counts: a proxy in front of production is still production. */
	if (p->mode && strcmp(p->mode, "production") == 0)
		return true;

	return p->base_url && str_starts_with(p->base_url, "https://open.smileapi.io");

}

void profile_clear(struct profile *p)
{
	if (!p)
		return;

	free(p->name);

	free(p->api_key);

	if (p->api_secret) /* do not leave the secret lying in freed memory */
		explicit_bzero(p->api_secret, strlen(p->api_secret));

	free(p->api_secret);

	free(p->base_url);

	free(p->mode);

	free(p->output);

	free(p->pipe_output);

	free(p->wink_sdk_url);

	*p = (struct profile){ 0 };
}
