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
 *                                  uploads: one item a line, all pages
 *   DIR/users/ID/archives/AID/...  the raw files of each archive (and of
 *   DIR/users/ID/uploads/UID/...   each upload), named as archives download does
 *   DIR/users/ID/complete.json     written last: the user's parts with their
 *                                  items, bytes and sha256
 *
 * Every file is written to a temporary file, hashed as it is written,
 * fsynced, renamed into place and its directory fsynced (cli/download.h).
 * A user is complete only when complete.json is there and every file it
 * names still has that size and sha256 on disk (as restic trusts only what
 * its index lists); a re-run skips complete users and redoes the others
 * whole, so a kill -9 never leaves a duplicate line behind.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>

#include "core/http/client.h"

struct export_user {
	struct http_client *http;
	const char *dir;        /* DIR/users/ID */
	const char *user_id;
	const char *since;      /* startDate filter, or NULL */
	bool dry_run;           /* show the requests, write nothing */
	json_object *record;    /* {userId, exportedAt, parts: {...}, files: {...}} */
};

/* Exports one user into u->dir (made if missing) and writes its
 * complete.json. 0, or an exit status (logged): the user is then left
 * without complete.json. */
int export_user_run(struct export_user *u, const char *exported_at);

/* Whether dir holds a complete export: complete.json there, and every
 * file it names with its recorded size, sha256 and (JSON Lines) item
 * count. *record gets complete.json (owned) when it is. */
bool export_user_verify(const char *dir, json_object **record);

/* Calls fn for each line of a JSON Lines file of an export, parsed, one
 * line in memory at a time; stops at the first non-zero return. */
typedef int (*export_item_fn)(void *ctx, json_object *item);
int export_each_item(const char *path, export_item_fn fn, void *ctx);

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
