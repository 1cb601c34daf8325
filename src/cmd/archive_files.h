/* SPDX-License-Identifier: MIT */
/*
 * The raw files of an archive or an upload, as `archives download` names
 * them on disk; `smile export` names them the same way (src/cmd/archives.c).
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct planned_file {
	const char *url;   /* borrowed from the archive */
	char *name;
	char *path;        /* dir/name */
	long long bytes;
	bool written;
};

/*
 * Works out the name and path in dir of each of the n rawFiles: the name
 * the server gives (else the URL's last segment) with the extension of its
 * format, refused when it could leave dir, twice in the archive, or (without
 * clobber) already there. 0, or an exit status (logged) with nothing written.
 * plan holds n zeroed entries; free it with archive_plan_release.
 */
int archive_plan_files(json_object *files, const char *dir, bool clobber,
		       struct planned_file *plan, size_t n);
void archive_plan_release(struct planned_file *plan, size_t n);
