/* SPDX-License-Identifier: MIT */
/*
 * GET /<kind> and /<kind>/{id} for the eleven user-data kinds of
 * model/userdata.c (one table, two handlers), and /tasks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

/* The kind a request path ("/incomes" or "/incomes/inc-1") is about. */
static const struct userdata_kind *kind_of_path(const char *path)
{
	for (size_t i = 0; i < userdata_kinds_n; i++) {
		size_t n = strlen(userdata_kinds[i].name);
		if (path[0] == '/' && strncmp(path + 1, userdata_kinds[i].name, n) == 0 &&
		    (path[n + 1] == '\0' || path[n + 1] == '/'))
			return &userdata_kinds[i];
	}
	return NULL;
}

/* ---- handlers -------------------------------------------------------------- */

static bool is_month(const char *s)
{
	return strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789-") == 7 &&
	       ((s[5] == '0' && s[6] >= '1' && s[6] <= '9') ||
		(s[5] == '1' && s[6] >= '0' && s[6] <= '2'));
}

struct month_range {
	const char *start, *end; /* YYYY-MM or NULL */
};

static bool month_in_range(json_object *item, void *ctx)
{
	const struct month_range *r = ctx;
	const char *month = emu_json_str(item, "month");

	if (!month)
		return false;
	return (!r->start || strcmp(month, r->start) >= 0) && (!r->end || strcmp(month, r->end) <= 0);
}

/* eincomes take startMonth/endMonth (YYYY-MM) instead of dates. */
static bool read_month_range(struct emu_request *req, struct emu_response *res,
			     struct month_range *r)
{
	r->start = emu_req_query(req, "startMonth");
	r->end = emu_req_query(req, "endMonth");
	if (r->start && !is_month(r->start)) {
		emu_bad_param(res, "startMonth must be a month as YYYY-MM");
		return false;
	}
	if (r->end && !is_month(r->end)) {
		emu_bad_param(res, "endMonth must be a month as YYYY-MM");
		return false;
	}
	if (r->start && r->end && strcmp(r->start, r->end) > 0) {
		emu_bad_param(res, "startMonth must not be after endMonth");
		return false;
	}
	return true;
}

/*
 * Lists whose startDate/endDate filter on the item's own date (a
 * transaction's date, an employment's start) rather than on when the emulator
 * stored it, which is what the common pager compares. Only used when a date
 * is given; the cursor is then an offset into the filtered items.
 */
struct dated_query {
	const char *key;
	const char *user_id, *source_id;
	const char *start, *end; /* YYYY-MM-DD or NULL */
	size_t skip, size;
	json_object *items;
	bool more;
};

static bool is_day(const char *s)
{
	return strlen(s) == 10 && s[4] == '-' && s[7] == '-' && strspn(s, "0123456789-") == 10;
}

static bool same_str(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

static bool dated_keeps(json_object *item, const struct dated_query *q)
{
	const char *day = emu_json_str(item, q->key);
	json_object *meta;

	if (!day || !json_object_object_get_ex(item, "metadata", &meta))
		return false;
	if (q->user_id && !same_str(q->user_id, emu_json_str(meta, "userId")))
		return false;
	if (q->source_id && !same_str(q->source_id, emu_json_str(meta, "sourceId")))
		return false;
	return (!q->start || strncmp(day, q->start, 10) >= 0) &&
	       (!q->end || strncmp(day, q->end, 10) <= 0);
}

static bool dated_collect(json_object *item, void *ctx)
{
	struct dated_query *q = ctx;
	json_object *copy = NULL;

	if (!dated_keeps(item, q))
		return true;
	if (q->skip > 0) {
		q->skip--;
		return true;
	}
	if (json_object_array_length(q->items) == q->size) {
		q->more = true;
		return false;
	}
	json_object_deep_copy(item, &copy, NULL);
	json_object_array_add(q->items, copy);
	return true;
}

/* Reads size, cursor and the dates; answers 400 naming a bad one. */
static bool dated_query_read(struct emu_request *req, struct emu_response *res,
			     struct dated_query *q)
{
	const char *size = emu_req_query(req, "size"), *cursor = emu_req_query(req, "cursor");
	char *end;

	q->size = 10;
	if (size) {
		long n = strtol(size, &end, 10);
		if (*end || end == size || n < 1 || n > 150) {
			emu_bad_param(res, "size must be an integer between 1 and 150");
			return false;
		}
		q->size = (size_t)n;
	}
	if (cursor && *cursor) {
		long n = strtol(cursor, &end, 10);
		if (*end || n < 0) {
			emu_bad_param(res, "cursor '%s' is not valid", cursor);
			return false;
		}
		q->skip = (size_t)n;
	}
	q->start = emu_req_query(req, "startDate");
	q->end = emu_req_query(req, "endDate");
	if ((q->start && !is_day(q->start)) || (q->end && !is_day(q->end))) {
		emu_bad_param(res, "%s must be a date as YYYY-MM-DD",
			      q->start && !is_day(q->start) ? "startDate" : "endDate");
		return false;
	}
	if (q->start && q->end && strcmp(q->start, q->end) > 0) {
		emu_bad_param(res, "startDate must not be after endDate");
		return false;
	}
	q->user_id = emu_req_query(req, "userId");
	q->source_id = emu_req_query(req, "accountId");
	if (!q->source_id)
		q->source_id = emu_req_query(req, "sourceId");
	return true;
}

static void list_by_item_date(struct emu *emu, struct emu_request *req, struct emu_response *res,
			      const struct userdata_kind *kind)
{
	struct dated_query q = { .key = kind->date_key };
	json_object *data;
	size_t first;
	char next[32];

	if (!dated_query_read(req, res, &q))
		return;
	first = q.skip;
	q.items = json_object_new_array();
	if (q.user_id)
		emu_coll_each_of_user(emu_store(emu, kind->name), q.user_id, dated_collect, &q);
	else
		emu_coll_each_of_source(emu_store(emu, kind->name), q.source_id, dated_collect, &q);
	snprintf(next, sizeof(next), "%zu", first + q.size);
	data = json_object_new_object();
	if (q.more) /* left out on the last page, as the common pager does */
		emu_json_set_str(data, "nextCursor", next);
	json_object_object_add(data, "items", q.items);
	emu_reply(res, 200, data);
}

static void list_userdata(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const struct userdata_kind *kind = kind_of_path(emu_req_path(req));
	struct month_range months = { NULL, NULL };

	if (strcmp(kind->name, "eincomes") == 0) {
		if (!read_month_range(req, res, &months))
			return;
		if (months.start || months.end) {
			emu_list_page(res, emu_store(emu, kind->name), req, month_in_range, &months);
			return;
		}
	}
	if (kind->date_key && (emu_req_query(req, "startDate") || emu_req_query(req, "endDate"))) {
		list_by_item_date(emu, req, res, kind);
		return;
	}
	emu_list_page(res, emu_store(emu, kind->name), req, NULL, NULL);
}

static void get_userdata(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const struct userdata_kind *kind = kind_of_path(emu_req_path(req));

	emu_reply_found(res, emu_store(emu, kind->name), kind->what, emu_req_capture(req, "id"));
}

#define USERDATA_ROUTES(name) \
	{ "GET", "/" name, list_userdata }, { "GET", "/" name "/{id}", get_userdata }

const struct emu_route emu_routes_userdata[] = {
	USERDATA_ROUTES("identities"),
	USERDATA_ROUTES("employments"),
	USERDATA_ROUTES("incomes"),
	USERDATA_ROUTES("transactions"),
	USERDATA_ROUTES("ratings"),
	USERDATA_ROUTES("documents"),
	USERDATA_ROUTES("contributions"),
	USERDATA_ROUTES("liabilities"),
	USERDATA_ROUTES("eincomes"),
	USERDATA_ROUTES("insights"),
	USERDATA_ROUTES("links"),
	{ "GET", "/tasks", emu_handle_list },
	{ "GET", "/tasks/{id}", emu_handle_get },
	EMU_ROUTES_END,
};
