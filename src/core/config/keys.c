/* SPDX-License-Identifier: MIT */
/*
 * The keys a profile has, which of them are secret, and what values each
 * takes (config set and the loader check them here).
 */
#include "core/config/internal.h"
#include "core/text.h"
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const config_profile_keys[] = {
	"api_key", "api_secret", "mode", "base_url", "output", "pipe_output", "account_retention_days",
	"upload_retention_days", "rate", "connect_timeout", "timeout", "retries", "retry_max_time",
	"wink_sdk_url", NULL,
};

const char *const config_mode_values[] = { "sandbox", "production", NULL };

int config_key_index(const char *key)
{
	for (int i = 0; config_profile_keys[i]; i++)
		if (strcmp(config_profile_keys[i], key) == 0)
			return i;
	return -1;
}

const char *config_key_env(const char *key)
{
	static const char *const envs[][2] = {
		{ "api_key", "SMILE_API_KEY" },
		{ "api_secret", "SMILE_API_SECRET" },
		{ "base_url", "SMILE_BASE_URL" },
	};
	for (size_t i = 0; i < sizeof(envs) / sizeof(envs[0]); i++)
		if (strcmp(envs[i][0], key) == 0)
			return envs[i][1];
	return NULL;
}

bool config_key_is_secret(const char *key)
{
	return strcmp(key, "api_secret") == 0;
}

bool config_key_is_known(const char *key)
{
	return config_key_index(key) >= 0;
}

bool config_is_days_key(const char *key)
{
	return strcmp(key, "account_retention_days") == 0 || strcmp(key, "upload_retention_days") == 0;
}

bool config_is_numeric_key(const char *key)
{
	static const char *const numeric[] = {
		"rate", "connect_timeout", "timeout", "retries", "retry_max_time",
		"account_retention_days", "upload_retention_days", NULL,
	};
	for (size_t i = 0; numeric[i]; i++)
		if (strcmp(key, numeric[i]) == 0)
			return true;
	return false;
}

/* Digits with an optional fraction: no sign, exponent, hex or "inf", which
 * strtod would otherwise accept. */
bool config_parse_decimal(const char *s, double max, double *out)
{
	size_t digits = strspn(s, "0123456789");
	const char *p = s + digits;
	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		digits += frac;
		p += 1 + frac;
	}
	if (digits == 0 || *p)
		return false;
	double v = strtod(s, NULL);
	if (!isfinite(v) || v > max)
		return false;
	*out = v;
	return true;
}

static const char not_utf8[] = "is not valid UTF-8";

const char *config_value_problem(const char *key, const char *value)
{
	double d;

	/* Typed by the user, so refused rather than repaired (core/text.h):
	 * a key that is not what was typed would fail to authenticate. */
	if (!utf8_is_valid(value, strlen(value)))
		return not_utf8;
	if (strcmp(key, "mode") == 0) {
		if (strcmp(value, config_mode_values[0]) && strcmp(value, config_mode_values[1]))
			return "must be sandbox or production";
	} else if (strcmp(key, "base_url") == 0 || strcmp(key, "wink_sdk_url") == 0) {
		if (!str_starts_with(value, "https://") && !str_starts_with(value, "http://"))
			return "must start with https:// or http://";
	} else if (strcmp(key, "rate") == 0) {
		if (!config_parse_decimal(value, 1e6, &d))
			return "must be a number of requests per second (0 = unlimited)";
	} else if (strcmp(key, "retries") == 0) {
		if (strspn(value, "0123456789") != strlen(value) || !*value || !config_parse_decimal(value, 100, &d))
			return "must be a whole number of extra attempts, at most 100";
	} else if (config_is_days_key(key)) {
		if (strspn(value, "0123456789") != strlen(value) || !*value || !config_parse_decimal(value, 36500, &d) ||
		    d < 1)
			return "must be a whole number of days, 1 to 36500";
	} else if (config_is_numeric_key(key)) {
		if (!config_parse_decimal(value, 1e7, &d))
			return "must be a number of seconds, like 2.5";
	} else if (config_key_is_secret(key) || strcmp(key, "api_key") == 0) {
		if (!*value)
			return "must not be empty";
	}
	return NULL;
}

static char *valid_keys_list(void)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; config_profile_keys[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", config_profile_keys[i]);
	return strbuf_detach(&sb);
}

int config_check_value(const char *key, const char *value, char **err)
{
	*err = NULL;
	struct strbuf shown = STRBUF_INIT;
	if (!config_key_is_known(key)) {
		_cleanup_free_ char *keys = valid_keys_list();
		strbuf_add_printable(&shown, key, strlen(key), 60);
		*err = xasprintf("unknown key '%s'; valid keys: %s", shown.buf, keys);
		strbuf_release(&shown);
		return -ENOENT;
	}
	const char *problem = config_value_problem(key, value);
	if (!problem)
		return 0;
	if (config_key_is_secret(key) || problem == not_utf8) {
		*err = xasprintf("%s %s", key, problem); /* never a secret */
	} else {
		strbuf_add_printable(&shown, value, strlen(value), 60);
		*err = xasprintf("%s %s, not '%s'", key, problem, shown.buf);
		strbuf_release(&shown);
	}
	return -EINVAL;
}
