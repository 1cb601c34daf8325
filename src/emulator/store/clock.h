/* SPDX-License-Identifier: MIT */
/*
 * The emulator's clock: real time plus an offset that only grows. Every
 * timestamp the emulator writes (createdAt, expiresAt, tasks, events, ...)
 * comes from it, so moving it forward (POST /_emulator/clock) ages all the
 * data at once: tokens expire, retention runs out.
 *
 * One clock per process, read by the request handlers and the webhook
 * thread alike (so it is atomic, not kept under the emulator's lock).
 */
#pragma once

#include <stdbool.h>
#include <time.h>

#include "emulator/emu.h"

/* How far ahead the clock may run: a century is far enough for any
 * retention test. */
#define EMU_CLOCK_MAX_OFFSET_S (100L * 366 * 86400)

/* Real time plus the offset. */
time_t emu_clock_now(void);
/* Seconds the clock is ahead of real time. */
long emu_clock_offset(void);
/* Moves the clock forward by seconds (>= 0); false when that would overflow. */
bool emu_clock_advance(long seconds);
/* Sets the offset, as a saved state restores it (negative counts as 0). */
void emu_clock_set_offset(long seconds);
/* Parses RFC 3339 UTC "YYYY-MM-DDTHH:MM:SSZ" as the emulator writes it;
 * false for anything else. */
bool emu_clock_parse(const char *s, time_t *out);
