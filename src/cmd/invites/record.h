/* SPDX-License-Identifier: MIT */
/*
 * The record of the invitations a tenant was sent: the one place that says
 * whether (email, template) was invited already, for every command that
 * creates invites (`invites send --file`, `smile apply`). It is a journal
 * (core/journal.h) at a path derived from the tenant:
 *
 *   $XDG_STATE_HOME/smile/invites-MODE-TENANT.jsonl
 *
 * TENANT is the first 32 hex digits of HMAC-SHA256 keyed with the API key
 * over a fixed label: one-way, so neither the file nor its name reveals
 * the key, and the same for every URL of the same account (localhost or
 * 127.0.0.1, an emulator restarted on another port with its --state).
 *
 * How a command invites exactly once with it:
 *
 *   struct journal *rec;
 *   int r = invite_record_open(profile, NULL, false, &rec);  // -EBUSY: in use
 *   const struct journal_entry *e = journal_find(rec, email, template);
 *   if (e && e->state == JOURNAL_SENT) ... already invited (e->id);
 *   if (e && (e->state == JOURNAL_STARTED || e->state == JOURNAL_UNKNOWN))
 *       ... look it up in GET /invites before sending again;
 *   journal_append(rec, &(struct journal_event){ email, template, JOURNAL_STARTED }, 1);
 *   ... POST /invites ...
 *   journal_append(rec, ... JOURNAL_SENT and the id, or FAILED, or UNKNOWN ...);
 *   journal_close(rec);
 *
 * The record is locked while open (one writer per tenant on a machine).
 */
#pragma once

#include <stdbool.h>

#include "core/config/config.h"
#include "core/journal.h"

/* The record's path for the profile's tenant (allocated). */
char *invite_record_path(const struct profile *p);
/* Opens path, or the tenant's record when path is NULL. journal_open's
 * return values. */
int invite_record_open(const struct profile *p, const char *path, bool read_only, struct journal **out);
