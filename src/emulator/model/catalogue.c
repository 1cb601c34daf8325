/* SPDX-License-Identifier: MIT */
/*
 * The fixed catalogues: providers (where a user links accounts from) and
 * file types (what a user may upload), as GET /providers and GET /fileTypes
 * list them.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

struct provider_def {
	const char *id, *name, *long_name, *type, *sub_type;
	bool mfa, monitor;
	const char *supported; /* space-separated datapoints */
};

static const struct provider_def providers[] = {
	{ "upwork", "Upwork", "Upwork Global Inc.", "GIG", "SERVICES", true, true,
	  "IDENTITIES TRANSACTIONS RATINGS EMPLOYMENTS INCOMES" },
	{ "freelancer", "Freelancer", "Freelancer Technology Pty Limited", "GIG", "SERVICES", true, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "fiverr", "Fiverr", "Fiverr International Ltd.", "GIG", "SERVICES", false, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "grab", "Grab", "Grab Holdings Inc", "GIG", "TRANSPORTATION", true, true,
	  "IDENTITIES TRANSACTIONS RATINGS EMPLOYMENTS INCOMES DOCUMENTS" },
	{ "gojek", "Gojek", "PT Gojek Indonesia", "GIG", "TRANSPORTATION", true, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "lalamove", "Lalamove", "Lalamove Holdings Ltd.", "GIG", "TRANSPORTATION", false, false,
	  "IDENTITIES TRANSACTIONS" },
	{ "airbnb", "Airbnb", "Airbnb, Inc.", "GIG", "SHARING", true, false,
	  "IDENTITIES TRANSACTIONS RATINGS" },
	{ "shopee", "Shopee", "Shopee Pte. Ltd.", "GIG", "TRADING", true, false,
	  "IDENTITIES TRANSACTIONS" },
	{ "lazada", "Lazada", "Lazada Group", "GIG", "TRADING", false, false,
	  "IDENTITIES TRANSACTIONS" },
	{ "sss_ph", "SSS", "Social Security System (Philippines)", "GOVERNMENT", "INSURANCE", false, true,
	  "IDENTITIES EMPLOYMENTS CONTRIBUTIONS LIABILITIES EINCOMES" },
	{ "bpjs_id", "BPJS Ketenagakerjaan", "BPJS Ketenagakerjaan (Indonesia)", "GOVERNMENT",
	  "INSURANCE", false, false, "IDENTITIES EMPLOYMENTS CONTRIBUTIONS" },
	{ "nbi_ph", "NBI", "National Bureau of Investigation (Philippines)", "GOVERNMENT",
	  "IDENTIFICATION", false, false, "IDENTITIES DOCUMENTS" },
	{ "sprout", "Sprout", "Sprout Solutions Inc.", "SYSTEM", "PAYROLL", false, false,
	  "IDENTITIES EMPLOYMENTS INCOMES" },
	{ "bamboohr", "BambooHR", "Bamboo HR LLC", "SYSTEM", "HRIS", true, false,
	  "IDENTITIES EMPLOYMENTS" },
	{ "abccorp", "ABC Corp", "ABC Corporation", "EMPLOYER", "ISIC-C", false, true,
	  "IDENTITIES EMPLOYMENTS INCOMES DOCUMENTS" },
};

struct label { const char *code, *label; };

static const struct label type_labels[] = {
	{ "GIG", "Gig Platform" }, { "GOVERNMENT", "Govt Service" }, { "SYSTEM", "System" },
	{ "EMPLOYER", "Employer" }, { "CREDENTIAL", "Credential" }, { NULL, NULL },
};
static const struct label sub_type_labels[] = {
	{ "SERVICES", "Professional Services" }, { "TRANSPORTATION", "Transport and Delivery" },
	{ "SHARING", "Asset Sharing" }, { "TRADING", "Online Selling" },
	{ "INSURANCE", "Social Insurance" }, { "PAYROLL", "Payroll System" },
	{ "HRIS", "Human Resource Information System" }, { "IDENTIFICATION", "Identification" },
	{ "ISIC-C", "Manufacturing" }, { NULL, NULL },
};

static const char *label_of(const struct label *labels, const char *code)
{
	for (; labels->code; labels++)
		if (strcmp(labels->code, code) == 0)
			return labels->label;
	return code;
}

static json_object *words_array(const char *words)
{
	json_object *arr = json_object_new_array();

	while (*words) {
		size_t n = strcspn(words, " ");
		json_object_array_add(arr, json_object_new_string_len(words, (int)n));
		words += n + (words[n] == ' ');
	}
	return arr;
}

static json_object *provider_json(const struct provider_def *p)
{
	json_object *o = json_object_new_object();
	_cleanup_free_ char *logo = xasprintf("https://cdn.smileapi.io/image/provider-logo/%s.png", p->id);

	emu_json_set_str(o, "id", p->id);
	emu_json_set_str(o, "name", p->name);
	emu_json_set_str(o, "longName", p->long_name);
	emu_json_set_str(o, "logoUrl", logo);
	emu_json_set_str(o, "type", p->type);
	emu_json_set_str(o, "typeLabel", label_of(type_labels, p->type));
	emu_json_set_str(o, "subType", p->sub_type);
	emu_json_set_str(o, "subTypeLabel", label_of(sub_type_labels, p->sub_type));
	json_object_object_add(o, "active", json_object_new_boolean(1));
	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	json_object_object_add(o, "mfa", json_object_new_boolean(p->mfa));
	json_object_object_add(o, "accountConnection", json_object_new_boolean(1));
	json_object_object_add(o, "supported", words_array(p->supported));
	json_object_object_add(o, "monitorSupported", json_object_new_boolean(p->monitor));
	return o;
}

struct file_type_def {
	const char *type, *label;
	bool ocr;
	const char *supported;
};

static const struct file_type_def file_types[] = {
	{ "PAYSLIP", "Payslip", true, "IDENTITIES EMPLOYMENTS INCOMES" },
	{ "TAX_DOCUMENT", "Tax Document", true, "IDENTITIES EMPLOYMENTS INCOMES" },
	{ "EMPLOYMENT_CERTIFICATE", "Employment Certificate", true, "IDENTITIES EMPLOYMENTS" },
	{ "COMPANY_ID", "Company ID", false, "IDENTITIES DOCUMENTS" },
	{ "SOCIAL_SECURITY", "SOCIAL SECURITY Records", true, "IDENTITIES DOCUMENTS EMPLOYMENTS" },
};

static json_object *file_type_json(const struct file_type_def *f)
{
	json_object *o = json_object_new_object();
	_cleanup_free_ char *logo = xasprintf("https://cdn.smileapi.io/image/provider-logo/%s.png", f->type);

	emu_json_set_str(o, "logoUrl", logo);
	emu_json_set_str(o, "type", f->type);
	emu_json_set_str(o, "typeLabel", f->label);
	json_object_object_add(o, "active", json_object_new_boolean(1));
	json_object_object_add(o, "enabled", json_object_new_boolean(1));
	json_object_object_add(o, "ocr", json_object_new_boolean(f->ocr));
	json_object_object_add(o, "supported", words_array(f->supported));
	return o;
}

/* Built on first use (under the lock) and kept: the catalogues never change. */
json_object *emu_provider_catalogue(void)
{
	static json_object *all;

	if (!all) {
		all = json_object_new_array();
		for (size_t i = 0; i < sizeof(providers) / sizeof(*providers); i++)
			json_object_array_add(all, provider_json(&providers[i]));
	}
	return all;
}

json_object *emu_file_type_catalogue(void)
{
	static json_object *all;

	if (!all) {
		all = json_object_new_array();
		for (size_t i = 0; i < sizeof(file_types) / sizeof(*file_types); i++)
			json_object_array_add(all, file_type_json(&file_types[i]));
	}
	return all;
}

json_object *emu_provider_get(const char *id)
{
	json_object *all = emu_provider_catalogue();

	for (size_t i = 0; id && i < json_object_array_length(all); i++) {
		json_object *p = json_object_array_get_idx(all, i);
		if (strcmp(emu_json_str(p, "id"), id) == 0)
			return p;
	}
	return NULL;
}

bool provider_flag(json_object *provider, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(provider, key, &v) && json_object_get_boolean(v);
}
