/* SPDX-License-Identifier: MIT */
/*
 * Profiles: the YAML file that holds API keys and per-profile settings.
 *
 *   default: sandbox
 *   profiles:
 *     sandbox: { api_key: K, api_secret: S, mode: sandbox }
 *     local:   { api_key: K, api_secret: S, base_url: http://127.0.0.1:8080/v1, output: table }
 *
 * File: $SMILE_CONFIG, else $XDG_CONFIG_HOME/smile/config.yaml, else
 * ~/.config/smile/config.yaml. Profile: --profile, else $SMILE_PROFILE, else
 * `default:`. Values: --base-url beats $SMILE_BASE_URL/$SMILE_API_KEY/
 * $SMILE_API_SECRET, which beat the file. base_url beats mode.
 *
 * Units in the file: rate in requests per second (0 = unlimited);
 * connect_timeout, timeout, retry_max_time in seconds, decimals allowed
 * (struct profile holds milliseconds); retries = extra attempts after the
 * first. Comments in the file are not kept when smile rewrites it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define SMILE_SANDBOX_URL "https://sandbox.smileapi.io/v1"
#define SMILE_PRODUCTION_URL "https://open.smileapi.io/v1"

/* Keys a profile may hold; anything else is refused by `config set`. */
extern const char *const config_profile_keys[];
/* What mode may be: sandbox, production (NULL-terminated). */
extern const char *const config_mode_values[];
#define CONFIG_MAX_KEYS 16 /* room for config_profile_keys, for per-key arrays */
/* The index of key in config_profile_keys, or -1. */
int config_key_index(const char *key);
/* The environment variable that sets key ("SMILE_API_KEY"), or NULL. */
const char *config_key_env(const char *key);
/* Keys whose values are secrets: never echoed, never taken from argv. */
bool config_key_is_secret(const char *key);
/* One of config_profile_keys. */
bool config_key_is_known(const char *key);
/* Checks a value for a known key (valid UTF-8 for all; mode, base_url,
 * numbers; output formats are the output layer's to check). -ENOENT for an unknown key (the message
 * lists the valid ones), -EINVAL for a bad value; *err is set (allocated,
 * names the key, never the value of a secret). */
int config_check_value(const char *key, const char *value, char **err);

struct config; /* the parsed file; keeps unknown keys and order when saved */

/* The path of the config file (allocated). */
char *config_default_path(void);
/* path as messages show it, $HOME abbreviated to ~ (allocated). */
char *config_display_path(const char *path);

/* Loads path. A missing file gives an empty config (not an error: the
 * caller decides whether a file it was told to use must exist). A file
 * readable or writable by group/others is refused with a message naming
 * `chmod 600 PATH`. On error returns a negative errno-style code and sets
 * *err to a one-line, lowercase message (allocated). */
int config_load(const char *path, struct config **out, char **err);
/* Atomic write (temporary file + rename), mode 0600, parent created 0700. */
int config_save(const struct config *cfg, const char *path, char **err);
void config_free(struct config *cfg);
/* Whether the file was there when it was loaded. */
bool config_file_exists(const struct config *cfg);
/* The file's path, as given to config_load. */
const char *config_path(const struct config *cfg);

const char *config_default_profile(const struct config *cfg);       /* NULL if unset */
int config_set_default_profile(struct config *cfg, const char *name);
bool config_has_profile(const struct config *cfg, const char *name);
/* Profile names in file order; returns the count, *names is borrowed. */
size_t config_profile_names(const struct config *cfg, const char ***names);
const char *config_get(const struct config *cfg, const char *profile, const char *key); /* NULL if unset */
/* Creates the profile. -EINVAL for an empty name, -EILSEQ when a name or
 * the value is not valid UTF-8 (the file is YAML, so could not hold it). */
int config_set(struct config *cfg, const char *profile, const char *key, const char *value);
int config_unset(struct config *cfg, const char *profile, const char *key); /* -ENOENT if absent */
/* The keys profile has in the file, known or not, in file order;
 * returns the count, *keys is borrowed (valid until the next call). */
size_t config_profile_file_keys(const struct config *cfg, const char *profile, const char ***keys);
/* The line of profile's key in the file (profile NULL: a top-level key,
 * "default"); 0 when absent or not read from the file. */
size_t config_line(const struct config *cfg, const char *profile, const char *key);
/* Removes a profile; a default: naming it goes too. -ENOENT if absent. */
int config_delete_profile(struct config *cfg, const char *name);
/* Renames a profile in place, keeping its position; a default: naming it
 * follows. -ENOENT: no such profile; -EEXIST: to is taken; -EINVAL /
 * -EILSEQ: to is empty / not valid UTF-8. */
int config_rename_profile(struct config *cfg, const char *from, const char *to);

/* Where a value in effect came from, weakest first. */
enum profile_source {
	PROFILE_SOURCE_DEFAULT, /* built in (or, for base_url, picked by mode) */
	PROFILE_SOURCE_FILE,
	PROFILE_SOURCE_ENV,
	PROFILE_SOURCE_OPTION,  /* a command-line option */
};

/* Everything one run needs from a profile, after all precedence rules. */
struct profile {
	char *name;       /* chosen profile name, NULL when none */
	bool name_from_option; /* chosen by --profile: hints must repeat it */
	char *api_key;
	char *api_secret;
	char *base_url;   /* never NULL after profile_resolve: mode picks the official URL */
	char *mode;       /* "sandbox" (default) or "production" */
	char *output;     /* default output format on a terminal, NULL when unset */
	char *pipe_output; /* default output format otherwise, NULL when unset */
	char *wink_sdk_url; /* the Wink SDK smile link's page loads, NULL: by mode */
	double rate;      /* requests per second; 0 = unlimited; default 20 */
	long connect_timeout_ms; /* default 10000 */
	long timeout_ms;         /* whole request, default 60000 */
	int max_attempts;        /* tries per request including the first, default 4 */
	long retry_max_ms;       /* total time spent retrying one request, default 60000 */
	/* The retention policy smile retention judges by, in days: accounts
	 * from their connection (the API reference's 60), uploads from their
	 * upload (7, the stricter of the two published figures). */
	int account_retention_days;
	int upload_retention_days;
	/* Where each value came from, by config_key_index; the profile's
	 * name too (PROFILE_SOURCE_FILE: the file's default:). */
	enum profile_source sources[CONFIG_MAX_KEYS];
	enum profile_source name_source;
};

/* Command-line values that beat everything (NULL/negative when not given). */
struct profile_overrides {
	const char *profile;
	const char *base_url;
	const char *output;      /* a format name, checked by the caller */
	double rate;             /* < 0: not given */
	long connect_timeout_ms; /* < 0: not given */
	long timeout_ms;         /* < 0: not given */
	int max_attempts;        /* < 0: not given */
	long retry_max_ms;       /* < 0: not given */
};
#define PROFILE_OVERRIDES_INIT { .rate = -1, .connect_timeout_ms = -1, .timeout_ms = -1, \
				 .max_attempts = -1, .retry_max_ms = -1 }

/* Fills *out from cfg (may be NULL), the environment and ov. A named profile
 * that does not exist is an error (-ENOENT, message in *err). Missing
 * credentials are NOT an error here: profile_require_credentials says so. */
int profile_resolve(const struct config *cfg, const struct profile_overrides *ov,
		    struct profile *out, char **err);
/* Which credentials the profile lacks (the CLI says how to add them). */
enum profile_credentials {
	CREDENTIALS_COMPLETE,
	CREDENTIALS_NONE,
	CREDENTIALS_NO_KEY,
	CREDENTIALS_NO_SECRET,
};
enum profile_credentials profile_credentials(const struct profile *p);
bool profile_is_production(const struct profile *p);
/* Where key's value in effect came from (an unknown key: the default). */
enum profile_source profile_source(const struct profile *p, const char *key);
/* "default", "file", "env", "flag": as config list shows them. */
const char *profile_source_name(enum profile_source s);
void profile_clear(struct profile *p);
