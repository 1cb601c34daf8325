/* SPDX-License-Identifier: MIT */
/*
 * The page walker: the one loop over the API's paged lists. A Smile list
 * answers {data: {items: [...], nextCursor: "..."}}; the walker owns
 * everything about following it, so that every list command, smile api
 * --all, the invite lookup and whatever walks lists next agree:
 *
 *   - the page size and the cursor are query parameters it adds itself,
 *     each once (the caller's params must hold neither);
 *   - with all, it follows nextCursor to the last page (absent, null or
 *     ""); without, it stops after the first page unless limit asks for
 *     more;
 *   - limit: at most that many items are handed on, and no page is asked
 *     for once they are;
 *   - a nextCursor that is not a string, or a cursor seen before (the
 *     first one included), ends the walk with an error rather than a list
 *     passed off as whole or a loop forever;
 *   - a page is one request of the HTTP client, so the client's retries
 *     repeat that page, never the walk; a failed page ends the walk;
 *   - --dry-run: the client shows the first request and sends nothing;
 *     the walk ends there, successfully, with no page handed on.
 *
 * Two ways to drive it:
 *
 *   Blocking, for a plain list command:
 *
 *     struct page_walk w;
 *     page_walk_init(&w, &opts, on_page, ctx);
 *     int r = page_walk_run(&w);          // 0 or an exit status
 *     if (r) log_error("%s", page_walk_error(&w));
 *     page_walk_release(&w);
 *
 *   Concurrent, many walks (and other requests) at once through the
 *   client's multi interface: page_walk_submit() queues the first page
 *   with http_submit(); each page, when it arrives, is handed on and the
 *   next one submitted; opts.on_end is called once the walk is over. The
 *   caller runs http_run() and keeps w alive until on_end.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/http/client.h"
#include "core/util.h"

/* The largest page the API serves: what list commands ask for with --all. */
#define PAGE_SIZE_MAX "150"

struct page_walk;

/* One page: items is data.items (borrowed, NULL in raw mode when absent),
 * of which the first n_take are the caller's (limit applied); resp is the
 * whole response (borrowed). Return 0 to go on, or an exit status to end
 * the walk with it (the callback has said why). */
typedef int (*page_fn)(void *ctx, json_object *items, size_t n_take, const struct http_response *resp);
/* The walk is over: status 0, or the exit status page_walk_error() tells. */
typedef void (*page_end_fn)(void *ctx, struct page_walk *w, int status);

struct page_walk_opts {
	struct http_client *http;
	const char *method;               /* NULL: GET */
	const char *path;
	const struct http_param *params;  /* filters; never size or cursor */
	size_t n_params;
	const char *size;                 /* the size parameter, NULL: not sent */
	const char *cursor;               /* where to start, NULL: at the beginning */
	const char *body;                 /* smile api only: sent with every page */
	const char *shown_body;           /* what --dry-run shows of body (see http_request) */
	bool all;                         /* follow nextCursor to the last page */
	long limit;                       /* at most this many items; < 0: no limit */
	/* smile api: each answer is handed on whole, failed ones too (items
	 * NULL), and data.items is not required. */
	bool raw;
	page_end_fn on_end;               /* concurrent walks only; may be NULL */
};

struct page_walk {
	struct page_walk_opts opts;
	page_fn on_page;
	void *ctx;
	/* Walk state: read-only for callers. */
	struct http_request req;
	struct http_param *params;        /* opts.params + size + cursor */
	char *cursor;                     /* the next page's cursor */
	struct strset seen;
	size_t taken;                     /* items handed on so far */
	size_t pages;                     /* answers received so far */
	int status;
	char *error;
};

void page_walk_init(struct page_walk *w, const struct page_walk_opts *opts, page_fn on_page, void *ctx);
/* Walks to the end with http_send(). 0, or the exit status of the failure. */
int page_walk_run(struct page_walk *w);
/* Queues the next page on the client (the first, when called by the
 * caller); the rest follows from http_run(). */
void page_walk_submit(struct page_walk *w);
/* Where the list goes on after the last page handed on: its nextCursor,
 * NULL when that page was the last (or the walk failed or was a dry run). */
const char *page_walk_next_cursor(const struct page_walk *w);
/* Why the walk failed, one line; NULL when it did not. */
const char *page_walk_error(const struct page_walk *w);
void page_walk_release(struct page_walk *w);
