/* SPDX-License-Identifier: MIT */
/*
 * smile webhooks listen: listen.c is the command (the temporary webhook,
 * the run and its end); receiver.c the local server that takes each
 * delivery, checks it, prints it and records it.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/output/output.h"

struct MHD_Daemon;
struct forwarder;

struct listener {
	/* What is checked. */
	const char *secret;         /* NULL with --skip-verify */
	/* What is printed and kept. */
	bool quiet;
	struct output *ndjson;      /* -o ndjson: each event whole, else NULL */
	FILE *record;               /* --record, or NULL */
	pthread_mutex_t print_lock; /* one line at a time on stdout */
	struct forwarder *fwd;      /* --forward-to, or NULL */
	/* When the run ends. */
	long count;                 /* after this many events; 0: never */
	long events;                /* accepted so far */
	bool woken;
	int wake_fd;                /* written to when the run should end */
};

/* Serves deliveries on host:port; NULL on failure (message printed). */
struct MHD_Daemon *receiver_start(struct listener *l, const char *host, unsigned port, unsigned *bound);

/* A line for the user: "HH:MM:SS  " then the text, under the print lock,
 * on stdout (stderr with -o ndjson, which keeps stdout for events). */
void listener_say(struct listener *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
