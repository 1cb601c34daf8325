/* SPDX-License-Identifier: MIT */
#include "cli/interrupt.h"

#include <stddef.h>

static volatile bool *interrupt_flag;

static void on_interrupt(int sig)
{
	(void)sig;
	if (interrupt_flag)
		*interrupt_flag = true;
}

void cli_catch_interrupt(volatile bool *flag, struct sigaction *old)
{
	struct sigaction sa = { .sa_handler = on_interrupt, .sa_flags = SA_RESETHAND };

	interrupt_flag = flag;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old);
}

void cli_release_interrupt(const struct sigaction *old)
{
	sigaction(SIGINT, old, NULL);
	interrupt_flag = NULL;
}
