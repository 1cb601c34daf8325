/* SPDX-License-Identifier: MIT */
/*
 * Carrying out the plan, exactly once.
 *
 * Objects go out concurrently through the shared HTTP core (its rate
 * limiter, retries and stop flag), at most `concurrency` at a time, each
 * once everything it refers to exists. Before a create goes out, the
 * state file says "creating" (durably); its outcome is written before it
 * counts as done. A create whose outcome is unknown (timeout, dropped
 * connection, 500, 504, or a run killed while it was in flight) is never
 * simply sent again: one paged scan of its type's list looks for all such
 * objects at once (by name, by e-mail and template, or by the marker apply
 * put in a user's externalMetadata), and only those not found are created
 * again. That runs a few rounds; what is still unknown after them is left
 * for the next run.
 */

#include <string.h>
#include <time.h>

#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/apply/apply.h"
#include "cmd/apply/engine.h"
#include "core/json.h"
#include "core/output/output.h"
#include "core/util.h"

/* ---- the run ---- */

static void start_kept(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		for (size_t i = 0; i < r->n_instances; i++) {
			struct apply_instance *in = &r->inst[i];
			if (in->action == ACT_KEEP || in->action == ACT_CHANGED)
				inst_exists_now(run, in);
		}
	}
}

/* Unknown ones of this round go to the next round's look-up. */
static bool work_left(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		for (size_t i = 0; i < r->n_instances; i++)
			if (r->inst[i].result == RES_UNKNOWN || r->inst[i].action == ACT_LOOKUP)
				return true;
	}
	return false;
}

static void tally(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		for (size_t i = 0; i < r->n_instances; i++) {
			struct apply_instance *in = &r->inst[i];
			if (in->result == RES_PENDING && !in->error) {
				in->result = RES_SKIPPED;
				inst_set_error(in, run->ctx->stop ? "interrupted" : "not created: something it refers to failed");
			} else if (in->result == RES_PENDING) {
				in->result = RES_FAILED;
			}
			if (in->result == RES_DONE) {
				if (in->created_now || in->found_now)
					run->n_created++;
				if (in->found_now)
					run->n_found++;
				if (in->updated_now)
					run->n_updated++;
				if (in->action == ACT_KEEP && !in->found_now)
					run->n_kept++;
				if (in->action == ACT_CHANGED)
					run->n_changed++;
			} else if (in->result == RES_UNKNOWN) {
				run->n_unknown++;
			} else {
				run->n_failed++;
			}
		}
	}
}

/* Milliseconds since ts (CLOCK_REALTIME: an mtime). */
static long ms_since(const struct timespec *ts)
{
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	return (long)(now.tv_sec - ts->tv_sec) * 1000 + (now.tv_nsec - ts->tv_nsec) / 1000000;
}

/* An earlier run killed (or cut off) with requests in flight left them
 * "creating", and the server may still be carrying them out: a request it
 * read goes on when its client is gone, and one queued behind others can
 * finish after a look-up sent now. A look-up that missed it would send it
 * again, so the look-up waits until the earlier run's last write is a
 * request timeout old: by then that run would have given up on every
 * request it had out, and the server answered or dropped them. */
static void await_earlier_requests(struct apply_run *run)
{
	/* --dry-run sends nothing, so nothing it does can be sent twice. */
	if (run->ctx->g->dry_run || !work_left(run) || !run->st->written.tv_sec || run->settle_ms <= 0)
		return;
	long wait = run->settle_ms - ms_since(&run->st->written);
	if (wait <= 0)
		return;
	log_warn("waiting %.1f s for the requests an interrupted run left in flight, before looking them up",
		 (double)wait / 1000);
	for (; wait > 0 && !run->ctx->stop; wait -= 50)
		nanosleep(&(struct timespec){ 0, (wait < 50 ? wait : 50) * 1000000L }, NULL);
}

int engine_run(struct apply_run *run)
{
	start_kept(run);
	await_earlier_requests(run);
	run_give_tokens(run, false);
	size_t rounds = 8 + run->m->n_res;
	for (size_t round = 0; round < rounds && !run->ctx->stop && !run->fatal; round++) {
		run_lookup_round(run);
		/* Those that failed with an unknown outcome in the last round are looked up. */
		for (size_t k = 0; k < run->m->n_res; k++)
			run->m->res[k].scan_from = 0;
		run_schedule(run);
		if (http_run(run->http, run->concurrency, &run->ctx->stop) < 0 && !run->fatal)
			run->fatal = log_status(SMILE_EXIT_FAILURE, "internal error: the transfers failed");
		if (!work_left(run) || run->lookup_failed)
			break;
	}
	run_retract_announced(run);
	run_flush_state(run);
	tally(run);
	return run->fatal;
}
