/* SPDX-License-Identifier: MIT */
/* Questions on the terminal: confirmations and secrets (cmd_read_secret in
 * cmd.h). Answers come from /dev/tty, never from a redirected stdin. */
#pragma once


/* Asks "QUESTION [y/N] " on the terminal: 1 for "y" or "yes", 0 for any
 * other answer, -ENXIO when there is no terminal to ask on. */
int prompt_yes(const char *question);
