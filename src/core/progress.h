/* SPDX-License-Identifier: MIT */
/*
 * The progress line of bulk commands on stderr, redrawn in place with \r:
 *   412 sent, 3 failed, 585 left, 19.9/s, eta 29s
 * at most 10 times a second, and only when stderr is a terminal: logs and
 * pipes get the summary line alone. Time is passed in so tests need no clock.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct progress {
	FILE *out;
	bool enabled;
	size_t total;        /* rows this run works on */
	size_t sent, failed;
	double start;        /* when the work began */
	double last_draw;    /* < 0: never drawn */
	int width;           /* terminal columns; the line is cut to fit */
};

/* enabled: usually isatty(fileno(out)). */
void progress_init(struct progress *p, FILE *out, bool enabled, size_t total, double now);
/* Redraws when at least 0.1 s passed since the last drawing (or force). */
void progress_update(struct progress *p, double now, bool force);
/* Erases the line, so the summary that follows starts on a clean line. */
void progress_clear(struct progress *p);
/* The text of the line, without \r, into buf (always NUL-terminated). */
void progress_format(const struct progress *p, double now, char *buf, size_t size);
