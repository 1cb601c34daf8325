/* SPDX-License-Identifier: MIT */
#include "cli/apihost.h"

#include <string.h>
#include <strings.h>

#include "core/config/config.h"

bool api_is_official(const char *base_url)
{
	return !strcmp(base_url, SMILE_SANDBOX_URL) || !strcmp(base_url, SMILE_PRODUCTION_URL);
}

bool api_is_loopback(const char *base_url)
{
	const char *host = strstr(base_url, "://");
	size_t n;

	if (!host)
		return false;
	host += 3;
	host += strcspn(host, "@/") < strcspn(host, "/") ? strcspn(host, "@") + 1 : 0;
	if (!strncmp(host, "[::1]", 5))
		return true;
	n = strcspn(host, ":/?#");
	return (n == 9 && !strncasecmp(host, "localhost", 9)) ||
	       (n >= 7 && !strncmp(host, "127.", 4) && strspn(host, "0123456789.") == n);
}
