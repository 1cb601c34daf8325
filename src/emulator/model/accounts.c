/* SPDX-License-Identifier: MIT */
/*
 * Accounts: what a user links from a provider. PENDING when made, then
 * AWAITING_MFA, CONNECTED or ERROR as the login goes (model/links.c), and
 * DISCONNECTED once revoked: the account stays as a record of the link,
 * the data it brought goes, as the API reference describes.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

static json_object *status_object(const char *status, const char *now)
{
	json_object *o = json_object_new_object();

	emu_json_set_str(o, "status", status);
	emu_json_set_str(o, "updatedAt", now);
	return o;
}

static void set_monitor(json_object *account, const char *status)
{
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(account, "monitorStatus", status);
	json_object_object_add(account, "monitor", status_object(status, now));
}

static void set_connection(json_object *account, const char *status, const char *error_code,
			   const char *error_message)
{
	char now[EMU_TIME_LEN];
	json_object *conn;

	emu_now(now);
	conn = status_object(status, now);
	emu_json_set_str(conn, "errorCode", error_code);
	emu_json_set_str(conn, "errorMessage", error_message);
	emu_json_set_str(account, "connectionStatus", status);
	json_object_object_add(account, "connection", conn);
}

/* The event of an account change; login names who logged in (or NULL). */
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
	emu_emit_owned(emu, type, data);
}

json_object *account_create(struct emu *emu, const char *user_id, json_object *provider)
{
	json_object *a = json_object_new_object();
	const char *monitor = provider_flag(provider, "monitorSupported") ? "ACTIVE" : "UNSUPPORTED";
	_cleanup_free_ char *id = emu_new_id(emu, "a-");
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(a, "id", id);
	emu_json_set_str(a, "createdAt", now);
	emu_json_set_str(a, "providerId", emu_json_str(provider, "id"));
	emu_json_set_str(a, "userId", user_id);
	emu_json_set_str(a, "monitorStatus", monitor);
	json_object_object_add(a, "monitor", status_object(monitor, now));
	set_connection(a, "PENDING", NULL, NULL);
	emu_coll_put(emu_store(emu, "accounts"), a);
	emit_account_event(emu, "ACCOUNT_CREATED", a, NULL);
	emu_state_dirty(emu);
	return a;
}

void account_await_code(struct emu *emu, json_object *account)
{
	set_connection(account, "AWAITING_MFA", NULL, NULL);
	emu_state_dirty(emu);
}

void account_connect(struct emu *emu, json_object *account, const char *login)
{
	json_object *user = user_get(emu, emu_json_str(account, "userId"));

	set_connection(account, "CONNECTED", NULL, NULL);
	emit_account_event(emu, "ACCOUNT_CONNECTED", account, login);
	if (user)
		user_add_provider(emu, user, emu_json_str(account, "providerId"));
	emu_state_dirty(emu);
}

void account_fail(struct emu *emu, json_object *account, const char *error_code,
		  const char *error_message, const char *login)
{
	set_connection(account, "ERROR", error_code, error_message);
	emit_account_event(emu, "ACCOUNT_FAILED", account, login);
	emu_state_dirty(emu);
}

void account_revoke(struct emu *emu, json_object *a)
{
	if (strcmp(emu_json_str(a, "connectionStatus"), "DISCONNECTED") == 0)
		return;
	set_connection(a, "DISCONNECTED", NULL, NULL);
	set_monitor(a, "USER_ACTION_REQUIRED");
	userdata_remove_source(emu, emu_json_str(a, "id"));
	emit_account_event(emu, "ACCOUNT_DISCONNECTED", a, NULL);
	emu_state_dirty(emu);
}

void account_disable_monitor(struct emu *emu, json_object *account)
{
	set_monitor(account, "CUSTOMER_DISABLED");
	emu_state_dirty(emu);
}
