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
#include "emulator/data.h"

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

/* ---- forms: fixed examples ------------------------------------------------ */

static json_object *form_answer(const char *label, const char *value)
{
	json_object *o = json_object_new_object();

	emu_json_set_str(o, "label", label);
	emu_json_set_str(o, "value", value);
	return o;
}

/* Forms come from Wink sites, which the emulator has none of: two fixed
 * examples stand in, put back after a reset. */
static void forms_ensure_examples(struct emu *emu)
{
	struct emu_coll *c = emu_store(emu, kinds[K_FORMS].coll);
	char now[EMU_TIME_LEN];

	if (emu_coll_count(c) > 0)
		return;
	emu_now(now);
	for (int i = 0; i < 2; i++) {
		json_object *f = json_object_new_object(), *data = json_object_new_object();
		char id[48], session[48], ref[32];

		snprintf(id, sizeof(id), "form-%032d", i + 1);
		snprintf(session, sizeof(session), "wss-%032d", i + 1);
		snprintf(ref, sizeof(ref), "APP-%04d", 1001 + i);
		emu_json_set_str(f, "id", id);
		emu_json_set_str(f, "createdAt", now);
		emu_json_set_str(f, "name", i == 0 ? "Loan application" : "Employment details");
		emu_json_set_str(f, "userId", EMU_USER_ID_PREFIX "00000000000000000000000000000001");
		emu_json_set_str(f, "winkSiteId", "ws-00000000000000000000000000000001");
		emu_json_set_str(f, "winkSiteSessionId", session);
		emu_json_set_str(f, "reference", ref);
		/* Each answer is an object in the schema: label and value. */
		json_object_object_add(data, "fullName",
				       form_answer("Full name", sandbox_person_at((size_t)i)->full_name));
		json_object_object_add(data, i == 0 ? "loanAmount" : "employer",
				       form_answer(i == 0 ? "Loan amount" : "Employer",
						   i == 0 ? "50000" : sandbox_person_at(0)->employer));
		json_object_object_add(f, "data", data);
		emu_coll_put(c, f);
	}
}

/* ---- list and get ----------------------------------------------------------- */

static void list_early(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	struct kind_query q = { kind_of_path(emu_req_path(req)), req };

	if (q.kind == &kinds[K_FORMS])
		forms_ensure_examples(emu);
	emu_list_page(res, emu_store(emu, q.kind->coll), req, matches_filters, &q);
}

static void get_early(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const struct early_kind *kind = kind_of_path(emu_req_path(req));
	json_object *item, *copy = NULL;

	if (kind == &kinds[K_FORMS])
		forms_ensure_examples(emu);
	item = emu_get_or_404(res, emu_store(emu, kind->coll), kind->what,
			      emu_req_capture(req, "id"));
	if (!item)
		return;
	json_object_deep_copy(item, &copy, NULL);
	emu_reply(res, 200, copy);
}

/* ---- body checks -------------------------------------------------------------- */

static const struct emu_field consent_fields[] = {
	{ "type", EMU_T_STRING, false, NULL },
	{ "version", EMU_T_STRING, false, NULL },
	{ "consentedAt", EMU_T_DATE_TIME, true, NULL },
	{ "consentedWith", EMU_T_STRING, true, NULL },
	{ "consentTemplateId", EMU_T_STRING, false, NULL },
	EMU_FIELDS_END,
};

static bool check_consent(struct emu_response *res, json_object *body)
{
	static const struct emu_field has_consent[] = {
		{ "consent", EMU_T_OBJECT, true, NULL }, EMU_FIELDS_END,
	};
	json_object *consent;

	if (!emu_validate(res, body, has_consent))
		return false;
	json_object_object_get_ex(body, "consent", &consent);
	return emu_validate_at(res, consent, "consent", consent_fields);
}

#define STR_REQ(name) { name, EMU_T_STRING, true, NULL }
#define STR_OPT(name) { name, EMU_T_STRING, false, NULL }
#define COUNTRY_REQ { "countryCode", EMU_T_COUNTRY, true, NULL }
#define COUNTRY_OPT { "countryCode", EMU_T_COUNTRY, false, NULL }
#define EMAIL_REQ { "emailAddress", EMU_T_EMAIL, true, NULL }
#define EMAIL_OPT { "emailAddress", EMU_T_EMAIL, false, NULL }

static bool check_fields(struct emu_response *res, json_object *body, const struct emu_field *f)
{
	return emu_validate(res, body, f) && check_consent(res, body);
}

static bool has_str(json_object *body, const char *key)
{
	const char *v = emu_json_str(body, key);

	return v && *v;
}

static bool check_verification(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_OPT("firstName"), STR_OPT("middleName"), STR_OPT("lastName"), STR_OPT("suffix"),
		STR_OPT("fullName"), { "additionalData", EMU_T_OBJECT, false, NULL }, EMU_FIELDS_END,
	};
	static const char *const genders[] = { "Male", "Female", "Non-binary", NULL };
	static const char *const employment[] = { "EMPLOYED", "UNEMPLOYED", "SELF-EMPLOYED", "GIG",
						  "RETIRED", NULL };
	static const struct emu_field additional[] = {
		{ "dob", EMU_T_DATE, false, NULL }, { "gender", EMU_T_STRING, false, genders },
		{ "employmentStatus", EMU_T_STRING, false, employment }, EMU_FIELDS_END,
	};
	json_object *more = NULL;

	if (!check_fields(res, body, f))
		return false;
	json_object_object_get_ex(body, "additionalData", &more);
	return !more || emu_validate_at(res, more, "additionalData", additional);
}

static bool check_phone_signal(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = { STR_REQ("phone"), EMU_FIELDS_END };
	return check_fields(res, body, f);
}

static bool check_beta_signal(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_REQ("phone"), STR_REQ("templateId"), COUNTRY_OPT, EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

/* Either a Mexican identity (phone, curp) or a Philippine one
 * (mobileNumber, idType, idNumber). */
static bool check_signal3(struct emu_response *res, json_object *body)
{
	static const char *const id_types[] = { "PID", NULL };
	static const struct emu_field common[] = {
		STR_REQ("fullName"), STR_REQ("templateId"), EMAIL_OPT, EMU_FIELDS_END,
	};
	static const struct emu_field by_curp[] = { STR_REQ("phone"), STR_REQ("curp"), EMU_FIELDS_END };
	static const struct emu_field by_id[] = {
		STR_REQ("mobileNumber"), { "idType", EMU_T_STRING, true, id_types }, STR_REQ("idNumber"),
		EMU_FIELDS_END,
	};

	if (!check_fields(res, body, common))
		return false;
	return emu_validate(res, body, has_str(body, "mobileNumber") ? by_id : by_curp);
}

static bool check_footprint(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_REQ("templateId"), EMAIL_OPT, STR_OPT("mobileNumber"),
		COUNTRY_OPT, { "footprintItemsTimeout", EMU_T_INT, false, NULL },
		EMU_FIELDS_END,
	};

	if (!check_fields(res, body, f))
		return false;
	if (!has_str(body, "emailAddress") && !has_str(body, "mobileNumber")) {
		emu_bad_param(res, "emailAddress or mobileNumber is required");
		return false;
	}
	return true;
}

static bool check_maw(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_REQ("mobileNumber"), COUNTRY_REQ, STR_REQ("templateId"), EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

/* Either a device id (gaid) or a person (mobileNumber, fullName, id). */
static bool check_maw3(struct emu_response *res, json_object *body)
{
	static const struct emu_field common[] = { STR_REQ("templateId"), EMU_FIELDS_END };
	static const char *const id_types[] = { "NATIONAL_ID", "SSS", "UMID", "TIN", "PRC",
						"PHILHEALTH", "PASSPORT", "DRIVER_LICENSE",
						"PHILSYS", NULL };
	static const struct emu_field person[] = {
		STR_REQ("mobileNumber"), STR_REQ("fullName"), STR_REQ("idNumber"),
		{ "idType", EMU_T_STRING, true, id_types }, COUNTRY_REQ, EMU_FIELDS_END,
	};

	if (!check_fields(res, body, common))
		return false;
	return has_str(body, "gaid") || emu_validate(res, body, person);
}

static bool check_bank_account(struct emu_response *res, json_object *body)
{
	static const char *const id_types[] = { "NATIONAL_ID", "REGISTRATION_ID", NULL };
	static const struct emu_field f[] = {
		STR_REQ("name"), { "idType", EMU_T_STRING, false, id_types }, STR_OPT("idNumber"),
		STR_OPT("bic"), STR_OPT("iban"), STR_OPT("accountNumber"), COUNTRY_OPT, EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

static bool check_blacklist(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_REQ("mobileNumber"), { "applicationDate", EMU_T_DATE, false, NULL }, COUNTRY_OPT,
		EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

static bool check_alpha_ss(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		EMAIL_REQ, STR_REQ("fullName"), STR_REQ("mobileNumber"), STR_REQ("curp"),
		STR_REQ("templateId"), EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

static bool check_beta_ss(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		EMAIL_OPT, STR_REQ("fullName"), STR_REQ("mobileNumber"), STR_REQ("curp"),
		STR_OPT("nss"), STR_REQ("templateId"), EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

/* ---- results ------------------------------------------------------------------ */

static void add_int(json_object *o, const char *key, int v)
{
	json_object_object_add(o, key, json_object_new_int(v));
}

static void add_bool(json_object *o, const char *key, bool v)
{
	json_object_object_add(o, key, json_object_new_boolean(v));
}

/* [{name, value, valueType}], the shape of signal and footprint items. */
static json_object *named_values(const char *const *triples)
{
	json_object *arr = json_object_new_array();

	for (; triples[0]; triples += 3) {
		json_object *o = json_object_new_object();
		emu_json_set_str(o, "name", triples[0]);
		emu_json_set_str(o, "value", triples[1]);
		emu_json_set_str(o, "valueType", triples[2]);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* The sandbox identity with that full name, or NULL. */
static const struct sandbox_person *person_named(const char *full)
{
	for (size_t i = 0; full && i < sandbox_person_count(); i++)
		if (strcasecmp(full, sandbox_person_at(i)->full_name) == 0)
			return sandbox_person_at(i);
	return NULL;
}

/* The person a verification names, when it is a sandbox identity. */
static const struct sandbox_person *verification_person(json_object *body)
{
	const char *first = emu_json_str(body, "firstName"), *last = emu_json_str(body, "lastName");

	for (size_t i = 0; first && last && i < sandbox_person_count(); i++) {
		const struct sandbox_person *p = sandbox_person_at(i);
		if (strcasecmp(first, p->first_name) == 0 && strcasecmp(last, p->last_name) == 0)
			return p;
	}
	return person_named(emu_json_str(body, "fullName"));
}

static void fill_verification(json_object *obj, json_object *body)
{
	const struct sandbox_person *p = verification_person(body);
	json_object *result = json_object_new_object(), *names = json_object_new_object();

	/* This schema has updatedAt but no resultCode. */
	json_object_object_del(obj, "resultCode");
	json_object_object_del(obj, "resultMessage");
	emu_json_set_str(obj, "updatedAt", emu_json_str(obj, "createdAt"));
	add_bool(names, "firstNameMatches", p != NULL);
	add_bool(names, "lastNameMatches", p != NULL);
	add_bool(names, "fullNameMatches", p != NULL);
	add_bool(result, "finalMatches", p != NULL);
	json_object_object_add(result, "names", names);
	json_object_object_add(obj, "result", result);
}

static void fill_alpha_signal(json_object *obj, json_object *body)
{
	static const struct { const char *key; int value; } events[] = {
		{ "events_marketing_day30_institution_count", 3 },
		{ "events_application_reception_day30", 2 },
		{ "events_loan_disbursement_day30", 1 },
		{ "events_successful_repayment_day30", 1 },
		{ "events_overdue_day30", 0 },
		{ "events_overdue_day90", 0 },
		{ "events_loan_disbursement_day180", 2 },
		{ "events_overdue_days_since_last", 365 },
	};
	json_object *result = json_object_new_object();

	(void)body;
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++)
		add_int(result, events[i].key, events[i].value);
	json_object_object_add(obj, "result", result);
}

static void fill_signal(json_object *obj, const char *type)
{
	static const char *const items[] = {
		"phone_age_days", "812", "NUMBER",
		"phone_active", "true", "BOOLEAN",
		"carrier", "Globe Telecom", "STRING",
		NULL,
	};

	emu_json_set_str(obj, "signalType", type);
	json_object_object_add(obj, "items", named_values(items));
}

static void fill_signal1(json_object *obj, json_object *body)
{
	(void)body;
	fill_signal(obj, "Signal1");
}

static void fill_signal2(json_object *obj, json_object *body)
{
	(void)body;
	fill_signal(obj, "Signal2");
}

static void fill_signal3(json_object *obj, json_object *body)
{
	(void)body;
	fill_signal(obj, "Signal3");
}

static void fill_footprint(json_object *obj, json_object *body)
{
	static const char *const items[] = {
		"email_registered_platforms", "7", "NUMBER",
		"email_first_seen_days", "2190", "NUMBER",
		"has_social_profile", "true", "BOOLEAN",
		NULL,
	};

	(void)body;
	json_object_object_add(obj, "items", named_values(items));
}

static json_object *maw2_items(void)
{
	static const char *const rows[][3] = {
		{ "MEDIUM", "gcash", "wallet" },
		{ "LOW", "shopee", "e-commerce" },
	};
	json_object *arr = json_object_new_array();
	long today = days_since_epoch_now();
	char day[11];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_object *o = json_object_new_object();
		format_day(day, today - 30 * (long)(i + 1));
		emu_json_set_str(o, "date", day);
		emu_json_set_str(o, "level", rows[i][0]);
		emu_json_set_str(o, "platformId", rows[i][1]);
		emu_json_set_str(o, "source", rows[i][2]);
		json_object_array_add(arr, o);
	}
	return arr;
}

static void fill_alpha_maw(json_object *obj, json_object *body)
{
	(void)body;
	json_object_object_add(obj, "items", maw2_items());
}

static void fill_maw2(json_object *obj, json_object *body)
{
	(void)body;
	emu_json_set_str(obj, "type", "MAW2");
	json_object_object_add(obj, "maw2Items", maw2_items());
}

static void fill_maw3(json_object *obj, json_object *body)
{
	static const char *const items[] = {
		"apps_lending_count", "2", "NUMBER",
		"apps_wallet_installed", "true", "BOOLEAN",
		NULL,
	};

	(void)body;
	emu_json_set_str(obj, "type", "MAW3");
	json_object_object_add(obj, "maw3Items", named_values(items));
}

static void fill_bank_account(json_object *obj, json_object *body)
{
	json_object *result = json_object_new_object();

	/* A sandbox identity's name matches; anyone else half does. */
	emu_json_set_str(result, "type", "BankAccount");
	add_int(result, "matchScore", person_named(emu_json_str(body, "name")) ? 95 : 50);
	json_object_object_add(obj, "result", result);
}

static void fill_blacklist(json_object *obj, json_object *body)
{
	json_object *result = json_object_new_object();

	(void)body;
	add_bool(result, "hit", false);
	json_object_object_add(result, "dates", json_object_new_array());
	json_object_object_add(obj, "result", result);
}

static void fill_social_security(json_object *obj, json_object *body)
{
	json_object *result = json_object_new_object();
	const char *nss = emu_json_str(body, "nss"), *curp = emu_json_str(body, "curp");
	char day[11];

	format_day(day, days_since_epoch_now() - 1);
	emu_json_set_str(result, "fullName", emu_json_str(body, "fullName"));
	emu_json_set_str(result, "curp", curp);
	/* The schema requires gender; a CURP tells it (11th character). */
	emu_json_set_str(result, "gender", strlen(curp) > 10 && curp[10] == 'M' ? "Female" : "Male");
	emu_json_set_str(result, "state", "Ciudad de Mexico");
	emu_json_set_str(result, "nss", nss ? nss : "12345678901");
	emu_json_set_str(result, "reportDate", day);
	emu_json_set_str(result, "employerName", "Servicios Digitales de Mexico SA de CV");
	emu_json_set_str(result, "employerRegistration", "Y5412345106");
	add_int(result, "contributionDays", 1095);
	json_object_object_add(result, "contributionBaseAmount",
			       json_object_new_double_s(18500.0, "18500.00"));
	emu_json_set_str(result, "currency", "MXN");
	json_object_object_add(obj, "result", result);
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
	json_object *body, *obj, *copy = NULL;
	char now[EMU_TIME_LEN];
	char *id;

	for (size_t i = 0; i < sizeof(creates) / sizeof(creates[0]); i++)
		if (strcmp(creates[i].path, emu_req_path(req)) == 0)
			op = &creates[i];
	if (!(body = emu_req_json(req, res)) || !op->check(res, body))
		return;
	id = emu_new_id(emu, kinds[op->kind].prefix);
	emu_now(now);
	obj = json_object_new_object();
	emu_json_set_str(obj, "id", id);
	emu_json_set_str(obj, "createdAt", now);
	emu_json_set_str(obj, "status", "COMPLETED");
	emu_json_set_str(obj, "resultCode", "SUCCESS");
	emu_json_set_str(obj, "resultMessage", "Success");
	json_object_deep_copy(body, &copy, NULL);
	json_object_object_add(obj, "requestMeta", copy);
	op->fill(obj, body);
	emu_coll_put(emu_store(emu, kinds[op->kind].coll), obj);
	emu_state_dirty(emu);
	copy = NULL;
	json_object_deep_copy(obj, &copy, NULL);
	emu_reply(res, op->status, copy);
	free(id);
}

/* ---- employer look-ups ---------------------------------------------------------- */

struct employer_def {
	const char *name, *short_name, *registration, *org, *psic_code, *psic_industry;
};

static const struct employer_def employers[] = {
	{ "Manila Logistics Corporation", "Manila Logistics", "CS201912345", "SEC", "4923",
	  "Freight transport by road" },
	{ "Makati Trading Corp.", "Makati Trading", "CS201054321", "SEC", "4690",
	  "Non-specialized wholesale trade" },
	{ "Cebu Home Services Inc.", "Cebu Home Services", "3456789", "DTI", "8129",
	  "Other cleaning activities" },
	{ "ABC Inc.", "ABC", "CS200911111", "SEC", "6201", "Computer programming activities" },
	/* The one smile's help uses in its examples, so that they find something. */
	{ "Jollibee Foods Corporation", "Jollibee", "CS197800123", "SEC", "5610",
	  "Restaurants and mobile food service activities" },
};

static json_object *registrations_of(const struct employer_def *e)
{
	json_object *arr = json_object_new_array(), *r = json_object_new_object();

	emu_json_set_str(r, "number", e->registration);
	emu_json_set_str(r, "organization", e->org);
	json_object_array_add(arr, r);
	return arr;
}

static json_object *employer_basic(const struct employer_def *e)
{
	json_object *o = json_object_new_object(), *sources = json_object_new_array();

	emu_json_set_str(o, "businessName", e->name);
	json_object_object_add(o, "registrations", registrations_of(e));
	add_int(o, "matchPercentage", 90);
	json_object_array_add(sources, json_object_new_string(e->org));
	json_object_object_add(o, "sources", sources);
	emu_json_set_str(o, "verificationStatus", "VERIFIED");
	return o;
}

static json_object *employer_full(const struct employer_def *e)
{
	json_object *o = json_object_new_object(), *addr = json_object_new_object();

	emu_json_set_str(o, "businessName", e->name);
	emu_json_set_str(o, "shortName", e->short_name);
	json_object_object_add(o, "registrations", registrations_of(e));
	emu_json_set_str(addr, "type", "Primary");
	emu_json_set_str(addr, "country", "PH");
	json_object_object_add(o, "businessAddress", addr);
	emu_json_set_str(o, "psicCode", e->psic_code);
	emu_json_set_str(o, "psicIndustry", e->psic_industry);
	json_object_object_add(o, "contactPersons", json_object_new_array());
	json_object_object_add(o, "licenses", json_object_new_array());
	return o;
}

/* Employers whose name holds the text given in param (3..255 chars). */
static void query_employers(struct emu_request *req, struct emu_response *res, const char *param,
			    json_object *(*to_json)(const struct employer_def *))
{
	const char *text = emu_req_query(req, param);
	json_object *found;

	if (!text || strlen(text) < 3 || strlen(text) > 255) {
		emu_bad_param(res, "%s must be between 3 and 255 characters", param);
		return;
	}
	found = json_object_new_array();
	for (size_t i = 0; i < sizeof(employers) / sizeof(employers[0]); i++)
		if (strcasestr(employers[i].name, text))
			json_object_array_add(found, to_json(&employers[i]));
	emu_reply(res, 200, found);
}

static void query_employer_basics(struct emu *emu, struct emu_request *req,
				  struct emu_response *res)
{
	(void)emu;
	query_employers(req, res, "keyword", employer_basic);
}

static void query_employer(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	(void)emu;
	query_employers(req, res, "businessName", employer_full);
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
	{ "GET", "/alpha/employerBasics/query", query_employer_basics },
	{ "GET", "/alpha/employers/query", query_employer },
	EMU_ROUTES_END,
};
