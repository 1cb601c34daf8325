/* SPDX-License-Identifier: MIT */
/*
 * Inside apply's run (engine_run in apply.h), split by job:
 *   body.c    what an instance sends, from its template and the state
 *   send.c    sending and recording answers, at most `concurrency` at once,
 *             announced and landed a batch per fdatasync
 *   lookup.c  finding again objects whose create had an unknown outcome
 *   engine.c  the rounds of look-ups and sends, and the tally
 */
#pragma once

#include "cmd/apply/apply.h"
#include "core/journal.h"

/* ---- body.c ---- */

/* "NAME/account": the state key of a user's linked account. Allocated. */
char *inst_account_key(const struct apply_instance *in);
/* The linked account in the state, or NULL. */
json_object *inst_account_object(struct apply_run *run, const struct apply_instance *in);
/* tmpl with references filled in (and a user's marker when tmpl is the
 * body); NULL with in->error set. */
json_object *inst_build_body(struct apply_run *run, struct apply_instance *in, json_object *tmpl);
/* The link: body with the user's id. */
json_object *inst_link_body(struct apply_run *run, struct apply_instance *in);
/* A link body as --verbose and --dry-run show it: password and code hidden. */
char *shown_link_body(json_object *body);
/* The id in what the API returned for r (account: a linked account's). */
const char *inst_id_of(const struct apply_resource *r, json_object *data, bool account);

/* An instance's error, NULL: none. Inline: the body, the lookups, the
 * sends and the run all set it, and it belongs to none of them. */
static inline void inst_set_error(struct apply_instance *in, const char *error)
{
	free(in->error);
	in->error = error ? xstrdup(error) : NULL;
}

/* ---- send.c ---- */

void inst_count_done(struct apply_run *run, struct apply_instance *in);
void inst_mark_failed(struct apply_run *run, struct apply_instance *in, enum inst_result res, const char *error);
/* It exists: done, or its account is still to link. */
void inst_exists_now(struct apply_run *run, struct apply_instance *in);
/* Makes queued state events durable; a failure ends the run. */
bool run_flush_state(struct apply_run *run);
bool run_deps_done(const struct apply_run *run, const struct apply_resource *r);
/* Sends what is ready, up to the concurrency, and lands the outcomes
 * answered, a batch per write and fdatasync (send.c's group commit). */
void run_schedule(struct apply_run *run);
/* After the last round: what was announced and never sent is recorded as
 * not made (failed). */
void run_retract_announced(struct apply_run *run);

/* ---- record.c ---- */

/* Takes an invite's e-mail and template from the body it sends. */
void apply_record_begin(struct apply_run *run, struct apply_instance *in, json_object *body);
/* Whether the record knows the invite (sent, or outcome unknown, by any
 * command): then it is looked up, not sent. */
bool apply_record_knows(const struct apply_run *run, const struct apply_instance *in);
/* Queues an event of the invite for the record; no-op for other types. */
void apply_record_event(struct apply_run *run, const struct apply_instance *in, enum journal_state state,
			const char *id);
/* Writes the queued events (one write, one fdatasync). 0 or -errno. */
int apply_record_flush(struct apply_run *run);

/* ---- lookup.c ---- */

/* Looks up every instance waiting for it, resource by resource. */
void run_lookup_round(struct apply_run *run);
/* Users kept from an earlier run get a fresh token (the state keeps
 * none) when an object still to be made refers to them, or for_results:
 * for -o json and --env-file. */
void run_give_tokens(struct apply_run *run, bool for_results);
