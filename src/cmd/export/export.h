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
