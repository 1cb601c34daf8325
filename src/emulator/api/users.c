/* SPDX-License-Identifier: MIT */
/*
 * /users and /tokens: onboarding a user, their payload, a new link token.
 */
#include <string.h>

#include "emulator/model/model.h"
#include "emulator/model/model.h"

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

static json_object *user_or_404(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	return emu_get_or_404(res, emu_store(emu, "users"), "user", emu_req_capture(req, "id"));
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
	const char *owner = emu_json_str(item, "userId");
	json_object *entry;

	if (!owner || strcmp(owner, ctx->user_id) != 0)
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
	json_object *user = user_or_404(emu, req, res), *data;
	const char *id = emu_req_capture(req, "id");
	struct payload_ctx accounts = { emu, id, "providerId", "providerId", "ACCOUNT", NULL };
	struct payload_ctx archives = { emu, id, "fileType", "type", "ARCHIVE", NULL };

	if (!user)
		return;
	accounts.out = json_object_new_array();
	archives.out = json_object_new_array();
	emu_coll_each_of_user(emu_store(emu, "accounts"), id, add_payload_entry, &accounts);
	emu_coll_each_of_user(emu_store(emu, "archives"), id, add_payload_entry, &archives);
	data = json_object_new_object();
	json_object_object_add(data, "metadata", user_session_copy(user));
	json_object_object_add(data, "forms", json_object_new_array());
	json_object_object_add(data, "accounts", accounts.out);
	json_object_object_add(data, "archives", archives.out);
	emu_reply(res, 200, data);
}

static void reset_user_session(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *user = user_or_404(emu, req, res);

	if (!user)
		return;
	user_reset_session(emu, user);
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
	emu_reply(res, 201, token_create(emu, user_id));
}

const struct emu_route emu_routes_users[] = {
	{ "GET", "/users", emu_handle_list },
	{ "POST", "/users", create_user },
	{ "GET", "/users/{id}", emu_handle_get },
	{ "GET", "/users/{id}/payload", get_user_payload },
	{ "POST", "/users/{id}/resetSession", reset_user_session },
	{ "POST", "/tokens", create_token },
	EMU_ROUTES_END,
};
