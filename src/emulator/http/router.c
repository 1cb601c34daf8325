/* SPDX-License-Identifier: MIT */
/*
 * One request, from the call to the answer: credentials, then for /v1 the
 * rate limit and planned faults, then the route's handler, all under the
 * emulator's lock. --latency-ms sleeps before the lock is taken, so slow
 * answers do not serialise the whole emulator.
 *
 * API routes are relative to /v1 ("/users/{id}"); control routes are
 * absolute ("/_emulator/reset") and exempt from faults and rate limit.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/util.h"
#include "emulator/http/exchange.h"
#include "emulator/model/retention.h"
#include "emulator/server.h"

static const struct emu_route *const api_tables[] = {
	emu_routes_catalogue, emu_routes_users, emu_routes_webhooks,
	emu_routes_templates, emu_routes_invites, emu_routes_accounts, emu_routes_userdata,
	emu_routes_archives, emu_routes_early, emu_routes_employers, NULL,
};
static const struct emu_route *const control_tables[] = {
	emu_routes_control, emu_routes_control_data, emu_routes_control_invites,
	emu_routes_control_wink_assets, emu_routes_control_wink_api, emu_routes_control_clock,
	emu_routes_control_trigger, emu_routes_control_about, NULL,
};

/* ---- routing ------------------------------------------------------------ */

/* Matches path against a pattern, filling req's captures on success. */
static bool route_matches(const char *pattern, const char *path, struct emu_request *req)
{
	captures_free(req);
	while (*pattern && *path) {
		if (*pattern == '{') {
			const char *close = strchr(pattern, '}');
			size_t len = strcspn(path, "/");
			if (!close || len == 0 || req->n_captures == MAX_CAPTURES)
				return false;
			req->captures[req->n_captures++] = (struct capture){
				.name = pattern + 1, .name_len = (size_t)(close - pattern - 1),
				.value = xstrndup(path, len),
			};
			pattern = close + 1;
			path += len;
		} else if (*pattern++ != *path++) {
			return false;
		}
	}
	return *pattern == '\0' && *path == '\0';
}

/* The route for method and path; *path_known tells a 501 from a 404. */
static const struct emu_route *route_find(const struct emu_route *const *tables, const char *method,
					  const char *path, struct emu_request *req, bool *path_known)
{
	*path_known = false;
	for (; *tables; tables++)
		for (const struct emu_route *r = *tables; r->pattern; r++)
			if (route_matches(r->pattern, path, req)) {
				*path_known = true;
				if (strcmp(r->method, method) == 0)
					return r;
			}
	captures_free(req);
	return NULL;
}

/* Routes and runs the handler; called with the lock held. */
static void dispatch(struct emu *emu, struct emu_request *req, struct emu_response *res,
		     const struct emu_route *const *tables)
{
	bool path_known;
	const struct emu_route *r = route_find(tables, req->method, req->path, req, &path_known);

	if (req->call->body_too_large)
		emu_bad_param(res, "request body is larger than %u bytes", EMU_MAX_BODY);
	else if (r)
		r->fn(emu, req, res);
	else if (path_known)
		emu_error(res, 501, "UNSUPPORTED_METHOD", "method %s is not supported for %s",
			  req->method, req->path);
	else
		emu_error(res, 404, "MISSING_RESOURCE", "no resource at %s", req->path);
	if (!res->replied)
		emu_error(res, 500, "SERVER_ERROR", "the handler gave no answer");
}

/* ---- one request -------------------------------------------------------- */

static bool authorized(struct emu *emu, const struct emu_request *req)
{
	const char *auth = emu_req_header(req, "Authorization");

	if (!auth || strncasecmp(auth, "Basic ", 6) != 0)
		return false;
	auth += 6;
	while (*auth == ' ')
		auth++;
	return strcmp(auth, emu->auth_token) == 0;
}

static void new_request_id(struct emu *emu, char out[37])
{
	uint64_t a = emu_splitmix64(&emu->id_rng), b = emu_splitmix64(&emu->id_rng);

	/* UUID v4 layout, as the API's request ids look. */
	snprintf(out, 37, "%08x-%04x-4%03x-%04x-%012llx", (unsigned)(a >> 32),
		 (unsigned)(a >> 16) & 0xffff, (unsigned)a & 0xfff,
		 0x8000 | ((unsigned)(b >> 48) & 0x3fff), (unsigned long long)(b & 0xffffffffffffULL));
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0)
		;
}

static bool is_api_path(const char *path)
{
	return strcmp(path, "/v1") == 0 || str_starts_with(path, "/v1/");
}

/* What a real deployment serves without API credentials: raw files (a file
 * host), the invitation landing page (opened by an invitee's browser) and
 * the Wink widget (its SDK and pages; its API takes the user token only).
 * smile must never need, nor send, the API secret for these. */
static bool is_public(const struct emu_request *req)
{
	if (str_starts_with(req->path, "/_emulator/wink/"))
		return true;
	return !strcmp(req->method, "GET") &&
	       (str_starts_with(req->path, "/_emulator/files/") || !strcmp(req->path, "/_emulator/link"));
}

/* Runs one request with the lock held; false means drop the connection. */
static bool process_locked(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	bool api = is_api_path(req->path);
	struct emu_fault_plan plan = { EMU_FAULT_NONE, false };
	unsigned wait;

	new_request_id(emu, res->request_id);
	if (api)
		emu->stats.requests++;
	else
		emu->stats.control_requests++;
	if (!is_public(req) && !authorized(emu, req)) {
		emu->stats.unauthorized++;
		emu_error(res, 401, "INVALID_CREDENTIALS", "the credentials you provided are incorrect");
		emu_add_header(res, "WWW-Authenticate", "Basic realm=\"smile-emulator\"");
		return true;
	}
	retention_sweep_lazily(emu);
	if (!api) {
		dispatch(emu, req, res, control_tables);
		return true;
	}
	req->path += strlen("/v1");
	if ((wait = faults_rate_limit(emu)) > 0) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%u", wait);
		emu_error(res, 429, "REQUEST_LIMIT_EXCEEDED",
			  "you have exceeded your rate limit, try again in %u s", wait);
		emu_add_header(res, "Retry-After", secs);
		return true;
	}
	plan = faults_plan(emu, req->method);
	if (plan.kind != EMU_FAULT_NONE && !plan.after)
		return faults_apply(emu, res, plan.kind);
	dispatch(emu, req, res, api_tables);
	if (plan.kind != EMU_FAULT_NONE) {
		emu_response_clear(res);
		return faults_apply(emu, res, plan.kind);
	}
	return true;
}

void emu_handle(struct emu *emu, const struct emu_call *call, struct emu_answer *out)
{
	struct emu_response res = { .answer = { .status = 500 } };
	struct emu_request req = { .call = call, .method = call->method };
	size_t len = strlen(call->path);
	/* A trailing slash names the same resource. */
	_cleanup_free_ char *path = xstrndup(call->path,
					     len > 1 && call->path[len - 1] == '/' ? len - 1 : len);
	bool answer;

	req.path = path;
	req.body = xmalloc(call->body_len + 1);
	if (call->body_len)
		memcpy(req.body, call->body, call->body_len);
	req.body[call->body_len] = '\0';
	if (is_api_path(path) && emu->opt.latency_ms > 0)
		sleep_ms(emu->opt.latency_ms);
	pthread_mutex_lock(&emu->lock);
	answer = process_locked(emu, &req, &res);
	/* Handlers may keep parts of the body in the store by reference, and
	 * json-c counts references without atomics: its last put must happen
	 * under the lock, like every other touch of the store. */
	json_object_put(req.json);
	pthread_mutex_unlock(&emu->lock);
	captures_free(&req);
	free(req.body);
	*out = res.answer;
	out->drop = !answer;
}
