/* SPDX-License-Identifier: MIT */
/*
 * Linking an account for a user with one of the sandbox test identities,
 * as a person does it in the Wink widget. The account walks PENDING ->
 * AWAITING_MFA -> CONNECTED (or ERROR on a wrong password or code), then a
 * LINK_ACCOUNT task fills every user-data resource for it, with the webhook
 * events the real service sends along the way.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

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
	char now[EMU_TIME_LEN];
	struct gen_ctx g = {
		.person = person, .user_id = user_id, .source_id = emu_json_str(account, "id"),
		.source_type = "ACCOUNT", .provider_id = provider_id, .now = now,
		.now_days = days_since_epoch_now(), .variety = 0,
	};

	emu_now(now);
	account_connect(emu, account, login);
	link_fill(emu, &g);
	invites_user_linked(emu, user_id);
}

json_object *link_begin(struct emu *emu, const char *user_id, json_object *provider,
			const char *username, const char *password)
{
	const struct sandbox_person *person = sandbox_person_find(username);
	json_object *account = account_create(emu, user_id, provider);

	if (!person || !password || strcmp(password, person->password) != 0) {
		account_fail(emu, account, "INVALID_CREDENTIALS", "Invalid username or password!",
			     username);
	} else if (provider_flag(provider, "mfa")) {
		json_object *login = json_object_new_object();

		emu_json_set_str(login, "id", emu_json_str(account, "id"));
		emu_json_set_str(login, "login", username);
		emu_coll_put(emu_store(emu, "linkLogins"), login);
		account_await_code(emu, account);
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
		account_fail(emu, account, "INVALID_MFA", "Invalid verification code!", login);
	emu_coll_remove(emu_store(emu, "linkLogins"), id);
	emu_state_dirty(emu);
	return true;
}

