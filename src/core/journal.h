/* SPDX-License-Identifier: MIT */
/*
 * The journal of a bulk command: what happened to each row of its input, so
 * that running the same command again after a crash, kill -9, Ctrl-C or a
 * network failure does only what is left, and never does a row twice.
 *
 * The file is JSON Lines, one event per line, appended and fdatasync'ed
 * before the row counts as done:
 *   {"row":17,"email":"a@example.com","state":"sent","inviteId":"iv-..."}
 * state is one of
 *   started  the request is about to go out (written before sending)
 *   sent     the server confirmed it; id is the created object
 *   failed   the server certainly did not act (a 4xx, 429/503 after retries,
 *            no connection); doing it again is safe
 *   unknown  the request may or may not have been carried out (timeout,
 *            dropped connection, 500, 504); look before doing it again
 * On loading, the last event of a row wins; a torn last line (a crash in
 * the middle of a write) and lines that are not events are ignored. A row
 * whose last event is "started" was in flight when the run died: unknown.
 */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

enum journal_state {
	JOURNAL_NONE,     /* nothing recorded */
	JOURNAL_STARTED,
	JOURNAL_SENT,
	JOURNAL_FAILED,
	JOURNAL_UNKNOWN,
};

struct journal_entry {
	enum journal_state state;
	char *email;      /* the row's address, to check the journal fits the input */
	char *id;         /* the created invite's id, when sent */
};

struct journal {
	char *path;
	int fd;                       /* -1 when loaded read-only */
	size_t n_rows;                /* rows are 1..n_rows */
	struct journal_entry *rows;   /* n_rows + 1 entries, [0] unused */
	size_t ignored_lines;         /* lines that were not events (torn, foreign) */
};

struct journal_event {
	size_t row;
	enum journal_state state;
	const char *email;
	const char *id;               /* may be NULL */
	const char *error;            /* may be NULL; kept in the file for people */
};

/* journal_open's answer for a file that is not a journal: it is left as it is. */
#define JOURNAL_ERR_FOREIGN (-EPROTO)

/* Loads path if it exists and, unless read_only, opens it for appending
 * (creating it with mode 0600, and missing parent directories) under an
 * exclusive lock: -EBUSY while another run holds it. Events for rows beyond
 * n_rows are ignored. Returns 0, JOURNAL_ERR_FOREIGN or -errno. */
int journal_open(const char *path, size_t n_rows, bool read_only, struct journal **out);
void journal_close(struct journal *j);

/* Appends the events as lines in one write, then fdatasync; updates the
 * in-memory state. Returns 0 or -errno (the state is not updated then). */
int journal_append(struct journal *j, const struct journal_event *events, size_t n);

const char *journal_state_name(enum journal_state s);
