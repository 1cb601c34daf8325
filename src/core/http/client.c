/* SPDX-License-Identifier: MIT */
/*
 * The client's life: its options copied, curl's multi handle (which keeps
 * the connections of a run) and share handle (DNS, TLS sessions), the CA
 * paths from the environment. Sending is scheduler.c's.
 */
#include "core/http/internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static char *env_path(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? xstrdup(v) : NULL;
}

static char *copy_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct http_client *http_client_new(const struct http_client_opts *opts)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;

	struct http_client *c = xcalloc(1, sizeof(*c));

	c->o = *opts;
	c->o.base_url = copy_or_null(opts->base_url);
	c->o.api_key = copy_or_null(opts->api_key);
	c->o.api_secret = copy_or_null(opts->api_secret);
	c->verbose = opts->verbose;
	c->dry_run = opts->dry_run;
	c->stop = opts->stop;
	c->max_response = opts->max_response_bytes ? opts->max_response_bytes : HTTP_DEFAULT_MAX_RESPONSE;
	if (c->o.base_url)
		c->api_origin = url_origin(c->o.base_url);
	/* libcurl itself reads neither variable; the curl tool does, and people
	 * behind TLS-inspecting proxies set them. */
	c->cainfo = env_path("CURL_CA_BUNDLE");
	if (!c->cainfo)
		c->cainfo = env_path("SSL_CERT_FILE");
	c->capath = env_path("SSL_CERT_DIR");
	c->multi = curl_multi_init();
	c->share = curl_share_init();
	if (!c->multi || !c->share) {
		http_client_free(c);
		return NULL;
	}
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	rate_limiter_init(&c->limiter, c->o.rate, now_monotonic());
	return c;
}

void http_client_free(struct http_client *c)
{
	struct transfer_list *lists[4];
	struct transfer *t;

	if (!c)
		return;
	lists[0] = &c->pending;
	lists[1] = &c->waiting;
	lists[2] = &c->done;
	lists[3] = &c->active;
	/* Whatever was never run or delivered is dropped without callbacks. */
	for (size_t i = 0; i < 4; i++) {
		while ((t = transfer_list_pop(lists[i]))) {
			if (t->state == T_ACTIVE) {
				curl_multi_remove_handle(c->multi, t->easy);
				t->state = T_NEW;
			}
			transfer_free(t);
		}
	}
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->share)
		curl_share_cleanup(c->share);
	free((char *)c->o.base_url);
	free((char *)c->o.api_key);
	if (c->o.api_secret)
		explicit_bzero((char *)c->o.api_secret, strlen(c->o.api_secret));
	free((char *)c->o.api_secret);
	free(c->api_origin);
	free(c->cainfo);
	free(c->capath);
	free(c);
	curl_global_cleanup();
}
