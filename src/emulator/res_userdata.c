/* SPDX-License-Identifier: MIT */
/*
 * User data: identities, employments, incomes, transactions, ratings,
 * documents, contributions, liabilities, eincomes, insights and links.
 *
 * They differ only in their fields, so one table describes them and two
 * handlers serve all eleven lists and gets. Items are created by an account
 * link (link.c), by seeding (seed.c) and removed with their account.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "emulator/data.h"

const struct userdata_kind userdata_kinds[] = {
	{ "identities", "identity", "i-", "IDENTITIES", "IDENTITY_ADDED", "identityId",
	  "identity", true, 1, gen_identity, NULL },
	{ "employments", "employment", "e-", "EMPLOYMENTS", "EMPLOYMENTS_ADDED", NULL,
	  "employments", false, 2, gen_employment, "startDate" },
	{ "incomes", "income", "inc-", "INCOMES", "INCOMES_ADDED", NULL,
	  "incomes", false, 6, gen_income, "startDate" },
	{ "transactions", "transaction", "t-", "TRANSACTIONS", "TRANSACTIONS_ADDED", NULL,
	  "transactions", false, 12, gen_transaction, "date" },
	{ "ratings", "rating", "r-", "RATINGS", "RATING_ADDED", "ratingId",
	  "rating", true, 1, gen_rating, NULL },
	{ "documents", "document", "d-", "DOCUMENTS", "DOCUMENTS_ADDED", NULL,
	  "documents", false, 2, gen_document, NULL },
	{ "contributions", "contribution", "con-", "CONTRIBUTIONS", "CONTRIBUTIONS_ADDED", NULL,
	  "contributions", false, 6, gen_contribution, "date" },
	{ "liabilities", "liability", "lia-", "LIABILITIES", "LIABILITIES_ADDED", NULL,
	  "liabilities", false, 1, gen_liability, "startDate" },
	{ "eincomes", "eincome", "einc-", "EINCOMES", "EINCOMES_ADDED", NULL,
	  "eincomes", false, 6, gen_eincome, NULL },
	{ "insights", "insight", "insight-", "INSIGHTS", "INSIGHT_ADDED", "id",
	  "insight", true, 1, gen_insight, NULL },
	{ "links", "link", "link-", "LINK", "LINK_ADDED", "id",
	  "links", false, 1, gen_link, NULL },
};
const size_t userdata_kinds_n = sizeof(userdata_kinds) / sizeof(userdata_kinds[0]);

const struct userdata_kind *userdata_kind_find(const char *name)
{
	for (size_t i = 0; i < userdata_kinds_n; i++)
		if (strcmp(userdata_kinds[i].name, name) == 0)
			return &userdata_kinds[i];
	return NULL;
}

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

/* ---- creation -------------------------------------------------------------- */

static json_object *item_metadata(const struct gen_ctx *g)
{
	json_object *m = json_object_new_object();

	emu_json_set_str(m, "createdAt", g->now);
	emu_json_set_str(m, "itemCreatedAt", g->now);
	if (strcmp(g->source_type, "ACCOUNT") == 0)
		emu_json_set_str(m, "accountId", g->source_id);
	emu_json_set_str(m, "sourceId", g->source_id);
	emu_json_set_str(m, "sourceType", g->source_type);
	emu_json_set_str(m, "userId", g->user_id);
	emu_json_set_str(m, "providerId", g->provider_id);
	return m;
}

json_object *userdata_create(struct emu *emu, const struct userdata_kind *kind,
			     const struct gen_ctx *g, unsigned i)
{
	json_object *item = json_object_new_object();
	char *id = emu_new_id(emu, kind->prefix);

	json_object_object_add(item, "id", json_object_new_string(id));
	free(id);
	kind->gen(item, g, i);
	json_object_object_add(item, "metadata", item_metadata(g));
	emu_coll_put(emu_store(emu, kind->name), item);
	return item;
}

static const char *item_source_id(json_object *item)
{
	json_object *meta;

	return json_object_object_get_ex(item, "metadata", &meta) ? emu_json_str(meta, "sourceId")
								   : NULL;
}

struct source_match {
	const char *source_id;
	struct strbuf ids; /* NUL-separated ids to remove */
	size_t n;
	json_object *into; /* for the payload: copies collected here */
};

static bool collect_source_ids(json_object *item, void *ctx)
{
	struct source_match *m = ctx;
	const char *src = item_source_id(item);

	if (src && strcmp(src, m->source_id) == 0) {
		strbuf_add(&m->ids, emu_json_str(item, "id"), strlen(emu_json_str(item, "id")) + 1);
		m->n++;
	}
	return true;
}

size_t userdata_remove_source(struct emu *emu, const char *source_id)
{
	size_t removed = 0;

	for (size_t k = 0; k < userdata_kinds_n; k++) {
		struct emu_coll *c = emu_store(emu, userdata_kinds[k].name);
		struct source_match m = { .source_id = source_id, .ids = STRBUF_INIT };

		/* Collect first: removing while walking would disturb the walk. */
		emu_coll_each(c, collect_source_ids, &m);
		for (size_t off = 0; off < m.ids.len; off += strlen(m.ids.buf + off) + 1)
			removed += emu_coll_remove(c, m.ids.buf + off);
		strbuf_release(&m.ids);
	}
	if (removed)
		emu_state_dirty(emu);
	return removed;
}

static bool collect_source_copies(json_object *item, void *ctx)
{
	struct source_match *m = ctx;
	const char *src = item_source_id(item);
	json_object *copy = NULL;

	if (!src || strcmp(src, m->source_id) != 0)
		return true;
	json_object_deep_copy(item, &copy, NULL);
	json_object_object_del(copy, "metadata"); /* the payload has it once, on top */
	json_object_array_add(m->into, copy);
	return true;
}

json_object *userdata_payload(struct emu *emu, json_object *source, const char *source_type)
{
	const char *source_id = emu_json_str(source, "id");
	json_object *payload = json_object_new_object();
	json_object *meta = json_object_new_object();

	emu_json_set_str(meta, "sourceId", source_id);
	emu_json_set_str(meta, "sourceType", source_type);
	emu_json_set_str(meta, "userId", emu_json_str(source, "userId"));
	emu_json_set_str(meta, "providerId", emu_json_str(source, "providerId"));
	json_object_object_add(payload, "metadata", meta);
	for (size_t k = 0; k < userdata_kinds_n; k++) {
		const struct userdata_kind *kind = &userdata_kinds[k];
		struct source_match m = { .source_id = source_id, .into = json_object_new_array() };

		emu_coll_each(emu_store(emu, kind->name), collect_source_copies, &m);
		if (!kind->single)
			json_object_object_add(payload, kind->payload_key, m.into);
		else if (json_object_array_length(m.into) > 0)
			json_object_object_add(payload, kind->payload_key,
					       json_object_get(json_object_array_get_idx(m.into, 0)));
		if (kind->single)
			json_object_put(m.into);
	}
	return payload;
}

/* ---- tasks and event data ----------------------------------------------- */

void userdata_emit_added(struct emu *emu, const struct userdata_kind *kind,
			 const struct gen_ctx *g, json_object *first, unsigned count)
{
	bool account = strcmp(g->source_type, "ACCOUNT") == 0;
	json_object *data = event_data_for(g->user_id, account ? g->source_id : NULL, g->provider_id);

	if (!account) {
		json_object_object_del(data, "accountId");
		emu_json_set_str(data, "archiveId", g->source_id);
	}
	if (kind->event_id_key)
		emu_json_set_str(data, kind->event_id_key, emu_json_str(first, "id"));
	else
		json_object_object_add(data, "count", json_object_new_int((int)count));
	emu_emit(emu, kind->event, data);
	json_object_put(data);
}

json_object *task_start(struct emu *emu, const char *type, const struct gen_ctx *g)
{
	json_object *task = json_object_new_object();
	json_object *event = event_data_for(g->user_id, NULL, g->provider_id);
	char *id = emu_new_id(emu, "task-");

	json_object_object_add(task, "id", json_object_new_string(id));
	emu_json_set_str(task, "type", type);
	emu_json_set_str(task, "startedAt", g->now);
	emu_json_set_str(task, "status", "Started");
	json_object_object_add(task, "datapoints", json_object_new_array());
	json_object_object_add(task, "metadata", item_metadata(g));
	emu_coll_put(emu_store(emu, "tasks"), task);

	json_object_object_del(event, "accountId");
	emu_json_set_str(event, "taskId", id);
	emu_json_set_str(event, "sourceId", g->source_id);
	emu_json_set_str(event, "sourceType", g->source_type);
	emu_json_set_str(event, "taskType", type);
	emu_emit(emu, "TASK_STARTED", event);
	json_object_put(event);
	free(id);
	emu_state_dirty(emu);
	return task;
}

void task_finish(struct emu *emu, json_object *task, json_object *datapoints)
{
	json_object *meta, *event;
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(task, "finishedAt", now);
	emu_json_set_str(task, "status", "Finished");
	json_object_object_add(task, "datapoints", json_object_get(datapoints));

	json_object_object_get_ex(task, "metadata", &meta);
	event = event_data_for(emu_json_str(meta, "userId"), NULL, emu_json_str(meta, "providerId"));
	json_object_object_del(event, "accountId");
	emu_json_set_str(event, "taskId", emu_json_str(task, "id"));
	emu_json_set_str(event, "sourceId", emu_json_str(meta, "sourceId"));
	emu_json_set_str(event, "sourceType", emu_json_str(meta, "sourceType"));
	emu_json_set_str(event, "taskType", emu_json_str(task, "type"));
	emu_json_set_str(event, "status", "SUCCEEDED");
	emu_json_set_str(event, "errorCode", NULL);
	json_object_object_add(event, "datapoints", json_object_get(datapoints));
	emu_emit(emu, "TASK_FINISHED", event);
	json_object_put(event);
	emu_state_dirty(emu);
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
	emu_coll_each(emu_store(emu, kind->name), dated_collect, &q);
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
	json_object *item = emu_get_or_404(res, emu_store(emu, kind->name), kind->what,
					   emu_req_capture(req, "id"));
	json_object *copy = NULL;

	if (!item)
		return;
	json_object_deep_copy(item, &copy, NULL);
	emu_reply(res, 200, copy);
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
