/* SPDX-License-Identifier: MIT */
/*
 * Commands as data. Every group, verb and option of smile is declared in
 * tables of these structs (src/cmd/<group>.c), and those tables are the one
 * source for dispatch, validation, --help, shell completion
 * (`smile __complete`), the man pages (`smile __man`) and `smile api --list`.
 *
 * A verb that maps to one API operation sets method and path and usually
 * leaves run NULL: the generic runner (cmd_run_api) builds the request from
 * the positional arguments (path placeholders such as {id}), the options
 * marked OPT_QUERY / OPT_BODY, and --input, then prints the envelope's data.
 * Hand-written run functions exist only where behaviour differs.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/config/config.h"
#include "core/http/client.h"
#include "core/output/output.h"

enum opt_type {
	OPT_FLAG,     /* no value; true when given */
	OPT_STRING,   /* min/max: length bounds when max > 0 */
	OPT_INT,      /* min/max: inclusive range when max > min */
	OPT_NUMBER,   /* decimal number; min/max: inclusive range when max > min */
	OPT_BOOL,     /* true|false, sent as a JSON boolean or "true"/"false" */
	OPT_DATE,     /* YYYY-MM-DD */
	OPT_MONTH,    /* YYYY-MM */
	OPT_DATETIME, /* RFC 3339, e.g. 2024-01-31T12:00:00Z */
	OPT_ENUM,     /* one of values[] */
	OPT_EMAIL,
	OPT_URL,      /* http:// or https:// */
	OPT_KEYVALUE, /* key=value; repeatable; becomes a JSON object */
	OPT_LIST,     /* repeatable and/or comma-separated; becomes a JSON array
	               * (query: comma-joined) */
	OPT_JSON,     /* a JSON value given inline */
	OPT_PATH,     /* a local file name (completion offers files) */
};

enum opt_where {
	OPT_LOCAL, /* used by the verb itself, not sent */
	OPT_QUERY, /* query string parameter `field` */
	OPT_BODY,  /* JSON body field `field`; dots nest ("consent.version") */
};

enum opt_flags {
	OPT_REQUIRED = 1 << 0,   /* must be given (or present in --input for body) */
	OPT_SECRET = 1 << 1,     /* never accepted on argv: read from stdin/prompt */
	OPT_HIDDEN = 1 << 2,     /* not in help or completion */
	OPT_CASELESS = 1 << 3,   /* OPT_ENUM: any case is accepted and the table's
	                          * spelling is what is stored (and sent) */
};

/* Where a global option's value is stored in struct global_opts, and how it
 * is converted on the way (see global_options in src/cli/dispatch.c): the
 * table row itself binds the option, so none can be parsed and then lost. */
enum opt_bind {
	BIND_NONE,    /* not stored in global_opts (verb options: read with cmd_opt) */
	BIND_STRING,  /* const char *: the last value given */
	BIND_FLAG,    /* bool: true when given */
	BIND_COUNT,   /* int: how many times the flag was given (-vv is 2) */
	BIND_DOUBLE,  /* double: the number */
	BIND_INT,     /* int: the whole number */
	BIND_MILLIS,  /* long: seconds given, milliseconds stored */
};

struct opt_spec {
	const char *name;            /* long flag without "--", kebab-case */
	char short_name;             /* 0: none */
	enum opt_type type;
	enum opt_where where;
	const char *field;           /* API name (camelCase), NULL for OPT_LOCAL */
	unsigned flags;              /* enum opt_flags */
	const char *const *values;   /* OPT_ENUM: NULL-terminated allowed values */
	long min, max;               /* see enum opt_type */
	const char *metavar;         /* "ID", "DATE"; NULL: derived from type */
	const char *help;            /* one line, lowercase, no full stop */
	const char *bare_value;      /* the value of the option given last or before another
	                              * option, with no value ("--fields" is "--fields help") */
	enum opt_bind bind;          /* global options: how the value is stored */
	size_t offset;               /* global options: offsetof(struct global_opts, ...) */
};

enum verb_flags {
	VERB_LIST = 1 << 0,          /* paged list: gets --size --cursor --all --limit */
	VERB_DESTRUCTIVE = 1 << 1,   /* setup asks for confirmation on production profiles */
	VERB_EARLY_ACCESS = 1 << 2,  /* an /alpha or /beta operation */
	VERB_NO_API = 1 << 3,        /* local command: setup loads the config only (no
	                              * profile, no credentials); cmd_http refuses it */
	VERB_BODY = 1 << 4,          /* accepts --input FILE|- as the JSON/YAML body */
	VERB_RAW_ENVELOPE = 1 << 5,  /* prints the whole envelope, not data */
	VERB_NO_CONFIG = 1 << 6,     /* with VERB_NO_API: setup reads no config file either
	                              * (smile shell: each line sets itself up) */
	VERB_SETUP_GENTLY = 1 << 7,  /* setup makes nothing before run; the accessors make
	                              * it on first use (smile api: --list needs no
	                              * credentials). Like git's RUN_SETUP_GENTLY. */
	VERB_CREATES_CONFIG = 1 << 8, /* may create the file --config names (config set);
	                              * any other verb refuses a --config FILE that is not there */
};

struct cmd_ctx;
typedef int (*verb_fn)(struct cmd_ctx *ctx);

struct verb_spec {
	const char *name;
	const char *summary;         /* one line for listings */
	const char *method;          /* API operation, or NULL for local verbs */
	const char *path;            /* "/users/{id}"; placeholders take positionals in order */
	verb_fn run;                 /* NULL: cmd_run_api */
	const struct opt_spec *opts; /* terminated by an entry with name == NULL; may be NULL */
	const char *args;            /* positional synopsis ("ID", "FILE..."), or NULL */
	int min_args, max_args;      /* max_args < 0: unbounded */
	const char *const *columns;  /* default table columns, NULL-terminated */
	unsigned flags;              /* enum verb_flags */
	const char *example;         /* shell lines for help and man, one per \n, or NULL */
	const char *description;     /* a paragraph for --help and the man page, or NULL */
	const char *const *arg_values; /* what the first positional may be, for completion, or NULL */
	/* Usage checks that need no profile (a file that must exist, options
	 * that go together): setup runs them before it looks for credentials,
	 * so a usage error is exit 2 even with no config at all. May be NULL. */
	verb_fn check;
};

struct group_spec {
	const char *name;
	const char *summary;
	const struct verb_spec *verbs; /* terminated by an entry with name == NULL */
	const char *description;       /* a paragraph for the man page, or NULL */
	/* Set when the group is itself the command and takes no verb (smile api):
	 * every word after the group is an argument of this verb. */
	const struct verb_spec *command;
};

/* Every group, in the order help lists them; NULL-terminated (src/cmd/registry.c). */
extern const struct group_spec *const smile_groups[];

/* Options every command accepts, before the group or after the verb
 * (src/cli/dispatch.c declares them as a table of opt_spec). */
extern const struct opt_spec global_options[];
/* As an option's values or a verb's arg_values: completion offers the
 * profile names of the config file (src/cli/complete.c). */
extern const char *const complete_profile_names[];
/* As an option's values: completion offers the file types of the API, for
 * the profile in effect (src/cli/complete_remote.c). */
extern const char *const complete_file_types[];
/* smile api's METHOD values (src/cmd/api.c); completion offers them, then
 * the paths of the operations of that method. */
extern const char *const api_methods[];
/* Options added to every VERB_LIST verb and every VERB_BODY verb. */
extern const struct opt_spec list_options[];
extern const struct opt_spec body_options[];

/* --fields help (or --fields with no value): list the fields, not the items. */
#define FIELDS_HELP "help"

struct global_opts {
	const char *profile;
	const char *base_url;
	const char *output;          /* format name, validated */
	const char *fields;
	const char *jq;
	bool slurp;
	bool raw_output;
	bool quiet;
	int verbose;                 /* -v 1: requests and headers; -vv 2: bodies too */
	bool dry_run;
	bool yes;
	bool no_header;
	double rate;                 /* < 0: not given */
	long connect_timeout_ms;     /* < 0: not given */
	long timeout_ms;             /* < 0: not given */
	int retries;                 /* < 0: not given (retries = attempts - 1) */
	long retry_max_ms;           /* < 0: not given */
	const char *config_path;     /* --config, else default */
	bool help;                   /* --help */
};
#define GLOBAL_OPTS_INIT { .rate = -1, .connect_timeout_ms = -1, .timeout_ms = -1, \
			   .retries = -1, .retry_max_ms = -1 }

/* A parsed option value. Repeatable types keep every occurrence. */
struct opt_value {
	bool given;
	char **values;               /* each occurrence, as typed */
	size_t n;
};

struct cmd_ctx {
	const struct group_spec *group;
	const struct verb_spec *verb;
	char **args;                 /* positional arguments */
	int n_args;
	/* Parsed values, parallel to verb->opts, list_options, body_options;
	 * read them with cmd_opt()/cmd_flag(), which search all three. */
	struct opt_value *opt_values;
	struct opt_value *list_values;
	struct opt_value *body_values;
	struct opt_value *global_values; /* parallel to global_options */
	struct global_opts *g;
	/* Made by cmd_setup before the run function is called (see "What a
	 * command declares and what it gets" below); read them through
	 * cmd_config, cmd_profile, cmd_http and cmd_output_opts. */
	struct config *config;
	char *config_path;
	struct profile profile;
	bool profile_loaded;
	struct http_client *http;
	struct output_opts output;
	bool output_ready;
	bool output_chosen;          /* by --output or the profile's output key, not
	                              * defaulted from the terminal */
	/* The client's stop flag: a SIGINT handler of a long command sets it,
	 * and requests not yet started end as interrupted. */
	volatile bool stop;
};

/*
 * What a command declares and what it gets
 *
 * A verb declares, in its verb_spec row: method and path (the operation),
 * opts (its options, bound to API fields by where/field), args and
 * min/max_args, columns (the default table columns), and flags. From the
 * flags alone, cmd_setup (src/cli/setup.c) makes, once and in this order,
 * before run (or cmd_run_api) is called:
 *
 *   flags                 config  profile  client  output  confirmation
 *   (none: an API verb)   yes     yes      yes     yes     -
 *   VERB_DESTRUCTIVE      yes     yes      yes     yes     on production
 *   VERB_NO_API           yes     -        -       yes     -
 *   VERB_NO_API|NO_CONFIG -       -        -       yes     -
 *   VERB_SETUP_GENTLY     on first cmd_config/cmd_profile/cmd_http call
 *
 * The client is ready to send: credentials checked (not under --dry-run,
 * which needs none), the profile's rate, timeouts and retries applied, its
 * stop flag is ctx->stop, and under --dry-run it prints each request as a
 * curl command instead of sending it. The output options hold --output
 * (else the profile's output key on a terminal and its pipe_output key
 * otherwise, else table on a terminal and JSON otherwise), --fields, --jq, --quiet, --no-header and the verb's columns.
 * A destructive verb's confirmation names "METHOD /expanded/path"; when it
 * is refused the command does not run.
 *
 * So a run function only reads: cmd_opt/cmd_flag for its options,
 * ctx->args for positionals, and the accessors below for what setup made.
 * It sends with cli_send (or cmd_request_and_print), pages with the page
 * walker (cli/pages.h), and prints with output_begin/item/end.
 */

/* Runs the setup above for ctx->verb. Returns 0 or an exit status
 * (message already printed); the command must not run unless 0. */
int cmd_setup(struct cmd_ctx *ctx);

/* Value of an option by name: NULL when not given (last occurrence wins). */
const char *cmd_opt(const struct cmd_ctx *ctx, const char *name);
bool cmd_flag(const struct cmd_ctx *ctx, const char *name);
const struct opt_value *cmd_opt_all(const struct cmd_ctx *ctx, const char *name);
/* An OPT_LIST option's items (every occurrence, comma-split) as a new JSON
 * array of strings; NULL when not given. */
json_object *cmd_opt_list(const struct cmd_ctx *ctx, const char *name);

/* What setup made: the config file, the resolved profile, the client.
 * Each returns 0 or an exit status (message already printed): only a
 * VERB_SETUP_GENTLY verb can still fail here, on the call that makes it. */
int cmd_config(struct cmd_ctx *ctx, struct config **out);
int cmd_profile(struct cmd_ctx *ctx, const struct profile **out);
int cmd_http(struct cmd_ctx *ctx, struct http_client **out);

/* A new client for a URL of the user's own (a webhook forward target),
 * never the API's: no credentials, one try per request, at most
 * timeout_ms each, with --verbose, --dry-run and the stop flag as the API
 * client has them. The caller frees it; NULL: message printed. */
struct http_client *cmd_http_for(struct cmd_ctx *ctx, const char *base_url, long timeout_ms);

/* On a production profile asks "WHAT on production profile 'P'? [y/N]" on
 * the terminal unless --yes or --dry-run; with stdin not a terminal, refuses
 * without --yes. Setup calls it for VERB_DESTRUCTIVE; a verb whose danger
 * depends on its arguments (smile api DELETE) calls it itself.
 * Returns 0 to go on, or SMILE_EXIT_USAGE / SMILE_EXIT_FAILURE. */
int cmd_confirm(struct cmd_ctx *ctx, const char *what);

/* The output options setup made, with default_columns for what is printed
 * (the verb's columns are in ctx->output.default_columns). */
void cmd_output_opts(struct cmd_ctx *ctx, struct output_opts *out, const char *const *default_columns);

/* Builds the JSON body: --input (JSON or YAML file, or - for stdin) as the
 * base, then every OPT_BODY option given. Returns 0 or an exit status. */
int cmd_build_body(struct cmd_ctx *ctx, json_object **out);
/* Before the credentials: --input FILE (not stdin) with the flags over it
 * holds every required body field; all the missing ones in one message.
 * Returns 0 or SMILE_EXIT_USAGE. */
int cmd_check_input(struct cmd_ctx *ctx);
/* The body the flags and --input FILE make, secrets not read, for a check
 * before setup; *out is NULL (and 0 returned) for --input -, which only
 * cmd_build_body may read. 0 or an exit status (logged). */
int cmd_peek_body(struct cmd_ctx *ctx, json_object **out);
/* The command line's part of profile resolution: --profile, --base-url, -o,
 * --rate, the timeouts and retries. */
/* --fields help with a command that sends method other than GET: exit 2
 * (logged), else 0. */
int cmd_check_fields_help(const struct cmd_ctx *ctx, const char *method);
void cmd_profile_overrides(const struct global_opts *g, struct profile_overrides *ov);

/* The JSON body text as --dry-run may show it: every body field that some
 * command declares OPT_SECRET (a webhook's signing key) replaced by "***".
 * NULL when the body holds none, or is not a JSON object. */
char *cmd_shown_body(const char *body);

/* Expands the verb's path with the positional arguments (URL-escaped). */
char *cmd_expand_path(const struct cmd_ctx *ctx, const char *path_template);

/* The generic runner for verbs that map to one API operation. */
int cmd_run_api(struct cmd_ctx *ctx);

/* Sends one request and prints the result like a named command: lists are
 * paged (--size, --cursor, --all, --limit) and streamed to the output. */
int cmd_request_and_print(struct cmd_ctx *ctx, const char *method, const char *path,
			  const struct http_param *params, size_t n_params,
			  const char *body, bool is_list, const char *const *columns);

/* Reads a secret from stdin (not a terminal) or prompts without echo. */
int cmd_read_secret(const char *prompt, char **out);
/* Reads a secret from a file (--secret-file; "-" is stdin): the whole file,
 * one trailing line break dropped; refused when empty, over 4 KiB, or
 * holding NUL or another line. *out is NUL-terminated; wipe it after use
 * (explicit_bzero). Returns 0 or an exit status (message printed, which
 * names the file, never its content). */
int cmd_read_secret_file(const char *path, char **out);

/* Lookup helpers used by dispatch, help and completion. */
const struct group_spec *cmd_find_group(const char *name);
const struct verb_spec *cmd_find_verb(const struct group_spec *g, const char *name);
const struct opt_spec *cmd_find_opt(const struct verb_spec *v, const char *name, char short_name);

/* Runs an unknown group word argv[argi] as a plugin (smile-WORD); returns
 * only when there is none. */
typedef void (*plugin_fn)(struct cmd_ctx *ctx, char **argv, int argi);
/* Runs one smile command line (argv[0] is "smile"), as main() does; the
 * shell calls it once per line with run_plugin NULL (a plugin would replace
 * the shell). */
int smile_run(int argc, char **argv, plugin_fn run_plugin);

/* Help, man and completion, all generated from the tables (src/cli/help.c). */
void help_print_main(FILE *out);
void help_print_group(FILE *out, const struct group_spec *g);
void help_print_verb(FILE *out, const struct group_spec *g, const struct verb_spec *v);
int man_print(FILE *out, const char *page); /* "smile" or a group name */
int complete_print(FILE *out, int argc, char **argv); /* words after __complete */
/* The same candidates, each with a tab and its description (__complete-described). */
int complete_print_described(FILE *out, int argc, char **argv);
