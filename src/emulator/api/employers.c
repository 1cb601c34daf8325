/* SPDX-License-Identifier: MIT */
/*
 * GET /alpha/employerBasics/query and /alpha/employers/query: look-ups in a
 * small fixed register of employers.
 */
#include <string.h>
#include <strings.h>

#include "emulator/emu.h"

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
	json_object_object_add(o, "matchPercentage", json_object_new_int(90));
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

const struct emu_route emu_routes_employers[] = {
	{ "GET", "/alpha/employerBasics/query", query_employer_basics },
	{ "GET", "/alpha/employers/query", query_employer },
	EMU_ROUTES_END,
};
