/* SPDX-License-Identifier: MIT */
/*
 * POST /_emulator/link: plays a user linking an account in the Wink widget
 * with one of the sandbox test identities. The account walks PENDING ->
 * AWAITING_MFA -> CONNECTED (or ERROR on a wrong password or code), then a
 * LINK_ACCOUNT task fills every user-data resource for it, with the webhook
 * events the real service sends along the way.
 *
 * Also holds the table of data-side control routes.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/data.h"

static const struct emu_field link_fields[] = {
	{ "userId", EMU_T_STRING, false, NULL },     /* required unless accountId */
	{ "providerId", EMU_T_STRING, false, NULL }, /* required unless accountId */
	{ "username", EMU_T_STRING, false, NULL },
	{ "password", EMU_T_STRING, false, NULL },
	{ "mfaCode", EMU_T_STRING, false, NULL },
	{ "accountId", EMU_T_STRING, false, NULL },  /* gives the code of a link awaiting it */
	EMU_FIELDS_END,
};

static void emit_account_event(struct emu *emu, const char *type, json_object *account,
			       const char *login)
{
	json_object *data = event_data_for(emu_json_str(account, "userId"), emu_json_str(account, "id"),
					   emu_json_str(account, "providerId"));
	json_object *conn;

	if (login)
		emu_json_set_str(data, "loginName", login);
	if (strcmp(type, "ACCOUNT_FAILED") == 0 &&
	    json_object_object_get_ex(account, "connection", &conn)) {
		emu_json_set_str(data, "errorCode", emu_json_str(conn, "errorCode"));
		emu_json_set_str(data, "errorMessage", emu_json_str(conn, "errorMessage"));
	}
	emu_emit(emu, type, data);
	json_object_put(data);
}

/* The LINK_ACCOUNT task: every kind's items for the account. */
static void link_fill(struct emu *emu, const struct gen_ctx *g)
{
	json_object *task = task_start(emu, "LINK_ACCOUNT", g);
	json_object *datapoints = json_object_new_array();

	for (size_t k = 0; k < userdata_kinds_n; k++) {
		const struct userdata_kind *kind = &userdata_kinds[k];
		json_object *first = NULL;

		for (unsigned i = 0; i < kind->per_link; i++) {
			json_object *item = userdata_create(emu, kind, g, i);
			if (!first)
				first = item;
		}
		userdata_emit_added(emu, kind, g, first, kind->per_link);
		json_object_array_add(datapoints, json_object_new_string(kind->datapoint));
	}
	task_finish(emu, task, datapoints);
	json_object_put(datapoints);
}

/*
 * The shared "link an account for a user" step, in two halves as a person
 * goes through it: link_begin() with the login, link_give_code() with the
 * verification code. POST /_emulator/link and the widget both go through
 * them, so both make the same state changes, tasks and webhook events.
 *
 * Between the halves the account is AWAITING_MFA, and which sandbox
 * identity logged in is kept in "linkLogins" (not on the account, whose
 * shape is the API's).
 */

/* CONNECTED, the user's provider list, the LINK_ACCOUNT task with the data,
 * and the user's invitations LINKED. */
static void link_complete(struct emu *emu, json_object *account, const struct sandbox_person *person,
			  const char *login)
{
	const char *user_id = emu_json_str(account, "userId");
	const char *provider_id = emu_json_str(account, "providerId");
	json_object *user = emu_coll_get(emu_store(emu, "users"), user_id);
	char now[EMU_TIME_LEN];
	struct gen_ctx g = {
		.person = person, .user_id = user_id, .source_id = emu_json_str(account, "id"),
		.source_type = "ACCOUNT", .provider_id = provider_id, .now = now,
		.now_days = days_since_epoch_now(), .variety = 0,
	};

	emu_now(now);
	account_set_status(account, "CONNECTED", NULL, NULL);
	emit_account_event(emu, "ACCOUNT_CONNECTED", account, login);
	if (user)
		user_add_provider(emu, user, provider_id);
	link_fill(emu, &g);
	invites_user_linked(emu, user_id);
}

static void link_fail(struct emu *emu, json_object *account, const char *code, const char *message,
		      const char *login)
{
	account_set_status(account, "ERROR", code, message);
	emit_account_event(emu, "ACCOUNT_FAILED", account, login);
}

json_object *link_begin(struct emu *emu, const char *user_id, json_object *provider,
			const char *username, const char *password)
{
	const struct sandbox_person *person = sandbox_person_find(username);
	json_object *account = account_new(emu, user_id, emu_json_str(provider, "id"),
					   provider_flag(provider, "monitorSupported"));

	emit_account_event(emu, "ACCOUNT_CREATED", account, NULL);
	if (!person || !password || strcmp(password, person->password) != 0) {
		link_fail(emu, account, "INVALID_CREDENTIALS", "Invalid username or password!", username);
	} else if (provider_flag(provider, "mfa")) {
		json_object *login = json_object_new_object();

		emu_json_set_str(login, "id", emu_json_str(account, "id"));
		emu_json_set_str(login, "login", username);
		emu_coll_put(emu_store(emu, "linkLogins"), login);
		account_set_status(account, "AWAITING_MFA", NULL, NULL);
	} else {
		link_complete(emu, account, person, username);
	}
	emu_state_dirty(emu);
	return account;
}

bool link_give_code(struct emu *emu, json_object *account, const char *code)
{
	const char *id = emu_json_str(account, "id");
	json_object *entry = emu_coll_get(emu_store(emu, "linkLogins"), id);
	const char *login = entry ? emu_json_str(entry, "login") : NULL;
	const struct sandbox_person *person = login ? sandbox_person_find(login) : NULL;

	if (!person || strcmp(emu_json_str(account, "connectionStatus"), "AWAITING_MFA") != 0)
		return false;
	if (code && strcmp(code, SANDBOX_MFA_CODE) == 0)
		link_complete(emu, account, person, login);
	else
		link_fail(emu, account, "INVALID_MFA", "Invalid verification code!", login);
	emu_coll_remove(emu_store(emu, "linkLogins"), id);
	emu_state_dirty(emu);
	return true;
}

static void reply_account(struct emu_response *res, unsigned status, json_object *account)
{
	json_object *copy = NULL;

	json_object_deep_copy(account, &copy, NULL);
	emu_reply(res, status, copy);
}

/* {accountId, mfaCode}: the second half of a link that awaits its code. */
static void link_continue(struct emu *emu, json_object *body, struct emu_response *res)
{
	const char *id = emu_json_str(body, "accountId"), *code = emu_json_str(body, "mfaCode");
	json_object *account = emu_coll_get(emu_store(emu, "accounts"), id);

	if (!code)
		emu_bad_param(res, "mfaCode is required with accountId");
	else if (!account)
		emu_error(res, 404, "MISSING_RESOURCE", "accountId: no account with id '%s'", id);
	else if (!link_give_code(emu, account, code))
		emu_bad_param(res, "accountId: account '%s' is not awaiting a verification code", id);
	else
		reply_account(res, 200, account);
}

/* POST /_emulator/link: the first half, and the second when mfaCode is
 * given; without it, an account that needs a code stays AWAITING_MFA until
 * a later {accountId, mfaCode} (or the widget) gives it. */
static void link_account(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *provider, *account;
	const char *user_id, *provider_id;

	if (!body || !emu_validate(res, body, link_fields))
		return;
	if (emu_json_str(body, "accountId")) {
		link_continue(emu, body, res);
		return;
	}
	if (!emu_json_str(body, "username")) {
		/* No login given: the first sandbox identity links, as a quick
		 * way to get a connected account in scripts. */
		emu_json_set_str(body, "username", sandbox_person_at(0)->login);
		emu_json_set_str(body, "password", sandbox_person_at(0)->password);
		if (!emu_json_str(body, "mfaCode"))
			emu_json_set_str(body, "mfaCode", SANDBOX_MFA_CODE);
	} else if (!emu_json_str(body, "password")) {
		emu_bad_param(res, "password is required with username");
		return;
	}
	user_id = emu_json_str(body, "userId");
	provider_id = emu_json_str(body, "providerId");
	if (!user_id || !provider_id) {
		emu_bad_param(res, "%s is required", user_id ? "providerId" : "userId");
		return;
	}
	if (!emu_coll_get(emu_store(emu, "users"), user_id)) {
		emu_error(res, 404, "MISSING_RESOURCE", "userId: no user with id '%s'", user_id);
		return;
	}
	provider = emu_provider_get(provider_id);
	if (!provider) {
		emu_error(res, 404, "MISSING_RESOURCE", "providerId: no provider with id '%s'",
			  provider_id);
		return;
	}
	account = link_begin(emu, user_id, provider, emu_json_str(body, "username"),
			     emu_json_str(body, "password"));
	if (emu_json_str(body, "mfaCode"))
		link_give_code(emu, account, emu_json_str(body, "mfaCode"));
	reply_account(res, 201, account);
}

const struct emu_route emu_routes_control_data[] = {
	{ "POST", "/_emulator/link", link_account },
	{ "POST", "/_emulator/seed", seed_handle },
	{ "GET", "/_emulator/files/{owner}/{index}/{name}", file_serve },
	EMU_ROUTES_END,
};
