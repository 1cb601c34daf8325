/* SPDX-License-Identifier: MIT */
/*
 * Users: whoever the API client onboards, by POST /users, by an invitation,
 * by an upload that names no user, or by seeding. All of them are made here.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

static json_object *session_json(const char *user_id, const char *status)
{
	json_object *s = json_object_new_object();

	emu_json_set_str(s, "userId", user_id);
	emu_json_set_str(s, "channel", "Default");
	emu_json_set_str(s, "status", status);
	return s;
}

static void emit_session_event(struct emu *emu, const char *type, const char *user_id,
			       bool with_user)
{
	json_object *event = json_object_new_object();

	if (with_user)
		emu_json_set_str(event, "userId", user_id);
	json_object_object_add(event, "session", session_json(user_id, "IN_PROGRESS"));
	emu_emit_owned(emu, type, event);
}

json_object *user_create(struct emu *emu, json_object *external_metadata)
{
	json_object *u = json_object_new_object();
	_cleanup_free_ char *id = emu_new_id(emu, EMU_USER_ID_PREFIX);
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(u, "id", id);
	json_object_object_add(u, "externalMetadata", external_metadata
							      ? emu_json_copy(external_metadata)
							      : json_object_new_object());
	emu_json_set_str(u, "createdAt", now);
	json_object_object_add(u, "providers", json_object_new_array());
	json_object_object_add(u, "session", session_json(id, "IN_PROGRESS"));
	emu_coll_put(emu_store(emu, "users"), u);
	emit_session_event(emu, "USER_CREATED", id, true);
	emu_state_dirty(emu);
	return u;
}

json_object *user_get(struct emu *emu, const char *id)
{
	return id ? emu_coll_get(emu_store(emu, "users"), id) : NULL;
}

void user_reset_session(struct emu *emu, json_object *user)
{
	const char *id = emu_json_str(user, "id");

	json_object_object_add(user, "session", session_json(id, "IN_PROGRESS"));
	emit_session_event(emu, "USER_SESSION_RESET", id, false);
	emu_state_dirty(emu);
}

json_object *user_session_copy(json_object *user)
{
	json_object *session;

	if (json_object_object_get_ex(user, "session", &session) && session)
		return emu_json_copy(session);
	return session_json(emu_json_str(user, "id"), "IN_PROGRESS");
}

void user_add_provider(struct emu *emu, json_object *user, const char *provider_id)
{
	json_object *providers;

	if (!json_object_object_get_ex(user, "providers", &providers) ||
	    !json_object_is_type(providers, json_type_array)) {
		providers = json_object_new_array();
		json_object_object_add(user, "providers", providers);
	}
	for (size_t i = 0; i < json_object_array_length(providers); i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(providers, i)),
			   provider_id) == 0)
			return;
	json_object_array_add(providers, json_object_new_string(provider_id));
	emu_state_dirty(emu);
}
