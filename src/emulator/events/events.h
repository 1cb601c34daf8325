/* SPDX-License-Identifier: MIT */
/*
 * Events: the one way the model tells the outside world what changed.
 * Every state change Smile announces calls emu_emit(), which hands the event
 * to each active webhook subscribed to its type; delivery.c's thread then
 * POSTs it, so a request never waits for a receiver.
 *
 * The data builders below give the shapes the docs show (tag-webhooks.md),
 * so that every emitter of an event sends the same members.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>

struct emu;

/* Sends an event (data borrowed) to every active webhook subscribed to it,
 * unless events are held back (seeding). */
void emu_emit(struct emu *emu, const char *event_type, json_object *data);
/* While held, emu_emit() sends nothing: seeding makes bulk data without
 * one event per item, as Smile's own imports do. */
void events_hold(struct emu *emu, bool hold);
/* A deleted webhook gets nothing more, not even what was queued for it;
 * NULL: every webhook (reset). */
void events_forget_webhook(struct emu *emu, const char *webhook_id);

/* {userId, accountId, providers: [providerId]}: what account events carry. */
json_object *event_data_for(const char *user_id, const char *account_id, const char *provider_id);
/* {userId, <key>: id}: what user, invite and archive events carry. */
json_object *event_data_of(const char *user_id, const char *key, const char *id);
/* Emits type with data and releases data (the usual last step). */
void emu_emit_owned(struct emu *emu, const char *event_type, json_object *data);
