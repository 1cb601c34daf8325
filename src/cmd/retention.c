/* SPDX-License-Identifier: MIT */
/*
 * smile retention: what Smile deletes soonest. Each connected account
 * expires its profile's account_retention_days after its connection, each
 * archive and upload its upload_retention_days after it was made; rows are
 * printed soonest first. Days are counted on the API server's clock (its
 * Date header), which is the clock that deletes, falling back to ours.
 */
#include "cmd/opts.h"
#include "core/json.h"

#include <string.h>
#include <time.h>

#include "cli/pages.h"
#include "cli/status.h"
#include "core/util.h"

#define SECONDS_A_DAY 86400L

static const char *const retention_columns[] = {
	"daysLeft", "expiresAt", "kind", "userId", "id", "providerId", "since", NULL
};

enum item_kind { KIND_ACCOUNT, KIND_ARCHIVE, KIND_UPLOAD };

struct retention {
	const struct profile *profile;
	json_object *rows;     /* every row, sorted before printing */
	json_object *seen;     /* archive ids, so /uploads does not repeat them */
	time_t now;            /* the server's clock, 0 until an answer says it */
	enum item_kind kind;
};

/* RFC 3339 UTC as the API writes it ("2024-05-01T08:25:05Z", optionally
 * with a fraction); false for anything else. */
static bool parse_utc(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%S", &tm) : NULL;

	if (!end)
		return false;
	if (*end == '.')
		end += 1 + strspn(end + 1, "0123456789");
	if (strcmp(end, "Z") != 0)
		return false;
	*out = timegm(&tm);
	return true;
}

/* When the item's retention started (and whether it holds data at all):
 * an account from its connection while it is connected (a revoked one is
 * DISCONNECTED and holds nothing), an upload from its creation unless
 * revoked. */
static bool retention_start(json_object *item, enum item_kind kind, time_t *start)
{
	if (kind == KIND_ACCOUNT) {
		const char *status = json_string_member(item, "connectionStatus");
		json_object *updated = json_get_path(item, "connection.updatedAt");
		if (!status || strcmp(status, "CONNECTED") != 0)
			return false;
		return parse_utc(updated ? json_object_get_string(updated) : json_string_member(item, "createdAt"),
				 start);
	}
	json_object *status = json_get_path(item, "state.status");
	if (status && strcmp(json_object_get_string(status), "REVOKED") == 0)
		return false;
	return parse_utc(json_string_member(item, "createdAt"), start);
}

static void add_string(json_object *row, const char *key, const char *value)
{
	if (value)
		json_object_object_add(row, key, json_object_new_string(value));
}

static void add_time(json_object *row, const char *key, time_t t)
{
	struct tm tm;
	char buf[32];

	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	json_object_object_add(row, key, json_object_new_string(buf));
}

static void add_row(struct retention *rt, json_object *item)
{
	static const char *const kinds[] = { "account", "archive", "upload" };
	const char *id = json_string_member(item, "id");
	time_t start;

	if (!id || !retention_start(item, rt->kind, &start))
		return;
	if (rt->kind == KIND_ARCHIVE)
		json_object_object_add(rt->seen, id, NULL);
	else if (rt->kind == KIND_UPLOAD && json_object_object_get_ex(rt->seen, id, NULL))
		return;
	long days = rt->kind == KIND_ACCOUNT ? rt->profile->account_retention_days
					     : rt->profile->upload_retention_days;
	json_object *row = json_object_new_object();
	add_string(row, "kind", kinds[rt->kind]);
	add_string(row, "id", id);
	add_string(row, "userId", json_string_member(item, "userId"));
	add_string(row, "providerId", json_string_member(item, "providerId"));
	add_time(row, "since", start);
	add_time(row, "expiresAt", start + days * SECONDS_A_DAY);
	json_object_array_add(rt->rows, row);
}

static int take_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct retention *rt = ctx;

	if (!rt->now && resp->server_date > 0)
		rt->now = resp->server_date;
	for (size_t i = 0; i < n_take; i++)
		add_row(rt, json_object_array_get_idx(items, i));
	return 0;
}

static int walk(struct cmd_ctx *ctx, struct retention *rt, const char *path, enum item_kind kind)
{
	const char *user_id = cmd_opt(ctx, "user-id");
	struct http_param param = { "userId", user_id };
	struct page_walk_opts opts = { .path = path, .params = user_id ? &param : NULL,
				       .n_params = user_id ? 1 : 0, .size = PAGE_SIZE_MAX,
				       .all = true, .limit = -1 };
	struct page_walk w;
	int r;

	if ((r = cmd_http(ctx, &opts.http)))
		return r;
	rt->kind = kind;
	page_walk_init(&w, &opts, take_page, rt);
	r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	return r;
}

/* Soonest first; the same moment by kind and id, so the order is stable. */
static int by_expiry(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a, *y = *(json_object *const *)b;
	int c = strcmp(json_string_member(x, "expiresAt"), json_string_member(y, "expiresAt"));

	if (!c)
		c = strcmp(json_string_member(x, "kind"), json_string_member(y, "kind"));
	return c ? c : strcmp(json_string_member(x, "id"), json_string_member(y, "id"));
}

/* Whole days left, rounded down (negative when overdue); rows past
 * within_s are dropped (within_s < 0: none). */
static json_object *rows_due(struct retention *rt, long within_s)
{
	json_object *due = json_object_new_array();

	for (size_t i = 0; i < json_object_array_length(rt->rows); i++) {
		json_object *row = json_object_array_get_idx(rt->rows, i);
		time_t expires = 0;
		parse_utc(json_string_member(row, "expiresAt"), &expires);
		long left = (long)(expires - rt->now);
		if (within_s >= 0 && left > within_s)
			continue;
		long days = left >= 0 ? left / SECONDS_A_DAY : -((-left + SECONDS_A_DAY - 1) / SECONDS_A_DAY);
		json_object_object_add(row, "daysLeft", json_object_new_int64(days));
		json_object_array_add(due, json_object_get(row));
	}
	return due;
}

/* -q: each user with something due, once, in the order of its soonest. */
static json_object *users_of(json_object *due)
{
	json_object *users = json_object_new_array(), *seen = json_object_new_object();

	for (size_t i = 0; i < json_object_array_length(due); i++) {
		const char *user = json_string_member(json_object_array_get_idx(due, i), "userId");
		if (!user || json_object_object_get_ex(seen, user, NULL))
			continue;
		json_object_object_add(seen, user, NULL);
		json_object *row = json_object_new_object();
		add_string(row, "id", user);
		json_object_array_add(users, row);
	}
	json_object_put(seen);
	json_object_put(due);
	return users;
}

static int print_rows(struct cmd_ctx *ctx, json_object *rows)
{
	struct output_opts oo;
	int r = 0;

	cmd_output_opts(ctx, &oo, retention_columns);
	struct output *o = output_begin(&oo, stdout, true);
	for (size_t i = 0; i < json_object_array_length(rows) && r == 0; i++)
		r = output_item(o, json_object_array_get_idx(rows, i));
	int e = output_end(o);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}

static int run_retention(struct cmd_ctx *ctx)
{
	const char *within = cmd_opt(ctx, "within");
	struct retention rt = { .rows = json_object_new_array(), .seen = json_object_new_object() };
	int r;

	if (!(r = cmd_profile(ctx, &rt.profile)) && !(r = walk(ctx, &rt, "/accounts", KIND_ACCOUNT)) &&
	    !(r = walk(ctx, &rt, "/archives", KIND_ARCHIVE)))
		r = walk(ctx, &rt, "/uploads", KIND_UPLOAD);
	if (!r && !ctx->g->dry_run) {
		if (!rt.now)
			rt.now = time(NULL);
		json_object_array_sort(rt.rows, by_expiry);
		json_object *due = rows_due(&rt, within ? atol(within) * SECONDS_A_DAY : -1);
		if (ctx->g->quiet)
			due = users_of(due);
		r = print_rows(ctx, due);
		json_object_put(due);
	}
	json_object_put(rt.rows);
	json_object_put(rt.seen);
	return r;
}

static const struct opt_spec retention_options[] = {
	{ .name = "within", .type = OPT_INT, .where = OPT_LOCAL, .min = 0, .max = 36500, .metavar = "DAYS",
	  .help = "only what expires within DAYS days" },
	{ .name = "user-id", .type = OPT_STRING, .where = OPT_LOCAL, .metavar = "ID",
	  .help = "only this user's accounts, archives and uploads" },
	OPT_END,
};

static const struct verb_spec retention_command = {
	.name = "retention",
	.summary = "list what Smile deletes soonest: accounts, archives, uploads",
	.run = run_retention,
	.opts = retention_options,
	.max_args = 0,
	.columns = retention_columns,
	.example = "smile retention --within 7\n"
		   "smile retention --within 7 -q | smile export --dir backup --user-id -",
	.description =
		"Lists each connected account (its user, provider, when it was connected, when it "
		"expires and the days left) and each archive and upload that is not revoked, soonest "
		"first. An account expires account_retention_days after its connection (a profile key, "
		"default 60: the API reference's \"60 days from account connection\"); an archive or "
		"upload expires upload_retention_days after it was made (default 7: the documents say "
		"7 and 60 days, and the stricter one warns early). Days left are counted on the API "
		"server's clock (the Date of its answers), rounded down, negative when overdue. "
		"--within DAYS keeps what expires within DAYS days; with -q only the ids of the users "
		"concerned are printed, each once, so the output can feed smile export --user-id -.",
};

const struct group_spec group_retention = {
	.name = "retention",
	.summary = "what Smile deletes soonest, from the retention policy",
	.description = "Smile keeps a linked account's data 60 days from connection and uploaded "
		       "files for a short time; smile retention tells which users to export "
		       "(smile-export(1)) before that.",
	.command = &retention_command,
};
