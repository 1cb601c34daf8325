/* SPDX-License-Identifier: MIT */
/*
 * export --revoke: what a user's verified export holds is revoked at
 * Smile, and only that: the accounts of accounts.jsonl and the archives of
 * archives.jsonl and uploads.jsonl, read back from disk once the folder has
 * been verified against its record (complete.json, the user's entry in
 * manifest.json). What the export saw already revoked is left alone, and
 * each id is revoked once; revoked.json, written when all is done, lists
 * them, so a re-run of the same export revokes nothing twice.
 */
#include "cmd/export/export.h"
#include "core/json.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/status.h"
#include "core/fs.h"
#include "core/util.h"

#define REVOKED_FILE "revoked.json"

struct revoke_run {
	struct http_client *http;
	struct export_revoked *counts;
	json_object *done;      /* archive ids revoked (archives and uploads share them) */
	json_object *accounts;  /* for revoked.json */
	json_object *archives;
};

/* DELETE path/ID. An item already gone (404: expired, revoked by someone
 * else) is what revoking wants, so it counts as revoked. */
static int revoke_one(struct revoke_run *rr, const char *collection, const char *id)
{
	char *escaped = curl_easy_escape(NULL, id, 0);
	_cleanup_free_ char *path = xasprintf("/%s/%s", collection, escaped ? escaped : "");
	struct http_request req = { .method = "DELETE", .path = path };
	struct http_response resp = { 0 };
	int r = 0;

	curl_free(escaped);
	if (http_send(rr->http, &req, &resp) != HTTP_OK && resp.status != 404) {
		http_report_error(&resp);
		r = cli_exit_status(&resp);
	}
	http_response_clear(&resp);
	return r;
}

/* Whether the exported item still holds something to revoke. */
static bool is_revoked(json_object *item, bool account)
{
	json_object *status = json_get_path(item, account ? "connectionStatus" : "state.status");
	const char *s = status ? json_object_get_string(status) : "";

	return strcmp(s, account ? "DISCONNECTED" : "REVOKED") == 0;
}

static int revoke_item(struct revoke_run *rr, json_object *item, bool account)
{
	const char *id = json_string_member(item, "id");
	int r;

	if (!id || is_revoked(item, account))
		return 0;
	if (!account && json_object_object_get_ex(rr->done, id, NULL))
		return 0;
	if ((r = revoke_one(rr, account ? "accounts" : "archives", id)))
		return r;
	if (account) {
		rr->counts->accounts++;
	} else {
		json_object_object_add(rr->done, id, NULL);
		rr->counts->archives++;
	}
	json_object_array_add(account ? rr->accounts : rr->archives, json_object_new_string(id));
	return 0;
}

struct revoke_part {
	struct revoke_run *rr;
	bool account;
};

static int revoke_line(void *ctx, json_object *item)
{
	struct revoke_part *p = ctx;
	return revoke_item(p->rr, item, p->account);
}

/* Every item of one JSON Lines part of the folder, a line at a time. */
static int revoke_part(struct revoke_run *rr, const char *dir, const char *file, bool account)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, file);
	struct revoke_part p = { rr, account };
	return export_each_item(path, revoke_line, &p);
}

static int write_revoked(struct revoke_run *rr, const char *path)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "accounts", json_object_get(rr->accounts));
	json_object_object_add(o, "archives", json_object_get(rr->archives));
	_cleanup_free_ char *text = xasprintf("%s\n", json_pretty(o));
	int r = write_file_atomic(path, text, strlen(text), 0644);
	json_object_put(o);
	return r ? log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", path, strerror(-r)) : 0;
}

bool export_user_revoked(const char *dir)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, REVOKED_FILE);
	return access(path, F_OK) == 0;
}

int export_user_revoke(struct http_client *http, const char *dir, const char *user_id,
		       struct export_revoked *counts)
{
	_cleanup_free_ char *path = xasprintf("%s/%s", dir, REVOKED_FILE);
	json_object *record = NULL;
	struct revoke_run rr = { .http = http, .counts = counts, .done = json_object_new_object(),
				 .accounts = json_object_new_array(), .archives = json_object_new_array() };
	int r;

	if (!export_user_verify(dir, &record))
		r = log_status(SMILE_EXIT_FAILURE, "not revoking user %s: its export does not verify", user_id);
	else if (!(r = revoke_part(&rr, dir, "accounts.jsonl", true)) &&
		 !(r = revoke_part(&rr, dir, "archives.jsonl", false)) &&
		 !(r = revoke_part(&rr, dir, "uploads.jsonl", false)))
		r = write_revoked(&rr, path);
	json_object_put(record);
	json_object_put(rr.done);
	json_object_put(rr.accounts);
	json_object_put(rr.archives);
	return r;
}
