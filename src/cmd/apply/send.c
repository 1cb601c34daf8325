/* SPDX-License-Identifier: MIT */
/* Sending: each ready instance's request announced in the state, sent
 * through the HTTP core, its answer recorded (engine.h). */
#include <string.h>

#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/apply/apply.h"
#include "cmd/apply/engine.h"
#include "core/json.h"
#include "core/output/output.h"
#include "core/util.h"

/* ---- outcomes ---- */

void inst_count_done(struct apply_run *run, struct apply_instance *in)
{
	in->result = RES_DONE;
	in->res->n_done++;
	if (run->progress) {
		run->progress->sent++;
		progress_update(run->progress, now_monotonic(), false);
	}
}

void inst_mark_failed(struct apply_run *run, struct apply_instance *in, enum inst_result res, const char *error)
{
	in->result = res;
	inst_set_error(in, error);
	if (run->progress) {
		run->progress->failed++;
		progress_update(run->progress, now_monotonic(), false);
	}
}

void inst_exists_now(struct apply_run *run, struct apply_instance *in)
{
	if (in->res->link && !inst_account_object(run, in)) {
		size_t at = (size_t)(in - in->res->inst);
		in->need_link = true;
		/* It wants a request again: the link. */
		if (at < in->res->scan_from)
			in->res->scan_from = at;
	} else
		inst_count_done(run, in);
}

bool run_flush_state(struct apply_run *run)
{
	int r = state_flush(run->st), rr = r < 0 ? 0 : apply_record_flush(run);

	if ((r < 0 || rr < 0) && !run->fatal) {
		if (run->progress)
			progress_clear(run->progress);
		if (r < 0)
			log_error("cannot write the state file '%s': %s", run->st->path, strerror(-r));
		else
			log_error("cannot write the record of invitations '%s': %s", run->record->path, strerror(-rr));
		run->fatal = SMILE_EXIT_FAILURE;
		run->ctx->stop = true;
	}
	return r == 0 && rr == 0;
}

/* ---- group commit ----
 *
 * One write and one fdatasync (of the state, and of the record of
 * invitations) per batch of `concurrency` requests rather than per
 * request: the "creating" of a whole batch is made durable at once, and
 * its requests go out one by one as slots free, so as many stay in flight
 * as `invites send --file` keeps. Answers wait in run->landing: their
 * outcomes ride on the next batch's write, and only once that is on disk
 * do they count as done (progress, dependents). A run killed in between
 * leaves at most two batches "creating": looked up by the next run. */

static void await_landing(struct apply_run *run, struct apply_instance *in)
{
	if (run->n_landing == run->cap_landing) {
		run->cap_landing = run->cap_landing ? 2 * run->cap_landing : 64;
		run->landing = xrealloc(run->landing, run->cap_landing * sizeof(*run->landing));
	}
	run->landing[run->n_landing++] = in;
}

static void on_answer(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct apply_instance *in = ctx;
	struct apply_run *run = in->run;
	struct apply_resource *r = in->res;
	char *akey = in->linking ? inst_account_key(in) : NULL;
	const char *key = akey ? akey : in->key, *type = akey ? "accounts" : r->group->name;
	bool update = !strcmp(req->method, "PUT");

	run->in_flight--;
	if (resp->failure == HTTP_OK) {
		/* A create's spec went out with its "creating"; an update's is new. */
		state_record(run->st, key, type, update ? "updated" : "created", inst_id_of(r, resp->data, akey),
			     resp->data, update ? in->spec : NULL);
		apply_record_event(run, in, JOURNAL_SENT, inst_id_of(r, resp->data, false));
		if (akey)
			in->need_link = false;
		else if (update)
			in->updated_now = true;
		else
			in->created_now = true;
		/* Counts as done once that is on disk (land_outcomes). */
		await_landing(run, in);
	} else if (resp->outcome_unknown && !update) {
		in->in_flight = false;
		/* Still "creating" in the state: looked up before it is sent again. */
		apply_record_event(run, in, JOURNAL_UNKNOWN, NULL);
		inst_mark_failed(run, in, RES_UNKNOWN, resp->error ? resp->error : "outcome unknown");
	} else {
		in->in_flight = false;
		if (!update)
			state_record(run->st, key, type, "failed", NULL, NULL, NULL);
		apply_record_event(run, in, JOURNAL_FAILED, NULL);
		inst_mark_failed(run, in, resp->failure == HTTP_FAIL_INTERRUPTED ? RES_PENDING : RES_FAILED,
				 resp->error ? resp->error : "request failed");
		if (resp->failure == HTTP_FAIL_INTERRUPTED)
			in->result = RES_PENDING;
		if (cli_exit_status(resp) == SMILE_EXIT_AUTH && !run->fatal) {
			run->fatal = SMILE_EXIT_AUTH;
			run->ctx->stop = true;
		}
	}
	free(akey);
	free(in->body);
	in->body = NULL;
	free(in->path);
	in->path = NULL;
	free(in->shown_body);
	in->shown_body = NULL;
	run_schedule(run);
}

/* Builds the instance's next request and queues its "creating"; false
 * when it could not be built or is to be looked up instead. */
static bool announce(struct apply_run *run, struct apply_instance *in)
{
	struct apply_resource *r = in->res;
	json_object *body;
	const char *method = "POST";

	in->linking = in->need_link;
	if (in->linking) {
		body = inst_link_body(run, in);
		in->path = xstrdup(run->link_url);
	} else if (in->action == ACT_UPDATE) {
		const struct state_entry *e = state_get(run->st, in->key);
		body = inst_build_body(run, in, r->body);
		in->path = apply_object_path(apply_kind_verb(r->group, r->kind.update_verb)->path, e->id);
		method = "PUT";
	} else {
		body = inst_build_body(run, in, r->body);
		in->path = xstrdup(r->create->path);
	}
	if (!body) {
		free(in->path);
		in->path = NULL;
		inst_mark_failed(run, in, RES_FAILED, in->error);
		return false;
	}
	if (!in->linking && in->action != ACT_UPDATE) {
		apply_record_begin(run, in, body);
		if (apply_record_knows(run, in)) {
			/* Invited already, maybe by `invites send`: found, not sent. */
			free(in->path);
			in->path = NULL;
			json_object_put(body);
			in->action = ACT_LOOKUP;
			return false;
		}
		apply_record_event(run, in, JOURNAL_STARTED, NULL);
	}
	in->body = json_compact_dup(body);
	in->shown_body = in->linking ? shown_link_body(body) : cmd_shown_body(in->body);
	json_object_put(body);
	if (in->linking) {
		char *akey = inst_account_key(in);
		state_record(run->st, akey, "accounts", "creating", NULL, NULL, NULL);
		free(akey);
	} else if (in->action != ACT_UPDATE) {
		state_record(run->st, in->key, r->group->name, "creating", NULL, NULL, in->spec);
	}
	in->req = (struct http_request){ .method = method, .path = in->path, .body = in->body,
					 .shown_body = in->shown_body };
	in->in_flight = true;
	return true;
}

bool run_deps_done(const struct apply_run *run, const struct apply_resource *r)
{
	for (size_t d = 0; d < r->n_deps; d++) {
		const struct apply_resource *dep = &run->m->res[r->deps[d]];
		if (dep->n_done < dep->n_instances)
			return false;
	}
	return true;
}

static bool wants_request(struct apply_run *run, const struct apply_instance *in)
{
	if (in->in_flight || in->result != RES_PENDING)
		return false;
	if (in->need_link) {
		/* A link whose outcome is unknown is looked up first. */
		char *key = inst_account_key(in);
		const struct state_entry *e = state_get(run->st, key);
		free(key);
		return !e || e->phase != PHASE_CREATING;
	}
	return in->action == ACT_CREATE || in->action == ACT_UPDATE;
}

/* Their outcomes are on disk: they exist now. */
static void land_outcomes(struct apply_run *run)
{
	for (size_t i = 0; i < run->n_landing; i++) {
		struct apply_instance *in = run->landing[i];
		in->in_flight = false;
		if (in->linking)
			inst_count_done(run, in);
		else
			inst_exists_now(run, in);
	}
	run->n_landing = 0;
}

/* The state could not be written: what the API made is not on record. */
static void strand_outcomes(struct apply_run *run)
{
	for (size_t i = 0; i < run->n_landing; i++) {
		run->landing[i]->in_flight = false;
		inst_mark_failed(run, run->landing[i], RES_UNKNOWN, "made, but the state file could not record it");
	}
	run->n_landing = 0;
}

static void submit_announced(struct apply_run *run)
{
	while (!run->ctx->stop && !run->fatal && run->next_announced < run->n_announced &&
	       run->in_flight < (size_t)run->concurrency) {
		struct apply_instance *in = run->announced[run->next_announced++];
		run->in_flight++;
		http_submit(run->http, &in->req, on_answer, in);
	}
}

/* Moves r's cursor past the instances at its start that want nothing now. */
static void skip_settled(struct apply_run *run, struct apply_resource *r)
{
	while (r->scan_from < r->n_instances && !wants_request(run, &r->inst[r->scan_from]))
		r->scan_from++;
}

/* Announces up to `concurrency` ready instances; returns how many. */
static size_t announce_batch(struct apply_run *run)
{
	struct manifest *m = run->m;
	size_t n = 0, want = (size_t)run->concurrency;

	if (!run->announced)
		run->announced = xcalloc(want, sizeof(*run->announced));
	for (size_t k = 0; k < m->n_res && n < want; k++) {
		struct apply_resource *r = &m->res[m->order[k]];
		if (!run_deps_done(run, r))
			continue;
		skip_settled(run, r);
		for (size_t i = r->scan_from; i < r->n_instances && n < want; i++) {
			struct apply_instance *in = &r->inst[i];
			if (wants_request(run, in) && announce(run, in))
				run->announced[n++] = in;
		}
	}
	run->n_announced = n;
	run->next_announced = 0;
	return n;
}

void run_schedule(struct apply_run *run)
{
	for (;;) {
		submit_announced(run);
		bool can_send = !run->ctx->stop && !run->fatal;
		bool batch_left = can_send && run->next_announced < run->n_announced;
		bool room = can_send && run->in_flight < (size_t)run->concurrency;
		size_t n = !batch_left && room ? announce_batch(run) : 0;
		/* Slots full, or a batch still to send: outcomes wait for its successor. */
		if (!n && (!run->n_landing || batch_left || (can_send && !room)))
			return;
		if (!run_flush_state(run)) {
			strand_outcomes(run);
			return;
		}
		land_outcomes(run);
	}
}

void run_retract_announced(struct apply_run *run)
{
	for (size_t i = run->next_announced; i < run->n_announced; i++) {
		struct apply_instance *in = run->announced[i];
		/* Never sent: certainly not made, safe to send next time. */
		if (in->linking) {
			char *akey = inst_account_key(in);
			state_record(run->st, akey, "accounts", "failed", NULL, NULL, NULL);
			free(akey);
		} else if (in->action != ACT_UPDATE) {
			state_record(run->st, in->key, in->res->group->name, "failed", NULL, NULL, NULL);
			apply_record_event(run, in, JOURNAL_FAILED, NULL);
		}
		in->in_flight = false;
		free(in->body);
		free(in->path);
		free(in->shown_body);
		in->body = in->path = in->shown_body = NULL;
	}
	run->n_announced = run->next_announced = 0;
	free(run->announced);
	run->announced = NULL;
	free(run->landing);
	run->landing = NULL;
	run->n_landing = run->cap_landing = 0;
}
