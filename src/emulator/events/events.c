/* SPDX-License-Identifier: MIT */
/*
 * Fan-out of events to the webhooks subscribed to them. See events.h.
 */
#include <string.h>

#include "core/util.h"
#include "core/webhook_events.h"
#include "emulator/emu.h"
#include "emulator/events/delivery.h"
#include "emulator/events/events.h"
#include "emulator/server.h"

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
		if (strcmp(t, event_type) == 0 || strcmp(t, WEBHOOK_ALL_EVENTS) == 0)
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

	if (emu->events_held)
		return;
	emu_coll_each(emu_store(emu, "webhooks"), collect_target, &ctx);
	if (ctx.n > 0)
		webhook_engine_emit(emu->webhooks, ctx.targets, ctx.n, event_type, data);
	free(ctx.targets);
}

void emu_emit_owned(struct emu *emu, const char *event_type, json_object *data)
{
	emu_emit(emu, event_type, data);
	json_object_put(data);
}

void events_hold(struct emu *emu, bool hold)
{
	emu->events_held = hold;
}

static bool cancel_webhook(json_object *webhook, void *engine)
{
	webhook_engine_cancel(engine, emu_json_str(webhook, "id"));
	return true;
}

void events_forget_webhook(struct emu *emu, const char *webhook_id)
{
	if (webhook_id)
		webhook_engine_cancel(emu->webhooks, webhook_id);
	else
		emu_coll_each(emu_store(emu, "webhooks"), cancel_webhook, emu->webhooks);
}

json_object *event_data_for(const char *user_id, const char *account_id, const char *provider_id)
{
	json_object *data = json_object_new_object();
	json_object *providers = json_object_new_array();

	emu_json_set_str(data, "userId", user_id);
	emu_json_set_str(data, "accountId", account_id);
	json_object_array_add(providers, json_object_new_string(provider_id));
	json_object_object_add(data, "providers", providers);
	return data;
}

json_object *event_data_of(const char *user_id, const char *key, const char *id)
{
	json_object *data = json_object_new_object();

	emu_json_set_str(data, "userId", user_id);
	if (key)
		emu_json_set_str(data, key, id);
	return data;
}
