/* SPDX-License-Identifier: MIT */
/*
 * Webhook delivery for smile-emulator. The API side only queues events;
 * a background thread POSTs them, so delivery never blocks a request.
 *
 * Payload (docs: tag-webhooks.md): {"id","version","type","createdAt","data"}.
 * Header Smile-Signature: hex HMAC-SHA512 of the raw body, keyed with the
 * webhook's secret. A delivery without a 2xx answer (or without any answer)
 * is retried: the docs say "up to two times with a few dozen seconds
 * between each retry", the default of --webhook-retry-delays-ms.
 */
#pragma once

#include <json-c/json.h>
#include <stddef.h>

struct webhook_target {
	const char *id;      /* webhook id, so deliveries can be cancelled */
	const char *url;
	const char *secret;
};

struct webhook_engine;

/* Most retries --webhook-retry-delays-ms may ask for. */
#define WEBHOOK_MAX_RETRIES 5
/* Smile's schedule: two retries, "a few dozen seconds" apart. */
#define WEBHOOK_DEFAULT_RETRIES 2
#define WEBHOOK_DEFAULT_RETRY_DELAY_MS 30000L

/* Starts the delivery thread. retry_delays_ms[i]: the pause before retry
 * i + 1; n_retries of them (at most WEBHOOK_MAX_RETRIES, 0: no retry). */
struct webhook_engine *webhook_engine_start(const long *retry_delays_ms, size_t n_retries);
/* Stops the thread; deliveries still queued are dropped. NULL is fine. */
void webhook_engine_stop(struct webhook_engine *e);

/* Queues one event for each target (all strings and data are copied; data is
 * borrowed). Returns at once. With 10,000 deliveries already waiting, the
 * event is dropped instead (counted in dropped). */
void webhook_engine_emit(struct webhook_engine *e, const struct webhook_target *targets,
			 size_t n_targets, const char *event_type, json_object *data);

/* Drops queued and pending retries for a deleted webhook. */
void webhook_engine_cancel(struct webhook_engine *e, const char *webhook_id);

/* Counters for /_emulator/stats. */
struct webhook_stats {
	unsigned long queued, delivered, failed_attempts, dropped;
	unsigned long attempts, retries; /* POSTs started; of those, retries */
};
void webhook_engine_stats(struct webhook_engine *e, struct webhook_stats *out);
