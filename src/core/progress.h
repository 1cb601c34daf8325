/* SPDX-License-Identifier: MIT */
/*
 * The progress line of bulk commands on stderr:
 *   412 sent, 3 failed, 585 left, 19.9/s, eta 29s
 * or, for a job that writes data (export), with what it wrote so far:
 *   412 users done, 3 failed, 585 left, 52311 items, 18.2 MiB, 19.9/s, eta 29s
 * (with no total known: no "left" and no eta).
 * On a terminal it is redrawn in place with \r at most 10 times a second.
 * Elsewhere (a CI log, a pipe) it is printed as a line of its own,
 * "smile: progress: ...", at most every PROGRESS_LOG_INTERVAL seconds, the
 * first after that long: a short run shows the summary alone, a long one
 * shows that work is going on. Time is passed in so tests need no clock.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define PROGRESS_LOG_INTERVAL 5.0

struct progress {
	FILE *out;
	bool terminal;       /* redraw in place; else one line now and then */
	size_t total;        /* rows this run works on */
	bool total_unknown;  /* rows come as the run goes: no "left", no eta */
	const char *done;    /* what sent counts, e.g. "users done"; NULL: "sent" */
	bool volume;         /* show items and bytes */
	size_t sent, failed;
	unsigned long long items, bytes;
	double start;        /* when the work began */
	double last_draw;    /* < 0: never drawn */
	int width;           /* terminal columns; the line is cut to fit */
};

/* terminal: usually isatty(fileno(out)). */
void progress_init(struct progress *p, FILE *out, bool terminal, size_t total, double now);
/* Redraws when at least 0.1 s passed since the last drawing (or force); not
 * on a terminal, prints a line when PROGRESS_LOG_INTERVAL passed since the
 * last line (or the start), force or not. */
void progress_update(struct progress *p, double now, bool force);
/* Erases the line on a terminal, so the summary that follows starts on a
 * clean line. */
void progress_clear(struct progress *p);
/* The text of the line, without \r, into buf (always NUL-terminated). */
void progress_format(const struct progress *p, double now, char *buf, size_t size);
