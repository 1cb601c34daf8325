/* SPDX-License-Identifier: MIT */
/*
 * smile api: any request with smile's auth, retries, rate limit and output,
 * for what no named command covers yet; `smile api --list` prints every
 * operation the named commands cover, from the same tables.
 */
#include <ctype.h>
#include <string.h>

#include "cli/cmd.h"
#include "cli/pages.h"
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

static bool known_method(const char *m)
{
	static const char *const methods[] = { "GET", "POST", "PUT", "PATCH", "DELETE", NULL };
	for (size_t i = 0; methods[i]; i++)
		if (!strcmp(methods[i], m))
			return true;
	return false;
}

/* The query of a request without a body: -f key=value pairs, except size
 * and cursor, which the page walker sends itself, once (*size, *cursor:
 * the last given). Values point into ctx. */
static size_t fields_as_params(const struct opt_value *fields, struct http_param *params, char **keys,
			       const char **size, const char **cursor)
{
	size_t n = 0;
	for (size_t i = 0; fields && i < fields->n; i++) {
		const char *eq = strchr(fields->values[i], '=');
		char *key = xstrndup(fields->values[i], (size_t)(eq - fields->values[i]));
		if (!strcmp(key, "size") || !strcmp(key, "cursor")) {
			*(!strcmp(key, "size") ? size : cursor) = eq + 1;
			free(key);
			continue;
		}
		keys[n] = key;
		params[n] = (struct http_param){ keys[n], eq + 1 };
		n++;
	}
	return n;
}

/* --input as the base, then -f fields, as strings. */
static int fields_as_body(struct cmd_ctx *ctx, const struct opt_value *fields, char **out)
{
	json_object *body = NULL;
	int r = cmd_build_body(ctx, &body);
	if (r)
		return r;
	for (size_t i = 0; fields && i < fields->n; i++) {
		const char *eq = strchr(fields->values[i], '=');
		char *key = xstrndup(fields->values[i], (size_t)(eq - fields->values[i]));
		json_object_object_add(body, key, json_object_new_string(eq + 1));
		free(key);
	}
	*out = json_compact_dup(body);
	json_object_put(body);
	return 0;
}

/* --slurp gathers every page's envelope into one array for --jq. */
struct envelope_printer {
	struct cmd_ctx *ctx;
	struct output *slurped;
};

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
	(void)items;
	(void)n_take;
	if (ep->slurped)
		return resp->envelope && output_item(ep->slurped, resp->envelope) < 0 ? SMILE_EXIT_FAILURE : 0;
	envelope_output_opts(ep->ctx, &oo);
	struct output *o = output_begin(&oo, stdout, false);
	int r = resp->envelope ? output_item(o, resp->envelope) : 0;
	return output_end(o) || r ? SMILE_EXIT_FAILURE : 0;
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
	struct envelope_printer ep = { .ctx = ctx };
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
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	if (ep.slurped && output_end(ep.slurped) < 0 && !r)
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
		r = confirm_delete(ctx, method, path);
	if (r) {
		free(method);
		return r;
	}

	const struct opt_value *fields = cmd_opt_all(ctx, "field");
	size_t n_fields = fields ? fields->n : 0;
	struct http_param *params = xcalloc(n_fields + 2, sizeof(*params));
	char **keys = xcalloc(n_fields + 1, sizeof(*keys));
	char *body = NULL;
	struct page_walk_opts opts = { .method = method, .path = path, .params = params };

	bool with_body = !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH");
	if (!with_body && cmd_opt(ctx, "input"))
		r = log_status(SMILE_EXIT_USAGE, "--input is a request body: %s sends none (use -f for query parameters)",
			       method);
	else if (with_body)
		r = fields_as_body(ctx, fields, &body);
	else
		opts.n_params = fields_as_params(fields, params, keys, &opts.size, &opts.cursor);
	opts.body = body;
	if (!r)
		r = send_pages(ctx, &opts);
	for (size_t i = 0; i < n_fields; i++)
		free(keys[i]);
	free(keys);
	free(params);
	free(body);
	free(method);
	return r;
}

static const struct opt_spec api_options[] = {
	{ .name = "field", .short_name = 'f', .type = OPT_KEYVALUE, .where = OPT_LOCAL, .metavar = "KEY=VALUE",
	  .help = "a query parameter (GET, DELETE) or a string body field (POST, PUT, PATCH)" },
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
	.min_args = 0,
	.max_args = 2,
	.flags = VERB_BODY | VERB_SETUP_GENTLY,
	.example = "smile api GET /users -f size=5",
	.description = "PATH is relative to the base URL of the profile (for example /users/ID), or a "
		       "full URL; credentials go only to the API host of the profile. "
		       "The request gets the profile's credentials, the rate limit and the retries of every "
		       "other command; the whole response envelope {code, message, requestId, data} is printed, "
		       "also when the API answers with an error. On a production profile a DELETE asks "
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
