/* SPDX-License-Identifier: MIT */
#include "core/yaml_words.h"

#include <string.h>
#include <strings.h>

static bool in_list(const char *s, const char *const *words, bool any_case)
{
	for (size_t i = 0; words[i]; i++)
		if (any_case ? !strcasecmp(s, words[i]) : !strcmp(s, words[i]))
			return true;
	return false;
}

bool yaml_null_word(const char *s)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	return in_list(s, nulls, false);
}

int yaml_bool_word(const char *s)
{
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	return in_list(s, trues, false) ? 1 : in_list(s, falses, false) ? 0 : -1;
}

bool yaml_string_needs_quotes(const char *s)
{
	/* YAML 1.1 and 1.2 words for null and booleans, merge and value keys. */
	static const char *const words[] = {
		"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "<<", "=", NULL,
	};
	return !*s || strchr("0123456789+-.", s[0]) || in_list(s, words, true);
}
