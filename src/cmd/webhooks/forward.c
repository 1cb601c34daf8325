/* SPDX-License-Identifier: MIT */
#include "cmd/webhooks/forward.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli/status.h"
#include "cmd/webhooks/webhooks.h"
#include "core/text.h"
#include "core/util.h"

/* Deliveries waiting for a worker; beyond, the receiver answers 503 and
 * Smile retries later. */
#define QUEUE_MAX 256

bool forward_relays_header(const char *name)
{
	return !strcasecmp(name, "Content-Type") || !strncasecmp(name, "Smile-", 6);
}

int forward_send(struct http_client *c, const char *url, const char *const *headers, const char *body,
		 size_t len, struct forward_result *out)
{
	struct http_request req = { .method = "POST", .path = url, .body = body, .body_len = len,
				    .headers = headers };
	struct http_response resp;
	int r;

	memset(out, 0, sizeof(*out));
	http_send(c, &req, &resp);
	out->status = resp.dry_run ? 0 : resp.status;
	out->ms = (long)(resp.elapsed * 1000 + 0.5);
	if (!resp.dry_run && !resp.status)
		snprintf(out->error, sizeof(out->error), "%s", resp.error ? resp.error : "no answer");
	/* Any answer is the endpoint's to give: only no answer is a failure. */
	r = resp.status || resp.dry_run ? 0 : cli_exit_status(&resp);
	http_response_clear(&resp);
	return r;
}

unsigned forward_relay_status(const struct forward_result *r)
{
	if (r->status < 200 || r->status >= 500)
		return 502;
	return (unsigned)r->status;
}

char *forward_line(const char *url, const char *event_id, const struct forward_result *r)
{
	struct strbuf sb = STRBUF_INIT;

	_cleanup_free_ char *shown = event_shown(event_id);

	if (r->status)
		strbuf_addf(&sb, "<-- [%ld] POST %s [%s] %ld ms", r->status, url, shown, r->ms);
	else
		strbuf_addf(&sb, "<-- [error] POST %s [%s]: ", url, shown);
	if (!r->status)
		strbuf_add_printable(&sb, r->error, strlen(r->error), 150);
	return strbuf_detach(&sb);
}

/* ---- the worker pool ------------------------------------------------------ */

struct forwarder {
	char *url;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	struct forward_job *head, **tail;
	size_t queued;
	bool stopping;
	int n_workers;
	pthread_t *threads;
	struct http_client **clients;
};

struct worker_arg {
	struct forwarder *f;
	struct http_client *http;
};

static struct forward_job *take_job(struct forwarder *f)
{
	struct forward_job *job;

	pthread_mutex_lock(&f->lock);
	while (!f->head && !f->stopping)
		pthread_cond_wait(&f->wake, &f->lock);
	job = f->head;
	if (job && !f->stopping) {
		f->head = job->next;
		if (!f->head)
			f->tail = &f->head;
		f->queued--;
	} else {
		job = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	return job;
}

static void *worker(void *arg)
{
	struct worker_arg *w = arg;
	struct forward_job *job;

	while ((job = take_job(w->f))) {
		forward_send(w->http, w->f->url, job->headers, job->body, job->len, &job->result);
		job->done(job);
	}
	free(w);
	return NULL;
}

struct forwarder *forwarder_start(struct cmd_ctx *ctx, const char *url, int workers)
{
	struct forwarder *f = xcalloc(1, sizeof(*f));

	f->url = xstrdup(url);
	f->tail = &f->head;
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->wake, NULL);
	f->threads = xcalloc((size_t)workers, sizeof(*f->threads));
	f->clients = xcalloc((size_t)workers, sizeof(*f->clients));
	for (int i = 0; i < workers; i++) {
		struct worker_arg *w = xcalloc(1, sizeof(*w));
		w->f = f;
		w->http = f->clients[i] = cmd_http_for(ctx, url, FORWARD_TIMEOUT_MS);
		if (!w->http || pthread_create(&f->threads[i], NULL, worker, w) != 0) {
			http_client_free(w->http);
			f->clients[i] = NULL;
			free(w);
			break;
		}
		f->n_workers++;
	}
	if (!f->n_workers) {
		log_error("cannot start forwarding to %s", url);
		forwarder_stop(f);
		return NULL;
	}
	return f;
}

const char *forwarder_url(const struct forwarder *f)
{
	return f->url;
}

bool forwarder_submit(struct forwarder *f, struct forward_job *job)
{
	bool taken = false;

	pthread_mutex_lock(&f->lock);
	if (!f->stopping && f->queued < QUEUE_MAX) {
		job->next = NULL;
		*f->tail = job;
		f->tail = &job->next;
		f->queued++;
		taken = true;
		pthread_cond_signal(&f->wake);
	}
	pthread_mutex_unlock(&f->lock);
	return taken;
}

void forwarder_stop(struct forwarder *f)
{
	struct forward_job *job;

	if (!f)
		return;
	pthread_mutex_lock(&f->lock);
	f->stopping = true;
	job = f->head;
	f->head = NULL;
	f->tail = &f->head;
	pthread_cond_broadcast(&f->wake);
	pthread_mutex_unlock(&f->lock);
	while (job) {
		struct forward_job *next = job->next;
		memset(&job->result, 0, sizeof(job->result));
		snprintf(job->result.error, sizeof(job->result.error), "not sent: smile is stopping");
		job->done(job);
		job = next;
	}
	for (int i = 0; i < f->n_workers; i++)
		pthread_join(f->threads[i], NULL);
	for (int i = 0; i < f->n_workers; i++)
		http_client_free(f->clients[i]);
	free(f->threads);
	free(f->clients);
	pthread_cond_destroy(&f->wake);
	pthread_mutex_destroy(&f->lock);
	free(f->url);
	free(f);
}
