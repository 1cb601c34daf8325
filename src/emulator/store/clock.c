/* SPDX-License-Identifier: MIT */
/*
 * The emulator's clock and GET/POST /_emulator/clock, which read it and move
 * it forward. Moving it runs the retention sweep at once, so what expired
 * is gone when the answer arrives.
 */
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "emulator/store/clock.h"
#include "emulator/model/retention.h"

/* A century ahead is far enough for any retention test. */
#define CLOCK_MAX_OFFSET_S (100L * 366 * 86400)

static _Atomic long clock_offset;

time_t emu_clock_now(void)
{
	return time(NULL) + (time_t)atomic_load(&clock_offset);
}

long emu_clock_offset(void)
{
	return atomic_load(&clock_offset);
}

bool emu_clock_advance(long seconds)
{
	long old = atomic_load(&clock_offset);

	if (seconds < 0 || seconds > CLOCK_MAX_OFFSET_S - old)
		return false;
	atomic_fetch_add(&clock_offset, seconds);
	return true;
}

void emu_clock_set_offset(long seconds)
{
	atomic_store(&clock_offset, seconds < 0 ? 0 : seconds > CLOCK_MAX_OFFSET_S ? CLOCK_MAX_OFFSET_S : seconds);
}

bool emu_clock_parse(const char *s, time_t *out)
{
	struct tm tm = { 0 };
	int n = 0;

	if (!s || strlen(s) != 20 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 || n != 20)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = timegm(&tm);
	return *out != (time_t)-1;
}

/* ---- GET/POST /_emulator/clock ------------------------------------------ */

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
	if (days && n > CLOCK_MAX_OFFSET_S / 86400) {
		emu_bad_param(res, "advanceDays must be at most %ld", CLOCK_MAX_OFFSET_S / 86400);
		return false;
	}
	*seconds = days ? (long)n * 86400 : n > CLOCK_MAX_OFFSET_S ? LONG_MAX : (long)n;
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
			      CLOCK_MAX_OFFSET_S / 86400);
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
