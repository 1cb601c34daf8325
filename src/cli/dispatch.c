/* SPDX-License-Identifier: MIT */
/*
 * Turns argv into a group, a verb, option values and positionals, using only
 * the command tables: nothing here knows any particular command. Every value
 * is checked against its option's type before anything is sent, so a bad
 * date or a size of 151 is exit 2 with a message naming the flag.
 */
#include "cli/dispatch.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "core/text.h"
#include "core/util.h"

static const char *const format_values[] = { "json", "ndjson", "table", "csv", "yaml", NULL };

/* A global option and the member of struct global_opts it is stored in. */
#define GLOBAL(name_, short_, type_, bind_, member, values_, min_, max_, metavar_, help_) \
	{ .name = (name_), .short_name = (short_), .type = (type_), .where = OPT_LOCAL, \
	  .values = (values_), .min = (min_), .max = (max_), .metavar = (metavar_), .help = (help_), \
	  .bind = (bind_), .offset = offsetof(struct global_opts, member) }

const struct opt_spec global_options[] = {
	GLOBAL("profile", 0, OPT_STRING, BIND_STRING, profile, NULL, 0, 0, "NAME", "use this profile of the config file"),
	GLOBAL("base-url", 0, OPT_URL, BIND_STRING, base_url, NULL, 0, 0, "URL", "API base URL, beats the profile and SMILE_BASE_URL"),
	GLOBAL("output", 'o', OPT_ENUM, BIND_STRING, output, format_values, 0, 0, "FORMAT", "output format"),
	GLOBAL("fields", 0, OPT_STRING, BIND_STRING, fields, NULL, 0, 0, "LIST", "columns or keys to show: comma-separated dot paths"),
	GLOBAL("jq", 0, OPT_STRING, BIND_STRING, jq, NULL, 0, 0, "EXPR", "filter the JSON result with a jq program"),
	GLOBAL("slurp", 0, OPT_FLAG, BIND_FLAG, slurp, NULL, 0, 0, NULL, "--jq over every item of a list at once, not page by page"),
	GLOBAL("raw-output", 'r', OPT_FLAG, BIND_FLAG, raw_output, NULL, 0, 0, NULL, "--jq prints strings without quotes, as jq -r"),
	GLOBAL("quiet", 'q', OPT_FLAG, BIND_FLAG, quiet, NULL, 0, 0, NULL, "print only ids, one per line"),
	GLOBAL("verbose", 'v', OPT_FLAG, BIND_FLAG, verbose, NULL, 0, 0, NULL, "print requests and responses on stderr, secrets redacted"),
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

static size_t opt_count(const struct opt_spec *opts)
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

/* --- value checks --------------------------------------------------------- */

/* Each check returns NULL for a good value, else what the option accepts
 * (allocated): the caller says where the value came from. */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* YYYY-MM or YYYY-MM-DD with a real calendar day. */
static bool valid_date(const char *s, bool with_day)
{
	size_t want = with_day ? 10 : 7;
	if (strlen(s) < want || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2))
		return false;
	int year = atoi(s), month = atoi(s + 5);
	if (month < 1 || month > 12 || year < 1)
		return false;
	if (!with_day)
		return s[7] == '\0';
	if (s[7] != '-' || !digits(s + 8, 2))
		return false;
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int day = atoi(s + 8), max = days[month - 1] + (month == 2 && is_leap(year));
	return day >= 1 && day <= max;
}

static bool valid_datetime(const char *s)
{
	if (!valid_date(s, true) || (s[10] != 'T' && s[10] != 't'))
		return false;
	const char *t = s + 11;
	if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2))
		return false;
	t += 8;
	if (*t == '.')
		for (t++; isdigit((unsigned char)*t); t++)
			;
	if (*t == 'Z' || *t == 'z')
		return t[1] == '\0';
	return (*t == '+' || *t == '-') && digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) && t[6] == '\0';
}

static char *check_int(const struct opt_spec *o, const char *value)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end)
		return xstrdup("expected a whole number");
	if (o->max > o->min && (v < o->min || v > o->max)) {
		char accepts[96];
		if (o->max == LONG_MAX)
			snprintf(accepts, sizeof(accepts), "expected a number of at least %ld", o->min);
		else
			snprintf(accepts, sizeof(accepts), "expected a number from %ld to %ld", o->min, o->max);
		return xstrdup(accepts);
	}
	return NULL;
}

static char *check_number(const struct opt_spec *o, const char *value)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || !isfinite(v))
		return xstrdup("expected a number");
	/* Bounded as the config file's values are: a negative timeout would
	 * silently mean "not given", a huge one overflows the milliseconds. */
	if (o->max > o->min && (v < (double)o->min || v > (double)o->max)) {
		char accepts[96];
		snprintf(accepts, sizeof(accepts), "expected a number from %ld to %ld", o->min, o->max);
		return xstrdup(accepts);
	}
	return NULL;
}

static char *check_string(const struct opt_spec *o, const char *value)
{
	size_t len = utf8_length(value);

	/* "?userId=" would filter on nothing, or on everything: an unset shell
	 * variable is far likelier than a wish for either. */
	if (o->where == OPT_QUERY && len == 0)
		return xstrdup("expected a non-empty value");
	if (o->max > 0 && (len < (size_t)o->min || len > (size_t)o->max)) {
		char accepts[96];
		snprintf(accepts, sizeof(accepts), "expected %ld to %ld characters, got %zu", o->min, o->max, len);
		return xstrdup(accepts);
	}
	return NULL;
}

/* The allowed value that value names (any case for OPT_CASELESS), or NULL. */
static const char *enum_value(const struct opt_spec *o, const char *value)
{
	for (size_t i = 0; o->values && o->values[i]; i++)
		if ((o->flags & OPT_CASELESS) ? strcasecmp(o->values[i], value) == 0
					       : strcmp(o->values[i], value) == 0)
			return o->values[i];
	return NULL;
}

static char *check_enum(const struct opt_spec *o, const char *value)
{
	struct strbuf sb = STRBUF_INIT;

	if (enum_value(o, value))
		return NULL;
	for (size_t i = 0; o->values && o->values[i]; i++) {
		strbuf_addstr(&sb, i ? ", " : "expected one of: ");
		strbuf_addstr(&sb, o->values[i]);
	}
	char *r = xstrdup(sb.buf ? sb.buf : "no value is accepted");
	strbuf_release(&sb);
	return r;
}

/* Each comma-separated item of a list, against the allowed values if any. */
static char *check_list(const struct opt_spec *o, const char *value)
{
	if (!*value)
		return xstrdup("expected a non-empty value");
	if (!o->values)
		return NULL;
	char *copy = xstrdup(value), *save = NULL;
	char *r = NULL;
	for (char *item = strtok_r(copy, ",", &save); item && !r; item = strtok_r(NULL, ",", &save))
		r = check_enum(o, item);
	free(copy);
	return r;
}

static bool opt_text_is_valid(const struct opt_spec *o, const char *value)
{
	return !(o->where != OPT_LOCAL || o->type == OPT_KEYVALUE) || utf8_is_valid(value, strlen(value));
}

char *opt_problem(const struct opt_spec *o, const char *value)
{
	/* A value that goes on the wire goes as JSON or a URL, which carry
	 * UTF-8 only: typed text that is not is refused (core/text.h). */
	if (!opt_text_is_valid(o, value))
		return xstrdup("not valid UTF-8");
	switch (o->type) {
	case OPT_FLAG:
		return NULL;
	case OPT_STRING:
		return check_string(o, value);
	case OPT_INT:
		return check_int(o, value);
	case OPT_NUMBER:
		return check_number(o, value);
	case OPT_BOOL:
		if (strcmp(value, "true") && strcmp(value, "false"))
			return xstrdup("expected true or false");
		return NULL;
	case OPT_DATE:
		return valid_date(value, true) && value[10] == '\0' ? NULL : xstrdup("expected a date YYYY-MM-DD");
	case OPT_MONTH:
		return valid_date(value, false) ? NULL : xstrdup("expected a month YYYY-MM");
	case OPT_DATETIME:
		return valid_datetime(value) ? NULL : xstrdup("expected a time like 2024-01-31T12:00:00Z");
	case OPT_ENUM:
		return check_enum(o, value);
	case OPT_EMAIL:
		if (!str_is_email(value))
			return xstrdup("expected an email address like name@example.com");
		return check_string(o, value);
	case OPT_URL:
		if (!str_starts_with(value, "http://") && !str_starts_with(value, "https://"))
			return xstrdup("expected an http:// or https:// URL");
		return check_string(o, value);
	case OPT_KEYVALUE: {
		const char *eq = strchr(value, '=');
		if (!eq || eq == value)
			return xstrdup("expected KEY=VALUE");
		return NULL;
	}
	case OPT_JSON: {
		json_tokener *tok = json_tokener_new();
		json_object *j = json_tokener_parse_ex(tok, value, (int)strlen(value));
		bool ok = j && json_tokener_get_error(tok) == json_tokener_success;
		json_object_put(j);
		json_tokener_free(tok);
		return ok ? NULL : xstrdup("expected JSON");
	}
	case OPT_LIST:
		return check_list(o, value);
	case OPT_PATH:
		return *value ? NULL : xstrdup("expected a non-empty value");
	}
	return NULL;
}

int opt_validate(const struct opt_spec *o, const char *value)
{
	char *why = opt_problem(o, value);

	if (!why)
		return 0;
	/* Never echo a secret, even a wrong one, nor bytes that are not text. */
	if ((o->flags & OPT_SECRET) || !opt_text_is_valid(o, value))
		log_error("invalid value for --%s: %s", o->name, why);
	else
		log_error("invalid value '%s' for --%s: %s", value, o->name, why);
	free(why);
	return SMILE_EXIT_USAGE;
}

/* --- suggestions ---------------------------------------------------------- */

const char *suggest_name(const char *word, const char *(*name_at)(const void *table, size_t i),
			 const void *table)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, limit = strlen(word) / 3 + 1;
	if (limit < 2)
		limit = 2;
	for (size_t i = 0;; i++) {
		const char *name = name_at(table, i);
		if (!name)
			break;
		size_t d = str_levenshtein(word, name);
		if (str_starts_with(name, word) && strlen(word) >= 3)
			d = 1;
		if (d < best_d) {
			best_d = d;
			best = name;
		}
	}
	return best_d <= limit ? best : NULL;
}

static const char *verb_name_at(const void *table, size_t i)
{
	const struct verb_spec *verbs = table;
	return verbs[i].name;
}

/* --- the parser ----------------------------------------------------------- */

/* The option tables a word may belong to at this point, with their values. */
struct opt_scope {
	const struct opt_spec *opts;
	struct opt_value *values;
};

struct parser {
	struct cmd_ctx *ctx;
	struct opt_value *global_values;
	struct opt_scope scopes[4];
	size_t n_scopes;
	char **args;
	int n_args;
};

static void scopes_refresh(struct parser *p)
{
	struct cmd_ctx *ctx = p->ctx;
	p->n_scopes = 0;
	if (ctx->verb) {
		p->scopes[p->n_scopes++] = (struct opt_scope){ ctx->verb->opts, ctx->opt_values };
		if (ctx->verb->flags & VERB_LIST)
			p->scopes[p->n_scopes++] = (struct opt_scope){ list_options, ctx->list_values };
		if (ctx->verb->flags & VERB_BODY)
			p->scopes[p->n_scopes++] = (struct opt_scope){ body_options, ctx->body_values };
	}
	p->scopes[p->n_scopes++] = (struct opt_scope){ global_options, p->global_values };
}

static bool find_option(struct parser *p, const char *name, size_t name_len, char short_name,
			const struct opt_spec **o_out, struct opt_value **v_out)
{
	for (size_t s = 0; s < p->n_scopes; s++) {
		const struct opt_spec *opts = p->scopes[s].opts;
		for (size_t i = 0; opts && opts[i].name; i++) {
			bool match = short_name ? opts[i].short_name == short_name
						: strlen(opts[i].name) == name_len &&
							  strncmp(opts[i].name, name, name_len) == 0;
			if (match) {
				*o_out = &opts[i];
				*v_out = &p->scopes[s].values[i];
				return true;
			}
		}
	}
	return false;
}

/* Table walker over every option name in scope, for suggestions. */
struct scope_names {
	const struct parser *p;
};

static const char *scope_name_at(const void *table, size_t i)
{
	const struct parser *p = ((const struct scope_names *)table)->p;
	for (size_t s = 0; s < p->n_scopes; s++) {
		size_t n = opt_count(p->scopes[s].opts);
		if (i < n)
			return p->scopes[s].opts[i].name;
		i -= n;
	}
	return NULL;
}

static int unknown_option(struct parser *p, const char *arg, size_t name_len)
{
	char *name = xstrndup(arg, name_len);
	struct scope_names names = { p };
	const char *hint = arg[1] == '-' ? suggest_name(name + 2, scope_name_at, &names) : NULL;
	const struct cmd_ctx *ctx = p->ctx;
	char *where = ctx->verb ? xasprintf(" for '%s%s%s'", ctx->group->name, ctx->group->command ? "" : " ",
					    ctx->group->command ? "" : ctx->verb->name)
				: xstrdup("");
	if (hint)
		log_error("unknown option '%s'%s; did you mean '--%s'?", name, where, hint);
	else
		log_error("unknown option '%s'%s; see '--help'", name, where);
	free(where);
	free(name);
	return SMILE_EXIT_USAGE;
}

static void value_append(struct opt_value *v, const char *value)
{
	v->values = xrealloc(v->values, (v->n + 1) * sizeof(*v->values));
	v->values[v->n++] = xstrdup(value);
	v->given = true;
}

/* Parses argv[*i], an option, and its value if it takes one. */
static int parse_option(struct parser *p, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *inline_value = NULL;
	const struct opt_spec *o;
	struct opt_value *v;
	size_t name_len;
	bool found;

	if (arg[1] == '-') {
		const char *eq = strchr(arg, '=');
		name_len = eq ? (size_t)(eq - arg) : strlen(arg);
		inline_value = eq ? eq + 1 : NULL;
		found = find_option(p, arg + 2, name_len - 2, 0, &o, &v);
	} else {
		name_len = 2;
		inline_value = arg[2] ? arg + 2 : NULL;
		found = find_option(p, NULL, 0, arg[1], &o, &v);
	}
	if (!found)
		return unknown_option(p, arg, name_len);
	if (o->flags & OPT_SECRET)
		return log_status(SMILE_EXIT_USAGE,
				  "--%s is a secret and is not taken from the command line, where ps shows it; "
				  "pipe it in on stdin instead", o->name);
	if (!opt_takes_value(o)) {
		if (inline_value && arg[1] == '-')
			return log_status(SMILE_EXIT_USAGE, "option '--%s' takes no value", o->name);
		if (inline_value)
			return log_status(SMILE_EXIT_USAGE, "option '-%c' takes no value", o->short_name);
		value_append(v, "true");
		return 0;
	}
	if (!inline_value) {
		if (*i + 1 >= argc)
			return log_status(SMILE_EXIT_USAGE, "option '--%s' needs a value (%s)", o->name,
					  opt_metavar(o));
		inline_value = argv[++*i];
	}
	int r = opt_validate(o, inline_value);
	if (r)
		return r;
	if (o->type == OPT_KEYVALUE && o->max > 0 && v->n >= (size_t)o->max)
		return log_status(SMILE_EXIT_USAGE, "--%s may be given at most %ld times", o->name, o->max);
	if (o->type == OPT_ENUM && (o->flags & OPT_CASELESS))
		inline_value = enum_value(o, inline_value);
	value_append(v, inline_value);
	return 0;
}

static void set_verb(struct parser *p, const struct verb_spec *verb)
{
	struct cmd_ctx *ctx = p->ctx;
	ctx->verb = verb;
	ctx->opt_values = xcalloc(opt_count(verb->opts) + 1, sizeof(*ctx->opt_values));
	ctx->list_values = xcalloc(opt_count(list_options) + 1, sizeof(*ctx->list_values));
	ctx->body_values = xcalloc(opt_count(body_options) + 1, sizeof(*ctx->body_values));
	scopes_refresh(p);
}

static int take_group(struct parser *p, const char *word, int argi, struct dispatch_result *res)
{
	const struct group_spec *g = cmd_find_group(word);
	if (!g) {
		res->plugin_argi = argi;
		return 0;
	}
	p->ctx->group = g;
	if (g->command)
		set_verb(p, g->command);
	return 0;
}

static int take_verb(struct parser *p, const char *word)
{
	const struct group_spec *g = p->ctx->group;
	const struct verb_spec *v = cmd_find_verb(g, word);
	if (!v) {
		const char *hint = suggest_name(word, verb_name_at, g->verbs);
		if (hint)
			return log_status(SMILE_EXIT_USAGE, "'%s' is not a verb of 'smile %s'; did you mean '%s'?",
					  word, g->name, hint);
		return log_status(SMILE_EXIT_USAGE, "'%s' is not a verb of 'smile %s'; see 'smile %s --help'",
				  word, g->name, g->name);
	}
	set_verb(p, v);
	return 0;
}

static int check_arg_count(const struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	int n = ctx->n_args;
	if (n >= v->min_args && (v->max_args < 0 || n <= v->max_args))
		return 0;
	char *cmd = ctx->group->command ? xstrdup(ctx->group->name)
					: xasprintf("%s %s", ctx->group->name, v->name);
	if (v->max_args == 0)
		log_error("'smile %s' takes no arguments, got '%s'", cmd, ctx->args[0]);
	else if (v->min_args == v->max_args)
		log_error("'smile %s' takes %d argument%s (%s), got %d", cmd, v->min_args,
			  v->min_args == 1 ? "" : "s", v->args ? v->args : "", n);
	else if (n < v->min_args)
		log_error("'smile %s' needs at least %d argument%s (%s)", cmd, v->min_args,
			  v->min_args == 1 ? "" : "s", v->args ? v->args : "");
	else
		log_error("'smile %s' takes at most %d argument%s (%s)", cmd, v->max_args,
			  v->max_args == 1 ? "" : "s", v->args ? v->args : "");
	free(cmd);
	return SMILE_EXIT_USAGE;
}

/* Positionals that fill the placeholders of the verb's path ({id}) are
 * path segments: an empty one, "." or ".." would name another resource
 * (users get "" is GET /users/, a list; libcurl resolves /webhooks/..). */
static int check_path_args(const struct cmd_ctx *ctx)
{
	const char *p = ctx->verb->path;
	for (int i = 0; p && (p = strchr(p, '{')) && i < ctx->n_args; p++, i++) {
		const char *a = ctx->args[i];
		if (!*a || !strcmp(a, ".") || !strcmp(a, ".."))
			return log_status(SMILE_EXIT_USAGE, "invalid %s '%s': it cannot be empty, '.' or '..'",
					  ctx->verb->args ? ctx->verb->args : "argument", a);
	}
	return 0;
}

/* Required options must be given; a required body field may instead come
 * from --input, which cmd_build_body checks once the file is read. */
static int check_required(const struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	bool has_input = ctx->body_values && ctx->body_values[0].given;
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if (!(o->flags & OPT_REQUIRED) || ctx->opt_values[i].given || (o->flags & OPT_SECRET))
			continue;
		if (o->where == OPT_BODY && has_input)
			continue;
		return log_status(SMILE_EXIT_USAGE, "missing required option --%s %s", o->name, opt_metavar(o));
	}
	return 0;
}

/* Stores one given global option where its table row binds it. */
static void bind_global(const struct opt_spec *o, const struct opt_value *v, struct global_opts *g)
{
	void *slot = (char *)g + o->offset;
	const char *last = v->values[v->n - 1];

	switch (o->bind) {
	case BIND_STRING:
		*(const char **)slot = last;
		break;
	case BIND_FLAG:
		*(bool *)slot = true;
		break;
	case BIND_DOUBLE:
		*(double *)slot = strtod(last, NULL);
		break;
	case BIND_INT:
		*(int *)slot = atoi(last);
		break;
	case BIND_MILLIS:
		*(long *)slot = (long)(strtod(last, NULL) * 1000.0);
		break;
	case BIND_NONE:
		break;
	}
}

/* Copies the parsed global options into ctx->g, as the table binds them. */
static void store_globals(struct parser *p)
{
	for (size_t i = 0; global_options[i].name; i++)
		if (p->global_values[i].given)
			bind_global(&global_options[i], &p->global_values[i], p->ctx->g);
}

int dispatch_parse(int argc, char **argv, struct cmd_ctx *ctx, struct dispatch_result *res)
{
	struct parser *p = xcalloc(1, sizeof(*p));
	bool end_of_options = false;
	int r = 0;

	p->ctx = ctx;
	/* ctx keeps the values: ctx->g points into them for the whole run. */
	p->global_values = ctx->global_values = xcalloc(opt_count(global_options) + 1, sizeof(struct opt_value));
	res->help = false;
	res->plugin_argi = -1;
	ctx->args = xcalloc((size_t)argc + 1, sizeof(char *));
	scopes_refresh(p);

	for (int i = 0; i < argc && !r; i++) {
		const char *a = argv[i];
		if (!end_of_options && !strcmp(a, "--")) {
			end_of_options = true;
		} else if (!end_of_options && a[0] == '-' && a[1]) {
			r = parse_option(p, argc, argv, &i);
		} else if (!ctx->group && !strcmp(a, "help") && !res->help) {
			res->help = true; /* `smile help users list` */
		} else if (!ctx->group) {
			r = take_group(p, a, i, res);
			if (res->plugin_argi >= 0)
				break;
		} else if (!ctx->verb) {
			r = take_verb(p, a);
		} else {
			ctx->args[ctx->n_args++] = argv[i];
		}
	}
	store_globals(p);
	if (ctx->g->help)
		res->help = true;
	if (!r && !res->help && res->plugin_argi < 0) {
		if (!ctx->group)
			r = log_status(SMILE_EXIT_USAGE, "no command given; see 'smile --help'");
		else if (!ctx->verb)
			r = log_status(SMILE_EXIT_USAGE, "'smile %s' needs a verb; see 'smile %s --help'",
				       ctx->group->name, ctx->group->name);
		else if (!(r = check_arg_count(ctx)) && !(r = check_path_args(ctx)))
			r = check_required(ctx);
		/* Before anything is sent: a create whose --jq then failed
		 * would have done its work and lost the answer. */
		if (!r && ctx->g->jq && output_jq_check(ctx->g->jq) < 0)
			r = SMILE_EXIT_USAGE;
	}
	free(p);
	return r;
}

static void values_free(struct opt_value *values, const struct opt_spec *opts)
{
	size_t n = opt_count(opts);
	for (size_t i = 0; values && i < n; i++) {
		for (size_t k = 0; k < values[i].n; k++)
			free(values[i].values[k]);
		free(values[i].values);
	}
	free(values);
}

void dispatch_release(struct cmd_ctx *ctx)
{
	values_free(ctx->global_values, global_options);
	if (ctx->verb)
		values_free(ctx->opt_values, ctx->verb->opts);
	values_free(ctx->list_values, list_options);
	values_free(ctx->body_values, body_options);
	free(ctx->args);
	ctx->global_values = ctx->opt_values = ctx->list_values = ctx->body_values = NULL;
	ctx->args = NULL;
}

/* --- handing the global options on ------------------------------------- */

struct global_given *cli_globals_given(const struct cmd_ctx *ctx, size_t *n)
{
	struct global_given *given = xcalloc(opt_count(global_options) + 1, sizeof(*given));
	*n = 0;
	for (size_t i = 0; global_options[i].name && ctx->global_values; i++) {
		const struct opt_spec *o = &global_options[i];
		const struct opt_value *v = &ctx->global_values[i];
		if (!v->given || o->offset == offsetof(struct global_opts, help))
			continue;
		given[(*n)++] = (struct global_given){ o->name, opt_takes_value(o) ? v->values[v->n - 1] : NULL };
	}
	return given;
}

static char *env_name(const char *option)
{
	char *name = xasprintf("SMILE_%s", option);
	for (char *c = name; *c; c++)
		*c = *c == '-' ? '_' : (char)toupper((unsigned char)*c);
	return name;
}

void cli_export_globals(const struct cmd_ctx *ctx)
{
	size_t n;
	struct global_given *given = cli_globals_given(ctx, &n);
	for (size_t i = 0; i < n; i++) {
		char *name = env_name(given[i].name);
		setenv(name, given[i].value ? given[i].value : "1", 1);
		free(name);
	}
	free(given);
}
