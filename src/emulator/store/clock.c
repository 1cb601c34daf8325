/* SPDX-License-Identifier: MIT */
/* The emulator's clock (clock.h), and the timestamps written from it. */
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "emulator/store/clock.h"

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

	if (seconds < 0 || seconds > EMU_CLOCK_MAX_OFFSET_S - old)
		return false;
	atomic_fetch_add(&clock_offset, seconds);
	return true;
}

void emu_clock_set_offset(long seconds)
{
	atomic_store(&clock_offset, seconds < 0 ? 0 : seconds > EMU_CLOCK_MAX_OFFSET_S ? EMU_CLOCK_MAX_OFFSET_S : seconds);
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

void emu_time_from_now(char out[EMU_TIME_LEN], long seconds)
{
	time_t t = emu_clock_now() + seconds;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, EMU_TIME_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void emu_now(char out[EMU_TIME_LEN])
{
	emu_time_from_now(out, 0);
}
