/* SPDX-License-Identifier: MIT */
/*
 * /webhooks: subscriptions to the events of events/events.c.
 */
#include "core/util.h"
#include "core/webhook_events.h"
#include "emulator/model/model.h"

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

		if (!json_object_is_type(t, json_type_string) ||
		    !webhook_event_type_known(json_object_get_string(t))) {
			emu_bad_param(res, "eventTypes[%zu] is not a known event type", i);
			return false;
		}
	}
	return true;
}

static void create_webhook(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *types;
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
	/* the spec answers 200 here, not 201 */
	emu_reply(res, 200, json_object_get(webhook_create(emu, body)));
}

static void delete_webhook(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "id");

	if (webhook_delete(emu, id))
		emu_reply(res, 200, NULL);
	else
		emu_not_found(res, "webhooks", id);
}

const struct emu_route emu_routes_webhooks[] = {
	{ "GET", "/webhooks", emu_handle_list },
	{ "POST", "/webhooks", create_webhook },
	{ "GET", "/webhooks/{id}", emu_handle_get },
	{ "DELETE", "/webhooks/{id}", delete_webhook },
	EMU_ROUTES_END,
};
