/* SPDX-License-Identifier: MIT */
/*
 * The journal of invitations: what happened to each (email, invite
 * template) pair a tenant was sent, so that no one is invited twice
 * whatever file, URL or command sends it, and a run that dies (crash,
 * kill -9, Ctrl-C, network loss) can be repeated to do only what is left.
 *
 * The file is JSON Lines, one event per line, appended and fdatasync'ed
 * before the event counts:
 *   {"email":"a@example.com","templateId":"ivt-1","state":"sent","inviteId":"iv-..."}
 * state is one of
 *   started  the request is about to go out (written before sending)
 *   sent     the server confirmed it; inviteId is the created invite
 *   failed   the server certainly did not act (a 4xx, 429/503 after retries,
 *            no connection); doing it again is safe
 *   unknown  the request may or may not have been carried out (timeout,
 *            dropped connection, 500, 504); look before doing it again
 * The key is the e-mail, lowercased, and the template id (invite_key()).
 * On loading, the last event of a key wins; "started" as the last event
 * means the run died with the request in flight (unknown). A torn last line
 * is cut off; lines that are not events are counted and ignored.
 *
 * The previous format keyed events by input row ({"row":17,"email":...},
 * no templateId); such lines are kept by row (journal_legacy_row()) for the
 * caller, which knows the input, to map them to keys.
 *
 * One writer at a time: journal_open() takes an exclusive lock on
 * PATH.lock (not on the journal itself, which compaction replaces), so two
 * runs on one machine cannot send the same rows. When most lines are
 * superseded events, opening rewrites the file with one line per key,
 * the e-mail lowercased (atomically: temporary file, fsync, rename).
 */
#pragma once

#include "core/invite_key.h"

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
	char *key;                /* invite_key(email, templateId); NULL: free slot */
	enum journal_state state;
	char *id;                 /* the invite's id, when sent */
};

/* An event of the previous, per-row format. */
struct journal_legacy_row {
	size_t row;
	size_t seq;               /* where in the file: the last event of a row wins */
	enum journal_state state;
	char *email;
	char *id;
};

struct journal {
	char *path;
	int fd;                   /* -1 when loaded read-only */
	int lock_fd;
	struct journal_entry *slots;
	size_t cap, n;            /* open addressing, cap a power of two */
	struct journal_legacy_row *legacy; /* sorted by row, one per row, after loading */
	size_t n_legacy, legacy_cap;
	size_t n_lines;           /* events read or written: compaction's measure */
	size_t ignored_lines;     /* lines that were not events (torn, foreign) */
	bool compacted;           /* opening rewrote the file */
};

struct journal_event {
	const char *email;
	const char *template_id;
	enum journal_state state;
	const char *id;           /* may be NULL */
	const char *error;        /* may be NULL; kept in the file for people */
};

/* journal_open's answer for a file that is not a journal: it is left as it is. */
#define JOURNAL_ERR_FOREIGN (-EPROTO)

/* invite_key(), the key of an invitation, is core/invite_key.h's. */

/* Loads path if it exists and, unless read_only, opens it for appending
 * (creating it with mode 0600, and missing parent directories) under an
 * exclusive lock: -EBUSY while another run holds it. Returns 0,
 * JOURNAL_ERR_FOREIGN or -errno. */
int journal_open(const char *path, bool read_only, struct journal **out);
void journal_close(struct journal *j);

/* The entry of (email, template_id), or NULL when none was recorded. */
const struct journal_entry *journal_find(const struct journal *j, const char *email, const char *template_id);
/* The previous format's event for input row `row` (1-based), or NULL. */
const struct journal_legacy_row *journal_legacy_row(const struct journal *j, size_t row);

/* Appends the events as lines in one write, then fdatasync; updates the
 * in-memory state. Returns 0 or -errno (the state is not updated then):
 * -EILSEQ, and nothing written, when a string is not valid UTF-8. */
int journal_append(struct journal *j, const struct journal_event *events, size_t n);

const char *journal_state_name(enum journal_state s);
