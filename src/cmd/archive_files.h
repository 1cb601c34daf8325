/* SPDX-License-Identifier: MIT */
/*
 * The raw files of an archive or an upload, as `archives download` names
 * them on disk; `smile export` names them the same way (archive_files.c).
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

/* The API's fileExtensionType for a file name (PDF, PNG, JPG, JPEG, by its
 * extension in any case), or NULL when it has none of them. */
const char *archive_file_type(const char *path);

struct planned_file {
	const char *url;   /* borrowed from the archive */
	char *name;
	char *path;        /* dir/name */
	long long bytes;
	bool written;
	bool kept;         /* PLAN_SKIP_EXISTING: already there, not fetched */
};

/* What to do with a file already at a planned path. */
enum plan_existing {
	PLAN_REFUSE,        /* stop before anything is written */
	PLAN_REPLACE,       /* --clobber: download it again over the old one */
	PLAN_SKIP_EXISTING, /* --skip-existing: keep it when its size is the archive's */
};

/*
 * Works out the name and path in dir of each of the n rawFiles: the name
 * the server gives (else the URL's last segment) with the extension of its
 * format, refused when it could leave dir, twice in the archive, or (without
 * PLAN_REPLACE) already there unless PLAN_SKIP_EXISTING finds it the size the
 * archive says (then it is marked kept). 0, or an exit status (logged) with
 * nothing written.
 * plan holds n zeroed entries; free it with archive_plan_release.
 */
int archive_plan_files(json_object *files, const char *dir, enum plan_existing existing,
		       struct planned_file *plan, size_t n);
void archive_plan_release(struct planned_file *plan, size_t n);
