/* SPDX-License-Identifier: MIT */
/* One user's export: its parts, its files, its completion record. */
#include "cmd/export/export.h"
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

static const struct part parts[] = {
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

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static bool file_matches(const char *dir, const char *name, json_object *want);

static void record_file(json_object *where, const char *name, const struct digest_hex *hex, long long items)
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

/* Where the items of a part go: each item once (by export_item_key), as
 * one line, as compact as the API's (or the line as read, from a file). */
struct list_sink {
	FILE *out;
	const char *path;
	long long items;
	struct strset keys;
};

static int sink_item(struct list_sink *s, json_object *item, const char *line, size_t len)
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

static int write_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	(void)resp;
	for (size_t i = 0; i < n_take; i++) {
		int r = sink_item(ctx, json_object_array_get_idx(items, i), NULL, 0);
		if (r)
			return r;
	}
	return 0;
}

/* A paged list, all pages (from the --since day on when filtered). */
static int fetch_list(struct export_user *u, const struct part *p, struct list_sink *sink, bool filtered)
{
	char month[8];
	struct http_param params[2] = { { "userId", u->user_id }, { p->since_param, u->since } };
	bool dated = filtered && p->since_param;
	struct page_walk_opts opts = {
		.http = u->http,
		.path = p->path,
		.params = params,
		.n_params = dated ? 2 : 1,
		.size = PAGE_SIZE_MAX,
		.all = true,
		.limit = -1,
	};
	struct page_walk w;

	if (dated && strcmp(p->since_param, "startMonth") == 0) {
		snprintf(month, sizeof(month), "%.7s", u->since); /* YYYY-MM of the day */
		params[1].value = month;
	}
	page_walk_init(&w, &opts, write_page, sink);
	int r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	return r;
}

/* One object (the user, its payload). */
static int fetch_object(struct export_user *u, const struct part *p, struct list_sink *sink)
{
	char *id = curl_easy_escape(NULL, u->user_id, 0);
	_cleanup_free_ char *path = xasprintf("/users/%s%s", id ? id : "", strchr(p->path + 1, '}') + 1);
	struct http_response resp = { 0 };
	struct http_request req = { .method = "GET", .path = path };
	int r;

	curl_free(id);
	r = cli_send(u->http, &req, &resp);
	if (r == 0 && !resp.dry_run)
		r = sink_item(sink, resp.data, NULL, 0);
	http_response_clear(&resp);
	return r;
}

static int invite_line(void *ctx, json_object *item, const char *line, size_t len)
{
	return sink_item(ctx, item, line, len);
}

static int fetch_part(struct export_user *u, const struct part *p, struct list_sink *sink, bool filtered)
{
	switch (p->kind) {
	case PART_OBJECT:
		return fetch_object(u, p, sink);
	case PART_LIST:
		return fetch_list(u, p, sink, filtered);
	case PART_INVITES:
		return u->invites ? export_invites_each(u->invites, u->user_id, invite_line, sink) : 0;
	}
	return SMILE_EXIT_FAILURE;
}

/* A raw file the previous record lists and that is still whole on disk is
 * kept as it is (recorded again) rather than fetched once more. */
static bool keep_previous_file(struct export_user *u, const char *rel, json_object *files_record)
{
	json_object *want = previous_match(u, "files", rel);

	if (want)
		json_object_object_add(files_record, rel, json_object_get(want));
	return want != NULL;
}

/* The raw files of one archive or upload into DIR/users/ID/FOLDER/ITEM_ID/. */
static int fetch_item_files(struct export_user *u, const char *folder, json_object *item, json_object *files_record)
{
	json_object *files, *idv;

	if (!json_object_object_get_ex(item, "rawFiles", &files) || !json_object_is_type(files, json_type_array) ||
	    json_object_array_length(files) == 0)
		return 0;
	if (!json_object_object_get_ex(item, "id", &idv) || !download_name_is_safe(json_object_get_string(idv)))
		return log_status(SMILE_EXIT_FAILURE, "refusing to write the files of an item with an unsafe id");
	const char *item_id = json_object_get_string(idv);
	_cleanup_free_ char *dir = xasprintf("%s/%s/%s", u->dir, folder, item_id);
	_cleanup_free_ char *probe = join(dir, "x");
	size_t n = json_object_array_length(files);
	struct planned_file *plan = xcalloc(n, sizeof(*plan));
	int r = mkdir_parents(probe, 0777);

	if (r < 0)
		r = log_status(SMILE_EXIT_FAILURE, "cannot make '%s': %s", dir, strerror(-r));
	else
		r = archive_plan_files(files, dir, true, plan, n);
	for (size_t i = 0; i < n && r == 0; i++) {
		_cleanup_free_ char *rel = xasprintf("%s/%s/%s", folder, item_id, plan[i].name);
		struct download_check check = { .replace = true };
		struct digest_hex hex;
		if (keep_previous_file(u, rel, files_record))
			continue;
		r = download_file(u->http, plan[i].url, plan[i].path, &check, &hex);
		if (r == 0)
			record_file(files_record, rel, &hex, -1);
	}
	archive_plan_release(plan, n);
	return r;
}

struct files_of {
	struct export_user *u;
	const char *folder;
	json_object *files_record;
};

static int fetch_files_of_item(void *ctx, json_object *item)
{
	struct files_of *f = ctx;
	return fetch_item_files(f->u, f->folder, item, f->files_record);
}

/* Reads back a JSON Lines part from disk and saves each item's files:
 * the items were streamed there, so memory holds one line at a time. */
static int fetch_files_of(struct export_user *u, const struct part *p, const char *path, json_object *files_record)
{
	struct files_of f = { u, p->files, files_record };
	return export_each_item(path, fetch_files_of_item, &f);
}

/* --dry-run: each part's first request is shown; nothing is written. */
static int dry_run_part(struct export_user *u, const struct part *p)
{
	struct list_sink sink = { .path = "/dev/null", .out = fopen("/dev/null", "we") };
	int r;

	if (!sink.out)
		return log_status(SMILE_EXIT_FAILURE, "cannot open /dev/null: %s", strerror(errno));
	r = fetch_part(u, p, &sink, u->since != NULL);
	fclose(sink.out);
	strset_release(&sink.keys);
	return r;
}

/* A part's file, from what was fetched into fetched: with --since, the
 * lines of the file already there whose item was not fetched again, then
 * what was (written through out); else what was fetched, as it is. */
static int commit_part(struct download *fetched, struct download *out, struct list_sink *sink, bool merge)
{
	struct download_check check = { .replace = true };
	int r;

	if (!merge)
		return download_commit(fetched, &check);
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
	return download_commit(out, &check);
}

static int export_part(struct export_user *u, const struct part *p, json_object *parts_record,
		       json_object *files_record)
{
	_cleanup_free_ char *path = join(u->dir, p->file);
	/* --since narrows only a part that is there and whole; any other is fetched whole. */
	bool merge = u->since && p->kind != PART_OBJECT && previous_match(u, "parts", p->file);
	struct list_sink sink = { .path = path };
	struct download fetched, merged = { .fd = -1 };
	int r;

	if (u->dry_run)
		return dry_run_part(u, p);
	if ((r = download_open(&fetched, path)))
		return r;
	sink.out = fetched.sink;
	r = fetch_part(u, p, &sink, merge);
	if (r)
		download_abort(&fetched);
	else
		r = commit_part(&fetched, &merged, &sink, merge);
	strset_release(&sink.keys);
	if (r)
		return r;
	record_file(parts_record, p->file, merge ? &merged.hex : &fetched.hex,
		    p->kind == PART_OBJECT ? 1 : sink.items);
	return p->files ? fetch_files_of(u, p, path, files_record) : 0;
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

int export_user_run(struct export_user *u, const char *exported_at)
{
	_cleanup_free_ char *probe = join(u->dir, "x");
	json_object *parts_record = json_object_new_object(), *files_record = json_object_new_object();
	int r = u->dry_run ? 0 : mkdir_parents(probe, 0777);

	u->record = json_object_new_object();
	json_object_object_add(u->record, "userId", json_object_new_string(u->user_id));
	json_object_object_add(u->record, "exportedAt", json_object_new_string(exported_at));
	if (u->since)
		json_object_object_add(u->record, "since", json_object_new_string(u->since));
	json_object_object_add(u->record, "parts", parts_record);
	json_object_object_add(u->record, "files", files_record);
	if (r < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot make '%s': %s", u->dir, strerror(-r));
	if (!u->dry_run && (r = set_record_aside(u)))
		return r;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]) && r == 0; i++)
		r = export_part(u, &parts[i], parts_record, files_record);
	if (r)
		rmdir(u->dir); /* an unknown user leaves no empty folder behind */
	return r || u->dry_run ? r : write_record(u);
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
	    json_object_object_length(json_object_object_get(r, "parts")) != sizeof(parts) / sizeof(parts[0])) {
		json_object_put(r);
		return false;
	}
	*record = r;
	return true;
}
