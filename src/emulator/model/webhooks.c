/* SPDX-License-Identifier: MIT */
/*
 * Webhooks: the subscriptions events.c fans events out to.
 */
#include "core/util.h"
#include "emulator/model/model.h"

static bool member_true(json_object *body, const char *key)
{
	json_object *v = NULL;

	return json_object_object_get_ex(body, key, &v) && v && json_object_get_boolean(v);
}

json_object *webhook_create(struct emu *emu, json_object *body)
{
	json_object *hook = json_object_new_object(), *types = NULL;
	_cleanup_free_ char *id = emu_new_id(emu, "wh-");
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(hook, "id", id);
	emu_json_set_str(hook, "createdAt", now);
	emu_json_set_str(hook, "updatedAt", now);
	emu_json_set_str(hook, "name", emu_json_str(body, "name"));
	emu_json_set_str(hook, "url", emu_json_str(body, "url"));
	emu_json_set_str(hook, "secret", emu_json_str(body, "secret"));
	json_object_object_get_ex(body, "eventTypes", &types);
	json_object_object_add(hook, "eventTypes", emu_json_copy(types));
	json_object_object_add(hook, "active", json_object_new_boolean(member_true(body, "active")));
	json_object_object_add(hook, "includePayload",
			       json_object_new_boolean(member_true(body, "includePayload")));
	emu_coll_put(emu_store(emu, "webhooks"), hook);
	emu_state_dirty(emu);
	return hook;
}

bool webhook_delete(struct emu *emu, const char *id)
{
	if (!emu_coll_remove(emu_store(emu, "webhooks"), id))
		return false;
	events_forget_webhook(emu, id);
	emu_state_dirty(emu);
	return true;
}
