/* SPDX-License-Identifier: MIT */
/*
 * The invites of an export. The invite list has no userId filter (the
 * spec's list-invites takes size and cursor only), so the run walks it
 * once, before any user, and splits it by each invite's userId into a
 * staging folder, DIR/.smile-invites/USER_ID.jsonl: memory holds one page,
 * however many invites there are. A user's invites.jsonl is then copied
 * from its staged file like any other part. The staging folder is made
 * afresh by each run and removed at its end.
 */
#include "cmd/export/export.h"
#include "core/json.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/download.h"
#include "cli/pages.h"
#include "cli/status.h"
#include "core/util.h"

struct stage {
	const char *dir;
	size_t invites;
};

/* One invite onto the end of its user's staged file: opened and closed
 * each time, so a run over many users holds no file open. */
static int stage_invite(struct stage *s, json_object *invite)
{
	const char *user_id = json_string_member(invite, "userId");

	if (!user_id || !download_name_is_safe(user_id))
		return 0; /* names no user this export could have a folder for */
	_cleanup_free_ char *path = xasprintf("%s/%s.jsonl", s->dir, user_id);
	FILE *out = fopen(path, "ae");
	int bad = !out || fputs(json_compact(invite), out) < 0 || fputc('\n', out) == EOF;

	if (out && fclose(out) != 0)
		bad = 1;
	if (bad)
		return log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", path, strerror(errno));
	s->invites++;
	return 0;
}

static int stage_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	(void)resp;
	for (size_t i = 0; i < n_take; i++) {
		int r = stage_invite(ctx, json_object_array_get_idx(items, i));
		if (r)
			return r;
	}
	return 0;
}

void export_invites_unstage(const char *stage_dir)
{
	DIR *dh = opendir(stage_dir);
	struct dirent *e;

	if (!dh)
		return;
	while ((e = readdir(dh)))
		if (e->d_name[0] != '.')
			(void)unlinkat(dirfd(dh), e->d_name, 0);
	closedir(dh);
	(void)rmdir(stage_dir);
}

int export_invites_stage(struct http_client *http, const char *stage_dir, bool dry_run)
{
	struct stage s = { .dir = stage_dir };
	struct page_walk_opts opts = { .http = http, .path = "/invites", .size = PAGE_SIZE_MAX,
				       .all = true, .limit = -1 };
	struct page_walk w;

	if (!dry_run) {
		export_invites_unstage(stage_dir); /* what a killed run left */
		if (mkdir(stage_dir, 0700) < 0)
			return log_status(SMILE_EXIT_FAILURE, "cannot make '%s': %s", stage_dir, strerror(errno));
	}
	page_walk_init(&w, &opts, stage_page, &s);
	int r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	return r;
}

int export_invites_each(const char *stage_dir, const char *user_id, export_line_fn fn, void *ctx)
{
	_cleanup_free_ char *path = xasprintf("%s/%s.jsonl", stage_dir, user_id);

	if (access(path, F_OK) < 0 && errno == ENOENT)
		return 0; /* no invite names this user */
	return export_each_line(path, fn, ctx);
}
