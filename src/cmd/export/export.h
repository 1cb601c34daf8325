/* SPDX-License-Identifier: MIT */
/*
 * smile export: everything Smile holds about a user, copied into a
 * directory that a person can browse and a program can load.
 *
 *   DIR/manifest.json              every user and part: items, bytes, sha256;
 *                                  when, and from which API host (no credential)
 *   DIR/users/ID/user.json         the user, then its payload
 *   DIR/users/ID/payload.json
 *   DIR/users/ID/TYPE.jsonl        accounts, each user-data type, archives,
 *                                  uploads, invites: one item a line, all pages
 *   DIR/users/ID/archives/AID/...  the raw files of each archive (and of
 *   DIR/users/ID/uploads/UID/...   each upload), named as archives download does
 *   DIR/users/ID/complete.json     written last: the user's parts with their
 *                                  items, bytes and sha256
 *
 * Every file is written to a temporary file, hashed as it is written and
 * renamed into place; its fsync and its directory's are left to the
 * user's download_sync batch (cli/download.h), a thread that does them
 * while the other transfers go on, and complete.json is written only once
 * every one of them is done: durable before it counts.
 * A user is complete only when complete.json is there and every file it
 * names still has that size and sha256 on disk (as restic trusts only what
 * its index lists); a re-run skips complete users and redoes the others
 * whole, so a kill -9 never leaves a duplicate line behind. While a user is
 * redone, its last record waits as complete.previous.json: the raw files
 * it lists that still match are kept rather than fetched again, and
 * --since merges into the parts that still match it (by item id, so no
 * line is there twice), fetching only what the list's date filter returns
 * from that day on. A part that does not match is fetched whole.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/download.h"
#include "core/http/client.h"
#include "core/util.h"

/* What a run has written so far, for its progress line. */
struct export_tally {
	unsigned long long items, bytes;
	void (*tick)(void *ctx);  /* after each answer; may be NULL */
	void *ctx;
};

struct export_user {
	struct http_client *http;
	const char *dir;        /* DIR/users/ID */
	const char *user_id;
	const char *since;      /* --since: YYYY-MM-DD, or NULL */
	const char *invites;    /* the run's staging folder of invites (invites.c) */
	const char *exported_at;
	bool dry_run;           /* show the requests, write nothing */
	struct export_tally *tally;
	json_object *record;    /* {userId, exportedAt, parts: {...}, files: {...}} */
	json_object *parts, *files; /* in record */
	json_object *previous;  /* the record before this run's, or NULL (owned) */
	json_object *fetched;   /* URL -> rel of each raw file downloaded this run,
				 * so that an upload that is also an archive (same
				 * file URL) is linked, not downloaded twice */
	/* The fsyncs of the user's files and folders, done by a thread while
	 * the transfers go on and waited for before complete.json. */
	struct download_sync *sync;
};

/* Exports one user into u->dir (made if missing), its requests through
 * the client's concurrent interface: they run in http_run(), many users'
 * at once. done is called once, at the end, with 0 (complete.json is
 * written) or an exit status (logged; the user is left without
 * complete.json); u must live until then. */
typedef void (*export_done_fn)(void *ctx, struct export_user *u, int status);
void export_user_start(struct export_user *u, export_done_fn done, void *ctx);
/* Frees what export_user_start left in u. */
void export_user_release(struct export_user *u);

/* Whether dir holds a complete export: complete.json there, and every
 * file it names with its recorded size, sha256 and (JSON Lines) item
 * count. *record gets complete.json (owned) when it is. */
bool export_user_verify(const char *dir, json_object **record);

/* Calls fn for each line of a JSON Lines file of an export, parsed, one
 * line in memory at a time; stops at the first non-zero return. */
typedef int (*export_item_fn)(void *ctx, json_object *item);
int export_each_item(const char *path, export_item_fn fn, void *ctx);
/* The same, with the line as it is in the file (its newline included). */
typedef int (*export_line_fn)(void *ctx, json_object *item, const char *line, size_t len);
int export_each_line(const char *path, export_line_fn fn, void *ctx);

/* What merges tell items apart by: the id, else the whole item. */
const char *export_item_key(json_object *item);
/* --since: into out, the lines of old_path whose key is not in fetched,
 * then every line of fetched_path; *items counts them. 0 or an exit status. */
int export_merge_lines(const char *old_path, const struct strset *fetched, const char *fetched_path,
		       FILE *out, const char *out_path, long long *items);

/* Walks the invite list once into stage_dir, one USER_ID.jsonl of the
 * invites naming each user (the folder is made afresh). 0 or an exit
 * status; --dry-run shows the first request and writes nothing. */
int export_invites_stage(struct http_client *http, const char *stage_dir, bool dry_run);
/* fn for each invite staged for user_id (none: not called). */
int export_invites_each(const char *stage_dir, const char *user_id, export_line_fn fn, void *ctx);
void export_invites_unstage(const char *stage_dir);

/* What --revoke revoked. */
struct export_revoked {
	size_t users, accounts, archives;
};

/* --revoke: verifies dir again (export_user_verify) and only then revokes
 * the accounts and archives its JSON Lines files hold that were not
 * revoked when exported, adding to *counts. 0, or an exit status (logged):
 * a folder that does not verify revokes nothing. */
int export_user_revoke(struct http_client *http, const char *dir, const char *user_id,
		       struct export_revoked *counts);
/* Whether an earlier --revoke of dir finished (its revoked.json is there). */
bool export_user_revoked(const char *dir);
