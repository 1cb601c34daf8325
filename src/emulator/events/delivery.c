/* SPDX-License-Identifier: MIT */
/*
 * Webhook delivery: one background thread drives a libcurl multi handle, so
 * several deliveries run at once and a slow receiver delays only its own.
 *
 * A delivery is either pending (waiting for its due time: new, or a retry
 * after a pause) or active (its easy handle is in the multi). Both lists are
 * guarded by the mutex, because emit/cancel/stats run on server threads;
 * the multi and the easy handles are touched only by the delivery thread.
 * Other threads wake it with curl_multi_wakeup(), the one multi call that is
 * safe from another thread, which serves as the condition variable here.
 */
#include "emulator/events/delivery.h"

#include "emulator/emu.h"
#include "core/signature.h"

#include <curl/curl.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A receiver that accepts the connection and never answers must not hold a
 * slot for long. */
#define CONNECT_TIMEOUT_MS 2000L
#define TRANSFER_TIMEOUT_MS 5000L
/* Bounds parallel connections; the rest wait in the pending list. */
#define MAX_ACTIVE 16
/* Bounds the pending list: a receiver that never answers drains about three
 * deliveries a second, so without a bound every API request that emits an
 * event would grow memory for good. Events beyond it are dropped. */
#define MAX_PENDING 10000
/* Longest sleep of the thread when nothing is due; wakeups cut it short. */
#define IDLE_POLL_MS 1000

struct delivery {
	struct delivery *next;
	char *webhook_id;
	char *url;
	char *body; /* the exact bytes that were signed */
	size_t body_len;
	struct curl_slist *headers;
	int attempts;    /* attempts made so far */
	long long due_ms; /* monotonic time of the next attempt */
	bool cancelled;  /* webhook deleted while this was in flight */
	CURL *easy;      /* only while active */
};

struct webhook_engine {
	pthread_t thread;
	pthread_mutex_t lock;
	CURLM *multi;
	long retry_delays_ms[WEBHOOK_MAX_RETRIES]; /* before retry 1, 2, ... */
	size_t n_retries;
	bool stopping;
	struct delivery *pending; /* FIFO, so events keep their order */
	struct delivery **pending_tail; /* appends are O(1): emit runs under the API lock */
	size_t n_pending;
	struct delivery *active;
	size_t n_active;
	struct webhook_stats stats;
};

static long long monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void delivery_free(struct delivery *d)
{
	if (!d)
		return;
	free(d->webhook_id);
	free(d->url);
	free(d->body);
	curl_slist_free_all(d->headers);
	free(d);
}

static void free_list(struct delivery *d)
{
	while (d) {
		struct delivery *next = d->next;
		delivery_free(d);
		d = next;
	}
}

static void append_pending(struct webhook_engine *e, struct delivery *d)
{
	d->next = NULL;
	*e->pending_tail = d;
	e->pending_tail = &d->next;
	e->n_pending++;
}

/* Unlinks *p, a link of the pending list, and returns the delivery. */
static struct delivery *take_pending(struct webhook_engine *e, struct delivery **p)
{
	struct delivery *d = *p;

	*p = d->next;
	if (e->pending_tail == &d->next)
		e->pending_tail = p;
	d->next = NULL;
	e->n_pending--;
	return d;
}

static void unlink_from(struct delivery **list, struct delivery *d)
{
	for (struct delivery **p = list; *p; p = &(*p)->next) {
		if (*p == d) {
			*p = d->next;
			d->next = NULL;
			return;
		}
	}
}

/* ---- payload ----------------------------------------------------------- */

/* "et-" + 32 hex, the event id format of the docs' example payloads. */
static void new_event_id(char out[36])
{
	unsigned char raw[16];

	if (RAND_bytes(raw, sizeof raw) != 1) {
		/* Uniqueness only matters for duplicate detection by receivers. */
		static unsigned long counter;
		snprintf((char *)raw, sizeof raw, "%015lu", ++counter);
	}
	memcpy(out, "et-", 3);
	for (size_t i = 0; i < sizeof raw; i++)
		snprintf(out + 3 + 2 * i, 3, "%02x", raw[i]);
}

/* The body shared by every target of one event, so all of them (and every
 * retry) carry the same event id, as the docs' duplicate advice expects. */
static char *build_payload(const char *event_type, json_object *data, size_t *len)
{
	char id[36], created[21];
	json_object *payload = json_object_new_object();

	new_event_id(id);
	emu_now(created);
	json_object_object_add(payload, "id", json_object_new_string(id));
	json_object_object_add(payload, "version", json_object_new_int(1));
	json_object_object_add(payload, "type", json_object_new_string(event_type));
	json_object_object_add(payload, "createdAt", json_object_new_string(created));
	json_object_object_add(payload, "data", data ? json_object_get(data) : NULL);

	size_t n = 0;
	const char *text = json_object_to_json_string_length(
		payload, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);
	char *body = strndup(text, n);
	json_object_put(payload);
	*len = body ? n : 0;
	return body;
}

static struct delivery *delivery_new(const struct webhook_target *t, const char *body, size_t len)
{
	struct delivery *d = calloc(1, sizeof *d);
	char signature[SIGNATURE_HEX_LEN + 1], header[160];

	if (!d)
		return NULL;
	d->webhook_id = strdup(t->id ? t->id : "");
	d->url = strdup(t->url ? t->url : "");
	d->body = malloc(len + 1);
	if (!d->webhook_id || !d->url || !d->body) {
		delivery_free(d);
		return NULL;
	}
	memcpy(d->body, body, len);
	d->body[len] = '\0';
	d->body_len = len;

	signature_sign(t->secret ? t->secret : "", t->secret ? strlen(t->secret) : 0, body, len, signature);
	snprintf(header, sizeof header, "Smile-Signature: %s", signature);
	d->headers = curl_slist_append(d->headers, "Content-Type: application/json");
	d->headers = curl_slist_append(d->headers, header);
	/* No 100-continue round trip: bodies are small and receivers simple. */
	d->headers = curl_slist_append(d->headers, "Expect:");
	d->due_ms = monotonic_ms();
	return d;
}

/* ---- the delivery thread ---------------------------------------------- */

static size_t discard_body(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	(void)ptr;
	(void)userdata;
	return size * nmemb;
}

static CURL *easy_for(struct delivery *d)
{
	CURL *h = curl_easy_init();

	if (!h)
		return NULL;
	curl_easy_setopt(h, CURLOPT_URL, d->url);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, d->body);
	curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)d->body_len);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, d->headers);
	curl_easy_setopt(h, CURLOPT_USERAGENT, "smile-emulator-webhooks");
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, TRANSFER_TIMEOUT_MS);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_body);
	curl_easy_setopt(h, CURLOPT_PRIVATE, d);
	return h;
}

/* Caller holds the lock. Takes the easy handle away from an active delivery. */
static void detach(struct webhook_engine *e, struct delivery *d)
{
	curl_multi_remove_handle(e->multi, d->easy);
	curl_easy_cleanup(d->easy);
	d->easy = NULL;
	unlink_from(&e->active, d);
	e->n_active--;
}

/* Caller holds the lock. Moves due deliveries into the multi. */
static void start_due(struct webhook_engine *e)
{
	long long now = monotonic_ms();
	struct delivery **p = &e->pending;

	while (*p && e->n_active < MAX_ACTIVE) {
		struct delivery *d = *p;
		if (d->due_ms > now) {
			p = &d->next;
			continue;
		}
		take_pending(e, p);
		d->easy = easy_for(d);
		if (!d->easy || curl_multi_add_handle(e->multi, d->easy) != CURLM_OK) {
			if (d->easy)
				curl_easy_cleanup(d->easy);
			e->stats.dropped++;
			delivery_free(d);
			continue;
		}
		d->attempts++;
		e->stats.attempts++;
		d->next = e->active;
		e->active = d;
		e->n_active++;
	}
}

/* Caller holds the lock. Aborts transfers of webhooks deleted meanwhile. */
static void abort_cancelled(struct webhook_engine *e)
{
	struct delivery *d = e->active;

	while (d) {
		struct delivery *next = d->next;
		if (d->cancelled) {
			detach(e, d);
			e->stats.dropped++;
			delivery_free(d);
		}
		d = next;
	}
}

/* Caller holds the lock. Records one finished attempt and retries or drops. */
static void settle(struct webhook_engine *e, struct delivery *d, CURLcode rc)
{
	long status = 0;

	curl_easy_getinfo(d->easy, CURLINFO_RESPONSE_CODE, &status);
	detach(e, d);
	if (rc == CURLE_OK && status >= 200 && status < 300) {
		e->stats.delivered++;
		delivery_free(d);
		return;
	}
	e->stats.failed_attempts++;
	if (d->cancelled || e->stopping || (size_t)d->attempts > e->n_retries) {
		e->stats.dropped++;
		delivery_free(d);
		return;
	}
	e->stats.retries++;
	d->due_ms = monotonic_ms() + e->retry_delays_ms[d->attempts - 1];
	append_pending(e, d);
}

static void collect_finished(struct webhook_engine *e)
{
	CURLMsg *msg;
	int left;

	while ((msg = curl_multi_info_read(e->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct delivery *d = NULL;
		CURLcode rc = msg->data.result;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&d);
		pthread_mutex_lock(&e->lock);
		settle(e, d, rc);
		pthread_mutex_unlock(&e->lock);
	}
}

/* Caller holds the lock. How long the thread may sleep. */
static int wait_budget_ms(const struct webhook_engine *e)
{
	long long now = monotonic_ms(), budget = IDLE_POLL_MS;

	if (e->n_active >= MAX_ACTIVE)
		return (int)budget; /* a finishing transfer wakes the poll anyway */
	for (const struct delivery *d = e->pending; d; d = d->next) {
		long long left = d->due_ms - now;
		if (left < budget)
			budget = left < 0 ? 0 : left;
	}
	return (int)budget;
}

static void *delivery_thread(void *arg)
{
	struct webhook_engine *e = arg;

	for (;;) {
		int running = 0, budget;

		pthread_mutex_lock(&e->lock);
		if (e->stopping) {
			pthread_mutex_unlock(&e->lock);
			break;
		}
		abort_cancelled(e);
		start_due(e);
		pthread_mutex_unlock(&e->lock);

		curl_multi_perform(e->multi, &running);
		collect_finished(e);

		pthread_mutex_lock(&e->lock);
		budget = wait_budget_ms(e);
		pthread_mutex_unlock(&e->lock);
		curl_multi_poll(e->multi, NULL, 0, budget, NULL);
	}
	return NULL;
}

/* ---- public interface ------------------------------------------------- */

struct webhook_engine *webhook_engine_start(const long *retry_delays_ms, size_t n_retries)
{
	struct webhook_engine *e = calloc(1, sizeof *e);

	if (!e)
		return NULL;
	e->n_retries = n_retries < WEBHOOK_MAX_RETRIES ? n_retries : WEBHOOK_MAX_RETRIES;
	for (size_t i = 0; i < e->n_retries; i++)
		e->retry_delays_ms[i] = retry_delays_ms[i] < 0 ? 0 : retry_delays_ms[i];
	e->pending_tail = &e->pending;
	e->multi = curl_multi_init();
	if (!e->multi) {
		free(e);
		return NULL;
	}
	pthread_mutex_init(&e->lock, NULL);
	if (pthread_create(&e->thread, NULL, delivery_thread, e) != 0) {
		pthread_mutex_destroy(&e->lock);
		curl_multi_cleanup(e->multi);
		free(e);
		return NULL;
	}
	return e;
}

void webhook_engine_stop(struct webhook_engine *e)
{
	if (!e)
		return;
	pthread_mutex_lock(&e->lock);
	e->stopping = true;
	pthread_mutex_unlock(&e->lock);
	curl_multi_wakeup(e->multi);
	pthread_join(e->thread, NULL);

	/* The thread is gone: no lock needed from here on. */
	while (e->active) {
		struct delivery *d = e->active;
		detach(e, d);
		delivery_free(d);
	}
	free_list(e->pending);
	curl_multi_cleanup(e->multi);
	pthread_mutex_destroy(&e->lock);
	free(e);
}

void webhook_engine_emit(struct webhook_engine *e, const struct webhook_target *targets,
			 size_t n_targets, const char *event_type, json_object *data)
{
	size_t len = 0;
	char *body;

	if (!e || n_targets == 0 || !event_type)
		return;
	body = build_payload(event_type, data, &len);
	if (!body)
		return;

	pthread_mutex_lock(&e->lock);
	for (size_t i = 0; i < n_targets; i++) {
		struct delivery *d = e->n_pending < MAX_PENDING ? delivery_new(&targets[i], body, len)
							       : NULL;
		if (!d) {
			e->stats.dropped++;
			continue;
		}
		e->stats.queued++;
		append_pending(e, d);
	}
	pthread_mutex_unlock(&e->lock);
	free(body);
	curl_multi_wakeup(e->multi);
}

void webhook_engine_cancel(struct webhook_engine *e, const char *webhook_id)
{
	if (!e || !webhook_id)
		return;
	pthread_mutex_lock(&e->lock);
	struct delivery **p = &e->pending;
	while (*p) {
		struct delivery *d = *p;
		if (strcmp(d->webhook_id, webhook_id) == 0) {
			take_pending(e, p);
			e->stats.dropped++;
			delivery_free(d);
		} else {
			p = &d->next;
		}
	}
	/* Active transfers belong to the thread; it aborts them on waking. */
	for (struct delivery *d = e->active; d; d = d->next)
		if (strcmp(d->webhook_id, webhook_id) == 0)
			d->cancelled = true;
	pthread_mutex_unlock(&e->lock);
	curl_multi_wakeup(e->multi);
}

void webhook_engine_stats(struct webhook_engine *e, struct webhook_stats *out)
{
	if (!e) {
		memset(out, 0, sizeof *out);
		return;
	}
	pthread_mutex_lock(&e->lock);
	*out = e->stats;
	pthread_mutex_unlock(&e->lock);
}
