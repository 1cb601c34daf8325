/* SPDX-License-Identifier: MIT */
/*
 * /_emulator/wink/api/: what the stand-in widget asks of the emulator, as
 * the real widget asks Smile's link service. Authorised by the user token
 * alone (Authorization: Bearer <accessToken>), never by the API key: the
 * widget runs in a browser, which must never see the API secret.
 *
 * A link token is single-use for a widget session, as the docs say: POST
 * session starts one and spends the token; the session's other calls take
 * the same token until it expires (expiresAt). An unknown, expired or spent
 * token answers 401 TOKEN_EXPIRED, which the widget turns into onTokenExpired.
 *
 * The linking itself is the shared link step (link_begin, link_give_code),
 * so the widget makes the same state changes, tasks and webhook events as
 * POST /_emulator/link.
 */
#include <string.h>
#include <strings.h>

#include "emulator/model/model.h"

/* The stored token the request's bearer names, or NULL. */
static json_object *bearer_token(struct emu *emu, struct emu_request *req)
{
	const char *auth = emu_req_header(req, "Authorization"), *access;

	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		return NULL;
	access = auth + 7;
	while (*access == ' ')
		access++;
	return *access ? token_find(emu, access) : NULL;
}

static void token_refused(struct emu_response *res, const char *why)
{
	emu_error(res, 401, "TOKEN_EXPIRED", "%s; ask the app for a new link token", why);
}

/*
 * The user the request acts for, once its token is checked; else answers
 * 401 and returns NULL. starting: the call that spends the token on a new
 * session (refused when it is spent already); otherwise the token must have
 * started one.
 */
static const char *session_user(struct emu *emu, struct emu_request *req, struct emu_response *res,
				bool starting)
{
	json_object *token = bearer_token(emu, req), *session;
	struct emu_coll *sessions = emu_store(emu, "winkSessions");
	char now[EMU_TIME_LEN];

	if (!token) {
		token_refused(res, "the widget needs a valid link token");
		return NULL;
	}
	if (token_expired(token)) {
		token_refused(res, "the link token has expired");
		return NULL;
	}
	session = emu_coll_get(sessions, emu_json_str(token, "id"));
	if (starting && session) {
		token_refused(res, "the link token was used for a widget session already");
		return NULL;
	}
	if (!starting && !session) {
		token_refused(res, "no widget session was started with this link token");
		return NULL;
	}
	if (!emu_coll_get(emu_store(emu, "users"), emu_json_str(token, "userId"))) {
		token_refused(res, "the link token's user no longer exists");
		return NULL;
	}
	if (starting) {
		emu_now(now);
		session = json_object_new_object();
		emu_json_set_str(session, "id", emu_json_str(token, "id"));
		emu_json_set_str(session, "userId", emu_json_str(token, "userId"));
		emu_json_set_str(session, "startedAt", now);
		emu_coll_put(sessions, session);
		emu_state_dirty(emu);
	}
	return emu_json_str(token, "userId");
}

struct owned {
	const char *user_id;
	json_object *out;
};

static bool collect_owned(json_object *item, void *ctx)
{
	struct owned *o = ctx;
	const char *owner = emu_json_str(item, "userId");

	if (owner && strcmp(owner, o->user_id) == 0)
		json_object_array_add(o->out, emu_json_copy(item));
	return true;
}

static json_object *owned_by(struct emu *emu, const char *coll, const char *user_id)
{
	struct owned o = { user_id, json_object_new_array() };

	emu_coll_each(emu_store(emu, coll), collect_owned, &o);
	return o.out;
}

/* The user's object of a collection named by the {id} capture; else 404
 * (another user's object is not found either). */
static json_object *own_object(struct emu *emu, struct emu_request *req, struct emu_response *res,
			       const char *coll, const char *what, const char *user_id)
{
	const char *id = emu_req_capture(req, "id");
	json_object *obj = emu_coll_get(emu_store(emu, coll), id);
	const char *owner = obj ? emu_json_str(obj, "userId") : NULL;

	if (!owner || strcmp(owner, user_id) != 0) {
		emu_not_found(res, what, id);
		return NULL;
	}
	return obj;
}

/* POST session: spends the token; answers what the widget shows. */
static void start_session(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *user_id = session_user(emu, req, res, true);
	json_object *data;

	if (!user_id)
		return;
	data = json_object_new_object();
	emu_json_set_str(data, "userId", user_id);
	emu_json_set_str(data, "mode", "SANDBOX");
	json_object_object_add(data, "providers", emu_json_copy(emu_provider_catalogue()));
	json_object_object_add(data, "fileTypes", emu_json_copy(emu_file_type_catalogue()));
	json_object_object_add(data, "accounts", owned_by(emu, "accounts", user_id));
	json_object_object_add(data, "archives", owned_by(emu, "archives", user_id));
	emu_reply(res, 200, data);
}

static const struct emu_field login_fields[] = {
	{ "providerId", EMU_T_STRING, true, NULL },
	{ "username", EMU_T_STRING, true, NULL },
	{ "password", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};

/* POST accounts {providerId, username, password}: the login screen. */
static void log_in(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *user_id = session_user(emu, req, res, false);
	json_object *body, *provider;

	if (!user_id || !(body = emu_req_json(req, res)) || !emu_validate(res, body, login_fields))
		return;
	provider = emu_provider_get(emu_json_str(body, "providerId"));
	if (!provider) {
		emu_not_found(res, "provider", emu_json_str(body, "providerId"));
		return;
	}
	emu_reply(res, 201, emu_json_copy(link_begin(emu, user_id, provider, emu_json_str(body, "username"),
					       emu_json_str(body, "password"))));
}

static const struct emu_field code_fields[] = {
	{ "mfaCode", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};

/* POST accounts/{id}/mfa {mfaCode}: the verification code screen. */
static void give_code(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *user_id = session_user(emu, req, res, false);
	json_object *body, *account;

	if (!user_id || !(body = emu_req_json(req, res)) || !emu_validate(res, body, code_fields) ||
	    !(account = own_object(emu, req, res, "accounts", "account", user_id)))
		return;
	if (!link_give_code(emu, account, emu_json_str(body, "mfaCode"))) {
		emu_error(res, 409, "INVALID_STATE", "account '%s' awaits no verification code",
			  emu_json_str(account, "id"));
		return;
	}
	emu_reply(res, 200, emu_json_copy(account));
}

/* POST accounts/{id}/revoke: the user disconnects an account. */
static void revoke_account(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *user_id = session_user(emu, req, res, false);
	json_object *account;

	if (!user_id || !(account = own_object(emu, req, res, "accounts", "account", user_id)))
		return;
	account_revoke(emu, account);
	emu_reply(res, 200, emu_json_copy(account));
}

/* POST archives {fileType, rawFiles}: the upload screen, as POST /archives. */
static void upload(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *user_id = session_user(emu, req, res, false);

	if (user_id)
		archive_upload_for(emu, req, res, user_id);
}

/* DELETE archives/{id}: the user deletes an upload. */
static void revoke_upload(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *user_id = session_user(emu, req, res, false);
	json_object *archive;

	if (!user_id || !(archive = own_object(emu, req, res, "archives", "archive", user_id)))
		return;
	archive_revoke(emu, archive);
	emu_reply(res, 200, emu_json_copy(archive));
}

const struct emu_route emu_routes_control_wink_api[] = {
	{ "POST", "/_emulator/wink/api/session", start_session },
	{ "POST", "/_emulator/wink/api/accounts", log_in },
	{ "POST", "/_emulator/wink/api/accounts/{id}/mfa", give_code },
	{ "POST", "/_emulator/wink/api/accounts/{id}/revoke", revoke_account },
	{ "POST", "/_emulator/wink/api/archives", upload },
	{ "DELETE", "/_emulator/wink/api/archives/{id}", revoke_upload },
	EMU_ROUTES_END,
};
