/* SPDX-License-Identifier: MIT */
/*
 * Files from the server onto disk, the one way: `archives download`,
 * `accounts export --download` and `smile export` all write through here.
 *
 *   - a name that comes from the server is checked before it is used: no
 *     separator, no leading dot (so not . or ..), no control character,
 *     so that it cannot leave the directory or hide itself;
 *   - the body streams into a temporary file in the target directory,
 *     hashed as it is written (core/digest.h), then flushed and fsynced;
 *   - a digest the server announced (an export's md5) is checked before
 *     the file is put in place: a mismatch leaves nothing behind;
 *   - then rename into place (never over an existing file unless asked)
 *     and fsync of the directory, so a file that is there is whole.
 *
 * Blocking: download_file(). Concurrent: download_open(), put d->sink in
 * the request and http_submit() it, then download_commit() from the
 * callback (or download_abort()).
 *
 * Many files that only count together (an export's user): commit each
 * with download_commit_later(), which renames it into place at once and
 * leaves its fsync and its directory's to a download_sync batch, done by a
 * thread of the batch while transfers go on; download_sync_wait() returns
 * when every file and directory of the batch is on disk. Until then the
 * files are there but not known durable: the caller counts none of them
 * (an export writes its complete.json only after the wait).
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "core/digest.h"
#include "core/http/client.h"

/* Whether a name from the server may be a file name in our directory. */
bool download_name_is_safe(const char *name);
/* The last path segment of a URL, without query or fragment (allocated). */
char *url_last_segment(const char *url);

/* dir exists and is a directory, or is made with its parents (mkdir -p).
 * 0, or an exit status (logged): 2 when it is something else. */
int download_dir_ready(const char *dir);

struct download {
	char *path;        /* where the file goes */
	char *tmp;         /* the temporary file beside it */
	FILE *sink;        /* the request's sink */
	int fd;
	struct digest digest;
	struct digest_hex hex; /* after download_commit: what was written */
};

struct download_check {
	bool replace;            /* may replace an existing file at path */
	const char *expect_md5;  /* hex, any case; NULL: not checked */
};

/* Creates the temporary file for path, hashed with SHA-256 only (a check's
 * expect_md5 is for download_file). 0, or an exit status (logged). */
int download_open(struct download *d, const char *path);
/* Ends a download whose request succeeded: flush, fsync, the check, the
 * rename and the directory's fsync. 0 or an exit status (logged; the
 * temporary file is gone). Releases d either way. */
int download_commit(struct download *d, const struct download_check *check);
/* Files (and their directories) to fsync together, off the caller's thread. */
struct download_sync;
struct download_sync *download_sync_new(void);
/* path's directory is fsynced by the batch (once, however many files). */
void download_sync_dir_of(struct download_sync *s, const char *path);
/* Waits until every file and directory of the batch is fsynced, and frees
 * it. 0, or an exit status (logged) when one of them could not be. */
int download_sync_wait(struct download_sync *s);

/* download_commit without the wait: the check, the rename, and d's file
 * and directory handed to s to fsync. 0 or an exit status as above. */
int download_commit_later(struct download *d, const struct download_check *check, struct download_sync *s);
/* Ends a download whose request failed: the temporary file is removed. */
void download_abort(struct download *d);

/* GET url into path as above. 0 or an exit status (logged). hex, when
 * not NULL, gets the digests and size of what was written. */
int download_file(struct http_client *http, const char *url, const char *path,
		  const struct download_check *check, struct digest_hex *hex);
