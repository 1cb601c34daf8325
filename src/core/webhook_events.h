/* SPDX-License-Identifier: MIT */
/*
 * The webhook event types of the Smile API (the contract's
 * RefWebhookEventType), once: smile's --event-types checks and completion
 * and smile-emulator's webhook validation are built from this table, and
 * tests/unit/test_webhook_events.c holds it against the contract.
 */
#pragma once

#include <stdbool.h>

#define WEBHOOK_ALL_EVENTS "ALL_EVENTS"

/* ALL_EVENTS first (which subscribes to every event), then each event type
 * in the contract's order; NULL-terminated. webhook_event_types + 1 is the
 * types of actual events. */
extern const char *const webhook_event_types[];

/* Whether type is one of them (ALL_EVENTS included). */
bool webhook_event_type_known(const char *type);
