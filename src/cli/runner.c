/* SPDX-License-Identifier: MIT */
/*
 * The generic runner: a table entry into one API call and its output, for
 * every verb without a run of its own. Option values are values.c's,
 * request bodies body.c's.
 */
#include "cli/cmd.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "cli/dispatch.h"
#include "cli/pages.h"
#include "cli/status.h"

/* --- the generic runner --------------------------------------------------- */

static bool method_has_body(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH");
}

static bool verb_has_body_options(const struct verb_spec *v)
{
	if (v->flags & VERB_BODY)
		return true;
	for (size_t i = 0; v->opts && v->opts[i].name; i++)
		if (v->opts[i].where == OPT_BODY)
			return true;
	return false;
}

/* Query parameters from the verb's OPT_QUERY options (list options such as
 * --size are added by the list pager). Values point into ctx or *joined. */
static size_t collect_query(const struct cmd_ctx *ctx, struct http_param *params, char **joined)
{
	const struct verb_spec *v = ctx->verb;
	size_t n = 0;
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		const struct opt_value *val = &ctx->opt_values[i];
		if (o->where != OPT_QUERY || !val->given)
			continue;
		if (o->type == OPT_LIST) {
			struct strbuf sb = STRBUF_INIT;
			for (size_t k = 0; k < val->n; k++)
				strbuf_addf(&sb, "%s%s", k ? "," : "", val->values[k]);
			joined[n] = strbuf_detach(&sb);
			params[n] = (struct http_param){ o->field, joined[n] };
			n++;
		} else {
			params[n++] = (struct http_param){ o->field, val->values[val->n - 1] };
		}
	}
	return n;
}

static size_t count_opts(const struct opt_spec *opts)
{
	size_t n = 0;
	while (opts && opts[n].name)
		n++;
	return n;
}

int cmd_run_api(struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	size_t max = count_opts(v->opts) + 1;
	struct http_param *params = xcalloc(max, sizeof(*params));
	char **joined = xcalloc(max, sizeof(*joined));
	json_object *body = NULL;
	char *path = cmd_expand_path(ctx, v->path);
	int r = 0;

	size_t n = collect_query(ctx, params, joined);
	if (method_has_body(v->method) && verb_has_body_options(v))
		r = cmd_build_body(ctx, &body);
	if (!r) {
		const char *text = body ? json_compact(body)
					: NULL;
		r = cmd_request_and_print(ctx, v->method, path, params, n, text, v->flags & VERB_LIST, v->columns);
	}
	json_object_put(body);
	for (size_t i = 0; i < max; i++)
		free(joined[i]);
	free(joined);
	free(params);
	free(path);
	return r;
}

/* --- sending and printing ------------------------------------------------- */

static int send_checked(struct cmd_ctx *ctx, const struct http_request *req, struct http_response *resp)
{
	struct http_client *http;
	int r = cmd_http(ctx, &http);
	if (r)
		return r;
	_cleanup_free_ char *shown = ctx->g->dry_run ? cmd_shown_body(req->body) : NULL;
	struct http_request shown_req = *req;
	shown_req.shown_body = shown;
	return cli_send(http, &shown_req, resp);
}

/* One object, or for the few operations that answer with a bare array
 * (employer look-ups) each element as an item of a list. */
static int print_single(struct cmd_ctx *ctx, json_object *value, const char *const *columns)
{
	struct output_opts oo;
	bool is_array = json_object_is_type(value, json_type_array);
	cmd_output_opts(ctx, &oo, columns);
	struct output *o = output_begin(&oo, stdout, is_array);
	int r = 0;
	if (is_array) {
		for (size_t i = 0; i < json_object_array_length(value) && !r; i++)
			r = output_item(o, json_object_array_get_idx(value, i));
	} else if (value) {
		r = output_item(o, value);
	}
	int e = output_end(o);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}

struct list_printer {
	struct output_opts opts;     /* made by setup, before the first request */
	struct output *out;
	int write_error;
};

static int print_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct list_printer *lp = ctx;
	(void)resp;

	/* The options are ready; the stream opens with the first page that
	 * arrives, so that a dry run or a failed first page prints no empty
	 * list (no "[]", no CSV header) before the error. */
	if (!lp->out)
		lp->out = output_begin(&lp->opts, stdout, true);
	for (size_t i = 0; i < n_take && !lp->write_error; i++)
		if (output_item(lp->out, json_object_array_get_idx(items, i)) < 0)
			lp->write_error = SMILE_EXIT_FAILURE;
	if (!lp->write_error && output_page_end(lp->out) < 0)
		lp->write_error = SMILE_EXIT_FAILURE;
	return lp->write_error;
}

/* Where a list that stopped at its first page goes on: the bare cursor with
 * --print-cursor (for scripts), else on a terminal how to see the rest. */
static void tell_next_cursor(struct cmd_ctx *ctx, const struct page_walk *w)
{
	const char *next = page_walk_next_cursor(w);
	if (!next || cmd_flag(ctx, "all") || cmd_opt(ctx, "limit"))
		return;
	if (cmd_flag(ctx, "print-cursor"))
		fprintf(stderr, "%s\n", next);
	else if (isatty(STDERR_FILENO))
		fprintf(stderr, "smile: %zu shown, more exist: --all for every page, or --cursor %s for the next\n",
			w->taken, next);
}

/* Streams pages to the output, following nextCursor with --all. Memory
 * stays flat: each page is released before the next is fetched. */
static int print_list(struct cmd_ctx *ctx, const struct http_request *req, const char *const *columns)
{
	struct http_client *http;
	int r = cmd_http(ctx, &http);
	if (r)
		return r;
	const char *limit = cmd_opt(ctx, "limit"), *size = cmd_opt(ctx, "size");
	struct page_walk_opts opts = {
		.http = http,
		.path = req->path,
		.params = req->params,
		.n_params = req->n_params,
		.all = cmd_flag(ctx, "all"),
		.cursor = cmd_opt(ctx, "cursor"),
		.limit = limit ? atol(limit) : -1,
	};
	/* Whole pages of the largest size make --all cheapest. */
	opts.size = size ? size : opts.all ? PAGE_SIZE_MAX : NULL;
	struct list_printer lp = { 0 };
	cmd_output_opts(ctx, &lp.opts, columns);
	struct page_walk w;
	page_walk_init(&w, &opts, print_page, &lp);
	r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	if (lp.out && output_end(lp.out) < 0 && !r)
		r = SMILE_EXIT_FAILURE;
	if (!r)
		tell_next_cursor(ctx, &w);
	page_walk_release(&w);
	return r;
}

int cmd_request_and_print(struct cmd_ctx *ctx, const char *method, const char *path,
			  const struct http_param *params, size_t n_params,
			  const char *body, bool is_list, const char *const *columns)
{
	struct http_request req = { .method = method, .path = path, .params = params,
				    .n_params = n_params, .body = body };
	if (is_list)
		return print_list(ctx, &req, columns);

	struct http_response resp = { 0 };
	int r = send_checked(ctx, &req, &resp);
	if (!r && !ctx->g->dry_run) {
		bool raw = ctx->verb && (ctx->verb->flags & VERB_RAW_ENVELOPE);
		r = print_single(ctx, raw ? resp.envelope : resp.data, columns);
	}
	http_response_clear(&resp);
	return r;
}
