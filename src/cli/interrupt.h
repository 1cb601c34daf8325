/* SPDX-License-Identifier: MIT */
/*
 * Ctrl-C for long commands (bulk sends, apply): the first one sets a stop
 * flag (the HTTP client's), so requests in flight finish and their
 * outcome is recorded; a second one (SA_RESETHAND) kills as usual.
 */
#pragma once

#include <signal.h>
#include <stdbool.h>

void cli_catch_interrupt(volatile bool *flag, struct sigaction *old);
void cli_release_interrupt(const struct sigaction *old);
