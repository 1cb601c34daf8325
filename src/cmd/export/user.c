/* SPDX-License-Identifier: MIT */
/* One user's export: its parts, its files, its completion record. */
#include "cmd/export/export.h"
#include "core/json.h"

#include <curl/curl.h>
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

struct part {
	const char *file;     /* under the user's folder */
	const char *path;     /* the API operation; {id} is the user */
	bool list;            /* a paged list filtered by userId, else one object */
	const char *files;    /* list items hold rawFiles, saved under this folder */
};

static const struct part parts[] = {
	{ "user.json", "/users/{id}", false, NULL },
	{ "payload.json", "/users/{id}/payload", false, NULL },
	{ "accounts.jsonl", "/accounts", true, NULL },
	{ "identities.jsonl", "/identities", true, NULL },
	{ "employments.jsonl", "/employments", true, NULL },
	{ "incomes.jsonl", "/incomes", true, NULL },
	{ "transactions.jsonl", "/transactions", true, NULL },
	{ "ratings.jsonl", "/ratings", true, NULL },
	{ "documents.jsonl", "/documents", true, NULL },
	{ "contributions.jsonl", "/contributions", true, NULL },
	{ "liabilities.jsonl", "/liabilities", true, NULL },
	{ "eincomes.jsonl", "/eincomes", true, NULL },
	{ "insights.jsonl", "/insights", true, NULL },
	{ "links.jsonl", "/links", true, NULL },
	{ "archives.jsonl", "/archives", true, "archives" },
	{ "uploads.jsonl", "/uploads", true, "uploads" },
};

static char *join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void record_file(json_object *where, const char *name, const struct digest_hex *hex, long long items)
{
	json_object *f = json_object_new_object();

	if (items >= 0)
		json_object_object_add(f, "items", json_object_new_int64(items));
	json_object_object_add(f, "bytes", json_object_new_int64(hex->bytes));
	json_object_object_add(f, "sha256", json_object_new_string(hex->sha256));
	json_object_object_add(where, name, f);
}

/* One item as one line: plain JSON, as compact as the API's. */
static int write_item(FILE *out, json_object *item)
{
	const char *text = json_compact(item);
	return fputs(text, out) < 0 || fputc('\n', out) == EOF ? -1 : 0;
}

struct list_sink {
	FILE *out;
	const char *path;
	long long items;
};

static int write_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct list_sink *s = ctx;
	(void)resp;

	for (size_t i = 0; i < n_take; i++) {
		if (write_item(s->out, json_object_array_get_idx(items, i)) < 0)
			return log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", s->path, strerror(errno));
		s->items++;
	}
	return 0;
}

/* A paged list, all pages, into the open download d. */
static int fetch_list(struct export_user *u, const struct part *p, struct download *d, long long *items)
{
	struct http_param params[2] = { { "userId", u->user_id }, { "startDate", u->since } };
	struct list_sink sink = { .out = d->sink, .path = d->path };
	struct page_walk_opts opts = {
		.http = u->http,
		.path = p->path,
		.params = params,
		.n_params = u->since ? 2 : 1,
		.size = PAGE_SIZE_MAX,
		.all = true,
		.limit = -1,
	};
	struct page_walk w;

	page_walk_init(&w, &opts, write_page, &sink);
	int r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	*items = sink.items;
	return r;
}

/* One object (the user, its payload) into the open download d. */
static int fetch_object(struct export_user *u, const struct part *p, struct download *d)
{
	char *id = curl_easy_escape(NULL, u->user_id, 0);
	_cleanup_free_ char *path = xasprintf("/users/%s%s", id ? id : "", strchr(p->path + 1, '}') + 1);
	struct http_response resp = { 0 };
	struct http_request req = { .method = "GET", .path = path };
	int r;

	curl_free(id);
	r = cli_send(u->http, &req, &resp);
	if (r == 0 && !resp.dry_run && write_item(d->sink, resp.data) < 0)
		r = log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", d->path, strerror(errno));
	http_response_clear(&resp);
	return r;
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
		struct download_check check = { .replace = true };
		struct digest_hex hex;
		r = download_file(u->http, plan[i].url, plan[i].path, &check, &hex);
		if (r == 0) {
			_cleanup_free_ char *rel = xasprintf("%s/%s/%s", folder, item_id, plan[i].name);
			record_file(files_record, rel, &hex, -1);
		}
	}
	archive_plan_release(plan, n);
	return r;
}

int export_each_item(const char *path, export_item_fn fn, void *ctx)
{
	FILE *in = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	int r = 0;

	if (!in)
		return log_status(SMILE_EXIT_FAILURE, "cannot read '%s': %s", path, strerror(errno));
	while (r == 0 && getline(&line, &cap, in) > 0) {
		json_object *item = json_tokener_parse(line);
		r = item ? fn(ctx, item) : log_status(SMILE_EXIT_FAILURE, "'%s' holds a line that is not JSON", path);
		json_object_put(item);
	}
	free(line);
	fclose(in);
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
	struct download d = { .path = "/dev/null", .fd = -1, .sink = fopen("/dev/null", "we") };
	long long items;
	int r;

	if (!d.sink)
		return log_status(SMILE_EXIT_FAILURE, "cannot open /dev/null: %s", strerror(errno));
	r = p->list ? fetch_list(u, p, &d, &items) : fetch_object(u, p, &d);
	fclose(d.sink);
	return r;
}

static int export_part(struct export_user *u, const struct part *p, json_object *parts_record,
		       json_object *files_record)
{
	_cleanup_free_ char *path = join(u->dir, p->file);
	struct download d;
	long long items = 1;
	int r;

	if (u->dry_run)
		return dry_run_part(u, p);
	r = download_open(&d, path);

	if (r)
		return r;
	r = p->list ? fetch_list(u, p, &d, &items) : fetch_object(u, p, &d);
	if (r) {
		download_abort(&d);
		return r;
	}
	struct download_check check = { .replace = true };
	if ((r = download_commit(&d, &check)))
		return r;
	record_file(parts_record, p->file, &d.hex, items);
	return p->files ? fetch_files_of(u, p, path, files_record) : 0;
}

static int write_record(struct export_user *u)
{
	_cleanup_free_ char *path = join(u->dir, COMPLETE_FILE);
	const char *text = json_pretty(u->record);
	_cleanup_free_ char *line = xasprintf("%s\n", text);
	int r = write_file_atomic(path, line, strlen(line), 0644);

	return r ? log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", path, strerror(-r)) : 0;
}

int export_user_run(struct export_user *u, const char *exported_at)
{
	_cleanup_free_ char *probe = join(u->dir, "x");
	_cleanup_free_ char *complete = join(u->dir, COMPLETE_FILE);
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
	/* Incomplete from here until the new record is in place. */
	if (!u->dry_run && unlink(complete) < 0 && errno != ENOENT)
		return log_status(SMILE_EXIT_FAILURE, "cannot remove '%s': %s", complete, strerror(errno));
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
