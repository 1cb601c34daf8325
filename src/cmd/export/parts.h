/* SPDX-License-Identifier: MIT */
/*
 * Inside one user's export: what its parts are and how each is put on disk
 * (user.c), shared with the requests that fetch them (job.c).
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "cli/download.h"
#include "cmd/export/export.h"
#include "core/util.h"

enum part_kind {
	PART_OBJECT,   /* one object: /users/{id}... */
	PART_LIST,     /* a paged list filtered by userId */
	PART_INVITES,  /* the invites naming the user, from the run's walk */
};

struct part {
	const char *file;       /* under the user's folder */
	enum part_kind kind;
	const char *path;       /* the API operation; {id} is the user */
	/* The list's date filter that --since sets, as the spec names it;
	 * NULL when it has none (then all of it is fetched and merged). */
	const char *since_param;
	const char *files;      /* list items hold rawFiles, saved under this folder */
};

extern const struct part export_parts[];
extern const size_t export_n_parts;

/* Where the items of a part go: each item once (by export_item_key), as
 * one line, as compact as the API's (or the line as read, from a file). */
struct list_sink {
	FILE *out;
	const char *path;
	long long items;
	struct strset keys;
};

/* One item into the sink; line (len bytes) is written as it is when given. */
int export_sink_item(struct list_sink *s, json_object *item, const char *line, size_t len);
/* A page_fn (cli/pages.h) writing every item of a page into the sink (ctx). */
int export_sink_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp);
/* The invites staged for the user into the sink. */
int export_sink_invites(const struct export_user *u, struct list_sink *s);

/* Whether --since merges into the part rather than fetching it whole: it
 * is a list, there on disk and as the previous record says. */
bool export_part_merges(const struct export_user *u, const struct part *p);
/* Puts a fetched part in place (merged into the file there when merge),
 * through out when it merges, its fsync left to the user's batch. 0 or an
 * exit status (logged). */
int export_commit_part(struct export_user *u, struct download *fetched, struct download *out,
		       struct list_sink *sink, bool merge);
/* Adds a file's size, sha256 (and item count, >= 0) to a record. */
void export_record_file(json_object *where, const char *name, const struct digest_hex *hex, long long items);
/* A raw file the previous record lists and that is still whole on disk
 * is recorded again and kept: true, and it need not be fetched. */
bool export_keep_previous_file(struct export_user *u, const char *rel, json_object *files_record);

/* Before the first part: the folder, the record begun, the last record set
 * aside and read, a killed run's temporary files removed. 0 or a status. */
int export_user_begin(struct export_user *u);
/* After the last part (status 0) or a failure: complete.json written, or
 * an empty folder removed. Returns status, or the record's failure. */
int export_user_end(struct export_user *u, int status);
