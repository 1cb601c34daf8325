/* SPDX-License-Identifier: MIT */
/*
 * POST /_emulator/link: plays a user linking an account in the Wink widget
 * (model/links.c does the linking). Also the table of the data-side
 * control routes.
 */
#include "emulator/model/model.h"

static const struct emu_field link_fields[] = {
	{ "userId", EMU_T_STRING, false, NULL },     /* required unless accountId */
	{ "providerId", EMU_T_STRING, false, NULL }, /* required unless accountId */
	{ "username", EMU_T_STRING, false, NULL },
	{ "password", EMU_T_STRING, false, NULL },
	{ "mfaCode", EMU_T_STRING, false, NULL },
	{ "accountId", EMU_T_STRING, false, NULL },  /* gives the code of a link awaiting it */
	EMU_FIELDS_END,
};

static void reply_account(struct emu_response *res, unsigned status, json_object *account)
{
	emu_reply(res, status, emu_json_copy(account));
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
	if (!user_get(emu, user_id)) {
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
