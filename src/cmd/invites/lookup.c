/* SPDX-License-Identifier: MIT */
/*
 * What the server already has, asked before sending: the invites of rows
 * whose outcome is unknown (one paged walk of GET /invites finds all of
 * them at once, by e-mail and template), the invites made elsewhere
 * (--check-server, the same walk over the rows about to be sent), and the
 * templates the rows name (one GET each).
 */
#include <curl/curl.h>
#include <string.h>

#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/invites/bulk.h"
#include "core/hash.h"
#include "core/journal.h"
#include "core/util.h"

/* ---- rows by key ---- */

struct key_index {
	struct invite_row **slots;
	size_t mask;
};

static void index_build(struct key_index *ix, struct invite_row **rows, size_t n)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap *= 2;
	ix->slots = xcalloc(cap, sizeof(*ix->slots));
	ix->mask = cap - 1;
	for (size_t k = 0; k < n; k++) {
		size_t i = fnv1a_str(rows[k]->key) & ix->mask;
		while (ix->slots[i])
			i = (i + 1) & ix->mask;
		ix->slots[i] = rows[k];
	}
}

static struct invite_row *index_find(const struct key_index *ix, const char *key)
{
	for (size_t i = fnv1a_str(key) & ix->mask; ix->slots[i]; i = (i + 1) & ix->mask)
		if (!strcmp(ix->slots[i]->key, key))
			return ix->slots[i];
	return NULL;
}

/* Gives the rows the invites of a page belong to their invite's id. */
static int match_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	const struct key_index *ix = ctx;
	(void)resp;

	for (size_t i = 0; i < n_take; i++) {
		json_object *item = json_object_array_get_idx(items, i);
		json_object *email = json_get_path(item, "email"), *tpl = json_get_path(item, "templateId");
		json_object *id = json_get_path(item, "id");
		if (!email || !tpl || !id)
			continue;
		_cleanup_free_ char *key = invite_key(json_object_get_string(email), json_object_get_string(tpl));
		struct invite_row *row = index_find(ix, key);
		if (row && !row->invite_id)
			bulk_set_invite_id(row, json_object_get_string(id));
	}
	return 0;
}

/* One walk of GET /invites over rows; the HTTP client retries a failed page
 * (a GET is safe to repeat), the walk is not started over. Found rows get
 * their invite id, the others none. 0, or the exit status of the failure
 * (message in *error). */
static int scan_invites(struct bulk_run *b, struct invite_row **rows, size_t n, char **error)
{
	struct page_walk_opts opts = { .http = b->http, .path = "/invites", .size = PAGE_SIZE_MAX,
				       .all = true, .limit = -1 };
	struct key_index ix;
	struct page_walk w;

	for (size_t i = 0; i < n; i++)
		bulk_set_invite_id(rows[i], NULL);
	index_build(&ix, rows, n);
	page_walk_init(&w, &opts, match_page, &ix);
	int r = page_walk_run(&w);
	if (r)
		*error = xstrdup(page_walk_error(&w) ? page_walk_error(&w) : "the invite list could not be read");
	page_walk_release(&w);
	free(ix.slots);
	return r;
}

/* Rows found are journaled as sent and become `result`; told now when the
 * results have begun, else with the others when they begin. */
static void record_found(struct bulk_run *b, struct invite_row **rows, size_t n, enum row_result result)
{
	struct journal_event *ev = xcalloc(n ? n : 1, sizeof(*ev));
	size_t n_found = 0;

	for (size_t i = 0; i < n; i++)
		if (rows[i]->invite_id) {
			bulk_set_error(rows[i], NULL);
			ev[n_found++] = bulk_row_event(rows[i], JOURNAL_SENT);
		}
	if (bulk_journal_write(b, ev, n_found))
		for (size_t i = 0; i < n; i++)
			if (rows[i]->invite_id) {
				rows[i]->result = result;
				if (result == ROW_INVITED)
					b->n_invited++;
				else
					b->n_already++;
				if (b->out)
					bulk_row_done(b, rows[i]);
			}
	free(ev);
}

/* Rows found are done; the others are queued to be sent again. When the
 * scan fails they stay unknown: sending them could invite twice. */
void bulk_resolve_unknown(struct bulk_run *b)
{
	char *error = NULL;
	int r = scan_invites(b, b->unknown, b->n_unknown, &error);

	if (r || *b->stop) {
		for (size_t i = 0; i < b->n_unknown; i++) {
			_cleanup_free_ char *why = xasprintf("may have been invited; looking it up failed: %s",
							     error ? error : "interrupted");
			bulk_set_error(b->unknown[i], why);
			bulk_set_invite_id(b->unknown[i], NULL);
		}
		free(error);
		b->lookup_failed = true;
		return;
	}
	for (size_t i = 0; i < b->n_unknown; i++)
		if (!b->unknown[i]->invite_id)
			bulk_queue_row(b, b->unknown[i]);
	record_found(b, b->unknown, b->n_unknown, ROW_INVITED);
	b->n_unknown = 0;
}

int bulk_check_server(struct bulk_run *b)
{
	char *error = NULL;
	int r = scan_invites(b, b->queue, b->n_queue, &error);

	if (r) {
		log_error("--check-server: %s; nothing was sent", error);
		free(error);
		return r;
	}
	record_found(b, b->queue, b->n_queue, ROW_ALREADY_DONE);
	size_t kept = 0;
	for (size_t i = 0; i < b->n_queue; i++)
		if (b->queue[i]->result == ROW_PENDING)
			b->queue[kept++] = b->queue[i];
	b->n_queue = kept;
	return b->fatal;
}

/* ---- templates ---- */

static size_t rows_using(const struct bulk_run *b, const char *template_id)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n_queue; i++)
		n += !strcmp(b->queue[i]->field[INVITE_TEMPLATE_ID], template_id);
	for (size_t i = 0; i < b->n_unknown; i++)
		n += !strcmp(b->unknown[i]->field[INVITE_TEMPLATE_ID], template_id);
	return n;
}

static int check_template(struct bulk_run *b, const char *id)
{
	char *escaped = curl_easy_escape(NULL, id, 0);
	_cleanup_free_ char *path = xasprintf("/inviteTemplates/%s", escaped);
	struct http_request req = { .method = "GET", .path = path };
	struct http_response resp = { 0 };
	int r = 0;

	curl_free(escaped);
	if (http_send(b->http, &req, &resp) != HTTP_OK) {
		size_t n = rows_using(b, id);
		if (resp.failure == HTTP_FAIL_STATUS && resp.status == 404)
			r = log_status(SMILE_EXIT_USAGE, "invite template '%s' does not exist (%zu %s use it); nothing was sent",
				       id, n, n == 1 ? "row would" : "rows would");
		else
			r = log_status(cli_exit_status(&resp), "cannot check the invite template '%s': %s; nothing was sent",
				       id, resp.error ? resp.error : "request failed");
	}
	http_response_clear(&resp);
	return r;
}

static void add_templates(struct strset *set, struct invite_row **rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strset_add(set, rows[i]->field[INVITE_TEMPLATE_ID]);
}

/* The Smile API has no endpoint that reads a Wink template, so
 * winkTemplateId can only be checked by sending. */
int bulk_check_templates(struct bulk_run *b)
{
	struct strset set = STRSET_INIT;
	int r = 0;

	add_templates(&set, b->queue, b->n_queue);
	add_templates(&set, b->unknown, b->n_unknown);
	for (size_t i = 0; i < set.cap && !r; i++)
		if (set.slots[i])
			r = check_template(b, set.slots[i]);
	strset_release(&set);
	return r;
}
