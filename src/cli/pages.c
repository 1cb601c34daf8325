/* SPDX-License-Identifier: MIT */
/*
 * The page walker (see pages.h). One function, take_page(), decides what an
 * answer means for the walk, so the blocking and the concurrent drive agree
 * by construction.
 */
#include "cli/pages.h"

#include <string.h>

#include "cli/status.h"

/* take_page(): ask for the next page (not an exit status: those are < 256). */
#define PAGE_NEXT 1000

void page_walk_init(struct page_walk *w, const struct page_walk_opts *opts, page_fn on_page, void *ctx)
{
	*w = (struct page_walk){ .opts = *opts, .on_page = on_page, .ctx = ctx, .seen = STRSET_INIT };
	w->params = xcalloc(opts->n_params + 2, sizeof(*w->params));
	if (opts->n_params)
		memcpy(w->params, opts->params, opts->n_params * sizeof(*w->params));
	if (opts->cursor) {
		w->cursor = xstrdup(opts->cursor);
		strset_add(&w->seen, opts->cursor);
	}
}

void page_walk_release(struct page_walk *w)
{
	strset_release(&w->seen);
	free(w->params);
	free(w->cursor);
	free(w->error);
	w->params = NULL;
	w->cursor = w->error = NULL;
}

const char *page_walk_next_cursor(const struct page_walk *w)
{
	return w->status ? NULL : w->cursor;
}

const char *page_walk_error(const struct page_walk *w)
{
	return w->error;
}

static bool limit_reached(const struct page_walk *w)
{
	return w->opts.limit >= 0 && w->taken >= (size_t)w->opts.limit;
}

/* More pages are wanted after this one: --all, or a --limit not yet met. */
static bool wants_more(const struct page_walk *w)
{
	return (w->opts.all || w->opts.limit >= 0) && !limit_reached(w);
}

static int fail(struct page_walk *w, int status, char *error)
{
	free(w->error);
	w->error = error;
	w->status = status;
	return status;
}

static int fail_after(struct page_walk *w, const char *what)
{
	if (w->opts.raw)
		return fail(w, SMILE_EXIT_FAILURE, xasprintf("%s; stopping", what));
	return fail(w, SMILE_EXIT_FAILURE, xasprintf("%s; stopping after %zu item%s", what, w->taken,
						     w->taken == 1 ? "" : "s"));
}

/* Fills w->req for the next page. */
static void prepare(struct page_walk *w)
{
	size_t n = w->opts.n_params;

	if (w->opts.size)
		w->params[n++] = (struct http_param){ "size", w->opts.size };
	if (w->cursor)
		w->params[n++] = (struct http_param){ "cursor", w->cursor };
	w->req = (struct http_request){ .method = w->opts.method ? w->opts.method : "GET", .path = w->opts.path,
					.params = w->params, .n_params = n, .body = w->opts.body,
					.shown_body = w->opts.shown_body };
}

static json_object *items_of(const struct http_response *resp)
{
	json_object *items;

	if (!resp->data || !json_object_object_get_ex(resp->data, "items", &items) ||
	    !json_object_is_type(items, json_type_array))
		return NULL;
	return items;
}

static int hand_on(struct page_walk *w, json_object *items, const struct http_response *resp)
{
	size_t count = items ? json_object_array_length(items) : 0, take = count;

	if (w->opts.limit >= 0 && take > (size_t)w->opts.limit - w->taken)
		take = (size_t)w->opts.limit - w->taken;
	w->taken += take;
	int r = w->on_page ? w->on_page(w->ctx, items, take, resp) : 0;
	return r ? fail(w, r, NULL) : 0;
}

static int take_page(struct page_walk *w, const struct http_response *resp);

/* What one answer means: true when another page is to be asked for; when
 * not, the walk is over and w->status says how it went. */
static bool walk_on(struct page_walk *w, const struct http_response *resp)
{
	return take_page(w, resp) == PAGE_NEXT;
}

/* PAGE_NEXT, 0 (the walk is over), or the exit status of a failure. */
static int take_page(struct page_walk *w, const struct http_response *resp)
{
	int failed = cli_exit_status(resp);

	w->pages++;
	if (resp->dry_run)
		return 0;
	json_object *items = items_of(resp);
	if (w->opts.raw && hand_on(w, items, resp))
		return w->status;
	if (failed)
		return fail(w, failed, resp->error ? xstrdup(resp->error) : xasprintf("HTTP %ld", resp->status));
	if (!items && !w->opts.raw)
		return fail(w, SMILE_EXIT_FAILURE, xstrdup("the response holds no list (data.items)"));
	if (!w->opts.raw && hand_on(w, items, resp))
		return w->status;

	const char *next = NULL;
	bool bad_cursor = http_next_cursor(resp->data, &next) < 0;
	free(w->cursor);
	w->cursor = next ? xstrdup(next) : NULL;
	if (!wants_more(w))
		return 0;
	/* Ending quietly would pass a part of the list off as all of it. */
	if (bad_cursor)
		return fail_after(w, "the server's data.nextCursor is not a string");
	if (!w->cursor)
		return 0;
	/* A cursor handed out twice would page forever. */
	if (!strset_add(&w->seen, w->cursor))
		return fail_after(w, "the server repeated a page cursor");
	return PAGE_NEXT;
}

int page_walk_run(struct page_walk *w)
{
	bool more;

	do {
		struct http_response resp;
		prepare(w);
		http_send(w->opts.http, &w->req, &resp);
		more = walk_on(w, &resp);
		http_response_clear(&resp);
	} while (more);
	return w->status;
}

static void on_answer(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct page_walk *w = ctx;
	(void)req;

	if (walk_on(w, resp))
		page_walk_submit(w);
	else if (w->opts.on_end)
		w->opts.on_end(w->ctx, w, w->status);
}

void page_walk_submit(struct page_walk *w)
{
	prepare(w);
	http_submit(w->opts.http, &w->req, on_answer, w);
}
