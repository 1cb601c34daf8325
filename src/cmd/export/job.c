/* SPDX-License-Identifier: MIT */
/*
 * One user's export as requests of the HTTP core's concurrent interface:
 * its parts one after another (each list through page_walk_submit, each
 * page written to disk as it arrives), then the raw files of a part's
 * archives all at once through the download sink. Nothing here waits: each
 * answer's callback writes what came and submits what follows, so many
 * users' exports share one http_run(), its concurrency and its rate limit,
 * and memory holds a page per user in flight, never a whole list.
 */
#include "cmd/export/parts.h"
#include "core/json.h"

#include <curl/curl.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <unistd.h>

#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/archive_files.h"
#include "core/fs.h"

struct file_get {
	struct export_job *job;
	char *url, *path, *rel;
	struct download d;
	struct http_request req;
};

struct export_job {
	struct export_user *u;
	export_done_fn done;
	void *ctx;
	size_t part;              /* index in export_parts */
	bool merge;               /* --since merges into this part */
	struct list_sink sink;
	struct download fetched, merged;
	char *path;               /* the part's file */
	/* the part's request */
	char *api_path;
	char month[8];
	struct http_param params[2];
	struct http_request req;
	struct page_walk walk;
	/* the raw files of the part's items */
	struct file_get *files;
	size_t n_files, files_left;
	int files_status;
};

static void next_part(struct export_job *j);

static void tick(struct export_job *j)
{
	struct export_tally *t = j->u->tally;
	if (t && t->tick)
		t->tick(t->ctx);
}

static void finish(struct export_job *j, int status)
{
	struct export_user *u = j->u;
	export_done_fn done = j->done;
	void *ctx = j->ctx;

	status = export_user_end(u, status);
	free(j->path);
	free(j->api_path);
	free(j);
	done(ctx, u, status);
}

/* The part's file opened (or /dev/null, in a dry run): what is fetched goes there. */
static int open_part(struct export_job *j, const struct part *p)
{
	struct export_user *u = j->u;

	free(j->path);
	j->path = xasprintf("%s/%s", u->dir, p->file);
	j->sink = (struct list_sink){ .path = j->path };
	j->merge = !u->dry_run && export_part_merges(u, p);
	if (u->dry_run) {
		j->sink.out = fopen("/dev/null", "we");
		return j->sink.out ? 0 : log_status(SMILE_EXIT_FAILURE, "cannot open /dev/null: %s", strerror(errno));
	}
	int r = download_open(&j->fetched, j->path);
	if (r == 0)
		j->sink.out = j->fetched.sink;
	return r;
}

/* Ends the part's file: in place and recorded, or (status) thrown away. */
static int close_part(struct export_job *j, const struct part *p, int status)
{
	struct export_user *u = j->u;

	if (u->dry_run) {
		fclose(j->sink.out);
	} else if (status) {
		download_abort(&j->fetched);
	} else {
		j->merged = (struct download){ .fd = -1 };
		status = export_commit_part(u, &j->fetched, &j->merged, &j->sink, j->merge);
		if (status == 0) {
			const struct digest_hex *hex = j->merge ? &j->merged.hex : &j->fetched.hex;
			export_record_file(u->parts, p->file, hex, p->kind == PART_OBJECT ? 1 : j->sink.items);
			if (u->tally)
				u->tally->bytes += (unsigned long long)hex->bytes;
		}
	}
	if (u->tally && status == 0)
		u->tally->items += (unsigned long long)j->sink.items;
	strset_release(&j->sink.keys);
	return status;
}

/* ---- raw files ---- */

static void file_get_release(struct file_get *f)
{
	free(f->url);
	free(f->path);
	free(f->rel);
}

static void free_files(struct export_job *j)
{
	for (size_t i = 0; i < j->n_files; i++)
		file_get_release(&j->files[i]);
	free(j->files);
	j->files = NULL;
	j->n_files = 0;
}

static void files_done(struct export_job *j)
{
	free_files(j);
	if (j->files_status)
		return finish(j, j->files_status);
	j->part++;
	next_part(j);
}

static void remember_fetched(struct export_user *u, const char *url, const char *rel)
{
	if (!u->fetched)
		u->fetched = json_object_new_object();
	json_object_object_add(u->fetched, url, json_object_new_string(rel));
}

/* When this run downloaded url already (an upload that is one of the
 * user's archives too), path becomes a hard link to that file, recorded
 * as rel with the same size and hash: true. False: it is to be fetched. */
static bool link_fetched(struct export_user *u, const char *url, const char *path, const char *rel)
{
	json_object *src_rel, *entry;

	if (!u->fetched || !json_object_object_get_ex(u->fetched, url, &src_rel) ||
	    !json_object_object_get_ex(u->files, json_object_get_string(src_rel), &entry))
		return false;
	_cleanup_free_ char *src = xasprintf("%s/%s", u->dir, json_object_get_string(src_rel));
	if (unlink(path) < 0 && errno != ENOENT)
		return false;
	if (link(src, path) < 0)
		return false;
	download_sync_dir_of(u->sync, path);
	json_object_object_add(u->files, rel, json_object_get(entry));
	if (u->tally)
		u->tally->bytes += (unsigned long long)json_object_get_int64(json_object_object_get(entry, "bytes"));
	return true;
}

static void file_answer(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct file_get *f = ctx;
	struct export_job *j = f->job;
	int r = cli_exit_status(resp);
	(void)req;

	if (r) {
		http_report_error(resp);
		_cleanup_free_ char *name = url_last_segment(f->path);
		log_error("cannot download '%s'", name);
		download_abort(&f->d);
	} else {
		struct download_check check = { .replace = true };
		r = download_commit_later(&f->d, &check, j->u->sync);
		if (r == 0) {
			export_record_file(j->u->files, f->rel, &f->d.hex, -1);
			remember_fetched(j->u, f->url, f->rel);
			if (j->u->tally)
				j->u->tally->bytes += (unsigned long long)f->d.hex.bytes;
		}
	}
	if (r && !j->files_status)
		j->files_status = r;
	tick(j);
	if (--j->files_left == 0)
		files_done(j);
}

struct plan_ctx {
	struct export_job *j;
	const char *folder;
};

/* Plans the raw files of one item of the part (read back from disk). */
static int plan_item_files(void *ctx, json_object *item)
{
	struct plan_ctx *pc = ctx;
	struct export_job *j = pc->j;
	json_object *files;
	const char *item_id = json_string_member(item, "id");

	if (!json_object_object_get_ex(item, "rawFiles", &files) || !json_object_is_type(files, json_type_array) ||
	    json_object_array_length(files) == 0)
		return 0;
	if (!item_id || !download_name_is_safe(item_id))
		return log_status(SMILE_EXIT_FAILURE, "refusing to write the files of an item with an unsafe id");
	_cleanup_free_ char *dir = xasprintf("%s/%s/%s", j->u->dir, pc->folder, item_id);
	_cleanup_free_ char *probe = xasprintf("%s/x", dir);
	size_t n = json_object_array_length(files);
	struct planned_file *plan = xcalloc(n, sizeof(*plan));
	int r = mkdir_parents(probe, 0777);

	if (r < 0)
		r = log_status(SMILE_EXIT_FAILURE, "cannot make '%s': %s", dir, strerror(-r));
	else
		r = archive_plan_files(files, dir, PLAN_REPLACE, plan, n);
	for (size_t i = 0; i < n && r == 0; i++) {
		_cleanup_free_ char *rel = xasprintf("%s/%s/%s", pc->folder, item_id, plan[i].name);
		if (export_keep_previous_file(j->u, rel, j->u->files) ||
		    link_fetched(j->u, plan[i].url, plan[i].path, rel))
			continue;
		j->files = xrealloc(j->files, (j->n_files + 1) * sizeof(*j->files));
		j->files[j->n_files++] = (struct file_get){ .job = j, .url = xstrdup(plan[i].url),
							    .path = xstrdup(plan[i].path), .rel = xstrdup(rel) };
	}
	archive_plan_release(plan, n);
	return r;
}

/* Every raw file of the part's items, submitted at once. 0 or a status. */
static int submit_files(struct export_job *j, const struct part *p)
{
	struct plan_ctx pc = { j, p->files };
	int r = export_each_item(j->path, plan_item_files, &pc);

	for (size_t i = 0; i < j->n_files && r == 0; i++) {
		struct file_get *f = &j->files[i];
		if ((r = download_open(&f->d, f->path)))
			break;
		f->req = (struct http_request){ .method = "GET", .path = f->url, .sink = f->d.sink };
		j->files_left++;
	}
	if (r) {
		/* Nothing submitted yet: the opened files go. */
		for (size_t i = 0; i < j->files_left; i++)
			download_abort(&j->files[i].d);
		j->files_left = 0;
		return r;
	}
	if (j->n_files == 0)
		return 0;
	for (size_t i = 0; i < j->n_files; i++)
		http_submit(j->u->http, &j->files[i].req, file_answer, &j->files[i]);
	return 0;
}

/* ---- parts ---- */

static void part_done(struct export_job *j, int status)
{
	const struct part *p = &export_parts[j->part];

	status = close_part(j, p, status);
	tick(j);
	if (status)
		return finish(j, status);
	if (p->files && !j->u->dry_run) {
		status = submit_files(j, p);
		if (status == 0 && j->n_files > 0)
			return; /* file_answer goes on */
		free_files(j);
		if (status)
			return finish(j, status);
	}
	j->part++;
	next_part(j);
}

static void object_answer(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct export_job *j = ctx;
	int r = cli_exit_status(resp);
	(void)req;

	free(j->api_path);
	j->api_path = NULL;
	if (r)
		http_report_error(resp);
	else if (!resp->dry_run)
		r = export_sink_item(&j->sink, resp->data, NULL, 0);
	part_done(j, r);
}

/* One object: /users/ID or /users/ID/payload. */
static void submit_object(struct export_job *j, const struct part *p)
{
	char *id = curl_easy_escape(NULL, j->u->user_id, 0);

	j->api_path = xasprintf("/users/%s%s", id ? id : "", strchr(p->path + 1, '}') + 1);
	curl_free(id);
	j->req = (struct http_request){ .method = "GET", .path = j->api_path };
	http_submit(j->u->http, &j->req, object_answer, j);
}

static void list_end(void *ctx, struct page_walk *w, int status)
{
	/* The walk hands its end the ctx of its pages: the job's sink. */
	struct export_job *j = (struct export_job *)(void *)((char *)ctx - offsetof(struct export_job, sink));

	if (status && page_walk_error(w))
		log_error("%s", page_walk_error(w));
	page_walk_release(w);
	part_done(j, status);
}

/* A paged list, all pages (from the --since day on when it merges). */
static void submit_list(struct export_job *j, const struct part *p)
{
	struct export_user *u = j->u;
	bool dated = (j->merge || (u->dry_run && u->since)) && p->since_param;

	j->params[0] = (struct http_param){ "userId", u->user_id };
	j->params[1] = (struct http_param){ p->since_param, u->since };
	if (dated && strcmp(p->since_param, "startMonth") == 0) {
		snprintf(j->month, sizeof(j->month), "%.7s", u->since); /* YYYY-MM of the day */
		j->params[1].value = j->month;
	}
	struct page_walk_opts opts = {
		.http = u->http, .path = p->path, .params = j->params, .n_params = dated ? 2 : 1,
		.size = PAGE_SIZE_MAX, .all = true, .limit = -1, .on_end = list_end,
	};
	page_walk_init(&j->walk, &opts, export_sink_page, &j->sink);
	page_walk_submit(&j->walk);
}

static void next_part(struct export_job *j)
{
	if (j->part == export_n_parts)
		return finish(j, 0);
	const struct part *p = &export_parts[j->part];
	int r = open_part(j, p);

	if (r)
		return finish(j, r);
	switch (p->kind) {
	case PART_OBJECT:
		return submit_object(j, p);
	case PART_LIST:
		return submit_list(j, p);
	case PART_INVITES:
		return part_done(j, export_sink_invites(j->u, &j->sink));
	}
}

void export_user_start(struct export_user *u, export_done_fn done, void *ctx)
{
	struct export_job *j = xcalloc(1, sizeof(*j));
	int r;

	j->u = u;
	j->done = done;
	j->ctx = ctx;
	if ((r = export_user_begin(u)))
		return finish(j, r);
	next_part(j);
}

void export_user_release(struct export_user *u)
{
	json_object_put(u->record);
	json_object_put(u->previous);
	json_object_put(u->fetched);
	u->record = u->previous = u->fetched = NULL;
	u->parts = u->files = NULL;
}
