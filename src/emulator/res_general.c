/* SPDX-License-Identifier: MIT */
/*
 * General resources: providers and file types (fixed catalogues), users,
 * tokens, webhooks, consent templates, invite templates, invites and tasks.
 * Plain list/get go through the generic handlers; only creation and the
 * catalogue filters are written out here.
 */
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "emulator/data.h"
#include "emulator/emu.h"
#include "emulator/server.h"
#include "emulator/webhooks.h"

#define TOKEN_LIFETIME_S 3600

/* ---- catalogues ---------------------------------------------------------- */

struct provider_def {
	const char *id, *name, *long_name, *type, *sub_type;
	bool mfa, monitor;
	const char *supported; /* space-separated datapoints */
};

static const struct provider_def providers[] = {
	{ "upwork", "Upwork", "Upwork Global Inc.", "GIG", "SERVICES", true, true,
	  "IDENTITIES TRANSACTIONS RATINGS EMPLOYMENTS INCOMES" },
	{ "freelancer", "Freelancer", "Freelancer Technology Pty Limited", "GIG", "SERVICES", true, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "fiverr", "Fiverr", "Fiverr International Ltd.", "GIG", "SERVICES", false, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "grab", "Grab", "Grab Holdings Inc", "GIG", "TRANSPORTATION", true, true,
	  "IDENTITIES TRANSACTIONS RATINGS EMPLOYMENTS INCOMES DOCUMENTS" },
	{ "gojek", "Gojek", "PT Gojek Indonesia", "GIG", "TRANSPORTATION", true, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "lalamove", "Lalamove", "Lalamove Holdings Ltd.", "GIG", "TRANSPORTATION", false, false,
	  "IDENTITIES TRANSACTIONS" },
	{ "airbnb", "Airbnb", "Airbnb, Inc.", "GIG", "SHARING", true, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "shopee", "Shopee", "Shopee Pte. Ltd.", "GIG", "TRADING", true, false,
	  "IDENTITIES TRANSACTIONS" },
	{ "lazada", "Lazada", "Lazada Group", "GIG", "TRADING", false, false,
	  "IDENTITIES TRANSACTIONS" },
	{ "sss_ph", "SSS", "Social Security System (Philippines)", "GOVERNMENT", "INSURANCE", false, true,
	  "IDENTITIES EMPLOYMENTS CONTRIBUTIONS LIABILITIES EINCOMES" },
	{ "bpjs_id", "BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan (Indonesia)", "GOVERNMENT",
	  "INSURANCE", false, false, "IDENTITIES EMPLOYMENTS CONTRIBUTIONS" },
	{ "nbi_ph", "NBI", "National Bureau of Investigation (Philippines)", "GOVERNMENT",
	  "IDENTIFICATION", false, false, "IDENTITIES DOCUMENTS" },
	{ "sprout", "Sprout", "Sprout Solutions Inc.", "SYSTEM", "PAYROLL", false, false,
	  "IDENTITIES EMPLOYMENTS INCOMES" },
	{ "bamboohr", "BambooHR", "Bamboo HR LLC", "SYSTEM", "HRIS", true, false,
	  "IDENTITIES EMPLOYMENTS" },
	{ "abccorp", "ABC Corp", "ABC Corporation", "EMPLOYER", "ISIC-C", false, true,
	  "IDENTITIES EMPLOYMENTS INCOMES DOCUMENTS" },
};

struct label { const char *code, *label; };

static const struct label type_labels[] = {
	{ "GIG", "Gig Platform" }, { "GOVERNMENT", "Govt Service" }, { "SYSTEM", "System" },
	{ "EMPLOYER", "Employer" }, { "CREDENTIAL", "Credential" }, { NULL, NULL },
};
static const struct label sub_type_labels[] = {
	{ "SERVICES", "Professional Services" }, { "TRANSPORTATION", "Transport and Delivery" },
	{ "SHARING", "Asset Sharing" }, { "TRADING", "Online Selling" },
	{ "INSURANCE", "Social Insurance" }, { "PAYROLL", "Payroll System" },
	{ "HRIS", "Human Resource Information System" }, { "IDENTIFICATION", "Identification" },
	{ "ISIC-C", "Manufacturing" }, { NULL, NULL },
};

static const char *label_of(const struct label *labels, const char *code)
{
	for (; labels->code; labels++)
		if (strcmp(labels->code, code) == 0)
			return labels->label;
	return code;
}

static json_object *words_array(const char *words)
{
	json_object *arr = json_object_new_array();

	while (*words) {
		size_t n = strcspn(words, " ");
		json_object_array_add(arr, json_object_new_string_len(words, (int)n));
		words += n + (words[n] == ' ');
	}
	return arr;
}

static json_object *provider_json(const struct provider_def *p)
{
	json_object *o = json_object_new_object();
	_cleanup_free_ char *logo = xasprintf("https://cdn.smileapi.io/image/provider-logo/%s.png", p->id);

	emu_json_set_str(o, "id", p->id);
	emu_json_set_str(o, "name", p->name);
	emu_json_set_str(o, "longName", p->long_name);
	emu_json_set_str(o, "logoUrl", logo);
	emu_json_set_str(o, "type", p->type);
	emu_json_set_str(o, "typeLabel", label_of(type_labels, p->type));
	emu_json_set_str(o, "subType", p->sub_type);
	emu_json_set_str(o, "subTypeLabel", label_of(sub_type_labels, p->sub_type));
	json_object_object_add(o, "active", json_object_new_boolean(1));
	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	json_object_object_add(o, "mfa", json_object_new_boolean(p->mfa));
	json_object_object_add(o, "accountConnection", json_object_new_boolean(1));
	json_object_object_add(o, "supported", words_array(p->supported));
	json_object_object_add(o, "monitorSupported", json_object_new_boolean(p->monitor));
	return o;
}

struct file_type_def {
	const char *type, *label;
	bool ocr;
	const char *supported;
};

static const struct file_type_def file_types[] = {
	{ "PAYSLIP", "Payslip", true, "IDENTITIES EMPLOYMENTS INCOMES" },
	{ "TAX_DOCUMENT", "Tax Document", true, "IDENTITIES EMPLOYMENTS INCOMES" },
	{ "EMPLOYMENT_CERTIFICATE", "Employment Certificate", true, "IDENTITIES EMPLOYMENTS" },
	{ "COMPANY_ID", "Company ID", false, "IDENTITIES DOCUMENTS" },
	{ "SOCIAL_SECURITY", "SOCIAL SECURITY Records", true, "IDENTITIES DOCUMENTS EMPLOYMENTS" },
};

static json_object *file_type_json(const struct file_type_def *f)
{
	json_object *o = json_object_new_object();
	_cleanup_free_ char *logo = xasprintf("https://cdn.smileapi.io/image/provider-logo/%s.png", f->type);

	emu_json_set_str(o, "logoUrl", logo);
	emu_json_set_str(o, "type", f->type);
	emu_json_set_str(o, "typeLabel", f->label);
	json_object_object_add(o, "active", json_object_new_boolean(1));
	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	json_object_object_add(o, "ocr", json_object_new_boolean(f->ocr));
	json_object_object_add(o, "supported", words_array(f->supported));
	return o;
}

/* Built on first use (under the lock) and kept: the catalogues never change. */
json_object *emu_provider_catalogue(void)
{
	static json_object *all;

	if (!all) {
		all = json_object_new_array();
		for (size_t i = 0; i < sizeof(providers) / sizeof(*providers); i++)
			json_object_array_add(all, provider_json(&providers[i]));
	}
	return all;
}

json_object *emu_file_type_catalogue(void)
{
	static json_object *all;

	if (!all) {
		all = json_object_new_array();
		for (size_t i = 0; i < sizeof(file_types) / sizeof(*file_types); i++)
			json_object_array_add(all, file_type_json(&file_types[i]));
	}
	return all;
}

/* ---- query filters for the catalogues ------------------------------------ */

enum query_match { MATCH_EXACT, MATCH_BOOL, MATCH_NAME, MATCH_ID_LIST };

struct query_filter {
	const char *param;
	enum query_match match;
	const char *field;
};

#define MAX_QUERY_FILTERS 8

struct filter_ctx {
	const struct query_filter *filters;
	const char *values[MAX_QUERY_FILTERS];
};

static const struct query_filter provider_filters[] = {
	{ "type", MATCH_EXACT, "type" }, { "subType", MATCH_EXACT, "subType" },
	{ "active", MATCH_BOOL, "active" }, { "enabled", MATCH_BOOL, "enabled" },
	{ "accountConnection", MATCH_BOOL, "accountConnection" },
	{ "name", MATCH_NAME, "name" }, { "ids", MATCH_ID_LIST, "id" }, { NULL, MATCH_EXACT, NULL },
};

static const struct query_filter file_type_filters[] = {
	{ "type", MATCH_EXACT, "type" }, { "active", MATCH_BOOL, "active" },
	{ "enabled", MATCH_BOOL, "enabled" }, { "ocr", MATCH_BOOL, "ocr" },
	{ NULL, MATCH_EXACT, NULL },
};

/* Reads the filters' parameters; answers 400 on a bad boolean. */
static bool filter_ctx_read(struct filter_ctx *ctx, const struct query_filter *filters,
			    struct emu_request *req, struct emu_response *res)
{
	ctx->filters = filters;
	for (size_t i = 0; filters[i].param; i++) {
		const char *v = emu_req_query(req, filters[i].param);
		if (v && filters[i].match == MATCH_BOOL && strcmp(v, "true") && strcmp(v, "false")) {
			emu_bad_param(res, "%s must be true or false", filters[i].param);
			return false;
		}
		ctx->values[i] = v;
	}
	return true;
}

/* Whether id is one of the comma-separated list. */
static bool in_comma_list(const char *list, const char *id)
{
	size_t n = strlen(id);

	while (*list) {
		size_t len = strcspn(list, ",");
		if (len == n && strncmp(list, id, n) == 0)
			return true;
		list += len + (list[len] == ',');
	}
	return false;
}

static bool filter_matches(const struct query_filter *f, const char *want, json_object *item)
{
	json_object *v = NULL;
	const char *s;

	json_object_object_get_ex(item, f->field, &v);
	switch (f->match) {
	case MATCH_BOOL:
		return json_object_get_boolean(v) == (strcmp(want, "true") == 0);
	case MATCH_NAME:
		/* Users type part of a name; match it in either name field. */
		s = json_object_get_string(v);
		return (s && strcasestr(s, want)) ||
		       ((s = emu_json_str(item, "longName")) && strcasestr(s, want));
	case MATCH_ID_LIST:
		return (s = json_object_get_string(v)) && in_comma_list(want, s);
	case MATCH_EXACT:
		break;
	}
	return (s = json_object_get_string(v)) && strcasecmp(s, want) == 0;
}

static bool catalogue_filter(json_object *item, void *data)
{
	struct filter_ctx *ctx = data;

	for (size_t i = 0; ctx->filters[i].param; i++)
		if (ctx->values[i] && !filter_matches(&ctx->filters[i], ctx->values[i], item))
			return false;
	return true;
}

/* The catalogue with the topIds providers moved to the front, in their order. */
static json_object *providers_top_first(json_object *all, const char *top_ids)
{
	json_object *out = json_object_new_array();
	size_t n = json_object_array_length(all);

	while (*top_ids) {
		size_t len = strcspn(top_ids, ",");
		for (size_t i = 0; i < n; i++) {
			const char *id = emu_json_str(json_object_array_get_idx(all, i), "id");
			if (strlen(id) == len && strncmp(id, top_ids, len) == 0)
				json_object_array_add(out, json_object_get(json_object_array_get_idx(all, i)));
		}
		top_ids += len + (top_ids[len] == ',');
	}
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(all, i);
		bool seen = false;
		for (size_t k = 0; k < json_object_array_length(out); k++)
			seen |= json_object_array_get_idx(out, k) == p;
		if (!seen)
			json_object_array_add(out, json_object_get(p));
	}
	return out;
}

static void list_providers(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	struct filter_ctx ctx = { 0 };
	const char *top = emu_req_query(req, "topIds");
	json_object *all;

	(void)emu;
	if (!filter_ctx_read(&ctx, provider_filters, req, res))
		return;
	all = top && *top ? providers_top_first(emu_provider_catalogue(), top)
			  : json_object_get(emu_provider_catalogue());
	emu_list_page_array(res, all, req, catalogue_filter, &ctx);
	json_object_put(all);
}

json_object *emu_provider_get(const char *id)
{
	json_object *all = emu_provider_catalogue();

	for (size_t i = 0; id && i < json_object_array_length(all); i++) {
		json_object *p = json_object_array_get_idx(all, i);
		if (strcmp(emu_json_str(p, "id"), id) == 0)
			return p;
	}
	return NULL;
}

static void get_provider(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "id");
	json_object *p = emu_provider_get(id);

	(void)emu;
	if (p)
		emu_reply(res, 200, json_object_get(p));
	else
		emu_not_found(res, "provider", id);
}

static void list_file_types(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	struct filter_ctx ctx = { 0 };

	(void)emu;
	if (filter_ctx_read(&ctx, file_type_filters, req, res))
		emu_list_page_array(res, emu_file_type_catalogue(), req, catalogue_filter, &ctx);
}

/* ---- users and tokens ---------------------------------------------------- */

static json_object *copy_of(json_object *obj)
{
	json_object *copy = NULL;

	json_object_deep_copy(obj, &copy, NULL);
	return copy;
}

/* A new link token for user_id, stored so the link flow can find it. */
static json_object *token_create(struct emu *emu, const char *user_id)
{
	json_object *t = json_object_new_object();
	_cleanup_free_ char *id = emu_new_id(emu, "tok-");
	_cleanup_free_ char *access = emu_new_id(emu, "");
	char expires[EMU_TIME_LEN];

	emu_time_from_now(expires, TOKEN_LIFETIME_S);
	emu_json_set_str(t, "id", id);
	emu_json_set_str(t, "expiresAt", expires);
	emu_json_set_str(t, "mode", "SANDBOX");
	emu_json_set_str(t, "accessToken", access);
	emu_json_set_str(t, "userId", user_id);
	emu_coll_put(emu_store(emu, "tokens"), json_object_get(t));
	return t;
}

static json_object *session_json(const char *user_id, const char *status)
{
	json_object *s = json_object_new_object();

	emu_json_set_str(s, "userId", user_id);
	emu_json_set_str(s, "channel", "Default");
	emu_json_set_str(s, "status", status);
	return s;
}

/* Stores a new user and announces it; returns the stored object (borrowed). */
static json_object *user_create(struct emu *emu, json_object *external_metadata)
{
	json_object *u = json_object_new_object(), *event;
	_cleanup_free_ char *id = emu_new_id(emu, EMU_USER_ID_PREFIX);
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(u, "id", id);
	json_object_object_add(u, "externalMetadata",
			       external_metadata ? copy_of(external_metadata) : json_object_new_object());
	emu_json_set_str(u, "createdAt", now);
	json_object_object_add(u, "providers", json_object_new_array());
	json_object_object_add(u, "session", session_json(id, "IN_PROGRESS"));
	emu_coll_put(emu_store(emu, "users"), u);

	event = json_object_new_object();
	emu_json_set_str(event, "userId", id);
	json_object_object_add(event, "session", session_json(id, "IN_PROGRESS"));
	emu_emit(emu, "USER_CREATED", event);
	json_object_put(event);
	emu_state_dirty(emu);
	return u;
}

static const struct emu_field user_fields[] = {
	{ "externalMetadata", EMU_T_OBJECT, false, NULL },
	EMU_FIELDS_END,
};

static void create_user(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *meta = NULL, *user, *data;

	if (!body || !emu_validate(res, body, user_fields))
		return;
	json_object_object_get_ex(body, "externalMetadata", &meta);
	user = user_create(emu, meta);
	data = json_object_new_object();
	json_object_object_add(data, "user", json_object_get(user));
	json_object_object_add(data, "token", token_create(emu, emu_json_str(user, "id")));
	emu_reply(res, 201, data);
}

static bool owned_by(json_object *item, void *user_id)
{
	const char *owner = emu_json_str(item, "userId");

	return owner && strcmp(owner, user_id) == 0;
}

struct payload_ctx {
	struct emu *emu;
	const char *user_id;
	const char *kind_field;  /* "providerId" or "fileType" */
	const char *kind_from;   /* the item's field for it: an archive calls it "type" */
	const char *source_type; /* "ACCOUNT" or "ARCHIVE" */
	json_object *out;
};

static bool add_payload_entry(json_object *item, void *data)
{
	struct payload_ctx *ctx = data;
	json_object *entry;

	if (!owned_by(item, (void *)ctx->user_id))
		return true;
	entry = json_object_new_object();
	emu_json_set_str(entry, "id", emu_json_str(item, "id"));
	emu_json_set_str(entry, ctx->kind_field, emu_json_str(item, ctx->kind_from));
	/* What /accounts/{id}/payload shows, so the two views agree. */
	json_object_object_add(entry, "payload", userdata_payload(ctx->emu, item, ctx->source_type));
	json_object_array_add(ctx->out, entry);
	return true;
}

static void get_user_payload(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "id");
	json_object *user = emu_get_or_404(res, emu_store(emu, "users"), "user", id), *session, *data;
	struct payload_ctx accounts = { emu, id, "providerId", "providerId", "ACCOUNT", json_object_new_array() };
	struct payload_ctx archives = { emu, id, "fileType", "type", "ARCHIVE", json_object_new_array() };

	if (!user) {
		json_object_put(accounts.out);
		json_object_put(archives.out);
		return;
	}
	emu_coll_each(emu_store(emu, "accounts"), add_payload_entry, &accounts);
	emu_coll_each(emu_store(emu, "archives"), add_payload_entry, &archives);
	data = json_object_new_object();
	json_object_object_get_ex(user, "session", &session);
	json_object_object_add(data, "metadata", session ? copy_of(session)
							  : session_json(id, "IN_PROGRESS"));
	json_object_object_add(data, "forms", json_object_new_array());
	json_object_object_add(data, "accounts", accounts.out);
	json_object_object_add(data, "archives", archives.out);
	emu_reply(res, 200, data);
}

static void reset_user_session(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "id");
	json_object *user = emu_get_or_404(res, emu_store(emu, "users"), "user", id), *event;

	if (!user)
		return;
	json_object_object_add(user, "session", session_json(id, "IN_PROGRESS"));
	event = json_object_new_object();
	json_object_object_add(event, "session", session_json(id, "IN_PROGRESS"));
	emu_emit(emu, "USER_SESSION_RESET", event);
	json_object_put(event);
	emu_state_dirty(emu);
	emu_reply(res, 200, NULL);
}

static void create_token(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *user_id = emu_req_query(req, "userId");

	if (!user_id || !*user_id) {
		emu_bad_param(res, "userId is required");
		return;
	}
	if (!emu_get_or_404(res, emu_store(emu, "users"), "user", user_id))
		return;
	emu_state_dirty(emu);
	emu_reply(res, 201, token_create(emu, user_id));
}

/* ---- webhooks ------------------------------------------------------------ */

/* RefWebhookEventType; ALL_EVENTS subscribes to every event. */
static const char *const event_types[] = {
	"USER_CREATED", "ACCOUNT_CREATED", "ACCOUNT_CONNECTED", "ACCOUNT_DISCONNECTED",
	"ACCOUNT_FAILED", "TASK_STARTED", "TASK_FINISHED", "ACCOUNT_SYNC_TASK_FINISHED",
	"ARCHIVE_STARTED", "ARCHIVE_ANALYZED", "ARCHIVE_REVOKED", "ARCHIVE_FAILED",
	"INVITE_INVITED", "INVITE_LINKED", "IDENTITY_ADDED", "RATING_ADDED", "TRANSACTIONS_ADDED",
	"DOCUMENTS_ADDED", "DOCUMENTS_UPDATED", "EMPLOYMENTS_ADDED", "EMPLOYMENTS_UPDATED",
	"INCOMES_ADDED", "INCOMES_UPDATED", "CONTRIBUTIONS_ADDED", "CONTRIBUTIONS_UPDATED",
	"EINCOMES_ADDED", "EINCOMES_UPDATED", "LIABILITIES_ADDED", "LIABILITIES_UPDATED",
	"INSIGHT_ADDED", "LINK_ADDED", "VERIFICATION_STARTED", "VERIFICATION_COMPLETED",
	"RECORD_CREATED", "RECORD_COMPLETED", "USER_SESSION_COMPLETED", "USER_SESSION_RESET",
	"ALL_EVENTS", NULL,
};

static const struct emu_field webhook_fields[] = {
	{ "name", EMU_T_STRING, true, NULL },
	{ "url", EMU_T_STRING, true, NULL },
	{ "eventTypes", EMU_T_ARRAY, true, NULL },
	{ "active", EMU_T_BOOL, true, NULL },
	{ "secret", EMU_T_STRING, true, NULL },
	{ "includePayload", EMU_T_BOOL, false, NULL },
	EMU_FIELDS_END,
};

static bool event_types_valid(struct emu_response *res, json_object *types)
{
	for (size_t i = 0; i < json_object_array_length(types); i++) {
		json_object *t = json_object_array_get_idx(types, i);
		const char *s = json_object_get_string(t);
		bool known = false;

		for (const char *const *e = event_types; *e && !known; e++)
			known = json_object_is_type(t, json_type_string) && strcmp(s, *e) == 0;
		if (!known) {
			emu_bad_param(res, "eventTypes[%zu] is not a known event type", i);
			return false;
		}
	}
	return true;
}

static void create_webhook(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *types, *hook, *v;
	_cleanup_free_ char *id = NULL;
	char now[EMU_TIME_LEN];
	const char *url;

	if (!body || !emu_validate(res, body, webhook_fields))
		return;
	json_object_object_get_ex(body, "eventTypes", &types);
	if (!event_types_valid(res, types))
		return;
	url = emu_json_str(body, "url");
	if (!str_starts_with(url, "http://") && !str_starts_with(url, "https://")) {
		emu_bad_param(res, "url must be an http or https URL");
		return;
	}
	id = emu_new_id(emu, "wh-");
	emu_now(now);
	hook = json_object_new_object();
	emu_json_set_str(hook, "id", id);
	emu_json_set_str(hook, "createdAt", now);
	emu_json_set_str(hook, "updatedAt", now);
	emu_json_set_str(hook, "name", emu_json_str(body, "name"));
	emu_json_set_str(hook, "url", url);
	emu_json_set_str(hook, "secret", emu_json_str(body, "secret"));
	json_object_object_add(hook, "eventTypes", copy_of(types));
	json_object_object_get_ex(body, "active", &v);
	json_object_object_add(hook, "active", json_object_new_boolean(json_object_get_boolean(v)));
	v = NULL;
	json_object_object_get_ex(body, "includePayload", &v);
	json_object_object_add(hook, "includePayload",
			       json_object_new_boolean(v && json_object_get_boolean(v)));
	emu_coll_put(emu_store(emu, "webhooks"), json_object_get(hook));
	emu_state_dirty(emu);
	emu_reply(res, 200, hook); /* the spec answers 200 here, not 201 */
}

static void delete_webhook(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "id");

	if (!emu_coll_remove(emu_store(emu, "webhooks"), id)) {
		emu_not_found(res, "webhooks", id);
		return;
	}
	webhook_engine_cancel(emu->webhooks, id);
	emu_state_dirty(emu);
	emu_reply(res, 200, NULL);
}

static bool subscribed(json_object *hook, const char *event_type)
{
	json_object *types, *active;

	if (!json_object_object_get_ex(hook, "active", &active) || !json_object_get_boolean(active))
		return false;
	if (!json_object_object_get_ex(hook, "eventTypes", &types) ||
	    json_object_array_length(types) == 0)
		return true; /* no list: every event */
	for (size_t i = 0; i < json_object_array_length(types); i++) {
		const char *t = json_object_get_string(json_object_array_get_idx(types, i));
		if (strcmp(t, event_type) == 0 || strcmp(t, "ALL_EVENTS") == 0)
			return true;
	}
	return false;
}

struct emit_ctx {
	const char *event_type;
	struct webhook_target *targets;
	size_t n, alloc;
};

static bool collect_target(json_object *hook, void *data)
{
	struct emit_ctx *ctx = data;

	if (!subscribed(hook, ctx->event_type))
		return true;
	if (ctx->n == ctx->alloc) {
		ctx->alloc = ctx->alloc ? 2 * ctx->alloc : 4;
		ctx->targets = xrealloc(ctx->targets, ctx->alloc * sizeof(*ctx->targets));
	}
	ctx->targets[ctx->n++] = (struct webhook_target){
		.id = emu_json_str(hook, "id"),
		.url = emu_json_str(hook, "url"),
		.secret = emu_json_str(hook, "secret"),
	};
	return true;
}

void emu_emit(struct emu *emu, const char *event_type, json_object *data)
{
	struct emit_ctx ctx = { .event_type = event_type };

	emu_coll_each(emu_store(emu, "webhooks"), collect_target, &ctx);
	if (ctx.n > 0)
		webhook_engine_emit(emu->webhooks, ctx.targets, ctx.n, event_type, data);
	free(ctx.targets);
}

/* ---- consent templates --------------------------------------------------- */

static const struct emu_field consent_template_fields[] = {
	{ "consentType", EMU_T_STRING, true, NULL },
	{ "title", EMU_T_STRING, false, NULL },
	{ "version", EMU_T_STRING, true, NULL },
	{ "consentMethod", EMU_T_STRING, false, NULL },
	{ "consentText", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};

/* A stored copy of the body's known fields with a new id and createdAt. */
static json_object *object_from_body(struct emu *emu, json_object *body, const char *prefix,
				     const struct emu_field *fields)
{
	json_object *o = json_object_new_object(), *v;
	_cleanup_free_ char *id = emu_new_id(emu, prefix);
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(o, "id", id);
	emu_json_set_str(o, "createdAt", now);
	for (const struct emu_field *f = fields; f->name; f++)
		if (json_object_object_get_ex(body, f->name, &v) && v)
			json_object_object_add(o, f->name, copy_of(v));
	return o;
}

static void create_consent_template(struct emu *emu, struct emu_request *req,
				    struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *tpl;

	if (!body || !emu_validate(res, body, consent_template_fields))
		return;
	tpl = object_from_body(emu, body, "ct-", consent_template_fields);
	emu_coll_put(emu_store(emu, "consentTemplates"), json_object_get(tpl));
	emu_state_dirty(emu);
	emu_reply(res, 201, tpl);
}

/* DELETE of a plain resource: the collection is the first path segment. */
static void delete_plain(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *path = emu_req_path(req) + 1, *id = emu_req_capture(req, "id");
	_cleanup_free_ char *name = xstrndup(path, strcspn(path, "/"));

	if (!emu_coll_remove(emu_store(emu, name), id)) {
		emu_not_found(res, name, id);
		return;
	}
	emu_state_dirty(emu);
	emu_reply(res, 200, NULL);
}

/* ---- invite templates ---------------------------------------------------- */

static const struct emu_field invite_template_fields[] = {
	{ "name", EMU_T_STRING, true, NULL },
	{ "company", EMU_T_OBJECT, true, NULL },
	{ "email", EMU_T_OBJECT, true, NULL },
	{ "landingPage", EMU_T_OBJECT, true, NULL },
	{ "successPage", EMU_T_OBJECT, true, NULL },
	EMU_FIELDS_END,
};
static const struct emu_field company_fields[] = {
	{ "name", EMU_T_STRING, true, NULL }, { "logoUrl", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};
static const struct emu_field email_fields[] = {
	{ "sendEmail", EMU_T_BOOL, true, NULL }, { "senderName", EMU_T_STRING, true, NULL },
	{ "replyAddress", EMU_T_EMAIL, true, NULL }, { "subject", EMU_T_STRING, true, NULL },
	{ "body", EMU_T_STRING, true, NULL }, EMU_FIELDS_END,
};
static const struct emu_field page_fields[] = {
	{ "header", EMU_T_STRING, true, NULL }, { "description", EMU_T_STRING, true, NULL },
	{ "button", EMU_T_STRING, true, NULL }, EMU_FIELDS_END,
};

static const struct {
	const char *member;
	const struct emu_field *fields;
} invite_template_parts[] = {
	{ "company", company_fields }, { "email", email_fields },
	{ "landingPage", page_fields }, { "successPage", page_fields },
};

static bool invite_template_valid(struct emu_response *res, json_object *body)
{
	json_object *part;

	if (!emu_validate(res, body, invite_template_fields))
		return false;
	for (size_t i = 0; i < sizeof(invite_template_parts) / sizeof(*invite_template_parts); i++) {
		json_object_object_get_ex(body, invite_template_parts[i].member, &part);
		if (!emu_validate_at(res, part, invite_template_parts[i].member,
				     invite_template_parts[i].fields))
			return false;
	}
	return true;
}

static void create_invite_template(struct emu *emu, struct emu_request *req,
				   struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *tpl;

	if (!body || !invite_template_valid(res, body))
		return;
	tpl = object_from_body(emu, body, "ivt-", invite_template_fields);
	emu_json_set_str(tpl, "updatedAt", emu_json_str(tpl, "createdAt"));
	emu_coll_put(emu_store(emu, "inviteTemplates"), json_object_get(tpl));
	emu_state_dirty(emu);
	emu_reply(res, 201, tpl);
}

static void update_invite_template(struct emu *emu, struct emu_request *req,
				   struct emu_response *res)
{
	struct emu_coll *c = emu_store(emu, "inviteTemplates");
	const char *id = emu_req_capture(req, "id");
	json_object *old = emu_get_or_404(res, c, "inviteTemplates", id), *body, *tpl;
	char now[EMU_TIME_LEN];

	if (!old || !(body = emu_req_json(req, res)) || !invite_template_valid(res, body))
		return;
	tpl = object_from_body(emu, body, "", invite_template_fields);
	/* PUT replaces the content but keeps the identity and creation time. */
	emu_json_set_str(tpl, "id", id);
	emu_json_set_str(tpl, "createdAt", emu_json_str(old, "createdAt"));
	emu_now(now);
	emu_json_set_str(tpl, "updatedAt", now);
	emu_coll_put(c, json_object_get(tpl));
	emu_state_dirty(emu);
	emu_reply(res, 200, tpl);
}

/* ---- invites ------------------------------------------------------------- */

static const struct emu_field invite_fields[] = {
	{ "fullName", EMU_T_STRING, true, NULL },
	{ "firstName", EMU_T_STRING, false, NULL },
	{ "lastName", EMU_T_STRING, false, NULL },
	{ "email", EMU_T_EMAIL, true, NULL },
	{ "templateId", EMU_T_STRING, true, NULL },
	{ "winkTemplateId", EMU_T_STRING, false, NULL },
	EMU_FIELDS_END,
};

static void invite_log_add(struct emu *emu, json_object *invite)
{
	json_object *log = json_object_new_object();
	_cleanup_free_ char *id = emu_new_id(emu, "ivl-");

	emu_json_set_str(log, "id", id);
	emu_json_set_str(log, "inviteId", emu_json_str(invite, "id"));
	emu_json_set_str(log, "userId", emu_json_str(invite, "userId"));
	emu_json_set_str(log, "inviteStatus", emu_json_str(invite, "status"));
	emu_json_set_str(log, "createdAt", emu_json_str(invite, "updatedAt"));
	emu_coll_put(emu_store(emu, "inviteLogs"), log);
}

static char *landing_page_url(struct emu_request *req, const char *invite_id, const char *token)
{
	const char *host = emu_req_header(req, "Host");

	return xasprintf("http://%s/_emulator/link?inviteId=%s&token=%s",
			 host ? host : "127.0.0.1", invite_id, token);
}

static void create_invite(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *invite, *user, *token, *event;

	if (!body || !emu_validate(res, body, invite_fields))
		return;
	if (!emu_coll_get(emu_store(emu, "inviteTemplates"), emu_json_str(body, "templateId"))) {
		emu_bad_param(res, "templateId '%s' is not an existing invite template",
			      emu_json_str(body, "templateId"));
		return;
	}
	invite = object_from_body(emu, body, "iv-", invite_fields);
	user = user_create(emu, NULL);
	token = token_create(emu, emu_json_str(user, "id"));
	emu_json_set_str(invite, "userId", emu_json_str(user, "id"));
	emu_json_set_str(invite, "status", "INVITED");
	emu_json_set_str(invite, "updatedAt", emu_json_str(invite, "createdAt"));
	emu_json_set_str(invite, "invitedAt", emu_json_str(invite, "createdAt"));
	/* When the person linked: null until then, as the docs' sample shows
	 * (the spec's schema types it as a date-time that is never null). */
	emu_json_set_str(invite, "linkedAt", NULL);
	_cleanup_free_ char *url = landing_page_url(req, emu_json_str(invite, "id"),
						    emu_json_str(token, "accessToken"));
	emu_json_set_str(invite, "inviteLandingPageUrl", url);
	json_object_put(token);
	emu_coll_put(emu_store(emu, "invites"), json_object_get(invite));
	invite_log_add(emu, invite);

	event = json_object_new_object();
	emu_json_set_str(event, "userId", emu_json_str(invite, "userId"));
	emu_json_set_str(event, "inviteId", emu_json_str(invite, "id"));
	emu_emit(emu, "INVITE_INVITED", event);
	json_object_put(event);
	emu_state_dirty(emu);
	emu_reply(res, 201, invite);
}

/* --- invitees who link ---------------------------------------------------- */

struct linked_ctx {
	struct emu *emu;
	const char *user_id;
	char now[EMU_TIME_LEN];
};

static bool mark_linked(json_object *invite, void *data)
{
	struct linked_ctx *ctx = data;
	const char *user = emu_json_str(invite, "userId"), *status = emu_json_str(invite, "status");

	if (!user || strcmp(user, ctx->user_id) || (status && !strcmp(status, "LINKED")))
		return true;
	emu_json_set_str(invite, "status", "LINKED");
	emu_json_set_str(invite, "linkedAt", ctx->now);
	emu_json_set_str(invite, "updatedAt", ctx->now);
	invite_log_add(ctx->emu, invite);
	json_object *event = json_object_new_object();
	emu_json_set_str(event, "userId", user);
	emu_json_set_str(event, "inviteId", emu_json_str(invite, "id"));
	emu_emit(ctx->emu, "INVITE_LINKED", event);
	json_object_put(event);
	return true;
}

void emu_invites_user_linked(struct emu *emu, const char *user_id)
{
	struct linked_ctx ctx = { .emu = emu, .user_id = user_id };

	emu_now(ctx.now);
	emu_coll_each(emu_store(emu, "invites"), mark_linked, &ctx);
	emu_state_dirty(emu);
}

/* GET /_emulator/link?inviteId=&token=: the page an invitation e-mail links
 * to. It needs no API credentials (an invitee has none), only the invite's
 * token, and tells how to play the linking with POST /_emulator/link. */
static void invite_landing_page(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *invite_id = emu_req_query(req, "inviteId"), *token = emu_req_query(req, "token");
	json_object *invite = invite_id ? emu_coll_get(emu_store(emu, "invites"), invite_id) : NULL;
	const char *expected = invite ? emu_json_str(invite, "inviteLandingPageUrl") : NULL;
	const char *at = expected && token ? strstr(expected, "token=") : NULL;

	if (!invite || !at || strcmp(at + strlen("token="), token)) {
		emu_error(res, 404, "MISSING_RESOURCE", "no invitation with that inviteId and token");
		return;
	}
	_cleanup_free_ char *page = xasprintf(
		"<!doctype html><title>Link your work account</title>"
		"<h1>Link your work account</h1>"
		"<p>smile-emulator plays the Wink widget: POST /_emulator/link with "
		"{\"userId\": \"%s\", \"providerId\": \"upwork\", \"username\": \"George\", "
		"\"password\": \"123456\", \"mfaCode\": \"1234\"} marks this invitation LINKED.</p>\n",
		emu_json_str(invite, "userId"));
	emu_reply_bytes(res, 200, "text/html; charset=utf-8", page, strlen(page));
}

const struct emu_route emu_routes_control_invites[] = {
	{ "GET", "/_emulator/link", invite_landing_page },
	EMU_ROUTES_END,
};

static bool log_of_invite(json_object *item, void *invite_id)
{
	const char *id = emu_json_str(item, "inviteId");

	return id && strcmp(id, invite_id) == 0;
}

static void list_invite_logs(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "inviteId");

	if (emu_get_or_404(res, emu_store(emu, "invites"), "invites", id))
		emu_list_page(res, emu_store(emu, "inviteLogs"), req, log_of_invite, (void *)id);
}

const struct emu_route emu_routes_general[] = {
	{ "GET", "/providers", list_providers },
	{ "GET", "/providers/{id}", get_provider },
	{ "GET", "/fileTypes", list_file_types },
	{ "GET", "/users", emu_handle_list },
	{ "POST", "/users", create_user },
	{ "GET", "/users/{id}", emu_handle_get },
	{ "GET", "/users/{id}/payload", get_user_payload },
	{ "POST", "/users/{id}/resetSession", reset_user_session },
	{ "POST", "/tokens", create_token },
	{ "GET", "/webhooks", emu_handle_list },
	{ "POST", "/webhooks", create_webhook },
	{ "GET", "/webhooks/{id}", emu_handle_get },
	{ "DELETE", "/webhooks/{id}", delete_webhook },
	{ "GET", "/consentTemplates", emu_handle_list },
	{ "POST", "/consentTemplates", create_consent_template },
	{ "DELETE", "/consentTemplates/{id}", delete_plain },
	{ "GET", "/inviteTemplates", emu_handle_list },
	{ "POST", "/inviteTemplates", create_invite_template },
	{ "GET", "/inviteTemplates/{id}", emu_handle_get },
	{ "PUT", "/inviteTemplates/{id}", update_invite_template },
	{ "DELETE", "/inviteTemplates/{id}", delete_plain },
	{ "GET", "/invites", emu_handle_list },
	{ "POST", "/invites", create_invite },
	{ "GET", "/invites/{id}", emu_handle_get },
	{ "GET", "/invites/{inviteId}/logs", list_invite_logs },
	{ "GET", "/tasks", emu_handle_list },
	{ "GET", "/tasks/{id}", emu_handle_get },
	EMU_ROUTES_END,
};
