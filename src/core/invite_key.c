/* SPDX-License-Identifier: MIT */
#include "core/invite_key.h"
#include "core/util.h"

#include <string.h>

char *invite_key(const char *email, const char *template_id)
{
	email = email ? email : "";
	char *key = xasprintf("%s\t%s", email, template_id ? template_id : "");
	for (char *p = key, *end = key + strlen(email); p < end; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return key;
}
