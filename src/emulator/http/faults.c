/* SPDX-License-Identifier: MIT */
/*
 * Injected faults (--fail-rate, --fault-seed) and the rate limit
 * (--rate-limit). All decisions are taken under the global lock from one
 * seeded generator, so a run with the same seed and the same sequence of
 * requests faults the same requests.
 *
 * 429 and 503 always strike before the handler: clients rely on them
 * meaning "not processed". A 500 or a dropped connection on a request that
 * changes state strikes after the handler half of the time, so clients meet
 * the case where the change happened but the answer got lost.
 */
#include <math.h>
#include <string.h>

#include "core/util.h"
#include "emulator/server.h"

uint64_t emu_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double unit_random(uint64_t *state)
{
	return (double)(emu_splitmix64(state) >> 11) * 0x1.0p-53;
}

unsigned faults_rate_limit(struct emu *emu)
{
	double rate = emu->opt.rate_limit, now = now_monotonic();

	if (rate <= 0)
		return 0;
	if (emu->bucket_time == 0) {
		emu->bucket_tokens = rate; /* burst = one second's worth */
	} else {
		emu->bucket_tokens += (now - emu->bucket_time) * rate;
		if (emu->bucket_tokens > rate)
			emu->bucket_tokens = rate;
	}
	emu->bucket_time = now;
	if (emu->bucket_tokens >= 1) {
		emu->bucket_tokens -= 1;
		return 0;
	}
	emu->stats.rate_limited++;
	double wait = ceil((1 - emu->bucket_tokens) / rate);
	return wait < 1 ? 1 : (unsigned)wait;
}

static bool changes_state(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

struct emu_fault_plan faults_plan(struct emu *emu, const char *method)
{
	struct emu_fault_plan plan = { EMU_FAULT_NONE, false };

	if (emu->opt.fail_rate <= 0 || unit_random(&emu->fault_rng) >= emu->opt.fail_rate)
		return plan;
	plan.kind = (enum emu_fault)(emu_splitmix64(&emu->fault_rng) % EMU_FAULT_KINDS);
	if ((plan.kind == EMU_FAULT_500 || plan.kind == EMU_FAULT_DROP) && changes_state(method))
		plan.after = emu_splitmix64(&emu->fault_rng) & 1;
	emu->stats.faults[plan.kind]++;
	if (plan.after)
		emu->stats.faults_after++;
	return plan;
}

bool faults_apply(struct emu *emu, struct emu_response *res, enum emu_fault kind)
{
	(void)emu;
	switch (kind) {
	case EMU_FAULT_500:
		emu_error(res, 500, "SERVER_ERROR", "injected fault: internal server error");
		return true;
	case EMU_FAULT_503:
		emu_error(res, 503, "SERVER_UNAVAILABLE", "injected fault: service unavailable");
		emu_add_header(res, "Retry-After", "1");
		return true;
	case EMU_FAULT_429:
		emu_error(res, 429, "REQUEST_LIMIT_EXCEEDED", "injected fault: rate limit exceeded");
		emu_add_header(res, "Retry-After", "1");
		return true;
	case EMU_FAULT_DROP:
	case EMU_FAULT_NONE:
	case EMU_FAULT_KINDS:
		break;
	}
	return false;
}
