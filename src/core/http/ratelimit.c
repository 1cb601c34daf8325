/* SPDX-License-Identifier: MIT */
/*
 * Token bucket: the Smile API allows 20 requests per second per IP, and a
 * bulk command must stay under it rather than collect 429s. Time is passed
 * in so tests need no clock.
 */
#include "core/http/client.h"

void rate_limiter_init(struct rate_limiter *rl, double rate, double now)
{
	rl->rate = rate > 0 ? rate : 0;
	rl->burst = rl->rate > 1 ? rl->rate : 1;
	rl->tokens = rl->burst;
	rl->last = now;
}

double rate_limiter_take(struct rate_limiter *rl, double now)
{
	if (rl->rate <= 0)
		return 0;
	/* A clock that went backwards adds nothing rather than removing tokens. */
	if (now > rl->last) {
		rl->tokens += (now - rl->last) * rl->rate;
		if (rl->tokens > rl->burst)
			rl->tokens = rl->burst;
		rl->last = now;
	}
	if (rl->tokens >= 1) {
		rl->tokens -= 1;
		return 0;
	}
	double wait = (1 - rl->tokens) / rl->rate;
	return wait > 1e-6 ? wait : 1e-6;
}
