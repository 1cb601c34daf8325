/* SPDX-License-Identifier: MIT */
/*
 * What smile link checks before it serves: a provider id of --providers or
 * --top-providers that does not exist would give the widget an empty or
 * shorter list with no word why, and an unknown --user-id would fail only
 * when the page asks for a token. One GET each, before the first line;
 * nothing under --dry-run, which sends nothing.
 */
#include <curl/curl.h>
#include <string.h>

#include "cli/status.h"
#include "cmd/link/link.h"
#include "core/http/client.h"
#include "core/util.h"

#define TOP_PROVIDERS_MAX 10

/* 0 when GET /COLLECTION/ID answers 2xx, else the exit status, with a
 * message naming the option. */
static int check_exists(struct link_state *st, const char *collection, const char *id, const char *option,
			const char *what)
{
	char *escaped = curl_easy_escape(NULL, id, 0);
	_cleanup_free_ char *path = xasprintf("/%s/%s", collection, escaped);
	struct http_request req = { .method = "GET", .path = path };
	struct http_response resp = { 0 };
	int r = 0;

	curl_free(escaped);
	if (http_send(st->http, &req, &resp) != HTTP_OK) {
		if (resp.failure == HTTP_FAIL_STATUS && resp.status == 404)
			r = log_status(SMILE_EXIT_USAGE, "%s: no %s '%s' (smile %s list shows them)", option, what, id,
				       collection);
		else
			r = log_status(cli_exit_status(&resp), "cannot check %s '%s': %s", option, id,
				       resp.error ? resp.error : "request failed");
	}
	http_response_clear(&resp);
	return r;
}

static int check_providers(struct link_state *st, json_object *ids, const char *option)
{
	int r = 0;

	for (size_t i = 0; i < json_object_array_length(ids) && !r; i++)
		r = check_exists(st, "providers", json_object_get_string(json_object_array_get_idx(ids, i)), option,
				 "provider");
	return r;
}

int link_check_options(struct link_state *st, bool dry_run)
{
	int r;

	if (json_object_array_length(st->top_providers) > TOP_PROVIDERS_MAX)
		return log_status(SMILE_EXIT_USAGE, "--top-providers takes at most %d providers, not %zu",
				  TOP_PROVIDERS_MAX, json_object_array_length(st->top_providers));
	if (dry_run)
		return 0;
	if ((r = check_providers(st, st->providers, "--providers")) ||
	    (r = check_providers(st, st->top_providers, "--top-providers")))
		return r;
	return st->user_id ? check_exists(st, "users", st->user_id, "--user-id", "user") : 0;
}
