/* SPDX-License-Identifier: MIT */
/*
 * Plugins: `smile foo` runs `smile-foo` from PATH (main.c execs it). What
 * the plugin gets in its environment besides the options given (globals.c):
 * the settings in effect, the profile resolved as any command would, so a
 * plugin acts on the same host and profile as smile itself; and the names
 * of the plugins on PATH, so a near miss (`smile fo`) is suggested.
 */
#include "cli/dispatch.h"

#include "core/util.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PLUGIN_PREFIX "smile-"

static void export_if_unset(const char *name, const char *value)
{
	if (value && *value)
		setenv(name, value, 0);
}

static void export_number(const char *name, double value)
{
	char text[64];
	snprintf(text, sizeof(text), "%g", value);
	export_if_unset(name, text);
}

/* The profile the plugin's own smile commands will use, and its settings.
 * Values given on the command line were exported before (and win); a
 * profile that cannot be resolved exports nothing more: the plugin's first
 * smile command reports why, where it matters. Credentials stay where they
 * are (the config file, or SMILE_API_KEY/SMILE_API_SECRET when the user set
 * them): the plugin's smile reads them from SMILE_CONFIG and SMILE_PROFILE. */
static void export_settings(struct cmd_ctx *ctx)
{
	_cleanup_free_ char *path = ctx->g->config_path ? xstrdup(ctx->g->config_path) : config_default_path();
	struct config *cfg = NULL;
	struct profile p = { 0 };
	char *err = NULL;
	struct profile_overrides ov = PROFILE_OVERRIDES_INIT;

	cmd_profile_overrides(ctx->g, &ov);
	if (config_load(path, &cfg, &err) < 0 || profile_resolve(cfg, &ov, &p, &err) < 0) {
		free(err);
		config_free(cfg);
		return;
	}
	export_if_unset("SMILE_CONFIG", path);
	export_if_unset("SMILE_PROFILE", p.name);
	export_if_unset("SMILE_BASE_URL", p.base_url);
	export_if_unset("SMILE_MODE", p.mode);
	export_if_unset("SMILE_OUTPUT", isatty(STDOUT_FILENO) ? p.output : p.pipe_output);
	export_number("SMILE_RATE", p.rate);
	export_number("SMILE_CONNECT_TIMEOUT", (double)p.connect_timeout_ms / 1000);
	export_number("SMILE_TIMEOUT", (double)p.timeout_ms / 1000);
	export_number("SMILE_RETRIES", p.max_attempts - 1);
	export_number("SMILE_RETRY_MAX_TIME", (double)p.retry_max_ms / 1000);
	profile_clear(&p);
	config_free(cfg);
}

void cli_export_plugin_env(struct cmd_ctx *ctx)
{
	cli_export_globals(ctx);
	export_settings(ctx);
}

static bool is_executable_file(const char *dir, const char *name)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, name);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static bool listed(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return true;
	return false;
}

static void add_plugins_of(const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(*dir ? dir : ".");
	struct dirent *e;

	while (d && (e = readdir(d))) {
		const char *word = e->d_name + strlen(PLUGIN_PREFIX);
		if (strncmp(e->d_name, PLUGIN_PREFIX, strlen(PLUGIN_PREFIX)) || !*word || listed(*names, *n, word) ||
		    !is_executable_file(*dir ? dir : ".", e->d_name))
			continue;
		*names = xrealloc(*names, (*n + 2) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(word);
		(*names)[*n] = NULL;
	}
	if (d)
		closedir(d);
}

char **cli_plugins_on_path(void)
{
	const char *path = getenv("PATH");
	_cleanup_free_ char *dirs = xstrdup(path ? path : "");
	char **names = xcalloc(1, sizeof(*names));
	size_t n = 0;

	for (char *dir = dirs, *next; dir; dir = next) {
		next = strchr(dir, ':');
		if (next)
			*next++ = '\0';
		add_plugins_of(dir, &names, &n);
	}
	return names;
}

void cli_plugins_free(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}
