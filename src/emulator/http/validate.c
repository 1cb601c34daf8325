/* SPDX-License-Identifier: MIT */
/*
 * Body validation as data: a handler lists its fields (name, type,
 * required, allowed values) and emu_validate answers 400 naming the first
 * field that breaks the list.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "emulator/emu.h"

/* RefCountryCode of the spec: ISO 3166-1 alpha-2 as the API takes it. */
static const char country_codes[] =
	" AF AX AL DZ AS AD AO AI AQ AG AR AM AW AU AT AZ BS BH BD BB BY BE BZ BJ BM BT BO BQ BA"
	" BW BV BR IO BN BG BF BI KH CM CA CV KY CF TD CL CN CX CC CO KM CG CD CK CR CI HR CU CW"
	" CY CZ DK DJ DM DO EC EG SV GQ ER EE ET FK FO FJ FI FR GF PF TF GA GM GE DE GH GI GR GL"
	" GD GP GU GT GG GN GW GY HT HM VA HN HK HU IS IN ID IR IQ IE IM IL IT JM JP JE JO KZ KE"
	" KI KP KR XK KW KG LA LV LB LS LR LY LI LT LU MO MK MG MW MY MV ML MT MH MQ MR MU YT MX"
	" FM MD MC MN ME MS MA MZ MM NA NR NP NL AN NC NZ NI NE NG NU NF MP NO OM PK PW PS PA PG"
	" PY PE PH PN PL PT PR QA RS RE RO RU RW BL SH KN LC MF PM VC WS SM ST SA SN CS SC SL SG"
	" SX SK SI SB SO ZA GS SS ES LK SD SR SJ SZ SE CH SY TW TJ TZ TH TL TG TK TO TT TN TR XT"
	" TM TC TV UG UA AE GB US UM UY UZ VU VE VN VG VI WF EH YE ZM ZW ";

static const char *const type_names[] = {
	[EMU_T_STRING] = "a string", [EMU_T_INT] = "an integer", [EMU_T_NUMBER] = "a number",
	[EMU_T_BOOL] = "a boolean", [EMU_T_OBJECT] = "an object", [EMU_T_ARRAY] = "an array",
	[EMU_T_DATE_TIME] = "a string", [EMU_T_DATE] = "a string", [EMU_T_EMAIL] = "a string",
	[EMU_T_COUNTRY] = "a string",
};

static const char *const format_problems[] = {
	[EMU_T_DATE_TIME] = "must be a date-time as YYYY-MM-DDTHH:MM:SSZ",
	[EMU_T_DATE] = "must be a date as YYYY-MM-DD",
	[EMU_T_EMAIL] = "must be an email address",
	[EMU_T_COUNTRY] = "must be an ISO 3166 alpha-2 country code",
};

/* s matches shape, where 'd' stands for a digit. */
static bool has_shape(const char *s, const char *shape)
{
	for (; *shape; s++, shape++)
		if (*shape == 'd' ? (*s < '0' || *s > '9') : *s != *shape)
			return false;
	return true;
}

static bool is_date(const char *s)
{
	int month, day;

	if (!has_shape(s, "dddd-dd-dd"))
		return false;
	month = atoi(s + 5);
	day = atoi(s + 8);
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/* RFC 3339: date "T" time, optional fraction, then "Z" or an offset. */
static bool is_date_time(const char *s)
{
	if (!is_date(s) || (s[10] != 'T' && s[10] != 't') || !has_shape(s + 11, "dd:dd:dd"))
		return false;
	if (atoi(s + 11) > 23 || atoi(s + 14) > 59 || atoi(s + 17) > 60)
		return false;
	s += 19;
	if (*s == '.' && s[1] >= '0' && s[1] <= '9')
		for (s++; *s >= '0' && *s <= '9'; s++)
			;
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';
	return (*s == '+' || *s == '-') && has_shape(s + 1, "dd:dd") && s[6] == '\0';
}

static bool is_country(const char *s)
{
	char key[5] = { ' ', s[0], s[0] ? s[1] : 0, ' ', 0 };

	return strlen(s) == 2 && strstr(country_codes, key);
}

static bool format_ok(const char *s, enum emu_type t)
{
	switch (t) {
	case EMU_T_DATE_TIME: return is_date_time(s);
	case EMU_T_DATE: return strlen(s) == 10 && is_date(s);
	case EMU_T_EMAIL: return str_is_email(s);
	case EMU_T_COUNTRY: return is_country(s);
	default: return true;
	}
}

static bool has_type(json_object *v, enum emu_type t)
{
	switch (t) {
	case EMU_T_STRING:
	case EMU_T_DATE_TIME:
	case EMU_T_DATE:
	case EMU_T_EMAIL:
	case EMU_T_COUNTRY: return json_object_is_type(v, json_type_string);
	case EMU_T_INT: return json_object_is_type(v, json_type_int);
	case EMU_T_NUMBER:
		return json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double);
	case EMU_T_BOOL: return json_object_is_type(v, json_type_boolean);
	case EMU_T_OBJECT: return json_object_is_type(v, json_type_object);
	case EMU_T_ARRAY: return json_object_is_type(v, json_type_array);
	}
	return false;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

bool emu_validate(struct emu_response *res, json_object *body, const struct emu_field *fields)
{
	return emu_validate_at(res, body, NULL, fields);
}

bool emu_validate_at(struct emu_response *res, json_object *body, const char *prefix,
		     const struct emu_field *fields)
{
	const char *dot = prefix ? "." : "";

	if (!prefix)
		prefix = "";
	for (const struct emu_field *f = fields; f->name; f++) {
		json_object *v = NULL;

		if (!json_object_object_get_ex(body, f->name, &v) || !v) {
			if (f->required) {
				emu_bad_param(res, "%s%s%s is required", prefix, dot, f->name);
				return false;
			}
			continue;
		}
		if (!has_type(v, f->type)) {
			emu_bad_param(res, "%s%s%s must be %s", prefix, dot, f->name, type_names[f->type]);
			return false;
		}
		if (!format_ok(json_object_get_string(v), f->type)) {
			emu_bad_param(res, "%s%s%s %s", prefix, dot, f->name, format_problems[f->type]);
			return false;
		}
		if (f->type == EMU_T_STRING && f->required && json_object_get_string_len(v) == 0) {
			emu_bad_param(res, "%s%s%s must not be empty", prefix, dot, f->name);
			return false;
		}
		if (f->one_of && f->type == EMU_T_STRING && !in_list(json_object_get_string(v), f->one_of)) {
			emu_bad_param(res, "%s%s%s has an unknown value '%s'", prefix, dot, f->name,
				      json_object_get_string(v));
			return false;
		}
	}
	return true;
}

