/* SPDX-License-Identifier: MIT */
/*
 * What each early-access body must hold: the spec's required fields,
 * formats and enums, and the consent every one of them carries.
 */
#include "emulator/api/early.h"
#include "emulator/emu.h"

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

bool check_verification(struct emu_response *res, json_object *body)
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

bool check_phone_signal(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = { STR_REQ("phone"), EMU_FIELDS_END };
	return check_fields(res, body, f);
}

bool check_beta_signal(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_REQ("phone"), STR_REQ("templateId"), COUNTRY_OPT, EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

/* Either a Mexican identity (phone, curp) or a Philippine one
 * (mobileNumber, idType, idNumber). */
bool check_signal3(struct emu_response *res, json_object *body)
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

bool check_footprint(struct emu_response *res, json_object *body)
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

bool check_maw(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_REQ("mobileNumber"), COUNTRY_REQ, STR_REQ("templateId"), EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

/* Either a device id (gaid) or a person (mobileNumber, fullName, id). */
bool check_maw3(struct emu_response *res, json_object *body)
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

bool check_bank_account(struct emu_response *res, json_object *body)
{
	static const char *const id_types[] = { "NATIONAL_ID", "REGISTRATION_ID", NULL };
	static const struct emu_field f[] = {
		STR_REQ("name"), { "idType", EMU_T_STRING, false, id_types }, STR_OPT("idNumber"),
		STR_OPT("bic"), STR_OPT("iban"), STR_OPT("accountNumber"), COUNTRY_OPT, EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

bool check_blacklist(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		STR_REQ("mobileNumber"), { "applicationDate", EMU_T_DATE, false, NULL }, COUNTRY_OPT,
		EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

bool check_alpha_ss(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		EMAIL_REQ, STR_REQ("fullName"), STR_REQ("mobileNumber"), STR_REQ("curp"),
		STR_REQ("templateId"), EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}

bool check_beta_ss(struct emu_response *res, json_object *body)
{
	static const struct emu_field f[] = {
		EMAIL_OPT, STR_REQ("fullName"), STR_REQ("mobileNumber"), STR_REQ("curp"),
		STR_OPT("nss"), STR_REQ("templateId"), EMU_FIELDS_END,
	};
	return check_fields(res, body, f);
}
