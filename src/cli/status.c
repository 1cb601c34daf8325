/* SPDX-License-Identifier: MIT */
/*
 * The one mapping from what the HTTP core reports to smile's documented
 * exit statuses (README "Exit status", smile(1) EXIT STATUS).
 */
#include "cli/status.h"

#include "core/config/config.h"
#include "core/util.h"

int cli_status_exit(long status)
{
	if (status == 0)
		return SMILE_EXIT_NETWORK;
	if (status >= 200 && status < 300)
		return SMILE_EXIT_OK;
	if (status == 401 || status == 403)
		return SMILE_EXIT_AUTH;
	if (status == 404)
		return SMILE_EXIT_NOT_FOUND;
	if (status == 429)
		return SMILE_EXIT_RATE_LIMITED;
	if (status >= 500 && status < 600)
		return SMILE_EXIT_SERVER;
	/* 400 included: the server refused our input, which is not a usage
	 * error of the command line (that one is caught before sending). */
	return SMILE_EXIT_FAILURE;
}

int cli_exit_status(const struct http_response *r)
{
	switch (r->failure) {
	case HTTP_OK:
		return SMILE_EXIT_OK;
	case HTTP_FAIL_STATUS:
		return cli_status_exit(r->status);
	case HTTP_FAIL_NETWORK:
		return SMILE_EXIT_NETWORK;
	case HTTP_FAIL_INTERRUPTED:
		return SMILE_EXIT_INTERRUPTED;
	case HTTP_FAIL_BAD_RESPONSE:
	case HTTP_FAIL_LOCAL:
		break;
	}
	return SMILE_EXIT_FAILURE;
}

int cli_send(struct http_client *c, const struct http_request *req, struct http_response *r)
{
	http_send(c, req, r);
	int status = cli_exit_status(r);
	if (status)
		http_report_error(r);
	return status;
}

/* The `smile config set` the user should run targets this same profile. */
static char *set_command(const struct profile *p)
{
	if (p->name && p->name_from_option)
		return xasprintf("smile --profile %s config set", p->name);
	return xstrdup("smile config set");
}

int cli_require_credentials(const struct profile *p)
{
	enum profile_credentials missing = profile_credentials(p);
	if (missing == CREDENTIALS_COMPLETE)
		return 0;

	_cleanup_free_ char *set = set_command(p);
	_cleanup_free_ char *which = p->name ? xasprintf("profile '%s'", p->name)
					     : xstrdup("any profile (none is configured)");
	if (missing == CREDENTIALS_NONE)
		log_error("no API credentials for %s; run '%s api_key KEY' and '%s api_secret' "
			  "(reads the secret from stdin), or set SMILE_API_KEY and SMILE_API_SECRET",
			  which, set, set);
	else if (missing == CREDENTIALS_NO_KEY)
		log_error("no API key for %s; run '%s api_key KEY', or set SMILE_API_KEY", which, set);
	else
		log_error("no API secret for %s; run '%s api_secret' (reads the secret from stdin), "
			  "or set SMILE_API_SECRET", which, set);
	/* Missing credentials are an authentication failure that happened
	 * before the request: scripts treat both the same way. */
	return SMILE_EXIT_AUTH;
}
