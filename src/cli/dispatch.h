/* SPDX-License-Identifier: MIT */
/* Command-line parsing driven by the command tables (see cmd.h):
 * dispatch.c parses, options.c holds the shared option tables,
 * opt_check.c checks values, globals.c hands the global options on. */
#pragma once

#include "cli/cmd.h"

struct dispatch_result {
	bool help;        /* --help or `smile help ...`: print help for what was parsed */
	int plugin_argi;  /* >= 0: argv index of an unknown group word (a plugin name) */
};

/* Parses argv (without argv[0]) into ctx: global options anywhere, the
 * group, the verb, the verb's options and positionals, validating every
 * value. Returns 0 when the command can run (or help/plugin is asked for, see
 * res); otherwise prints one line and returns an exit status. */
int dispatch_parse(int argc, char **argv, struct cmd_ctx *ctx, struct dispatch_result *res);

/* Checks one value against its option's type; prints the error naming the
 * flag. Returns 0 or SMILE_EXIT_USAGE. Exposed for tests and for values that
 * arrive later (--input). */
int opt_validate(const struct opt_spec *o, const char *value);
/* The same check, silent: NULL for a good value, else what the option
 * accepts ("expected a date YYYY-MM-DD"), allocated. For values whose
 * origin is not a flag (a manifest's body field says file:line:column). */
char *opt_problem(const struct opt_spec *o, const char *value);

/* Frees what dispatch_parse allocated in ctx. */
void dispatch_release(struct cmd_ctx *ctx);

/* The "did you mean" candidate among names (NULL-terminated accessor). */
const char *suggest_name(const char *word, const char *(*name_at)(const void *table, size_t i),
			 const void *table);

/* The number of options in a table (up to its { .name = NULL }). */
size_t opt_count(const struct opt_spec *opts);
/* The allowed value that value names (any case for OPT_CASELESS), or NULL. */
const char *enum_value(const struct opt_spec *o, const char *value);

/* Value placeholder shown in help: metavar, else derived from the type. */
const char *opt_metavar(const struct opt_spec *o);
/* Whether the option takes a value on the command line. */
bool opt_takes_value(const struct opt_spec *o);

/* A global option as given on the command line (--help excepted). */
struct global_given {
	const char *name;  /* without "--" */
	const char *value; /* the last value given; NULL for a flag */
	size_t times;      /* a flag: how often it was given (-vv: 2) */
};
/* The global options given, in table order: smile shell hands every one of
 * them to each line, plugins get them in the environment. Allocated (free
 * it); the strings are borrowed from ctx. */
struct global_given *cli_globals_given(const struct cmd_ctx *ctx, size_t *n);

/* Puts the global options given into the environment of a plugin: each as
 * SMILE_<NAME> (upper case, '-' as '_'), "1" for a flag, e.g. SMILE_PROFILE,
 * SMILE_BASE_URL, SMILE_CONFIG (which smile itself reads back), SMILE_OUTPUT,
 * SMILE_DRY_RUN=1. */
void cli_export_globals(const struct cmd_ctx *ctx);

/* All a plugin gets (plugins.c): the options given (cli_export_globals),
 * then the settings in effect where not given: SMILE_CONFIG, SMILE_PROFILE,
 * SMILE_BASE_URL, SMILE_MODE, SMILE_OUTPUT, SMILE_RATE, SMILE_TIMEOUT,
 * SMILE_CONNECT_TIMEOUT, SMILE_RETRIES, SMILE_RETRY_MAX_TIME. */
void cli_export_plugin_env(struct cmd_ctx *ctx);
/* The words W of the smile-W programs on PATH, NULL-terminated, first of a
 * name wins; free with cli_plugins_free. */
char **cli_plugins_on_path(void);
void cli_plugins_free(char **names);
