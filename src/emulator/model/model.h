/* SPDX-License-Identifier: MIT */
/*
 * The model: the emulator's objects and the only code that changes them.
 *
 * Handlers (api/, control/, wink/) parse and check a request, call one of
 * these and answer; the model changes the store (emu.h's collections) and
 * announces each change through events.h, so an object made by the API, by
 * /_emulator/link, by /_emulator/seed or by the Wink widget is made, and
 * announced, the same way. Every model function runs under the emulator's
 * lock, like the handlers that call it, and marks the state dirty itself.
 *
 * Constructors return the stored object, borrowed (take a reference to
 * answer with it).
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>

#include "emulator/emu.h"
#include "emulator/events/events.h"

/* ---- catalogue.c: providers and file types (fixed) ---------------------- */

/* The catalogue provider with that id (borrowed), or NULL. */
json_object *emu_provider_get(const char *id);
/* The whole catalogues, as GET /providers and GET /fileTypes list them
 * (borrowed arrays, built once). */
json_object *emu_provider_catalogue(void);
json_object *emu_file_type_catalogue(void);
/* A boolean member of a provider ("mfa", "monitorSupported"). */
bool provider_flag(json_object *provider, const char *key);

/* ---- users.c ------------------------------------------------------------ */

/* A new user with a copy of external_metadata (NULL: {}), IN_PROGRESS
 * session; USER_CREATED. */
json_object *user_create(struct emu *emu, json_object *external_metadata);
/* Borrowed, or NULL. */
json_object *user_get(struct emu *emu, const char *id);
/* A new session object IN_PROGRESS on the user; USER_SESSION_RESET. */
void user_reset_session(struct emu *emu, json_object *user);
/* A copy of the user's session (what the user payload shows as metadata). */
json_object *user_session_copy(json_object *user);
/* The user now has data from this provider (once in its list). */
void user_add_provider(struct emu *emu, json_object *user, const char *provider_id);

/* ---- tokens.c: link tokens ---------------------------------------------- */

/* A new link token for user_id, valid for an hour; returns a new reference
 * (the caller answers with it or puts it). */
json_object *token_create(struct emu *emu, const char *user_id);
/* The token whose accessToken is access (borrowed), or NULL. */
json_object *token_find(struct emu *emu, const char *access);
bool token_expired(json_object *token);

/* ---- templates.c: consent and invite templates -------------------------- */

/* The top-level members of each, as bodies are checked against them. */
extern const struct emu_field consent_template_fields[];
extern const struct emu_field invite_template_fields[];

/* From a checked body. */
json_object *consent_template_create(struct emu *emu, json_object *body);
json_object *invite_template_create(struct emu *emu, json_object *body);
/* PUT: the content of body, the id and createdAt of old, a new updatedAt. */
json_object *invite_template_replace(struct emu *emu, json_object *old, json_object *body);
/* Removes id from the collection ("consentTemplates", "inviteTemplates");
 * false when there was none. */
bool template_delete(struct emu *emu, const char *collection, const char *id);

/* ---- invites.c ---------------------------------------------------------- */

extern const struct emu_field invite_fields[];

/*
 * An invitation from a checked body, INVITED, for user (NULL: a new user),
 * with a link token and the landing page on host (the request's Host);
 * logged, INVITE_INVITED.
 */
json_object *invite_create(struct emu *emu, json_object *body, json_object *user,
			   const char *host);
/* Whether token is the one in the invite's landing page url. */
bool invite_token_matches(json_object *invite, const char *token);
/* A user linked an account: their invitations become LINKED (INVITE_LINKED). */
void invites_user_linked(struct emu *emu, const char *user_id);

/* ---- webhooks.c --------------------------------------------------------- */

/* From a checked body (eventTypes known, url http(s)). */
json_object *webhook_create(struct emu *emu, json_object *body);
/* Removes it and whatever was queued for it; false when there was none. */
bool webhook_delete(struct emu *emu, const char *id);

/* ---- early.c: early-access requests (/alpha, /beta) --------------------- */

/* Adds an operation's result to obj for the body it was asked with. */
typedef void (*early_fill_fn)(json_object *obj, json_object *body);
/* A finished request {id, createdAt, status COMPLETED, resultCode,
 * resultMessage, requestMeta: the body}, completed by fill, stored in
 * collection under a prefix id. */
json_object *early_record_create(struct emu *emu, const char *collection, const char *prefix,
				 json_object *body, early_fill_fn fill);
/* Forms come from Wink sites, which the emulator has none of: two fixed
 * examples stand in, put back after a reset. */
void early_forms_ensure(struct emu *emu, const char *collection);

/* ---- shared by the model's files ---------------------------------------- */

/* A new object: prefix id, createdAt now, and a copy of each of the body's
 * members that fields names (not stored). */
json_object *record_from_body(struct emu *emu, json_object *body, const char *prefix,
			      const struct emu_field *fields);

/* The data side: sandbox identities, user-data kinds, accounts, links,
 * tasks, archives and files. */
#include "emulator/model/data.h"
