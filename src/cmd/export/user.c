/* SPDX-License-Identifier: MIT */
/* One user's export on disk: its parts, their records, its verification. */
#include "cmd/export/parts.h"
#include "core/json.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/download.h"
#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/archive_files.h"
#include "core/digest.h"
#include "core/fs.h"
#include "core/util.h"

#define COMPLETE_FILE "complete.json"
/* The record of the last complete export of the user while it is redone. */
#define PREVIOUS_FILE "complete.previous.json"

const struct part export_parts[] = {
	{ "user.json", PART_OBJECT, "/users/{id}", NULL, NULL },
	{ "payload.json", PART_OBJECT, "/users/{id}/payload", NULL, NULL },
	{ "accounts.jsonl", PART_LIST, "/accounts", "startDate", NULL },
	{ "identities.jsonl", PART_LIST, "/identities", NULL, NULL },
	{ "employments.jsonl", PART_LIST, "/employments", "startDate", NULL },
	{ "incomes.jsonl", PART_LIST, "/incomes", "startDate", NULL },
	{ "transactions.jsonl", PART_LIST, "/transactions", "startDate", NULL },
	{ "ratings.jsonl", PART_LIST, "/ratings", NULL, NULL },
	{ "documents.jsonl", PART_LIST, "/documents", NULL, NULL },
	{ "contributions.jsonl", PART_LIST, "/contributions", "startDate", NULL },
	{ "liabilities.jsonl", PART_LIST, "/liabilities", "startDate", NULL },
	{ "eincomes.jsonl", PART_LIST, "/eincomes", "startMonth", NULL },
	{ "insights.jsonl", PART_LIST, "/insights", NULL, NULL },
	{ "links.jsonl", PART_LIST, "/links", NULL, NULL },
	{ "archives.jsonl", PART_LIST, "/archives", "startDate", "archives" },
	{ "uploads.jsonl", PART_LIST, "/uploads", "startDate", "uploads" },
	{ "invites.jsonl", PART_INVITES, NULL, NULL, NULL },
};
const size_t export_n_parts = sizeof(export_parts) / sizeof(export_parts[0]);

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static bool file_matches(const char *dir, const char *name, json_object *want);

void export_record_file(json_object *where, const char *name, const struct digest_hex *hex, long long items)
{
	json_object *f = json_object_new_object();

	if (items >= 0)
		json_object_object_add(f, "items", json_object_new_int64(items));
	json_object_object_add(f, "bytes", json_object_new_int64(hex->bytes));
	json_object_object_add(f, "sha256", json_object_new_string(hex->sha256));
	json_object_object_add(where, name, f);
}

/* What the previous record says of a file (in "parts" or "files") when
 * the file on disk still matches it; NULL otherwise. */
static json_object *previous_match(const struct export_user *u, const char *key, const char *name)
{
	json_object *files, *want;

	if (!u->previous || !json_object_object_get_ex(u->previous, key, &files) ||
	    !json_object_object_get_ex(files, name, &want) || !file_matches(u->dir, name, want))
		return NULL;
	return want;
}

int export_sink_item(struct list_sink *s, json_object *item, const char *line, size_t len)
{
	if (!strset_add(&s->keys, export_item_key(item)))
		return 0; /* the same item again (a page that moved): one line */
	bool bad = line ? fwrite(line, 1, len, s->out) != len : fputs(json_compact(item), s->out) < 0;
	if (!bad && (!line || line[len - 1] != '\n'))
		bad = fputc('\n', s->out) == EOF;
	if (bad)
		return log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", s->path, strerror(errno));
	s->items++;
	return 0;
}

int export_sink_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	(void)resp;
	for (size_t i = 0; i < n_take; i++) {
		int r = export_sink_item(ctx, json_object_array_get_idx(items, i), NULL, 0);
		if (r)
			return r;
	}
	return 0;
}

static int invite_line(void *ctx, json_object *item, const char *line, size_t len)
{
	return export_sink_item(ctx, item, line, len);
}

int export_sink_invites(const struct export_user *u, struct list_sink *s)
{
	return u->invites ? export_invites_each(u->invites, u->user_id, invite_line, s) : 0;
}

bool export_part_merges(const struct export_user *u, const struct part *p)
{
	return u->since && p->kind != PART_OBJECT && previous_match(u, "parts", p->file);
}

/* A raw file the previous record lists and that is still whole on disk is
 * kept as it is (recorded again) rather than fetched once more. */
bool export_keep_previous_file(struct export_user *u, const char *rel, json_object *files_record)
{
	json_object *want = previous_match(u, "files", rel);

	if (want)
		json_object_object_add(files_record, rel, json_object_get(want));
	return want != NULL;
}

/* A part's file, from what was fetched into fetched: with --since, the
 * lines of the file already there whose item was not fetched again, then
 * what was (written through out); else what was fetched, as it is. */
int export_commit_part(struct export_user *u, struct download *fetched, struct download *out,
		       struct list_sink *sink, bool merge)
{
	struct download_check check = { .replace = true };
	int r;

	if (!merge)
		return download_commit_later(fetched, &check, u->sync);
	if (fflush(fetched->sink) != 0)
		r = log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", fetched->tmp, strerror(errno));
	else if ((r = download_open(out, fetched->path)) == 0)
		r = export_merge_lines(fetched->path, &sink->keys, fetched->tmp, out->sink, out->path, &sink->items);
	download_abort(fetched);
	if (r) {
		if (out->path)
			download_abort(out);
		return r;
	}
	return download_commit_later(out, &check, u->sync);
}

static int write_record(struct export_user *u)
{
	_cleanup_free_ char *path = join(u->dir, COMPLETE_FILE);
	_cleanup_free_ char *previous = join(u->dir, PREVIOUS_FILE);
	const char *text = json_pretty(u->record);
	_cleanup_free_ char *line = xasprintf("%s\n", text);
	int r = write_file_atomic(path, line, strlen(line), 0644);

	if (r)
		return log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", path, strerror(-r));
	(void)unlink(previous);
	return 0;
}

/* The temporary files a killed run left in dir and the folders below it
 * (the raw files of archives/ID/ and uploads/ID/). */
static void remove_temporaries(const char *dir, int depth)
{
	DIR *dh = opendir(dir);
	struct dirent *e;

	if (!dh)
		return;
	while ((e = readdir(dh))) {
		if (str_starts_with(e->d_name, ".smile-download-")) {
			(void)unlinkat(dirfd(dh), e->d_name, 0);
		} else if (depth > 0 && e->d_name[0] != '.' && e->d_type == DT_DIR) {
			_cleanup_free_ char *sub = join(dir, e->d_name);
			remove_temporaries(sub, depth - 1);
		}
	}
	closedir(dh);
}

/* The user is incomplete from here until its new record is in place: the
 * last record moves aside (kept when a killed run moved it already) and
 * is read, to keep what still matches it. */
static int set_record_aside(struct export_user *u)
{
	_cleanup_free_ char *complete = join(u->dir, COMPLETE_FILE);
	_cleanup_free_ char *previous = join(u->dir, PREVIOUS_FILE);

	if (rename(complete, previous) < 0 && errno != ENOENT)
		return log_status(SMILE_EXIT_FAILURE, "cannot rename '%s': %s", complete, strerror(errno));
	if (access(previous, F_OK) == 0)
		u->previous = json_object_from_file(previous);
	remove_temporaries(u->dir, 2);
	return 0;
}

int export_user_begin(struct export_user *u)
{
	_cleanup_free_ char *probe = join(u->dir, "x");
	int r = u->dry_run ? 0 : mkdir_parents(probe, 0777);

	u->parts = json_object_new_object();
	u->files = json_object_new_object();
	u->record = json_object_new_object();
	json_object_object_add(u->record, "userId", json_object_new_string(u->user_id));
	json_object_object_add(u->record, "exportedAt", json_object_new_string(u->exported_at));
	if (u->since)
		json_object_object_add(u->record, "since", json_object_new_string(u->since));
	json_object_object_add(u->record, "parts", u->parts);
	json_object_object_add(u->record, "files", u->files);
	if (r < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot make '%s': %s", u->dir, strerror(-r));
	if (u->dry_run)
		return 0;
	u->sync = download_sync_new();
	return set_record_aside(u);
}

int export_user_end(struct export_user *u, int status)
{
	if (u->sync) {
		/* Every file of the user on disk before the record says so. */
		int synced = download_sync_wait(u->sync);
		u->sync = NULL;
		if (!status)
			status = synced;
	}
	if (status) {
		rmdir(u->dir); /* an unknown user leaves no empty folder behind */
		return status;
	}
	return u->dry_run ? 0 : write_record(u);
}

/* Whether the file has the size and sha256 (and line count) recorded. */
static bool file_matches(const char *dir, const char *name, json_object *want)
{
	_cleanup_free_ char *path = join(dir, name);
	struct digest_hex hex;
	json_object *v;

	if (strstr(name, "..") || name[0] == '/' || digest_file(path, &hex) < 0)
		return false;
	if (!json_object_object_get_ex(want, "bytes", &v) || json_object_get_int64(v) != hex.bytes ||
	    !json_object_object_get_ex(want, "sha256", &v) || strcmp(json_object_get_string(v), hex.sha256))
		return false;
	if (!json_object_object_get_ex(want, "items", &v) || !str_ends_with(name, ".jsonl"))
		return true;
	FILE *in = fopen(path, "re");
	long long lines = 0;
	int c;
	if (!in)
		return false;
	while ((c = getc(in)) != EOF)
		lines += c == '\n';
	fclose(in);
	return lines == json_object_get_int64(v);
}

static bool all_match(const char *dir, json_object *record, const char *key)
{
	json_object *files;

	if (!json_object_object_get_ex(record, key, &files) || !json_object_is_type(files, json_type_object))
		return false;
	json_object_object_foreach(files, name, want)
		if (!file_matches(dir, name, want))
			return false;
	return true;
}

bool export_user_verify(const char *dir, json_object **record)
{
	_cleanup_free_ char *path = join(dir, COMPLETE_FILE);
	json_object *r = json_object_from_file(path);

	if (!r || !all_match(dir, r, "parts") || !all_match(dir, r, "files") ||
	    json_object_object_length(json_object_object_get(r, "parts")) != export_n_parts) {
		json_object_put(r);
		return false;
	}
	*record = r;
	return true;
}
