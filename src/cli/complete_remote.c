/* SPDX-License-Identifier: MIT */
/*
 * Completion values only the API knows: the file types of the tenant
 * (GET /fileTypes). One request through the HTTP core, with the profile in
 * effect for the words typed so far, at most COMPLETE_TIMEOUT_MS and never
 * retried: completion that waits or prints an error is worse than none, so
 * any failure (no credentials, no network, an error answer) offers nothing.
 */
#include "cli/complete_profiles.h"
#include "core/json.h"
#include "core/util.h"

#include <string.h>

#define COMPLETE_TIMEOUT_MS 2000

/* The profile of the words typed (--config, --profile, --base-url), the
 * environment and the config file, as setup would resolve it; false when
 * there is none with credentials. */
static bool resolve_profile(const struct global_opts *g, struct profile *p)
{
	_cleanup_free_ char *path = g->config_path ? xstrdup(g->config_path) : config_default_path();
	struct config *cfg = NULL;
	char *err = NULL;
	struct profile_overrides ov = PROFILE_OVERRIDES_INIT;

	if (config_load(path, &cfg, &err) < 0) {
		free(err);
		return false;
	}
	ov.profile = g->profile;
	ov.base_url = g->base_url;
	int e = profile_resolve(cfg, &ov, p, &err);
	free(err);
	config_free(cfg);
	if (e < 0)
		return false;
	if (profile_credentials(p) != CREDENTIALS_COMPLETE) {
		profile_clear(p);
		return false;
	}
	return true;
}

/* Offers each item's type, described by its label; a type that could not
 * be typed as one word is left out. */
static void offer_file_types(const struct completion_out *co, json_object *data, const char *cur,
			     const char *lead)
{
	json_object *items = NULL;
	if (!data || !json_object_object_get_ex(data, "items", &items) ||
	    !json_object_is_type(items, json_type_array))
		return;
	for (size_t i = 0; i < json_object_array_length(items); i++) {
		json_object *item = json_object_array_get_idx(items, i);
		json_object *type = NULL, *label = NULL;
		if (!json_object_object_get_ex(item, "type", &type) || !json_object_is_type(type, json_type_string))
			continue;
		const char *id = json_object_get_string(type);
		if (!*id || id[strcspn(id, " \t\r\n")])
			continue;
		json_object_object_get_ex(item, "typeLabel", &label);
		complete_offer(co, cur, lead, id,
			       json_object_is_type(label, json_type_string) ? json_object_get_string(label) : NULL);
	}
}

void complete_file_type_ids(const struct completion_out *co, const struct global_opts *g, const char *cur,
			    const char *lead)
{
	struct profile p;

	/* --dry-run on the line means nothing is sent, not even this. */
	if (g->dry_run || !resolve_profile(g, &p))
		return;
	struct http_client_opts opts = {
		.base_url = p.base_url,
		.api_key = p.api_key,
		.api_secret = p.api_secret,
		.connect_timeout_ms = COMPLETE_TIMEOUT_MS,
		.timeout_ms = COMPLETE_TIMEOUT_MS,
		.max_attempts = 1,
		.retry_max_ms = 0,
	};
	struct http_client *c = http_client_new(&opts);
	if (c) {
		static const struct http_param size = { "size", "150" };
		struct http_request req = { .method = "GET", .path = "/fileTypes", .params = &size, .n_params = 1 };
		struct http_response r = { 0 };
		if (http_send(c, &req, &r) == HTTP_OK)
			offer_file_types(co, r.data, cur, lead);
		http_response_clear(&r);
		http_client_free(c);
	}
	profile_clear(&p);
}
