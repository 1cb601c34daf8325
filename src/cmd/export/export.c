/* SPDX-License-Identifier: MIT */
/* smile export: the command, its users, the manifest (see export.h). */
#include "cmd/export/export.h"
#include "core/json.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/download.h"
#include "cli/interrupt.h"
#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/opts.h"
#include "core/progress.h"
#include "core/util.h"

/* The users exported at once by default: enough to hide each request's
 * round trip, few enough for Smile's rate limit to stay the bound. */
#define DEFAULT_CONCURRENCY 8
/* Users read (from a list page, the command line, stdin) before they are
 * exported: memory holds this many ids, however many users there are. */
#define USER_BATCH 1000

struct export_run {
	struct cmd_ctx *ctx;
	struct http_client *http;
	const char *dir;
	const char *since;          /* --since DATE, or NULL */
	char *invites;              /* the staging folder of the run's invite walk */
	bool invites_staged;        /* walked, once, when the first user needed it */
	bool revoke;
	char exported_at[32];
	size_t done, skipped, failed, not_revoked;
	struct export_revoked revoked;
	int last_failure;
	int concurrency;
	int fatal;                  /* ends the run: interrupted, the invites not staged */
	struct {
		char **ids;
		size_t n, cap;
	} batch;                    /* users to export next */
	size_t next, active;        /* in the batch: the next to start; under way */
	bool filling;
	struct export_tally tally;
	struct progress progress;
	struct strbuf failed_ids;   /* one a line, printed at the end */
};

/* The API host of the profile, for the manifest: scheme, host and port
 * only, so that no user:password in a URL can end up there. */
static char *api_host(const char *base_url)
{
	const char *p = strstr(base_url, "://");
	const char *host = p ? p + 3 : base_url;
	size_t end = strcspn(host, "/?#");
	const char *at = memchr(host, '@', end);

	if (at) {
		end -= (size_t)(at + 1 - host);
		host = at + 1;
	}
	return xstrndup(host, end);
}

static void note_failure(struct export_run *x, const char *user_id, int status)
{
	x->failed++;
	x->last_failure = status;
	if (x->revoke)
		x->not_revoked++;
	strbuf_addf(&x->failed_ids, "%s\n", user_id);
}

/* --revoke, once the user's export is complete: a revoke that fails makes
 * the user a failed one (its id printed, to be run again). */
static int revoke_user(struct export_run *x, const char *dir, const char *user_id)
{
	if (export_user_revoked(dir)) {
		x->revoked.users++;
		return 0;
	}
	int r = export_user_revoke(x->http, dir, user_id, &x->revoked);

	if (r == SMILE_EXIT_INTERRUPTED)
		return r;
	if (r) {
		x->failed++;
		x->last_failure = r;
		strbuf_addf(&x->failed_ids, "%s\n", user_id);
	} else {
		x->revoked.users++;
	}
	return 0;
}

/* One user being exported: what its job needs to live until its end. */
struct user_slot {
	struct export_run *x;
	char *id;
	char *dir;
	struct export_user u;
};

static void draw_progress(void *ctx)
{
	struct export_run *x = ctx;

	x->progress.sent = x->done + x->skipped;
	x->progress.failed = x->failed;
	x->progress.items = x->tally.items;
	x->progress.bytes = x->tally.bytes;
	progress_update(&x->progress, now_monotonic(), false);
}

static void fill(struct export_run *x);

static void user_done(void *ctx, struct export_user *u, int status)
{
	struct user_slot *s = ctx;
	struct export_run *x = s->x;

	x->active--;
	export_user_release(u);
	if (status == SMILE_EXIT_INTERRUPTED)
		x->fatal = status;
	else if (status)
		note_failure(x, s->id, status);
	else if ((x->done++, x->revoke && !x->ctx->g->dry_run))
		x->fatal = revoke_user(x, s->dir, s->id);
	free(s->id);
	free(s->dir);
	free(s);
	draw_progress(x);
	fill(x);
}

/* Starts one user's export, or settles it at once: an id that cannot be
 * a folder, a user already complete (then --revoke, from disk). */
static void begin_user(struct export_run *x, const char *user_id)
{
	if (!download_name_is_safe(user_id)) {
		log_error("refusing user id '%s': not usable as a folder name", user_id);
		note_failure(x, user_id, SMILE_EXIT_USAGE);
		return;
	}
	_cleanup_free_ char *dir = xasprintf("%s/users/%s", x->dir, user_id);
	json_object *record = NULL;
	bool dry_run = x->ctx->g->dry_run;

	/* --since adds to a complete user; without, a complete user is done. */
	if (!x->since && export_user_verify(dir, &record)) {
		json_object_put(record);
		x->skipped++;
		if (x->revoke && !dry_run)
			x->fatal = revoke_user(x, dir, user_id);
		return;
	}
	if (!x->invites_staged) {
		x->invites_staged = true;
		int r = export_invites_stage(x->http, x->invites, dry_run);
		if (r) {
			x->fatal = r; /* no user can be complete without its invites */
			return;
		}
	}
	struct user_slot *s = xcalloc(1, sizeof(*s));
	s->x = x;
	s->id = xstrdup(user_id);
	s->dir = xstrdup(dir);
	s->u = (struct export_user){ .http = x->http, .dir = s->dir, .user_id = s->id, .since = x->since,
				     .invites = x->invites, .exported_at = x->exported_at, .dry_run = dry_run,
				     .tally = &x->tally };
	x->active++;
	export_user_start(&s->u, user_done, s);
}

/* Starts users of the batch while fewer than --concurrency are under way.
 * A user that settles at once calls back into here: the outer loop goes on. */
static void fill(struct export_run *x)
{
	if (x->filling)
		return;
	x->filling = true;
	while (!x->fatal && !x->ctx->stop && x->active < (size_t)x->concurrency && x->next < x->batch.n)
		begin_user(x, x->batch.ids[x->next++]);
	x->filling = false;
}

/* Exports the users of a batch, --concurrency at a time, to the end. */
static int run_batch(struct export_run *x)
{
	x->next = 0;
	fill(x);
	if (x->active && http_run(x->http, x->concurrency, &x->ctx->stop) < 0 && !x->fatal)
		x->fatal = SMILE_EXIT_FAILURE;
	for (size_t i = 0; i < x->batch.n; i++)
		free(x->batch.ids[i]);
	x->batch.n = 0;
	if (!x->fatal && x->ctx->stop)
		x->fatal = SMILE_EXIT_INTERRUPTED;
	return x->fatal;
}

/* Users come in batches (a page of the user list, a run of ids), so that
 * memory holds a batch, however many users there are. */
static int add_user(struct export_run *x, const char *id)
{
	if (x->batch.n == x->batch.cap) {
		x->batch.cap = x->batch.cap ? 2 * x->batch.cap : 64;
		x->batch.ids = xrealloc(x->batch.ids, x->batch.cap * sizeof(*x->batch.ids));
	}
	x->batch.ids[x->batch.n++] = xstrdup(id);
	return x->batch.n >= USER_BATCH ? run_batch(x) : 0;
}

static int export_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct export_run *x = ctx;
	int r = 0;
	(void)resp;

	for (size_t i = 0; i < n_take && r == 0; i++) {
		const char *id = json_string_member(json_object_array_get_idx(items, i), "id");
		if (id)
			r = add_user(x, id);
	}
	return r ? r : run_batch(x);
}

/* --all-users: every user of the list, a page at a time. */
static int export_all_users(struct export_run *x)
{
	struct page_walk_opts opts = { .http = x->http, .path = "/users", .size = PAGE_SIZE_MAX,
				       .all = true, .limit = -1 };
	struct page_walk w;

	page_walk_init(&w, &opts, export_page, x);
	int r = page_walk_run(&w);
	if (r && r != x->fatal && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	return r;
}

/* --user-id - : one id a line on stdin. */
static int export_stdin_users(struct export_run *x)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;

	while (r == 0 && (n = getline(&line, &cap, stdin)) > 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		if (n > 0)
			r = add_user(x, line);
	}
	free(line);
	return r;
}

static int export_listed_users(struct export_run *x, json_object *ids)
{
	int r = 0;

	for (size_t i = 0; i < json_object_array_length(ids) && r == 0; i++) {
		const char *id = json_object_get_string(json_object_array_get_idx(ids, i));
		r = strcmp(id, "-") == 0 ? export_stdin_users(x) : add_user(x, id);
	}
	return r ? r : run_batch(x);
}

/* How many users the run has, when the list says: for the progress line. */
static bool count_listed(json_object *ids, size_t *n)
{
	*n = ids ? json_object_array_length(ids) : 0;
	for (size_t i = 0; i < *n; i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(ids, i)), "-") == 0)
			return false;
	return ids != NULL;
}

/* The manifest, streamed: every complete user found in DIR/users. */
static int write_manifest(struct export_run *x, const char *host)
{
	_cleanup_free_ char *path = xasprintf("%s/manifest.json", x->dir);
	_cleanup_free_ char *users = xasprintf("%s/users", x->dir);
	struct download d;
	DIR *dh = opendir(users);
	struct dirent *e;
	bool first = true;
	int r = download_open(&d, path);

	if (r) {
		if (dh)
			closedir(dh);
		return r;
	}
	json_object *h = json_object_new_string(host), *t = json_object_new_string(x->exported_at);
	fprintf(d.sink, "{\n  \"exportedAt\": %s,\n  \"apiHost\": %s,\n  \"users\": {",
		json_object_to_json_string(t), json_object_to_json_string(h));
	json_object_put(h);
	json_object_put(t);
	while (dh && (e = readdir(dh))) {
		if (e->d_name[0] == '.')
			continue;
		_cleanup_free_ char *rec_path = xasprintf("%s/%s/complete.json", users, e->d_name);
		json_object *rec = json_object_from_file(rec_path), *key;
		if (!rec)
			continue;
		json_object_object_add(rec, "complete", json_object_new_boolean(true));
		key = json_object_new_string(e->d_name);
		fprintf(d.sink, "%s\n    %s: %s", first ? "" : ",", json_object_to_json_string(key),
			json_compact(rec));
		json_object_put(key);
		json_object_put(rec);
		first = false;
	}
	if (dh)
		closedir(dh);
	fprintf(d.sink, "%s}\n}\n", first ? "" : "\n  ");
	struct download_check check = { .replace = true };
	return download_commit(&d, &check);
}

/* DIR must be a directory we can write, or be made: checked before
 * anything is sent. */
static int check_dir(const char *dir, bool dry_run)
{
	struct stat st;

	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
		return log_status(SMILE_EXIT_USAGE, "'%s' is not a directory", dir);
	if (dry_run)
		return 0;
	if (stat(dir, &st) < 0 && mkdir(dir, 0777) < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot make '%s': %s", dir, strerror(errno));
	if (access(dir, W_OK | X_OK) < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot write to '%s': %s", dir, strerror(errno));
	return 0;
}

static int summarize(struct export_run *x, int r)
{
	size_t total = x->done + x->skipped + x->failed;

	if (x->ctx->g->quiet) {
		/* the ids below say it all */
	} else if (x->ctx->g->dry_run) {
		fprintf(stderr, "smile: dry run: the requests of %zu users shown (%zu already complete), "
			"nothing written%s\n", x->done + x->failed, x->skipped, x->revoke ? " or revoked" : "");
	} else {
		fprintf(stderr, "smile: exported %zu users, %zu already complete, %zu failed\n",
			x->done, x->skipped, x->failed);
		if (x->revoke)
			fprintf(stderr, "smile: revoked %zu users (%zu accounts, %zu archives); "
				"nothing revoked of the %zu users that failed\n",
				x->revoked.users, x->revoked.accounts, x->revoked.archives, x->not_revoked);
	}
	fputs(x->failed_ids.buf ? x->failed_ids.buf : "", stdout);
	if (r)
		return r;
	if (!x->failed)
		return 0;
	return x->failed == total ? x->last_failure : SMILE_EXIT_PARTIAL;
}

static int run_export(struct cmd_ctx *ctx)
{
	json_object *ids = cmd_opt_list(ctx, "user-id");
	bool all = cmd_flag(ctx, "all-users");
	const struct profile *profile;
	struct export_run x = { .ctx = ctx, .dir = cmd_opt(ctx, "dir"), .since = cmd_opt(ctx, "since"),
				.revoke = cmd_flag(ctx, "revoke") };
	const char *conc = cmd_opt(ctx, "concurrency");
	struct sigaction old_int;
	time_t now = time(NULL);
	struct tm tm;
	int r;

	if (!ids == !all) {
		json_object_put(ids);
		return log_status(SMILE_EXIT_USAGE, "give --user-id ID... or --all-users");
	}
	if ((r = check_dir(x.dir, ctx->g->dry_run)) || (r = cmd_profile(ctx, &profile)) ||
	    (x.revoke && (r = cmd_confirm(ctx, "export, then revoke every exported user's accounts and archives"))) ||
	    (r = cmd_http(ctx, &x.http))) {
		json_object_put(ids);
		return r;
	}
	strftime(x.exported_at, sizeof(x.exported_at), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	x.invites = xasprintf("%s/.smile-invites", x.dir);
	x.concurrency = conc ? atoi(conc) : DEFAULT_CONCURRENCY;
	size_t total;
	bool counted = count_listed(ids, &total);
	progress_init(&x.progress, stderr, !ctx->g->dry_run && !ctx->g->quiet && isatty(STDERR_FILENO), total,
		      now_monotonic());
	x.progress.total_unknown = !counted;
	x.progress.done = "users done";
	x.progress.volume = true;
	x.tally = (struct export_tally){ .tick = draw_progress, .ctx = &x };
	cli_catch_interrupt(&ctx->stop, &old_int);
	r = all ? export_all_users(&x) : export_listed_users(&x, ids);
	cli_release_interrupt(&old_int);
	progress_clear(&x.progress);
	free(x.batch.ids);
	json_object_put(ids);
	if (x.invites_staged && !ctx->g->dry_run)
		export_invites_unstage(x.invites);
	free(x.invites);
	if (!ctx->g->dry_run) {
		_cleanup_free_ char *host = api_host(profile->base_url);
		int m = write_manifest(&x, host);
		if (!r)
			r = m;
	}
	r = summarize(&x, r);
	strbuf_release(&x.failed_ids);
	return r;
}

static const struct opt_spec export_options[] = {
	{ .name = "dir", .type = OPT_PATH, .where = OPT_LOCAL, .flags = OPT_REQUIRED, .metavar = "DIR",
	  .help = "the export's directory (made if missing; an earlier export there is resumed)" },
	{ .name = "user-id", .type = OPT_LIST, .where = OPT_LOCAL, .metavar = "ID,...",
	  .help = "export these users (- reads one id a line from stdin)" },
	L_FLAG("all-users", "export every user"),
	{ .name = "since", .type = OPT_DATE, .where = OPT_LOCAL, .metavar = "DATE",
	  .help = "add to an existing export what the lists' date filters return from DATE on" },
	L_FLAG("revoke", "then revoke each fully exported user's accounts and archives"),
	{ .name = "concurrency", .type = OPT_INT, .where = OPT_LOCAL, .min = 1, .max = 64, .metavar = "N",
	  .help = "users exported at once (default 8)" },
	OPT_END,
};

static const struct verb_spec export_command = {
	.name = "export",
	.summary = "copy everything Smile holds about users into a directory",
	.run = run_export,
	.opts = export_options,
	.max_args = 0,
	.example = "smile export --dir backup --user-id smile1234-a5b39dfe76174defb353d7e97a88a85e\n"
		   "smile export --dir backup --all-users\n"
		   "smile retention --within 7 -q | smile export --dir backup --user-id -",
	.description =
		"Writes, for each user, DIR/users/ID/ with user.json and payload.json, one JSON Lines "
		"file (one item a line, every page) for its accounts, each user-data type (identities, "
		"employments, incomes, transactions, ratings, documents, contributions, liabilities, "
		"eincomes, insights, links), its archives, its uploads and the invites that name it "
		"(one walk over the invite list, which has no user filter, split by each invite's "
		"userId), and the raw files of each "
		"archive and upload under archives/ID/ and uploads/ID/, named as archives download "
		"names them. Every file is written to a temporary file, fsynced and renamed into place. "
		"complete.json, written last, lists each file with its items, bytes and sha256; "
		"DIR/manifest.json lists every complete user, the time of the export and the API host "
		"(never a credential). Run the same command again after a crash or an interrupt: users "
		"whose files still match complete.json are skipped, the others are exported again "
		"whole (raw files that still match are kept). With --since DATE, a user already "
		"exported is not skipped: each of its lists that still matches complete.json gets "
		"what the API's date filter (startDate; startMonth for eincomes; lists without one "
		"are fetched whole) returns from DATE on, merged by item id so that no item is there "
		"twice, and complete.json and the manifest get the new counts and hashes; anything "
		"not yet exported, or damaged, is exported whole. Exit 0 when every user was exported; otherwise the ids of the users that "
		"failed are printed, one a line, and the exit status is 8 (or, when all failed, the "
		"status of the failure, e.g. 4 for an unknown user). A DIR that is a file or cannot be "
		"written is exit 2 before anything is sent. With --revoke, each user whose export is "
		"complete is verified again from disk (every file's size, sha256 and line count "
		"against complete.json, its entry in the manifest) and only then are the accounts and "
		"archives its files hold revoked (those not revoked already; one already gone counts "
		"as revoked); a user with anything failed keeps everything, and the summary says how "
		"many. A production profile asks first, unless --yes.",
};

const struct group_spec group_export = {
	.name = "export",
	.summary = "copy users' data to a directory before Smile deletes it",
	.description = "Smile keeps a linked account's data 60 days from connection and uploaded "
		       "files for a short time; smile export copies all of it, verified, so that "
		       "nothing is lost.",
	.command = &export_command,
};
