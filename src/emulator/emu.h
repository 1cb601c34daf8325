/* SPDX-License-Identifier: MIT */
/*
 * Internal interface of smile-emulator: what handlers (api/, control/,
 * wink/) and the model (model/) see of requests, answers and the store.
 *
 * A handler file exports a route table; http/router.c matches the request
 * against all tables, checks credentials, takes the global lock and calls
 * the handler. Handlers therefore never lock anything themselves: they read
 * and check the request, call the model (model/model.h) to change state,
 * and answer once through emu_reply()/emu_error()/emu_reply_bytes().
 *
 * API routes are relative to /v1 ("/users/{id}"); control routes are
 * absolute ("/_emulator/reset") and exempt from faults and rate limit.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

struct emu;          /* the whole emulator: store, options, counters */
struct emu_request;  /* one HTTP request, valid during the handler only */
struct emu_response; /* what the handler answers */

typedef void (*emu_handler)(struct emu *emu, struct emu_request *req, struct emu_response *res);

struct emu_route {
	const char *method;  /* "GET", "POST", "PUT", "DELETE" */
	const char *pattern; /* "/users/{id}": {name} captures one path segment */
	emu_handler fn;
};
/* Ends every route table (a positional {NULL} would trip -Wextra). */
#define EMU_ROUTES_END { NULL, NULL, NULL }

/* /v1 tables. */
extern const struct emu_route emu_routes_catalogue[]; /* api/catalogue.c: providers, fileTypes */
extern const struct emu_route emu_routes_users[];     /* api/users.c: users, tokens */
extern const struct emu_route emu_routes_webhooks[];  /* api/webhooks.c */
extern const struct emu_route emu_routes_templates[]; /* api/templates.c: consent, invite */
extern const struct emu_route emu_routes_invites[];   /* api/invites.c */
extern const struct emu_route emu_routes_accounts[]; /* api/accounts.c */
extern const struct emu_route emu_routes_userdata[]; /* api/userdata.c: the eleven kinds, tasks */
extern const struct emu_route emu_routes_archives[]; /* api/archives.c: archives, uploads, payslips */
extern const struct emu_route emu_routes_early[];    /* api/early.c: /alpha, /beta */
extern const struct emu_route emu_routes_employers[]; /* api/employers.c */
/* Control tables (outside /v1). */
extern const struct emu_route emu_routes_control[];      /* control/store.c: reset, stats */
extern const struct emu_route emu_routes_control_data[]; /* control/link.c: link, seed, files */
extern const struct emu_route emu_routes_control_invites[]; /* api/invites.c: invite landing page */
extern const struct emu_route emu_routes_control_wink_assets[]; /* wink/assets.c: SDK, widget */
extern const struct emu_route emu_routes_control_wink_api[];    /* wink/api.c: the widget's calls */
extern const struct emu_route emu_routes_control_clock[];       /* control/clock.c: read and move the clock */
extern const struct emu_route emu_routes_control_about[];       /* control/about.c: "this is the emulator" */
extern const struct emu_route emu_routes_control_trigger[];     /* control/trigger.c: emit any event */

/* ---- request ---------------------------------------------------------- */

const char *emu_req_method(const struct emu_request *req);
/* Path without the /v1 prefix for API routes, e.g. "/users/x-1". */
const char *emu_req_path(const struct emu_request *req);
/* Value of a {name} capture of the route pattern, or NULL. */
const char *emu_req_capture(const struct emu_request *req, const char *name);
/* Query parameter (URL-decoded), or NULL when absent. */
const char *emu_req_query(const struct emu_request *req, const char *name);
/* Request header (case-insensitive name), or NULL. */
const char *emu_req_header(const struct emu_request *req, const char *name);
/* Raw body bytes (NUL-terminated for convenience); *len gets the size. */
const char *emu_req_body_raw(const struct emu_request *req, size_t *len);
/*
 * Body parsed as a JSON object (borrowed: freed after the handler). When the
 * body is not application/json (415 UNSUPPORTED_TYPE), malformed or not an
 * object (400 INVALID_PARAMETERS), this has already answered and returns NULL:
 * the handler just returns.
 */
json_object *emu_req_json(struct emu_request *req, struct emu_response *res);

/* ---- body validation, as data ------------------------------------------ */

enum emu_type {
	EMU_T_STRING, EMU_T_INT, EMU_T_NUMBER, EMU_T_BOOL, EMU_T_OBJECT, EMU_T_ARRAY,
	/* Strings of the spec's formats: date-time (RFC 3339), date
	 * (YYYY-MM-DD), email, and an ISO 3166 alpha-2 country code. */
	EMU_T_DATE_TIME, EMU_T_DATE, EMU_T_EMAIL, EMU_T_COUNTRY,
};

struct emu_field {
	const char *name;
	enum emu_type type;
	bool required;
	const char *const *one_of; /* NULL-terminated allowed strings, or NULL */
};
#define EMU_FIELDS_END { NULL, EMU_T_STRING, false, NULL }

/* Checks body against fields (null counts as absent). On the first problem,
 * answers 400 INVALID_PARAMETERS naming the field and returns false. */
bool emu_validate(struct emu_response *res, json_object *body, const struct emu_field *fields);
/* The same for a nested object: messages name "prefix.field". */
bool emu_validate_at(struct emu_response *res, json_object *body, const char *prefix,
		     const struct emu_field *fields);

/* ---- response --------------------------------------------------------- */

/* Envelope {code: "OK", message, requestId, data}, also for 201 as the spec's
 * examples show. Takes ownership of data (NULL gives "data": null). */
void emu_reply(struct emu_response *res, unsigned status, json_object *data);
/* Error envelope; message like "size must be between 1 and 150". */
void emu_error(struct emu_response *res, unsigned status, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Shorthands for the two errors handlers need most; not found says
 * "no <what> with id '<id>'". */
void emu_not_found(struct emu_response *res, const char *what, const char *id);
void emu_bad_param(struct emu_response *res, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raw bytes for downloads (copied), e.g. "application/pdf". */
void emu_reply_bytes(struct emu_response *res, unsigned status, const char *content_type,
		     const void *data, size_t len);
/* Extra response header (copied), e.g. Retry-After. */
void emu_add_header(struct emu_response *res, const char *name, const char *value);
bool emu_replied(const struct emu_response *res);

/* ---- store ------------------------------------------------------------ */

/*
 * Named collections of JSON objects keyed by id, in stable insertion order.
 * Everything in the store is saved with --state and cleared by reset.
 * Collection names are the API's resource names: "users", "webhooks",
 * "consentTemplates", "inviteTemplates", "invites", "inviteLogs", "tasks",
 * "tokens", plus whatever A2's files use ("accounts", "identities", ...).
 */
struct emu_coll;

/* The collection called name, created empty on first use. */
struct emu_coll *emu_store(struct emu *emu, const char *name);
/* Borrowed object, or NULL. */
json_object *emu_coll_get(struct emu_coll *c, const char *id);
/* Stores obj (takes ownership) under obj's "id"; an existing object with that
 * id is replaced in place (keeps its position). */
void emu_coll_put(struct emu_coll *c, json_object *obj);
/* false when there was no such id. */
bool emu_coll_remove(struct emu_coll *c, const char *id);
size_t emu_coll_count(const struct emu_coll *c);
/* Calls fn for each object in insertion order until it returns false. */
typedef bool (*emu_item_fn)(json_object *item, void *ctx);
void emu_coll_each(struct emu_coll *c, emu_item_fn fn, void *ctx);
/* The same over only the items whose userId (top level, else under
 * metadata) is user_id, or whose sourceId (else accountId, likewise) is
 * source_id: indexed, so as fast as there are such items. A NULL id walks
 * every item. An item's userId and sourceId are read when it is put: change
 * them by putting the object again, never in place. */
void emu_coll_each_of_user(struct emu_coll *c, const char *user_id, emu_item_fn fn, void *ctx);
void emu_coll_each_of_source(struct emu_coll *c, const char *source_id, emu_item_fn fn,
			     void *ctx);

/* Generic handlers for plain resources. The collection is the first path
 * segment ("/identities/{id}" -> "identities"); get takes the {id} capture.
 * List applies only the common filters of emu_list_page. */
void emu_handle_list(struct emu *emu, struct emu_request *req, struct emu_response *res);
void emu_handle_get(struct emu *emu, struct emu_request *req, struct emu_response *res);

/* Looks id up; when missing, answers 404 MISSING_RESOURCE ("what" names the
 * kind, e.g. "user") and returns NULL. */
json_object *emu_get_or_404(struct emu_response *res, struct emu_coll *c, const char *what,
			    const char *id);
/* Answers 200 with a copy of the object, or that 404. */
void emu_reply_found(struct emu_response *res, struct emu_coll *c, const char *what,
		     const char *id);

/*
 * One page of a collection: reads `size` (default 10, 1..150) and `cursor`
 * from the query, applies the common filters when their parameter is given:
 *   userId             item.userId or item.metadata.userId
 *   accountId/sourceId item.metadata.sourceId (or item.accountId)
 *   startDate/endDate  YYYY-MM-DD, against createdAt or metadata.createdAt
 * then filter(item, ctx) when not NULL (true keeps the item), and answers
 * 200 {nextCursor, items} (items copied). On the last page nextCursor is
 * left out: the spec's schema allows no null there (jq still reads null).
 * Bad parameters answer 400 naming the parameter.
 */
typedef bool (*emu_filter_fn)(json_object *item, void *ctx);
void emu_list_page(struct emu_response *res, struct emu_coll *c, struct emu_request *req,
		   emu_filter_fn filter, void *ctx);
/* The same paging over an array you built (borrowed), for catalogues. */
void emu_list_page_array(struct emu_response *res, json_object *array, struct emu_request *req,
			 emu_filter_fn filter, void *ctx);

/* ---- ids, time, state ----------------------------------------- */

/* prefix + 32 lowercase hex chars ("iv-" -> "iv-3f2a..."); free() it. */
char *emu_new_id(struct emu *emu, const char *prefix);
/* Prefix of user ids ("<tenant>-"), as the docs' convention table says. */
#define EMU_USER_ID_PREFIX "emulator-"
/* RFC 3339 UTC, seconds precision: "2024-05-01T08:25:05Z". */
#define EMU_TIME_LEN 21
void emu_now(char out[EMU_TIME_LEN]);
/* Same, offset by seconds from now (for expiresAt). */
void emu_time_from_now(char out[EMU_TIME_LEN], long seconds);

/* For a long handler (seeding): lets the requests that wait for the lock
 * run, then takes it back. The store may have changed meanwhile, so hold
 * no borrowed object across it. */
void emu_let_others_in(struct emu *emu);
/* Call after any change to the store; the state file is saved soon after. */
void emu_state_dirty(struct emu *emu);

/* json-c conveniences: the string member, or NULL when absent or not a string. */
const char *emu_json_str(json_object *obj, const char *key);
/* Adds key: string (or null when value is NULL). */
void emu_json_set_str(json_object *obj, const char *key, const char *value);
/* A deep copy of obj (NULL stays NULL). */
json_object *emu_json_copy(json_object *obj);
