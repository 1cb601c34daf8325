/* SPDX-License-Identifier: MIT */
/*
 * POST /_emulator/reset and GET /_emulator/stats: the store as a whole,
 * emptied, or counted with the requests, faults and webhook deliveries.
 */
#include "emulator/server.h"
#include "emulator/events/delivery.h"
#include "emulator/events/events.h"

static void control_reset(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	(void)req;
	events_forget_webhook(emu, NULL);
	store_clear(emu);
	emu_state_dirty(emu);
	emu_reply(res, 200, NULL);
}

static json_object *counter(unsigned long n)
{
	return json_object_new_int64((int64_t)n);
}

static json_object *stats_faults(const struct emu_stats *s)
{
	json_object *f = json_object_new_object();

	json_object_object_add(f, "serverError", counter(s->faults[EMU_FAULT_500]));
	json_object_object_add(f, "unavailable", counter(s->faults[EMU_FAULT_503]));
	json_object_object_add(f, "tooManyRequests", counter(s->faults[EMU_FAULT_429]));
	json_object_object_add(f, "dropped", counter(s->faults[EMU_FAULT_DROP]));
	json_object_object_add(f, "afterHandler", counter(s->faults_after));
	return f;
}

static json_object *stats_webhooks(struct emu *emu)
{
	struct webhook_stats ws = { 0 };
	json_object *w = json_object_new_object();

	webhook_engine_stats(emu->webhooks, &ws);
	json_object_object_add(w, "queued", counter(ws.queued));
	json_object_object_add(w, "delivered", counter(ws.delivered));
	json_object_object_add(w, "failedAttempts", counter(ws.failed_attempts));
	json_object_object_add(w, "dropped", counter(ws.dropped));
	json_object_object_add(w, "attempts", counter(ws.attempts));
	json_object_object_add(w, "retries", counter(ws.retries));
	return w;
}

static void control_stats(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const struct emu_stats *s = &emu->stats;
	json_object *data = json_object_new_object();

	(void)req;
	json_object_object_add(data, "requests", counter(s->requests));
	json_object_object_add(data, "controlRequests", counter(s->control_requests));
	json_object_object_add(data, "unauthorized", counter(s->unauthorized));
	json_object_object_add(data, "rateLimited", counter(s->rate_limited));
	json_object_object_add(data, "faults", stats_faults(s));
	json_object_object_add(data, "collections", store_counts(emu));
	json_object_object_add(data, "webhooks", stats_webhooks(emu));
	emu_reply(res, 200, data);
}

const struct emu_route emu_routes_control[] = {
	{ "POST", "/_emulator/reset", control_reset },
	{ "GET", "/_emulator/stats", control_stats },
	EMU_ROUTES_END,
};
