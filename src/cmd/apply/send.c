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

void inst_set_error(struct apply_instance *in, const char *error)
{
	free(in->error);
	in->error = error ? xstrdup(error) : NULL;
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
	if (in->res->link && !inst_account_object(run, in))
		in->need_link = true;
	else
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

static void on_answer(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct apply_instance *in = ctx;
	struct apply_run *run = in->run;
	struct apply_resource *r = in->res;
	char *akey = in->linking ? inst_account_key(in) : NULL;
	const char *key = akey ? akey : in->key, *type = akey ? "accounts" : r->group->name;
	bool update = !strcmp(req->method, "PUT");

	in->in_flight = false;
	run->in_flight--;
	if (resp->failure == HTTP_OK) {
		/* A create's spec went out with its "creating"; an update's is new. */
		state_record(run->st, key, type, update ? "updated" : "created", inst_id_of(r, resp->data, akey),
			     resp->data, update ? in->spec : NULL);
		apply_record_event(run, in, JOURNAL_SENT, inst_id_of(r, resp->data, false));
		if (akey) {
			in->need_link = false;
			inst_count_done(run, in);
		} else {
			if (update)
				in->updated_now = true;
			else
				in->created_now = true;
			inst_exists_now(run, in);
		}
	} else if (resp->outcome_unknown && !update) {
		/* Still "creating" in the state: looked up before it is sent again. */
		apply_record_event(run, in, JOURNAL_UNKNOWN, NULL);
		inst_mark_failed(run, in, RES_UNKNOWN, resp->error ? resp->error : "outcome unknown");
	} else {
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
	/* The outcome rides on the same write and fdatasync as what starts next. */
	run_schedule(run);
}

/* Queues the instance's next request; false when it could not be built. */
static bool start(struct apply_run *run, struct apply_instance *in)
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
	run->in_flight++;
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

/* Starts what is ready, up to the concurrency. The announcements, and the
 * outcomes recorded since the last call, are made durable in one write
 * and one fdatasync before any of them goes out. */
void run_schedule(struct apply_run *run)
{
	struct manifest *m = run->m;
	struct apply_instance **batch = NULL;
	size_t n = 0;

	for (size_t k = 0; k < m->n_res && !run->ctx->stop; k++) {
		struct apply_resource *r = &m->res[m->order[k]];
		if (!run_deps_done(run, r))
			continue;
		for (size_t i = 0; i < r->n_instances; i++) {
			if (run->in_flight >= (size_t)run->concurrency)
				break;
			struct apply_instance *in = &r->inst[i];
			if (!wants_request(run, in) || !start(run, in))
				continue;
			batch = xrealloc(batch, (n + 1) * sizeof(*batch));
			batch[n++] = in;
		}
	}
	if (run_flush_state(run))
		for (size_t i = 0; i < n; i++)
			http_submit(run->http, &batch[i]->req, on_answer, batch[i]);
	free(batch);
}
