/* SPDX-License-Identifier: MIT */
/*
 * smile api: any request with smile's auth, retries, rate limit and output,
 * for what no named command covers yet; `smile api --list` prints every
 * operation the named commands cover, from the same tables.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/emulator.h"
#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/groups.h"
#include "core/util.h"

/* Whether an earlier verb already covers method + path (archives download
 * reads the same operation as archives get): each operation is listed once,
 * with the first command that covers it. */
static bool listed_before(size_t group, size_t verb)
{
	const struct verb_spec *v = &smile_groups[group]->verbs[verb];
	for (size_t i = 0; i <= group; i++) {
		const struct group_spec *g = smile_groups[i];
		for (size_t k = 0; g->verbs && g->verbs[k].name && (i < group || k < verb); k++)
			if (g->verbs[k].method && !strcmp(g->verbs[k].method, v->method) &&
			    !strcmp(g->verbs[k].path, v->path))
				return true;
	}
	return false;
}

static int list_operations(void)
{
	for (size_t i = 0; smile_groups[i]; i++) {
		const struct group_spec *g = smile_groups[i];
		for (size_t k = 0; g->verbs && g->verbs[k].name; k++)
			if (g->verbs[k].method && !listed_before(i, k))
				printf("%s %s %s %s\n", g->verbs[k].method, g->verbs[k].path, g->name, g->verbs[k].name);
	}
	return 0;
}

/* Whether path ("/users/u-1?x=y") is an instance of template
 * ("/users/{id}"): each {placeholder} stands for one non-empty segment. */
static bool path_matches(const char *template, const char *path)
{
	size_t n = strcspn(path, "?");
	const char *end = path + n;
	while (*template && path < end) {
		if (*template == '{') {
			const char *close = strchr(template, '}');
			size_t seg = strcspn(path, "/?");
			if (!close || seg == 0)
				return false;
			template = close + 1;
			path += seg;
		} else if (*template++ != *path++) {
			return false;
		}
	}
	return !*template && path == end;
}

/* The columns of the named command that covers method + path (users create
 * for POST /users), so -q finds its id (user.id) and a table shows what the
 * command would; NULL when none does. */
static const char *const *covering_columns(const char *method, const char *path)
{
	for (size_t i = 0; smile_groups[i]; i++)
		for (const struct verb_spec *v = smile_groups[i]->verbs; v && v->name; v++)
			if (v->method && v->path && !strcmp(v->method, method) && path_matches(v->path, path))
				return v->columns;
	return NULL;
}

const char *const api_methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", NULL };

static bool known_method(const char *m)
{
	for (size_t i = 0; api_methods[i]; i++)
		if (!strcmp(api_methods[i], m))
			return true;
	return false;
}


/* A JSON number as RFC 8259 spells it: -?int frac? exp? (no "+1", "0x1",
 * ".5", "1.", "inf"), so what -F sends as a number is one. */
static bool is_json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (isdigit((unsigned char)*s))
		while (isdigit((unsigned char)*s))
			s++;
	else
		return false;
	if (*s == '.') {
		if (!isdigit((unsigned char)*++s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s))
			s++;
	}
	return *s == '\0';
}

#define FIELD_FILE_MAX (15 * 1024 * 1024)

/* -F's value as gh's -F types it: true, false, null, a number, @FILE (the
 * file's text; @- is stdin), else a string. 0, or an exit status. */
static int typed_value(const char *key, const char *value, json_object **out)
{
	if (!strcmp(value, "true") || !strcmp(value, "false")) {
		*out = json_object_new_boolean(value[0] == 't');
	} else if (!strcmp(value, "null")) {
		*out = NULL;
	} else if (is_json_number(value)) {
		/* Sent with the digits as typed, also beyond 64 bits. */
		*out = json_object_new_double_s(strtod(value, NULL), value);
	} else if (value[0] == '@') {
		char *text = NULL;
		size_t len = 0;
		const char *path = value + 1;
		int e = read_file_all(path, FIELD_FILE_MAX, &text, &len);
		if (e < 0)
			return log_status(SMILE_EXIT_USAGE, "-F %s: cannot read '%s': %s", key, path,
					  e == -EFBIG ? "larger than 15 MB" : strerror(-e));
		*out = json_object_new_string_len(text, (int)len);
		free(text);
	} else {
		*out = json_object_new_string(value);
	}
	return 0;
}

/* A -f or -F field: its key and its JSON value. */
static int field_value(const char *field, bool typed, char **key, json_object **value)
{
	const char *eq = strchr(field, '=');
	*key = xstrndup(field, (size_t)(eq - field));
	if (!typed) {
		*value = json_object_new_string(eq + 1);
		return 0;
	}
	int r = typed_value(*key, eq + 1, value);
	if (r) {
		free(*key);
		*key = NULL;
	}
	return r;
}

/* --input as the base, then -f fields as strings and -F typed fields. */
static int fields_as_body(struct cmd_ctx *ctx, const struct opt_value *const fields[2], char **out)
{
	json_object *body = NULL;
	int r = cmd_build_body(ctx, &body);
	for (int t = 0; t < 2 && !r; t++)
		for (size_t i = 0; fields[t] && i < fields[t]->n && !r; i++) {
			char *key;
			json_object *value;
			if ((r = field_value(fields[t]->values[i], t == 1, &key, &value)))
				break;
			json_object_object_add(body, key, value);
			free(key);
		}
	if (!r)
		*out = json_compact_dup(body);
	json_object_put(body);
	return r;
}

/* The query of a request without a body: -f and -F key=value pairs (as
 * typed, but -F's @FILE read), except size and cursor, which the page
 * walker sends itself, once (*size, *cursor: the last given). keys and
 * values are allocated, one each per param. */
struct query {
	struct http_param *params;
	char **owned; /* every key and value, to free */
	size_t n, n_owned;
	const char *size, *cursor;
};

static int fields_as_params(const struct opt_value *const fields[2], struct query *q)
{
	for (int t = 0; t < 2; t++)
		for (size_t i = 0; fields[t] && i < fields[t]->n; i++) {
			char *key;
			json_object *value;
			int r = field_value(fields[t]->values[i], t == 1, &key, &value);
			if (r)
				return r;
			const char *eq = strchr(fields[t]->values[i], '=');
			char *text = xstrdup(json_object_is_type(value, json_type_string) && eq[1] == '@'
						     ? json_object_get_string(value) : eq + 1);
			json_object_put(value);
			q->owned[q->n_owned++] = key;
			q->owned[q->n_owned++] = text;
			if (!strcmp(key, "size") || !strcmp(key, "cursor"))
				*(!strcmp(key, "size") ? &q->size : &q->cursor) = text;
			else
				q->params[q->n++] = (struct http_param){ key, text };
		}
	return 0;
}

/* --slurp gathers every page's envelope into one array for --jq; -q,
 * --fields and -o print the envelopes' data instead, through one output
 * (a list's items stream page after page, as a named list command's do). */
struct envelope_printer {
	struct cmd_ctx *ctx;
	struct output *slurped;
	bool data_only;
	const char *const *columns; /* the covering command's, for the data */
	struct output *data;
};

/* -q, --fields or -o ask for what a named command prints: the data. --jq
 * keeps the envelope (its programs read .data.items). */
static bool wants_data(const struct cmd_ctx *ctx)
{
	return !ctx->g->jq && (ctx->g->quiet || ctx->g->fields || ctx->g->output);
}

static int print_data(struct envelope_printer *ep, json_object *items, size_t n_take,
		      const struct http_response *resp)
{
	if (cli_exit_status(resp) || !resp->data) /* the failure is reported by the walk */
		return 0;
	if (!ep->data) {
		struct output_opts oo;
		cmd_output_opts(ep->ctx, &oo, ep->columns);
		ep->data = output_begin(&oo, stdout, items != NULL);
	}
	int r = 0;
	if (!items)
		r = output_item(ep->data, resp->data);
	for (size_t i = 0; items && i < n_take && r == 0; i++)
		r = output_item(ep->data, json_object_array_get_idx(items, i));
	if (items && r == 0)
		output_page_end(ep->data);
	return r < 0 ? SMILE_EXIT_FAILURE : 0;
}

static void envelope_output_opts(struct cmd_ctx *ctx, struct output_opts *oo)
{
	cmd_output_opts(ctx, oo, NULL);
	if (oo->format == OUTPUT_TABLE && !oo->jq)
		oo->format = OUTPUT_JSON; /* an envelope is no table */
}

static int print_envelope(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct envelope_printer *ep = ctx;
	struct output_opts oo;
	if (ep->data_only)
		return print_data(ep, items, n_take, resp);
	if (ep->slurped)
		return resp->envelope && output_item(ep->slurped, resp->envelope) < 0 ? SMILE_EXIT_FAILURE : 0;
	envelope_output_opts(ep->ctx, &oo);
	struct output *o = output_begin(&oo, stdout, false);
	int r = resp->envelope ? output_item(o, resp->envelope) : 0;
	return output_end(o) || r ? SMILE_EXIT_FAILURE : 0;
}

/* The URL a request went to, for errors: the path under the profile's
 * base URL, unless it is a URL itself. Allocated. */
static char *url_of(struct cmd_ctx *ctx, const char *path)
{
	const struct profile *p;
	if (str_starts_with(path, "http://") || str_starts_with(path, "https://") || cmd_profile(ctx, &p))
		return xstrdup(path);
	return xasprintf("%s%s", p->base_url, path);
}

/* One request, or with --all every page of a list, each answer's envelope
 * printed whole (failed ones too); --jq runs over each envelope, or with
 * --slurp once over the array of them all. */
static int send_pages(struct cmd_ctx *ctx, struct page_walk_opts *opts)
{
	int r = cmd_http(ctx, &opts->http);
	if (r)
		return r;
	_cleanup_free_ char *shown = ctx->g->dry_run ? cmd_shown_body(opts->body) : NULL;
	struct page_walk w;
	struct envelope_printer ep = { .ctx = ctx, .data_only = wants_data(ctx),
				       .columns = covering_columns(opts->method, opts->path) };
	if (ctx->g->slurp && !ctx->g->dry_run) {
		struct output_opts oo;
		envelope_output_opts(ctx, &oo);
		ep.slurped = output_begin(&oo, stdout, true);
	}
	opts->shown_body = shown;
	opts->all = cmd_flag(ctx, "all");
	opts->limit = -1;
	opts->raw = true;
	page_walk_init(&w, opts, print_envelope, &ep);
	r = page_walk_run(&w);
	if (r && page_walk_error(&w)) {
		_cleanup_free_ char *url = url_of(ctx, opts->path);
		log_error("%s (%s %s)", page_walk_error(&w), opts->method, url);
	}
	page_walk_release(&w);
	if (ep.slurped && output_end(ep.slurped) < 0 && !r)
		r = SMILE_EXIT_FAILURE;
	if (ep.data && output_end(ep.data) < 0 && !r)
		r = SMILE_EXIT_FAILURE;
	return r;
}

/* A DELETE through smile api deletes as surely as 'webhooks delete' does, so
 * a production profile asks first here too. */
static int confirm_delete(struct cmd_ctx *ctx, const char *method, const char *path)
{
	if (strcmp(method, "DELETE") != 0)
		return 0;
	_cleanup_free_ char *what = xasprintf("DELETE %s", path);
	return cmd_confirm(ctx, what);
}

static int run_api(struct cmd_ctx *ctx)
{
	if (cmd_flag(ctx, "list"))
		return list_operations();
	if (ctx->n_args != 2)
		return log_status(SMILE_EXIT_USAGE, "'smile api' takes METHOD and PATH, e.g. smile api GET /users");

	char *method = xstrdup(ctx->args[0]);
	for (char *p = method; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	const char *path = ctx->args[1];
	int r = 0;
	if (!known_method(method))
		r = log_status(SMILE_EXIT_USAGE, "unknown HTTP method '%s'; expected GET, POST, PUT, PATCH or DELETE", ctx->args[0]);
	else if (path[0] != '/' && !str_starts_with(path, "https://") && !str_starts_with(path, "http://"))
		r = log_status(SMILE_EXIT_USAGE, "the path must start with '/', relative to the base URL, e.g. /users");
	if (!r)
		r = cmd_check_fields_help(ctx, method);
	if (!r)
		r = confirm_delete(ctx, method, path);
	if (r) {
		free(method);
		return r;
	}

	/* The emulator's control API lives beside /v1, at its root. */
	_cleanup_free_ char *control = NULL;
	const struct profile *p;
	if (str_starts_with(path, "/_emulator/") || !strcmp(path, "/_emulator")) {
		if ((r = cmd_profile(ctx, &p))) {
			free(method);
			return r;
		}
		path = control = emulator_control_url(p->base_url, path);
	}

	const struct opt_value *const fields[2] = { cmd_opt_all(ctx, "field"), cmd_opt_all(ctx, "typed-field") };
	size_t n_fields = (fields[0] ? fields[0]->n : 0) + (fields[1] ? fields[1]->n : 0);
	struct query q = { .params = xcalloc(n_fields + 2, sizeof(*q.params)),
			   .owned = xcalloc(2 * n_fields + 1, sizeof(*q.owned)) };
	char *body = NULL;
	struct page_walk_opts opts = { .method = method, .path = path, .params = q.params };

	bool with_body = !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH");
	if (!with_body && cmd_opt(ctx, "input"))
		r = log_status(SMILE_EXIT_USAGE, "--input is a request body: %s sends none (use -f for query parameters)",
			       method);
	else if (with_body)
		r = fields_as_body(ctx, fields, &body);
	else
		r = fields_as_params(fields, &q);
	opts.n_params = q.n;
	opts.size = q.size;
	opts.cursor = q.cursor;
	opts.body = body;
	if (!r)
		r = send_pages(ctx, &opts);
	for (size_t i = 0; i < q.n_owned; i++)
		free(q.owned[i]);
	free(q.owned);
	free(q.params);
	free(body);
	free(method);
	return r;
}

static const struct opt_spec api_options[] = {
	{ .name = "field", .short_name = 'f', .type = OPT_KEYVALUE, .where = OPT_LOCAL, .metavar = "KEY=VALUE",
	  .help = "a query parameter (GET, DELETE) or a string body field (POST, PUT, PATCH)" },
	{ .name = "typed-field", .short_name = 'F', .type = OPT_KEYVALUE, .where = OPT_LOCAL, .metavar = "KEY=VALUE",
	  .help = "a typed body field, as gh's -F: true, false, null, a number, @FILE (its text; @- stdin), else a string" },
	{ .name = "all", .type = OPT_FLAG, .where = OPT_LOCAL,
	  .help = "follow data.nextCursor, printing the envelope of every page" },
	{ .name = "list", .type = OPT_FLAG, .where = OPT_LOCAL,
	  .help = "list every API operation of the named commands: METHOD PATH GROUP VERB" },
	{ .name = NULL },
};

static const struct verb_spec api_command = {
	.name = "api",
	.summary = "send any request to the Smile API and print the raw envelope",
	.run = run_api,
	.opts = api_options,
	.args = "METHOD PATH",
	.arg_values = api_methods,
	.min_args = 0,
	.max_args = 2,
	.flags = VERB_BODY | VERB_SETUP_GENTLY,
	.example = "smile api GET /users -f size=5\nsmile api POST /users -q\n"
		   "smile api POST /_emulator/clock -F advanceDays=61",
	.description = "PATH is relative to the base URL of the profile (for example /users/ID), or a "
		       "full URL; credentials go only to the API host of the profile. "
		       "The request gets the profile's credentials, the rate limit and the retries of every "
		       "other command; the whole response envelope {code, message, requestId, data} is printed, "
		       "also when the API answers with an error. With -q, --fields or -o the envelope's data is "
		       "printed instead, as a named command prints it: a list's items (-q: their ids), or the "
		       "object (-q: its id), so ID=$(smile api POST /users -q) works; --jq keeps the envelope. "
		       "-f sends strings; -F types its value as gh does (true, false, null, numbers, @FILE "
		       "for a file's text, @- for stdin). A PATH beginning /_emulator/ goes to the "
		       "emulator's root beside /v1 (its control API). Errors name the URL that was asked. On a production profile a DELETE asks "
		       "for confirmation, as the named delete and revoke commands do; --yes skips it.",
};

const struct group_spec group_api = {
	.name = "api",
	.summary = "send any API request, or list the operations smile knows",
	.description = "smile api sends a request that no named command covers, with the same "
		       "authentication, retries, rate limit and output. smile api --list prints one line per "
		       "API operation that a named command covers.",
	.command = &api_command,
};
