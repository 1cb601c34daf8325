/* SPDX-License-Identifier: MIT */
/*
 * Relaying deliveries to the user's own endpoint (listen --forward-to,
 * replay): the raw body and the Smile headers unchanged, through the HTTP
 * core with no credentials (cmd_http_for), one try each, bounded in time.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cli/cmd.h"

/* A forward that gets no answer in this long is given up (and answered
 * 502): within the 5 s that smile-emulator waits for a delivery. */
#define FORWARD_TIMEOUT_MS 4000L

struct forward_result {
	long status;      /* the endpoint's, 0: no answer */
	long ms;          /* how long it took */
	char error[160];  /* why there was no answer, or "" */
};

/* The headers relayed with a delivery: Content-Type and Smile-*. */
bool forward_relays_header(const char *name);

/* POSTs body with headers ("Name: value", NULL-terminated) to url through
 * c. Fills *out; returns 0, or an exit status of the failure. */
int forward_send(struct http_client *c, const char *url, const char *const *headers, const char *body,
		 size_t len, struct forward_result *out);

/* What the receiver answers Smile: the endpoint's status, but 502 for a
 * 5xx or no answer, so that Smile's retries can be seen working. */
unsigned forward_relay_status(const struct forward_result *r);

/* "<-- [200] POST URL [ID] 12 ms", or "<-- [error] POST URL [ID]: why". */
char *forward_line(const char *url, const char *event_id, const struct forward_result *r);

/* The worker pool of listen --forward-to: each worker owns a client and
 * sends one delivery at a time, so a slow endpoint holds up only its
 * worker, never the receiver or the printing. */
struct forwarder;
struct forward_job {
	struct forward_job *next;
	const char *const *headers; /* borrowed, alive until done */
	const char *body;
	size_t len;
	const char *event_id;
	struct forward_result result;
	void (*done)(struct forward_job *job); /* on the worker's thread */
};

struct forwarder *forwarder_start(struct cmd_ctx *ctx, const char *url, int workers);
/* Queues job; false when the queue is full (the caller answers 503). */
bool forwarder_submit(struct forwarder *f, struct forward_job *job);
const char *forwarder_url(const struct forwarder *f);
/* Finishes the jobs in hand, ends the queued ones with error "stopping"
 * (their done is called), joins the workers and frees f. */
void forwarder_stop(struct forwarder *f);
