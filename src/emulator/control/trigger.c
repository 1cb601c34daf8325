/* SPDX-License-Identifier: MIT */
/*
 * POST /_emulator/trigger {"eventType": T, "userId": optional, ...}: emits
 * one event of any type the webhook docs list (tag-webhooks.md, "List of
 * Events"), its data shaped as the docs' example payload of that type, to
 * every active webhook subscribed to it, signed and retried like every
 * delivery. Other members of the body (but userId) replace the data members
 * of the same name, so a test can pin accountId, count, errorCode and the
 * like.
 *
 * The ids are the user's own when userId names a user (its first account
 * and that account's provider), else new ids of the right prefixes.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/events/events.h"
#include "emulator/model/model.h"

/* What the data of an event type holds, beyond userId (all but records). */
enum {
	F_ACCOUNT = 1 << 0,    /* accountId, providers */
	F_LOGIN = 1 << 1,      /* loginName */
	F_TASK = 1 << 2,       /* sourceId, sourceType, taskType, providers */
	F_TASK_DONE = 1 << 3,  /* status, errorCode, datapoints, payload */
	F_ARCHIVE = 1 << 4,    /* archiveId */
	F_INVITE = 1 << 5,     /* inviteId */
	F_COUNT = 1 << 6,      /* count */
	F_RECORD = 1 << 7,     /* recordId, recordType and no userId */
	F_RECORD_DONE = 1 << 8,/* status, resultCode, resultMessage */
};

struct event_shape {
	const char *type;
	unsigned fields;
	const char *id_key, *id_prefix; /* one-item events: "identityId", "i-" */
	const char *error_code, *error_message;
};

/* In the docs' order. */
static const struct event_shape shapes[] = {
	{ "USER_CREATED", 0, NULL, NULL, NULL, NULL },
	{ "ACCOUNT_CREATED", F_ACCOUNT, NULL, NULL, NULL, NULL },
	{ "ACCOUNT_CONNECTED", F_ACCOUNT | F_LOGIN, NULL, NULL, NULL, NULL },
	{ "ACCOUNT_DISCONNECTED", F_ACCOUNT, NULL, NULL, NULL, NULL },
	{ "ACCOUNT_FAILED", F_ACCOUNT | F_LOGIN, NULL, NULL, "INVALID_CREDENTIALS",
	  "Invalid username or password!" },
	{ "TASK_STARTED", F_TASK, NULL, NULL, NULL, NULL },
	{ "TASK_FINISHED", F_TASK | F_TASK_DONE, NULL, NULL, NULL, NULL },
	{ "ARCHIVE_STARTED", F_ARCHIVE, NULL, NULL, NULL, NULL },
	{ "ARCHIVE_ANALYZED", F_ARCHIVE, NULL, NULL, NULL, NULL },
	{ "ARCHIVE_REVOKED", F_ARCHIVE, NULL, NULL, NULL, NULL },
	{ "ARCHIVE_FAILED", F_ARCHIVE, NULL, NULL, "FILE_UNABLE_TO_RECOGNIZE", "Invalid file!" },
	{ "INVITE_INVITED", F_INVITE, NULL, NULL, NULL, NULL },
	{ "INVITE_LINKED", F_INVITE, NULL, NULL, NULL, NULL },
	{ "IDENTITY_ADDED", F_ACCOUNT, "identityId", "i-", NULL, NULL },
	{ "RATING_ADDED", F_ACCOUNT, "ratingId", "r-", NULL, NULL },
	{ "TRANSACTIONS_ADDED", F_ACCOUNT | F_COUNT, NULL, NULL, NULL, NULL },
	{ "DOCUMENTS_ADDED", F_ACCOUNT | F_COUNT, NULL, NULL, NULL, NULL },
	{ "EMPLOYMENTS_ADDED", F_ACCOUNT | F_COUNT, NULL, NULL, NULL, NULL },
	{ "INCOMES_ADDED", F_ACCOUNT | F_COUNT, NULL, NULL, NULL, NULL },
	{ "EINCOMES_ADDED", F_ACCOUNT | F_COUNT, NULL, NULL, NULL, NULL },
	{ "CONTRIBUTIONS_ADDED", F_ACCOUNT | F_COUNT, NULL, NULL, NULL, NULL },
	{ "LIABILITIES_ADDED", F_ACCOUNT | F_COUNT, NULL, NULL, NULL, NULL },
	{ "INSIGHT_ADDED", F_ACCOUNT, "id", "insight-", NULL, NULL },
	{ "LINK_ADDED", F_ACCOUNT, "id", "link-", NULL, NULL },
	{ "RECORD_CREATED", F_RECORD, NULL, NULL, NULL, NULL },
	{ "RECORD_COMPLETED", F_RECORD | F_RECORD_DONE, NULL, NULL, NULL, NULL },
};

static const struct event_shape *shape_find(const char *type)
{
	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++)
		if (strcmp(shapes[i].type, type) == 0)
			return &shapes[i];
	return NULL;
}

/* Where the event's ids come from. */
struct trigger_source {
	const char *user_id, *account_id, *provider_id;
};

static bool first_account_of(json_object *item, void *ctx)
{
	struct trigger_source *s = ctx;

	if (strcmp(emu_json_str(item, "userId") ? emu_json_str(item, "userId") : "", s->user_id) != 0)
		return true;
	s->account_id = emu_json_str(item, "id");
	s->provider_id = emu_json_str(item, "providerId");
	return false;
}

/* Sets key to a new id of prefix. */
static void set_new_id(struct emu *emu, json_object *data, const char *key, const char *prefix)
{
	_cleanup_free_ char *id = emu_new_id(emu, prefix);

	emu_json_set_str(data, key, id);
}

static void add_account_part(struct emu *emu, json_object *data, const struct event_shape *shape,
			     const struct trigger_source *src)
{
	json_object *providers = json_object_new_array();

	if (shape->fields & F_TASK) {
		emu_json_set_str(data, "sourceId", src->account_id);
		emu_json_set_str(data, "sourceType", "ACCOUNT");
		emu_json_set_str(data, "taskType", "LINK_ACCOUNT");
	} else {
		emu_json_set_str(data, "accountId", src->account_id);
	}
	if (shape->fields & F_LOGIN)
		emu_json_set_str(data, "loginName", "userLoginName");
	if (shape->fields & F_COUNT)
		json_object_object_add(data, "count", json_object_new_int(0));
	if (shape->id_key)
		set_new_id(emu, data, shape->id_key, shape->id_prefix);
	json_object_array_add(providers, json_object_new_string(src->provider_id));
	json_object_object_add(data, "providers", providers);
	if (shape->fields & F_TASK_DONE) {
		emu_json_set_str(data, "status", "SUCCEEDED");
		emu_json_set_str(data, "errorCode", NULL);
		json_object_object_add(data, "datapoints", json_object_new_array());
		/* Empty: webhooks made through the API do not include payloads. */
		json_object_object_add(data, "payload", json_object_new_object());
	}
}

/* The finished record, as GET /alpha/.../{id} would answer it. */
static json_object *record_payload(json_object *data)
{
	json_object *p = json_object_new_object();
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(p, "id", emu_json_str(data, "recordId"));
	emu_json_set_str(p, "createdAt", now);
	emu_json_set_str(p, "status", "COMPLETED");
	emu_json_set_str(p, "resultCode", "SUCCESS");
	emu_json_set_str(p, "resultMessage", "Success!");
	json_object_object_add(p, "result", json_object_new_object());
	json_object_object_add(p, "requestMeta", json_object_new_object());
	return p;
}

static json_object *event_data(struct emu *emu, const struct event_shape *shape,
			       const struct trigger_source *src)
{
	json_object *data = json_object_new_object();

	if (shape->fields & F_RECORD) {
		set_new_id(emu, data, "recordId", "ss-");
		emu_json_set_str(data, "recordType", "SOCIAL_SECURITY");
		if (shape->fields & F_RECORD_DONE) {
			emu_json_set_str(data, "status", "COMPLETED");
			emu_json_set_str(data, "resultCode", "SUCCESS");
			emu_json_set_str(data, "resultMessage", NULL);
			json_object_object_add(data, "payload", record_payload(data));
		}
		return data;
	}
	emu_json_set_str(data, "userId", src->user_id);
	if (shape->fields & (F_ACCOUNT | F_TASK))
		add_account_part(emu, data, shape, src);
	if (shape->fields & F_ARCHIVE)
		set_new_id(emu, data, "archiveId", "u-");
	if (shape->fields & F_INVITE)
		set_new_id(emu, data, "inviteId", "iv-");
	if (shape->error_code) {
		emu_json_set_str(data, "errorCode", shape->error_code);
		emu_json_set_str(data, "errorMessage", shape->error_message);
	}
	return data;
}

static void unknown_type(struct emu_response *res, const char *type)
{
	struct strbuf valid = STRBUF_INIT;

	for (size_t i = 0; i < sizeof(shapes) / sizeof(*shapes); i++)
		strbuf_addf(&valid, "%s%s", i ? ", " : "", shapes[i].type);
	emu_bad_param(res, "unknown eventType '%s'; valid: %s", type, valid.buf);
	strbuf_release(&valid);
}

static const struct emu_field trigger_fields[] = {
	{ "eventType", EMU_T_STRING, true, NULL },
	{ "userId", EMU_T_STRING, false, NULL },
	EMU_FIELDS_END,
};

static void trigger_handle(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *data, *answer;
	_cleanup_free_ char *made_user = NULL, *made_account = NULL;
	struct trigger_source src = { .provider_id = "upwork" };
	const struct event_shape *shape;

	if (!body || !emu_validate(res, body, trigger_fields))
		return;
	if (!(shape = shape_find(emu_json_str(body, "eventType")))) {
		unknown_type(res, emu_json_str(body, "eventType"));
		return;
	}
	src.user_id = emu_json_str(body, "userId");
	if (src.user_id && !user_get(emu, src.user_id)) {
		emu_not_found(res, "user", src.user_id);
		return;
	}
	if (src.user_id)
		emu_coll_each(emu_store(emu, "accounts"), first_account_of, &src);
	if (!src.user_id)
		src.user_id = made_user = emu_new_id(emu, EMU_USER_ID_PREFIX);
	if (!src.account_id)
		src.account_id = made_account = emu_new_id(emu, "a-");
	data = event_data(emu, shape, &src);
	json_object_object_foreach(body, key, value)
		/* userId is in the data already, where the type has one. */
		if (strcmp(key, "eventType") != 0 && strcmp(key, "userId") != 0)
			json_object_object_add(data, key, json_object_get(value));
	emu_emit(emu, shape->type, data);
	answer = json_object_new_object();
	emu_json_set_str(answer, "eventType", shape->type);
	json_object_object_add(answer, "data", data);
	emu_reply(res, 200, answer);
}

const struct emu_route emu_routes_control_trigger[] = {
	{ "POST", "/_emulator/trigger", trigger_handle },
	EMU_ROUTES_END,
};
