/* SPDX-License-Identifier: MIT */
/*
 * Checking one option value against its type (int, number, date,
 * date-time, enum, list, string) before anything is sent: the message names
 * the flag and what it accepts.
 */
#include "cli/dispatch.h"
#include "core/text.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Each check returns NULL for a good value, else what the option accepts
 * (allocated): the caller says where the value came from. */

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* YYYY-MM or YYYY-MM-DD with a real calendar day. */
static bool valid_date(const char *s, bool with_day)
{
	size_t want = with_day ? 10 : 7;
	if (strlen(s) < want || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2))
		return false;
	int year = atoi(s), month = atoi(s + 5);
	if (month < 1 || month > 12 || year < 1)
		return false;
	if (!with_day)
		return s[7] == '\0';
	if (s[7] != '-' || !digits(s + 8, 2))
		return false;
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int day = atoi(s + 8), max = days[month - 1] + (month == 2 && is_leap(year));
	return day >= 1 && day <= max;
}

static bool valid_datetime(const char *s)
{
	if (!valid_date(s, true) || (s[10] != 'T' && s[10] != 't'))
		return false;
	const char *t = s + 11;
	if (!digits(t, 2) || t[2] != ':' || !digits(t + 3, 2) || t[5] != ':' || !digits(t + 6, 2))
		return false;
	t += 8;
	if (*t == '.')
		for (t++; isdigit((unsigned char)*t); t++)
			;
	if (*t == 'Z' || *t == 'z')
		return t[1] == '\0';
	return (*t == '+' || *t == '-') && digits(t + 1, 2) && t[3] == ':' && digits(t + 4, 2) && t[6] == '\0';
}

static char *check_int(const struct opt_spec *o, const char *value)
{
	char *end;
	errno = 0;
	long v = strtol(value, &end, 10);
	if (errno || end == value || *end)
		return xstrdup("expected a whole number");
	if (o->max > o->min && (v < o->min || v > o->max)) {
		char accepts[96];
		if (o->max == LONG_MAX)
			snprintf(accepts, sizeof(accepts), "expected a number of at least %ld", o->min);
		else
			snprintf(accepts, sizeof(accepts), "expected a number from %ld to %ld", o->min, o->max);
		return xstrdup(accepts);
	}
	return NULL;
}

static char *check_number(const struct opt_spec *o, const char *value)
{
	char *end;
	errno = 0;
	double v = strtod(value, &end);
	if (errno || end == value || *end || !isfinite(v))
		return xstrdup("expected a number");
	/* Bounded as the config file's values are: a negative timeout would
	 * silently mean "not given", a huge one overflows the milliseconds. */
	if (o->max > o->min && (v < (double)o->min || v > (double)o->max)) {
		char accepts[96];
		snprintf(accepts, sizeof(accepts), "expected a number from %ld to %ld", o->min, o->max);
		return xstrdup(accepts);
	}
	return NULL;
}

static char *check_string(const struct opt_spec *o, const char *value)
{
	size_t len = utf8_length(value);

	/* "?userId=" would filter on nothing, or on everything: an unset shell
	 * variable is far likelier than a wish for either. */
	if (o->where == OPT_QUERY && len == 0)
		return xstrdup("expected a non-empty value");
	if (o->max > 0 && (len < (size_t)o->min || len > (size_t)o->max)) {
		char accepts[96];
		snprintf(accepts, sizeof(accepts), "expected %ld to %ld characters, got %zu", o->min, o->max, len);
		return xstrdup(accepts);
	}
	return NULL;
}

/* The allowed value that value names (any case for OPT_CASELESS), or NULL. */
const char *enum_value(const struct opt_spec *o, const char *value)
{
	for (size_t i = 0; o->values && o->values[i]; i++)
		if ((o->flags & OPT_CASELESS) ? strcasecmp(o->values[i], value) == 0
					       : strcmp(o->values[i], value) == 0)
			return o->values[i];
	return NULL;
}

static char *check_enum(const struct opt_spec *o, const char *value)
{
	struct strbuf sb = STRBUF_INIT;

	if (enum_value(o, value))
		return NULL;
	for (size_t i = 0; o->values && o->values[i]; i++) {
		strbuf_addstr(&sb, i ? ", " : "expected one of: ");
		strbuf_addstr(&sb, o->values[i]);
	}
	char *r = xstrdup(sb.buf ? sb.buf : "no value is accepted");
	strbuf_release(&sb);
	return r;
}

/* Each comma-separated item of a list, against the allowed values if any. */
static char *check_list(const struct opt_spec *o, const char *value)
{
	if (!*value)
		return xstrdup("expected a non-empty value");
	if (!o->values)
		return NULL;
	char *copy = xstrdup(value), *save = NULL;
	char *r = NULL;
	for (char *item = strtok_r(copy, ",", &save); item && !r; item = strtok_r(NULL, ",", &save))
		r = check_enum(o, item);
	free(copy);
	return r;
}

static bool opt_text_is_valid(const struct opt_spec *o, const char *value)
{
	return !(o->where != OPT_LOCAL || o->type == OPT_KEYVALUE) || utf8_is_valid(value, strlen(value));
}

char *opt_problem(const struct opt_spec *o, const char *value)
{
	/* A value that goes on the wire goes as JSON or a URL, which carry
	 * UTF-8 only: typed text that is not is refused (core/text.h). */
	if (!opt_text_is_valid(o, value))
		return xstrdup("not valid UTF-8");
	switch (o->type) {
	case OPT_FLAG:
		return NULL;
	case OPT_STRING:
		return check_string(o, value);
	case OPT_INT:
		return check_int(o, value);
	case OPT_NUMBER:
		return check_number(o, value);
	case OPT_BOOL:
		if (strcmp(value, "true") && strcmp(value, "false"))
			return xstrdup("expected true or false");
		return NULL;
	case OPT_DATE:
		return valid_date(value, true) && value[10] == '\0' ? NULL : xstrdup("expected a date YYYY-MM-DD");
	case OPT_MONTH:
		return valid_date(value, false) ? NULL : xstrdup("expected a month YYYY-MM");
	case OPT_DATETIME:
		return valid_datetime(value) ? NULL : xstrdup("expected a time like 2024-01-31T12:00:00Z");
	case OPT_ENUM:
		return check_enum(o, value);
	case OPT_EMAIL:
		if (!str_is_email(value))
			return xstrdup("expected an email address like name@example.com");
		return check_string(o, value);
	case OPT_URL:
		if (!str_starts_with(value, "http://") && !str_starts_with(value, "https://"))
			return xstrdup("expected an http:// or https:// URL");
		return check_string(o, value);
	case OPT_KEYVALUE: {
		const char *eq = strchr(value, '=');
		if (!eq || eq == value)
			return xstrdup("expected KEY=VALUE");
		return NULL;
	}
	case OPT_JSON: {
		json_tokener *tok = json_tokener_new();
		json_object *j = json_tokener_parse_ex(tok, value, (int)strlen(value));
		bool ok = j && json_tokener_get_error(tok) == json_tokener_success;
		json_object_put(j);
		json_tokener_free(tok);
		return ok ? NULL : xstrdup("expected JSON");
	}
	case OPT_LIST:
		return check_list(o, value);
	case OPT_PATH:
		return *value ? NULL : xstrdup("expected a non-empty value");
	}
	return NULL;
}

int opt_validate(const struct opt_spec *o, const char *value)
{
	char *why = opt_problem(o, value);

	if (!why)
		return 0;
	/* Never echo a secret, even a wrong one, nor bytes that are not text. */
	if ((o->flags & OPT_SECRET) || !opt_text_is_valid(o, value))
		log_error("invalid value for --%s: %s", o->name, why);
	else
		log_error("invalid value '%s' for --%s: %s", value, o->name, why);
	free(why);
	return SMILE_EXIT_USAGE;
}
