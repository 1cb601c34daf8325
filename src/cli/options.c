/* SPDX-License-Identifier: MIT */
/*
 * The option tables every verb shares: the global options, each bound to
 * its member of struct global_opts by the table itself (so the shell and
 * plugins get all of them), the paging options of lists and --input of
 * bodies; and how help shows an option's value.
 */
#include "cli/dispatch.h"

#include <limits.h>
#include <stddef.h>

static const char *const format_values[] = { "json", "ndjson", "table", "csv", "yaml", NULL };

/* A global option and the member of struct global_opts it is stored in. */
#define GLOBAL(name_, short_, type_, bind_, member, values_, min_, max_, metavar_, help_) \
	{ .name = (name_), .short_name = (short_), .type = (type_), .where = OPT_LOCAL, \
	  .values = (values_), .min = (min_), .max = (max_), .metavar = (metavar_), .help = (help_), \
	  .bind = (bind_), .offset = offsetof(struct global_opts, member) }

const struct opt_spec global_options[] = {
	GLOBAL("profile", 0, OPT_STRING, BIND_STRING, profile, complete_profile_names, 0, 0, "NAME", "use this profile of the config file"),
	GLOBAL("base-url", 0, OPT_URL, BIND_STRING, base_url, NULL, 0, 0, "URL", "API base URL, beats the profile and SMILE_BASE_URL"),
	GLOBAL("output", 'o', OPT_ENUM, BIND_STRING, output, format_values, 0, 0, "FORMAT", "output format"),
	{ .name = "fields", .type = OPT_STRING, .where = OPT_LOCAL, .metavar = "LIST",
	  .help = "columns or keys to show: comma-separated dot paths; 'help' or no value: list the fields there are",
	  .bare_value = FIELDS_HELP, .bind = BIND_STRING, .offset = offsetof(struct global_opts, fields) },
	GLOBAL("jq", 0, OPT_STRING, BIND_STRING, jq, NULL, 0, 0, "EXPR", "filter the JSON result with a jq program"),
	GLOBAL("slurp", 0, OPT_FLAG, BIND_FLAG, slurp, NULL, 0, 0, NULL, "--jq over every item of a list at once, not page by page"),
	GLOBAL("raw-output", 'r', OPT_FLAG, BIND_FLAG, raw_output, NULL, 0, 0, NULL, "--jq prints strings without quotes, as jq -r"),
	GLOBAL("quiet", 'q', OPT_FLAG, BIND_FLAG, quiet, NULL, 0, 0, NULL, "print only ids, one per line"),
	GLOBAL("verbose", 'v', OPT_FLAG, BIND_COUNT, verbose, NULL, 0, 0, NULL, "print requests and responses on stderr, secrets redacted; -vv adds the bodies, secret and token fields redacted"),
	GLOBAL("dry-run", 0, OPT_FLAG, BIND_FLAG, dry_run, NULL, 0, 0, NULL, "print each request as a curl command and send nothing"),
	GLOBAL("rate", 0, OPT_NUMBER, BIND_DOUBLE, rate, NULL, 0, 1000000, "N", "at most N requests per second (0: unlimited; default 20)"),
	GLOBAL("yes", 'y', OPT_FLAG, BIND_FLAG, yes, NULL, 0, 0, NULL, "do not ask before destructive commands"),
	GLOBAL("no-header", 0, OPT_FLAG, BIND_FLAG, no_header, NULL, 0, 0, NULL, "omit the header row of table and csv output"),
	GLOBAL("connect-timeout", 0, OPT_NUMBER, BIND_MILLIS, connect_timeout_ms, NULL, 0, 10000000, "SECONDS", "give up connecting after this long (default 10)"),
	GLOBAL("timeout", 0, OPT_NUMBER, BIND_MILLIS, timeout_ms, NULL, 0, 10000000, "SECONDS", "give up on a request after this long (default 60)"),
	GLOBAL("retries", 0, OPT_INT, BIND_INT, retries, NULL, 0, 20, "N", "retry a failed request up to N times (default 3)"),
	GLOBAL("retry-max-time", 0, OPT_NUMBER, BIND_MILLIS, retry_max_ms, NULL, 0, 10000000, "SECONDS", "stop retrying a request after this long (default 60)"),
	GLOBAL("config", 0, OPT_PATH, BIND_STRING, config_path, NULL, 0, 0, "FILE", "config file (default $SMILE_CONFIG, else $XDG_CONFIG_HOME/smile/config.yaml, else ~/.config/smile/config.yaml)"),
	GLOBAL("help", 'h', OPT_FLAG, BIND_FLAG, help, NULL, 0, 0, NULL, "show help for the command"),
	{ .name = NULL },
};

const struct opt_spec list_options[] = {
	{ .name = "size", .type = OPT_INT, .where = OPT_QUERY, .field = "size", .min = 1, .max = 150,
	  .metavar = "N", .help = "items per page, 1 to 150 (the API's default is 10)" },
	{ .name = "cursor", .type = OPT_STRING, .where = OPT_QUERY, .field = "cursor", .metavar = "CURSOR",
	  .help = "start at this page (a nextCursor value)" },
	{ .name = "all", .type = OPT_FLAG, .where = OPT_LOCAL, .help = "follow nextCursor through every page" },
	{ .name = "limit", .type = OPT_INT, .where = OPT_LOCAL, .min = 1, .max = LONG_MAX, .metavar = "N",
	  .help = "stop after N items" },
	{ .name = "print-cursor", .type = OPT_FLAG, .where = OPT_LOCAL,
	  .help = "print the next page's cursor on stderr, one line (none after the last page)" },
	{ .name = NULL },
};

const struct opt_spec body_options[] = {
	{ .name = "input", .type = OPT_PATH, .where = OPT_LOCAL, .metavar = "FILE",
	  .help = "request body as JSON or YAML from FILE (- for stdin); flags override its fields" },
	{ .name = NULL },
};

size_t opt_count(const struct opt_spec *opts)
{
	size_t n = 0;
	while (opts && opts[n].name)
		n++;
	return n;
}

bool opt_takes_value(const struct opt_spec *o)
{
	return o->type != OPT_FLAG;
}

const char *opt_metavar(const struct opt_spec *o)
{
	if (o->metavar)
		return o->metavar;
	switch (o->type) {
	case OPT_FLAG: return "";
	case OPT_INT: return "N";
	case OPT_NUMBER: return "NUMBER";
	case OPT_BOOL: return "true|false";
	case OPT_DATE: return "YYYY-MM-DD";
	case OPT_MONTH: return "YYYY-MM";
	case OPT_DATETIME: return "TIME";
	case OPT_ENUM: return "VALUE";
	case OPT_EMAIL: return "EMAIL";
	case OPT_URL: return "URL";
	case OPT_KEYVALUE: return "KEY=VALUE";
	case OPT_LIST: return "A,B,...";
	case OPT_JSON: return "JSON";
	case OPT_PATH: return "FILE";
	case OPT_STRING: break;
	}
	return "TEXT";
}
