/* SPDX-License-Identifier: MIT */
/*
 * The fixed sample results of the early-access operations, derived from
 * the sandbox identity a request names where it names one.
 */
#include <string.h>
#include <strings.h>

#include "emulator/api/early.h"
#include "emulator/model/model.h"

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

void fill_verification(json_object *obj, json_object *body)
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

void fill_alpha_signal(json_object *obj, json_object *body)
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

void fill_signal1(json_object *obj, json_object *body)
{
	(void)body;
	fill_signal(obj, "Signal1");
}

void fill_signal2(json_object *obj, json_object *body)
{
	(void)body;
	fill_signal(obj, "Signal2");
}

void fill_signal3(json_object *obj, json_object *body)
{
	(void)body;
	fill_signal(obj, "Signal3");
}

void fill_footprint(json_object *obj, json_object *body)
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

void fill_alpha_maw(json_object *obj, json_object *body)
{
	(void)body;
	json_object_object_add(obj, "items", maw2_items());
}

void fill_maw2(json_object *obj, json_object *body)
{
	(void)body;
	emu_json_set_str(obj, "type", "MAW2");
	json_object_object_add(obj, "maw2Items", maw2_items());
}

void fill_maw3(json_object *obj, json_object *body)
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

void fill_bank_account(json_object *obj, json_object *body)
{
	json_object *result = json_object_new_object();

	/* A sandbox identity's name matches; anyone else half does. */
	emu_json_set_str(result, "type", "BankAccount");
	add_int(result, "matchScore", person_named(emu_json_str(body, "name")) ? 95 : 50);
	json_object_object_add(obj, "result", result);
}

void fill_blacklist(json_object *obj, json_object *body)
{
	json_object *result = json_object_new_object();

	(void)body;
	add_bool(result, "hit", false);
	json_object_object_add(result, "dates", json_object_new_array());
	json_object_object_add(obj, "result", result);
}

void fill_social_security(json_object *obj, json_object *body)
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
