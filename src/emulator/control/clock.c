/* SPDX-License-Identifier: MIT */
/*
 * GET/POST /_emulator/clock, which read the emulator's clock and move it
 * forward. Moving it runs the retention sweep at once, so what expired is
 * gone when the answer arrives.
 */
#include <limits.h>

#include "emulator/store/clock.h"
#include "emulator/model/retention.h"

static json_object *clock_json(void)
{
	json_object *o = json_object_new_object();
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(o, "now", now);
	json_object_object_add(o, "offsetSeconds", json_object_new_int64(emu_clock_offset()));
	return o;
}

static void clock_get(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	(void)emu;
	(void)req;
	emu_reply(res, 200, clock_json());
}

static const struct emu_field advance_fields[] = {
	{ "advanceSeconds", EMU_T_INT, false, NULL },
	{ "advanceDays", EMU_T_INT, false, NULL },
	EMU_FIELDS_END,
};

/* The seconds the body asks to move; false after answering 400. */
static bool advance_of(struct emu_response *res, json_object *body, long *seconds)
{
	json_object *secs = NULL, *days = NULL;
	int64_t n;

	if (!emu_validate(res, body, advance_fields))
		return false;
	json_object_object_get_ex(body, "advanceSeconds", &secs);
	json_object_object_get_ex(body, "advanceDays", &days);
	if (!secs == !days) {
		emu_bad_param(res, "give one of advanceSeconds or advanceDays");
		return false;
	}
	n = json_object_get_int64(secs ? secs : days);
	if (n < 0) {
		emu_bad_param(res, "%s must not be negative: the clock never goes back",
			      secs ? "advanceSeconds" : "advanceDays");
		return false;
	}
	if (days && n > EMU_CLOCK_MAX_OFFSET_S / 86400) {
		emu_bad_param(res, "advanceDays must be at most %ld", EMU_CLOCK_MAX_OFFSET_S / 86400);
		return false;
	}
	*seconds = days ? (long)n * 86400 : n > EMU_CLOCK_MAX_OFFSET_S ? LONG_MAX : (long)n;
	return true;
}

static void clock_post(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res);
	long seconds;

	if (!body || !advance_of(res, body, &seconds))
		return;
	if (!emu_clock_advance(seconds)) {
		emu_bad_param(res, "the clock can run at most %ld days ahead of real time",
			      EMU_CLOCK_MAX_OFFSET_S / 86400);
		return;
	}
	retention_sweep(emu);
	emu_state_dirty(emu);
	emu_reply(res, 200, clock_json());
}

const struct emu_route emu_routes_control_clock[] = {
	{ "GET", "/_emulator/clock", clock_get },
	{ "POST", "/_emulator/clock", clock_post },
	EMU_ROUTES_END,
};
