/* SPDX-License-Identifier: MIT */
/*
 * Invites through the tenant's record of invitations (cmd/invites/record.h),
 * the one `invites send --file` keeps: an invite apply makes is recorded
 * there, and one the record knows (sent, or with an unknown outcome, by
 * either command) is looked up in GET /invites instead of being sent, so
 * that no one is invited twice whichever command came first. The record's
 * events are queued and made durable with the state's, before a request
 * goes out (run_flush_state).
 */
#include <string.h>

#include "cmd/apply/engine.h"
#include "cmd/invites/record.h"
#include "core/json.h"
#include "core/output/output.h"
#include "core/util.h"

struct record_event {
	char *email, *template_id, *id;
	enum journal_state state;
};

static bool makes_invites(const struct manifest *m)
{
	for (size_t i = 0; i < m->n_res; i++)
		if (m->res[i].kind.lookup == LOOKUP_INVITE)
			return true;
	return false;
}

int apply_record_open(struct apply_run *run, const struct profile *p, bool read_only)
{
	if (!makes_invites(run->m))
		return 0;
	run->record_read_only = read_only;
	int r = invite_record_open(p, NULL, read_only, &run->record);
	if (r == 0)
		return 0;
	run->record = NULL;
	char *path = invite_record_path(p);
	if (r == -EBUSY)
		r = log_status(SMILE_EXIT_FAILURE, "the record of invitations '%s' is in use by another run", path);
	else
		r = log_status(SMILE_EXIT_FAILURE, "cannot open the record of invitations '%s': %s", path,
			       r == JOURNAL_ERR_FOREIGN ? "not a smile journal" : strerror(-r));
	free(path);
	return r;
}

static void release_events(struct apply_run *run)
{
	for (size_t i = 0; i < run->n_record_events; i++) {
		free(run->record_events[i].email);
		free(run->record_events[i].template_id);
		free(run->record_events[i].id);
	}
	run->n_record_events = 0;
}

void apply_record_close(struct apply_run *run)
{
	release_events(run);
	free(run->record_events);
	run->record_events = NULL;
	run->cap_record_events = 0;
	journal_close(run->record);
	run->record = NULL;
}

static const char *text_at(json_object *body, const char *field)
{
	json_object *v = json_get_path(body, field);
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static bool recorded(const struct apply_run *run, const struct apply_instance *in)
{
	return run->record && in->res->kind.lookup == LOOKUP_INVITE && in->rec_email && in->rec_template;
}

void apply_record_begin(struct apply_run *run, struct apply_instance *in, json_object *body)
{
	free(in->rec_email);
	free(in->rec_template);
	in->rec_email = in->rec_template = NULL;
	if (!run->record || in->res->kind.lookup != LOOKUP_INVITE)
		return;
	const char *email = text_at(body, "email"), *tpl = text_at(body, "templateId");
	in->rec_email = email ? xstrdup(email) : NULL;
	in->rec_template = tpl ? xstrdup(tpl) : NULL;
}

bool apply_record_knows(const struct apply_run *run, const struct apply_instance *in)
{
	if (!recorded(run, in))
		return false;
	const struct journal_entry *e = journal_find(run->record, in->rec_email, in->rec_template);
	return e && (e->state == JOURNAL_SENT || e->state == JOURNAL_STARTED || e->state == JOURNAL_UNKNOWN);
}

void apply_record_event(struct apply_run *run, const struct apply_instance *in, enum journal_state state,
			const char *id)
{
	if (!recorded(run, in) || run->record_read_only)
		return;
	if (run->n_record_events == run->cap_record_events) {
		run->cap_record_events = run->cap_record_events ? 2 * run->cap_record_events : 64;
		run->record_events = xrealloc(run->record_events, run->cap_record_events * sizeof(*run->record_events));
	}
	run->record_events[run->n_record_events++] = (struct record_event){
		.email = xstrdup(in->rec_email), .template_id = xstrdup(in->rec_template),
		.id = id ? xstrdup(id) : NULL, .state = state,
	};
}

int apply_record_flush(struct apply_run *run)
{
	size_t n = run->n_record_events;
	if (!run->record || !n)
		return 0;
	struct journal_event *ev = xcalloc(n, sizeof(*ev));
	for (size_t i = 0; i < n; i++)
		ev[i] = (struct journal_event){ .email = run->record_events[i].email,
						.template_id = run->record_events[i].template_id,
						.state = run->record_events[i].state, .id = run->record_events[i].id };
	int r = journal_append(run->record, ev, n);
	free(ev);
	release_events(run);
	return r;
}

void apply_record_plan(struct apply_run *run)
{
	for (size_t k = 0; run->record && k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		if (r->kind.lookup != LOOKUP_INVITE)
			continue;
		for (size_t i = 0; i < r->n_instances; i++) {
			struct apply_instance *in = &r->inst[i];
			if (in->action != ACT_CREATE)
				continue;
			json_object *body = inst_build_body(run, in, r->body);
			apply_record_begin(run, in, body);
			json_object_put(body);
			if (apply_record_knows(run, in))
				in->action = ACT_KEEP;
		}
	}
}
