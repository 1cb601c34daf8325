/* SPDX-License-Identifier: MIT */
/*
 * Early-access operations under /alpha and /beta: verifications, signals,
 * footprints, maws, validations, blacklists, social securities, forms and
 * the employer look-ups.
 *
 * They share one shape: a POST checks its required fields, answers with a
 * finished request {id, createdAt, status, requestMeta: the body, result}
 * from fixed sample results, and stores it so GET /{id} and the list find
 * it. Two tables say it all: the stored kinds (path, collection, id prefix,
 * list filters) and the create operations (path, kind, checks, result).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "emulator/api/early.h"
#include "emulator/model/model.h"

/* ---- stored kinds ------------------------------------------------------ */

/* A list filter: query parameter -> dotted path in the item. */
struct query_match {
	const char *param, *path;
};

struct early_kind {
	const char *base;   /* "/alpha/signals" */
	const char *coll;   /* collection name */
	const char *prefix; /* id prefix */
	const char *what;   /* for 404 messages */
	struct query_match filters[4];
};

enum {
	K_FORMS, K_VERIFICATIONS, K_ALPHA_SIGNALS, K_BETA_SIGNALS, K_FOOTPRINTS, K_ALPHA_MAWS,
	K_BETA_MAWS, K_VALIDATIONS, K_BLACKLISTS, K_ALPHA_SS, K_BETA_SS,
};

static const struct early_kind kinds[] = {
	[K_FORMS] = { "/alpha/forms", "alphaForms", "form-", "form",
		      { { "winkSiteId", "winkSiteId" } } },
	[K_VERIFICATIONS] = { "/alpha/verifications", "alphaVerifications", "verification-",
			      "verification",
			      { { "verificationId", "id" }, { "finalMatches", "result.finalMatches" } } },
	[K_ALPHA_SIGNALS] = { "/alpha/signals", "alphaSignals", "signal-", "signal",
			      { { "signalId", "id" }, { "phone", "requestMeta.phone" } } },
	[K_BETA_SIGNALS] = { "/beta/signals", "betaSignals", "signal-", "signal",
			     { { "signalId", "id" }, { "signalType", "signalType" },
			       { "phone", "requestMeta.phone" } } },
	[K_FOOTPRINTS] = { "/alpha/footprints", "alphaFootprints", "footprint-", "footprint",
			   { { "footprintId", "id" }, { "emailAddress", "requestMeta.emailAddress" },
			     { "mobileNumber", "requestMeta.mobileNumber" } } },
	[K_ALPHA_MAWS] = { "/alpha/maws", "alphaMaws", "maw-", "maw",
			   { { "mawId", "id" }, { "mobileNumber", "requestMeta.mobileNumber" } } },
	[K_BETA_MAWS] = { "/beta/maws", "betaMaws", "maw-", "maw",
			  { { "mawId", "id" }, { "mawType", "type" },
			    { "mobileNumber", "requestMeta.mobileNumber" } } },
	[K_VALIDATIONS] = { "/alpha/validations", "alphaValidations", "vld-", "validation",
			    { { "type", "result.type" } } },
	[K_BLACKLISTS] = { "/alpha/blacklists", "alphaBlacklists", "blacklist-", "blacklist",
			   { { "blacklistId", "id" }, { "mobileNumber", "requestMeta.mobileNumber" } } },
	[K_ALPHA_SS] = { "/alpha/socialSecurities", "alphaSocialSecurities", "ss-",
			 "social security", { { "socialSecurityId", "id" } } },
	[K_BETA_SS] = { "/beta/socialSecurities", "betaSocialSecurities", "ss-", "social security",
			{ { "socialSecurityId", "id" } } },
};
#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

/* The kind of "/alpha/signals" or "/alpha/signals/<id>". */
static const struct early_kind *kind_of_path(const char *path)
{
	for (size_t i = 0; i < N_KINDS; i++) {
		size_t n = strlen(kinds[i].base);
		if (strncmp(path, kinds[i].base, n) == 0 && (path[n] == '\0' || path[n] == '/'))
			return &kinds[i];
	}
	return NULL;
}

/* The member at a dotted path, or NULL. */
static json_object *dig(json_object *obj, const char *path)
{
	char key[64];

	while (obj && *path) {
		size_t n = strcspn(path, ".");
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(obj, key, &obj))
			return NULL;
		path += n + (path[n] == '.');
	}
	return obj;
}

struct kind_query {
	const struct early_kind *kind;
	struct emu_request *req;
};

/* Every filter parameter given must equal the item's value as text. */
static bool matches_filters(json_object *item, void *ctx)
{
	const struct kind_query *q = ctx;

	for (size_t i = 0; i < 4 && q->kind->filters[i].param; i++) {
		const char *want = emu_req_query(q->req, q->kind->filters[i].param);
		json_object *have;

		if (!want)
			continue;
		have = dig(item, q->kind->filters[i].path);
		if (!have || strcmp(json_object_get_string(have), want) != 0)
			return false;
	}
	return true;
}

/* ---- list and get ----------------------------------------------------------- */

static void list_early(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	struct kind_query q = { kind_of_path(emu_req_path(req)), req };

	if (q.kind == &kinds[K_FORMS])
		early_forms_ensure(emu, kinds[K_FORMS].coll);
	emu_list_page(res, emu_store(emu, q.kind->coll), req, matches_filters, &q);
}

static void get_early(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const struct early_kind *kind = kind_of_path(emu_req_path(req));

	if (kind == &kinds[K_FORMS])
		early_forms_ensure(emu, kinds[K_FORMS].coll);
	emu_reply_found(res, emu_store(emu, kind->coll), kind->what, emu_req_capture(req, "id"));
}

/* ---- create ---------------------------------------------------------------------- */

struct early_create {
	const char *path;
	int kind;
	unsigned status;
	bool (*check)(struct emu_response *res, json_object *body);
	void (*fill)(json_object *obj, json_object *body);
};

static const struct early_create creates[] = {
	{ "/alpha/verifications", K_VERIFICATIONS, 200, check_verification, fill_verification },
	{ "/alpha/signals", K_ALPHA_SIGNALS, 200, check_phone_signal, fill_alpha_signal },
	{ "/beta/signals", K_BETA_SIGNALS, 200, check_beta_signal, fill_signal1 },
	{ "/beta/signals/createSignal2", K_BETA_SIGNALS, 200, check_beta_signal, fill_signal2 },
	{ "/beta/signals/createSignal3", K_BETA_SIGNALS, 200, check_signal3, fill_signal3 },
	{ "/alpha/footprints", K_FOOTPRINTS, 200, check_footprint, fill_footprint },
	{ "/alpha/maws", K_ALPHA_MAWS, 200, check_maw, fill_alpha_maw },
	{ "/beta/maws/requestMaw2", K_BETA_MAWS, 200, check_maw, fill_maw2 },
	{ "/beta/maws/requestMaw3", K_BETA_MAWS, 200, check_maw3, fill_maw3 },
	{ "/alpha/validations/validateBankAccount", K_VALIDATIONS, 200, check_bank_account,
	  fill_bank_account },
	{ "/alpha/blacklists", K_BLACKLISTS, 200, check_blacklist, fill_blacklist },
	{ "/alpha/socialSecurities", K_ALPHA_SS, 201, check_alpha_ss, fill_social_security },
	{ "/beta/socialSecurities", K_BETA_SS, 201, check_beta_ss, fill_social_security },
};

static void create_early(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const struct early_create *op = NULL;
	json_object *body;

	for (size_t i = 0; i < sizeof(creates) / sizeof(creates[0]); i++)
		if (strcmp(creates[i].path, emu_req_path(req)) == 0)
			op = &creates[i];
	if (!(body = emu_req_json(req, res)) || !op->check(res, body))
		return;
	emu_reply(res, op->status,
		  emu_json_copy(early_record_create(emu, kinds[op->kind].coll,
						    kinds[op->kind].prefix, body, op->fill)));
}

#define EARLY_READ(base) { "GET", base, list_early }, { "GET", base "/{id}", get_early }

const struct emu_route emu_routes_early[] = {
	EARLY_READ("/alpha/forms"),
	EARLY_READ("/alpha/verifications"),
	EARLY_READ("/alpha/signals"),
	EARLY_READ("/beta/signals"),
	EARLY_READ("/alpha/footprints"),
	EARLY_READ("/alpha/maws"),
	EARLY_READ("/beta/maws"),
	EARLY_READ("/alpha/validations"),
	EARLY_READ("/alpha/blacklists"),
	EARLY_READ("/alpha/socialSecurities"),
	EARLY_READ("/beta/socialSecurities"),
	{ "POST", "/alpha/verifications", create_early },
	{ "POST", "/alpha/signals", create_early },
	{ "POST", "/beta/signals", create_early },
	{ "POST", "/beta/signals/createSignal2", create_early },
	{ "POST", "/beta/signals/createSignal3", create_early },
	{ "POST", "/alpha/footprints", create_early },
	{ "POST", "/alpha/maws", create_early },
	{ "POST", "/beta/maws/requestMaw2", create_early },
	{ "POST", "/beta/maws/requestMaw3", create_early },
	{ "POST", "/alpha/validations/validateBankAccount", create_early },
	{ "POST", "/alpha/blacklists", create_early },
	{ "POST", "/alpha/socialSecurities", create_early },
	{ "POST", "/beta/socialSecurities", create_early },
	EMU_ROUTES_END,
};

