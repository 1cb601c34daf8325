/* SPDX-License-Identifier: MIT */
/*
 * The end of a try: retried (when safe and allowed) or done, with the
 * kind of failure, the reply parsed and the error message made.
 */
#include "core/http/internal.h"
#include "core/util.h"

#include <string.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- the end of a try ---- */

/* Puts a partly written download back to where it started. */
static bool sink_rewind(struct transfer *t)
{
	FILE *f = t->req->sink;

	if (!t->sink_written)
		return true;
	if (t->sink_start < 0 || fflush(f) != 0 || fseeko(f, t->sink_start, SEEK_SET) != 0)
		return false;
	if (ftruncate(fileno(f), t->sink_start) != 0)
		return false;
	t->sink_written = false;
	return true;
}

/* Whether to try again, and after how long (*delay_ms). */
static bool try_again(struct transfer *t, const struct try_result *tr, long *delay_ms)
{
	const struct http_client_opts *p = &t->c->o;
	int max_attempts = p->max_attempts > 0 ? p->max_attempts : 1;

	if (t->too_large || t->sink_errno)
		return false;
	if (!http_should_retry(t->method, tr->status, tr->code, tr->sent))
		return false;
	if (t->attempts >= max_attempts)
		return false;
	*delay_ms = http_backoff_ms(t->attempts, t->retry_after_ms, NULL);
	/* A wait beyond the budget (a far Retry-After) means giving up now,
	 * not pretending to honour it with a shorter one. */
	double spent_ms = (now_monotonic() - t->first_start) * 1000;
	if (p->retry_max_ms >= 0 && spent_ms + (double)*delay_ms > (double)p->retry_max_ms)
		return false;
	return sink_rewind(t);
}

static void schedule_retry(struct transfer *t, const struct try_result *tr, long delay_ms)
{
	if (t->c->verbose) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "* retrying in %.3f s", (double)delay_ms / 1000);
		if (tr->status)
			strbuf_addf(&sb, " (HTTP %ld)", tr->status);
		strbuf_addch(&sb, '\n');
		http_emit(&sb);
	}
	t->ready_at = now_monotonic() + (double)delay_ms / 1000;
	t->state = T_WAITING;
	transfer_list_push(&t->c->waiting, t);
}

/* Whether a failed non-idempotent request may have been carried out. */
static bool may_have_been_processed(const struct try_result *tr)
{
	if (!tr->sent)
		return false;
	if (tr->status == 503 || tr->status == 501 || (tr->status >= 400 && tr->status < 500))
		return false; /* refused before doing anything */
	if (tr->code != CURLE_OK)
		return true;  /* timeout, reset, empty or cut reply after sending */
	return http_status_is_success(tr->status) || tr->status >= 500;
}

static void fill_network_failure(struct transfer *t, const struct try_result *tr)
{
	struct http_response *r = t->resp;
	struct strbuf sb = STRBUF_INIT;

	if (t->too_large) {
		r->error = xasprintf("response exceeds %zu bytes", t->c->max_response);
		r->failure = HTTP_FAIL_BAD_RESPONSE;
		return;
	}
	if (t->sink_errno) {
		r->error = xasprintf("cannot write the download: %s", strerror(t->sink_errno));
		r->failure = HTTP_FAIL_LOCAL;
		return;
	}
	const char *why = http_curl_reason(t, tr->code);
	strbuf_addf(&sb, tr->sent ? "request to %s failed: " : "cannot reach %s: ", t->error_url);
	http_add_one_line(&sb, why, strlen(why));
	r->error = strbuf_detach(&sb);
	r->failure = HTTP_FAIL_NETWORK;
}

static char *content_type_for_message(const struct transfer *t)
{
	char *ct = NULL;
	struct strbuf sb = STRBUF_INIT;

	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
	if (!ct || !*ct)
		return xstrdup("no content type");
	http_add_one_line(&sb, ct, strcspn(ct, ";"));
	return strbuf_detach(&sb);
}

static enum http_failure status_failure(long status)
{
	return http_status_is_success(status) ? HTTP_OK : HTTP_FAIL_STATUS;
}

static void fill_reply(struct transfer *t, const struct try_result *tr)
{
	struct http_response *r = t->resp;
	bool success = http_status_is_success(tr->status);

	if (t->req->sink && success) {
		r->failure = HTTP_OK;
		return;
	}
	r->body_len = t->body.len;
	r->body = strbuf_detach(&t->body);
	if (r->body_len == 0) {
		/* 204 and friends: nothing to parse, nothing wrong. */
		r->failure = status_failure(tr->status);
		if (r->failure)
			r->error = xasprintf("HTTP %ld with an empty response", tr->status);
		return;
	}
	if (http_parse_envelope(r, r->body, r->body_len) < 0) {
		char *ct = content_type_for_message(t);
		char *problem = r->error;
		r->error = xasprintf("%s (HTTP %ld, %s)", problem, tr->status, ct);
		free(problem);
		free(ct);
		r->failure = success ? HTTP_FAIL_BAD_RESPONSE : HTTP_FAIL_STATUS;
		return;
	}
	r->failure = status_failure(tr->status);
	if (r->failure)
		r->error = http_envelope_error_line(r);
}

static void complete(struct transfer *t, const struct try_result *tr)
{
	struct http_response *r = t->resp;

	r->status = tr->status;
	r->attempts = t->attempts;
	r->elapsed = now_monotonic() - t->first_start;
	r->retry_after_ms = t->retry_after_ms;
	r->server_date = t->server_date;
	if (tr->code != CURLE_OK)
		fill_network_failure(t, tr);
	else
		fill_reply(t, tr);
	r->outcome_unknown = !t->idempotent && r->failure != HTTP_OK &&
			     may_have_been_processed(tr);
	transfer_finish(t);
}

void http_finish_try(struct transfer *t, CURLcode code)
{
	struct http_client *c = t->c;
	struct try_result tr = { .code = code };
	long request_size = 0;
	curl_off_t usecs = 0;
	long delay_ms = 0;

	curl_multi_remove_handle(c->multi, t->easy);
	transfer_list_remove(&c->active, t);
	c->n_active--;
	t->state = T_NEW;
	tr.status = transfer_status(t);
	curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &request_size);
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &usecs);
	tr.sent = request_size > 0;
	tr.seconds = (double)usecs / 1e6;
	if (c->verbose)
		http_print_try_result(t, &tr);
	if (try_again(t, &tr, &delay_ms))
		schedule_retry(t, &tr, delay_ms);
	else
		complete(t, &tr);
}
