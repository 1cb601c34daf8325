/* SPDX-License-Identifier: MIT */
/*
 * The scheduler of the HTTP core (client.h). Every request is a `struct transfer` hung off
 * its easy handle with CURLOPT_PRIVATE. One loop, drive(), serves both
 * http_send() (one target transfer) and http_run() (a queue, N at a time):
 * it starts what the rate limiter and the retry delays allow, lets libcurl
 * work, and sorts finished tries into "again later" or "done". Waiting never
 * sleeps: it only shortens the curl_multi_poll() timeout, so transfers in
 * flight keep moving.
 */
#include "core/http/internal.h"
#include "core/util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- small lists ---- */

/* ---- the loop ---- */

static int collect_finished(struct http_client *c)
{
	CURLMsg *m;
	int left, n = 0;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		CURLcode code = m->data.result; /* m dies with the handle's removal */
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		http_finish_try((struct transfer *)(void *)priv, code);
		n++;
	}
	return n;
}

/* The next transfer allowed to start (not yet taken off its list), or NULL;
 * *wait gets the seconds until a waiting retry becomes due. */
static struct transfer *next_startable(struct http_client *c, double now, double *wait)
{
	for (struct transfer *t = c->waiting.head; t; t = t->next) {
		if (t->ready_at <= now)
			return t;
		if (t->ready_at - now < *wait)
			*wait = t->ready_at - now;
	}
	return c->pending.head;
}

static bool take_token(struct http_client *c, double now, double *wait)
{
	if (c->dry_run)
		return true;
	double w = rate_limiter_take(&c->limiter, now);
	if (w <= 0)
		return true;
	if (w < *wait)
		*wait = w;
	return false;
}

/* Starts what may start; returns the seconds until more could. */
static double start_ready(struct http_client *c, int concurrency)
{
	double now = now_monotonic(), wait = INFINITY;

	while (c->n_active < concurrency) {
		struct transfer *t = next_startable(c, now, &wait);
		if (!t || !take_token(c, now, &wait))
			break;
		transfer_list_remove(t->state == T_WAITING ? &c->waiting : &c->pending, t);
		http_start_try(t);
	}
	return wait;
}

static double start_target(struct http_client *c, struct transfer *t)
{
	double now = now_monotonic(), wait = INFINITY;

	if (t->state == T_WAITING && t->ready_at > now)
		return t->ready_at - now;
	if (t->state != T_NEW && t->state != T_WAITING)
		return wait;
	if (!take_token(c, now, &wait))
		return wait;
	if (t->state == T_WAITING)
		transfer_list_remove(&c->waiting, t);
	http_start_try(t);
	return wait;
}

static void interrupt_queued(struct http_client *c)
{
	struct transfer_list *lists[] = { &c->pending, &c->waiting };

	for (size_t i = 0; i < 2; i++) {
		struct transfer *t;
		while ((t = transfer_list_pop(lists[i])))
			transfer_fail(t, HTTP_FAIL_INTERRUPTED, xstrdup("interrupted"));
	}
}

static void deliver_done(struct http_client *c)
{
	struct transfer *t;

	while ((t = transfer_list_pop(&c->done))) {
		t->done(t->ctx, t->req, t->resp);
		transfer_free(t);
	}
}

static bool client_idle(const struct http_client *c)
{
	return !c->n_active && !c->pending.head && !c->waiting.head && !c->done.head;
}

static int poll_timeout_ms(double wait, bool have_stop)
{
	int ms = POLL_MAX_MS;

	if (isfinite(wait) && wait * 1000 < ms)
		ms = (int)ceil(wait * 1000);
	if (have_stop && ms > POLL_STOP_MS)
		ms = POLL_STOP_MS;
	return ms > 0 ? ms : 0;
}

/* With target: runs until that transfer is done, leaving other finished
 * transfers for the outer http_run to deliver (http_send may be called from
 * a callback). Without: runs the queue until it is empty or *stop. */
static int drive(struct http_client *c, int concurrency, volatile bool *stop, struct transfer *target)
{
	for (;;) {
		if (!target)
			deliver_done(c);
		/* After the callbacks, which may be what asked to stop. */
		if (stop && *stop) {
			interrupt_queued(c);
			if (target && target->state == T_NEW)
				transfer_fail(target, HTTP_FAIL_INTERRUPTED, xstrdup("interrupted"));
			if (!target)
				deliver_done(c);
		}
		if (target ? target->state == T_DONE : client_idle(c))
			return 0;
		double wait = target ? start_target(c, target) : start_ready(c, concurrency);
		if (target ? target->state == T_DONE : c->done.head != NULL)
			continue; /* finished without a transfer (dry run, setup error) */
		int running;
		CURLMcode mc = curl_multi_perform(c->multi, &running);
		if (mc == CURLM_OK && collect_finished(c) > 0)
			continue;
		if (mc == CURLM_OK)
			mc = curl_multi_poll(c->multi, NULL, 0, poll_timeout_ms(wait, stop != NULL), NULL);
		if (mc != CURLM_OK) {
			log_error("http: %s", curl_multi_strerror(mc));
			return -EIO;
		}
	}
}

enum http_failure http_send(struct http_client *c, const struct http_request *req, struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	struct transfer *t = transfer_new(c, req, r, NULL, NULL);

	if (drive(c, 1, c->stop, t) < 0 && t->state != T_DONE) {
		free(r->error);
		r->error = xstrdup("internal failure of the HTTP engine");
		r->failure = HTTP_FAIL_LOCAL;
	}
	if (t->state == T_WAITING)
		transfer_list_remove(&c->waiting, t);
	transfer_free(t);
	return r->failure;
}

void http_submit(struct http_client *c, const struct http_request *req, http_done_fn done, void *ctx)
{
	transfer_list_push(&c->pending, transfer_new(c, req, NULL, done, ctx));
}

int http_run(struct http_client *c, int concurrency, volatile bool *stop)
{
	return drive(c, concurrency > 0 ? concurrency : 1, stop ? stop : c->stop, NULL);
}
