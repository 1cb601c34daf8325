/* SPDX-License-Identifier: MIT */
/*
 * HTTP side of smile-emulator: libmicrohttpd with a small thread pool.
 *
 * For each request: collect the body, check credentials, route, then for
 * /v1 apply the rate limit and planned faults, and run the handler under
 * the global lock. --latency-ms sleeps before the lock is taken, so slow
 * answers do not serialise the whole server.
 */
#include <microhttpd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/util.h"
#include "emulator/server.h"

#define MAX_BODY (64u * 1024 * 1024)
#define MAX_CAPTURES 4
#define MAX_HEADERS 4
#define THREAD_POOL 4

struct capture {
	const char *name; /* into the route pattern, up to '}' */
	size_t name_len;
	char *value;
};

struct emu_request {
	struct MHD_Connection *conn;
	const char *method;
	const char *path;
	struct capture captures[MAX_CAPTURES];
	size_t n_captures;
	struct strbuf body;
	bool body_too_large;
	json_object *json;
};

struct emu_response {
	unsigned status;
	char *body;
	size_t len;
	char *content_type;
	struct { char *name, *value; } headers[MAX_HEADERS];
	size_t n_headers;
	bool replied;
	char request_id[37];
};

/* ---- request accessors -------------------------------------------------- */

const char *emu_req_method(const struct emu_request *req) { return req->method; }
const char *emu_req_path(const struct emu_request *req) { return req->path; }

const char *emu_req_capture(const struct emu_request *req, const char *name)
{
	for (size_t i = 0; i < req->n_captures; i++)
		if (strlen(name) == req->captures[i].name_len &&
		    strncmp(name, req->captures[i].name, req->captures[i].name_len) == 0)
			return req->captures[i].value;
	return NULL;
}

const char *emu_req_query(const struct emu_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *emu_req_header(const struct emu_request *req, const char *name)
{
	return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *emu_req_body_raw(const struct emu_request *req, size_t *len)
{
	*len = req->body.len;
	return req->body.buf ? req->body.buf : "";
}

static bool is_json_type(const char *ctype)
{
	size_t n = strlen("application/json");

	return ctype && strncasecmp(ctype, "application/json", n) == 0 &&
	       (ctype[n] == '\0' || ctype[n] == ';' || ctype[n] == ' ');
}

/* json-c takes NaN and Infinity, which are not JSON and would be echoed
 * back as such; a huge exponent (1e999) is a JSON number, kept as written. */
static const char *non_finite_in(json_object *v)
{
	const char *s;

	switch (json_object_get_type(v)) {
	case json_type_double:
		s = json_object_get_string(v);
		s += *s == '-';
		return *s >= '0' && *s <= '9' ? NULL : json_object_get_string(v);
	case json_type_array:
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if ((s = non_finite_in(json_object_array_get_idx(v, i))))
				return s;
		return NULL;
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			(void)key;
			if ((s = non_finite_in(val)))
				return s;
		}
		return NULL;
	}
	default:
		return NULL;
	}
}

json_object *emu_req_json(struct emu_request *req, struct emu_response *res)
{
	struct json_tokener *tok;
	json_object *obj;
	const char *bad;

	if (req->json)
		return req->json;
	if (req->body.len == 0) {
		/* No body at all: as good as an empty object for optional fields. */
		return req->json = json_object_new_object();
	}
	if (!is_json_type(emu_req_header(req, MHD_HTTP_HEADER_CONTENT_TYPE))) {
		emu_error(res, 415, "UNSUPPORTED_TYPE", "content type must be application/json");
		return NULL;
	}
	tok = json_tokener_new();
	/* RFC 8259 as the API reads it: UTF-8 only (json-c would store other
	 * bytes and answer with invalid JSON), no comments or trailing commas. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, req->body.buf, (int)req->body.len);
	if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != req->body.len) {
		enum json_tokener_error err = json_tokener_get_error(tok);
		if (err == json_tokener_success || err == json_tokener_continue)
			emu_bad_param(res, "request body is not valid JSON");
		else
			emu_bad_param(res, "request body is not valid JSON: %s at byte %zu",
				      json_tokener_error_desc(err), json_tokener_get_parse_end(tok));
		json_object_put(obj);
		json_tokener_free(tok);
		return NULL;
	}
	json_tokener_free(tok);
	if ((bad = non_finite_in(obj))) {
		emu_bad_param(res, "request body is not valid JSON: %s is not a JSON number", bad);
		json_object_put(obj);
		return NULL;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		emu_bad_param(res, "request body must be a JSON object");
		json_object_put(obj);
		return NULL;
	}
	return req->json = obj;
}

/* ---- body validation ---------------------------------------------------- */

static const char *const type_names[] = {
	[EMU_T_STRING] = "a string", [EMU_T_INT] = "an integer", [EMU_T_NUMBER] = "a number",
	[EMU_T_BOOL] = "a boolean", [EMU_T_OBJECT] = "an object", [EMU_T_ARRAY] = "an array",
};

static bool has_type(json_object *v, enum emu_type t)
{
	switch (t) {
	case EMU_T_STRING: return json_object_is_type(v, json_type_string);
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

/* ---- responses ---------------------------------------------------------- */

static void response_set_body(struct emu_response *res, unsigned status, const char *ctype,
			      char *body, size_t len)
{
	free(res->body);
	free(res->content_type);
	res->status = status;
	res->body = body;
	res->len = len;
	res->content_type = xstrdup(ctype);
	res->replied = true;
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_seq_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3
		 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;

	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((n == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f))) ||
	    (n == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))))
		return 0; /* overlong, surrogate, beyond U+10FFFF */
	return n;
}

/* Messages quote what the client sent (a cursor, a path segment): replace
 * bytes that are not UTF-8 with '?', or the answer would not be JSON. */
static char *utf8_scrub(const char *msg)
{
	char *out = xstrdup(msg);

	for (unsigned char *p = (unsigned char *)out; *p;) {
		size_t n = utf8_seq_len(p);
		if (n == 0)
			*p++ = '?';
		else
			p += n;
	}
	return out;
}

static void reply_envelope(struct emu_response *res, unsigned status, const char *code,
			   const char *message, json_object *data)
{
	json_object *env = json_object_new_object();
	_cleanup_free_ char *clean = utf8_scrub(message);
	size_t len;
	const char *text;

	json_object_object_add(env, "code", json_object_new_string(code));
	json_object_object_add(env, "message", json_object_new_string(clean));
	json_object_object_add(env, "requestId", json_object_new_string(res->request_id));
	json_object_object_add(env, "data", data);
	text = json_object_to_json_string_length(env, JSON_C_TO_STRING_PLAIN |
						 JSON_C_TO_STRING_NOSLASHESCAPE, &len);
	response_set_body(res, status, "application/json", xstrndup(text, len), len);
	json_object_put(env);
}

void emu_reply(struct emu_response *res, unsigned status, json_object *data)
{
	reply_envelope(res, status, "OK", "Success", data);
}

static void verror(struct emu_response *res, unsigned status, const char *code, const char *fmt,
		   va_list ap)
{
	struct strbuf msg = STRBUF_INIT;

	strbuf_vaddf(&msg, fmt, ap);
	/* The spec types error data as an object, so never null. */
	reply_envelope(res, status, code, msg.buf, json_object_new_object());
	strbuf_release(&msg);
}

void emu_error(struct emu_response *res, unsigned status, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(res, status, code, fmt, ap);
	va_end(ap);
}

void emu_bad_param(struct emu_response *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(res, 400, "INVALID_PARAMETERS", fmt, ap);
	va_end(ap);
}

void emu_not_found(struct emu_response *res, const char *what, const char *id)
{
	emu_error(res, 404, "MISSING_RESOURCE", "no %s with id '%s'", what, id ? id : "");
}

void emu_reply_bytes(struct emu_response *res, unsigned status, const char *content_type,
		     const void *data, size_t len)
{
	char *copy = xmalloc(len + 1);

	memcpy(copy, data, len);
	copy[len] = '\0';
	response_set_body(res, status, content_type, copy, len);
}

void emu_add_header(struct emu_response *res, const char *name, const char *value)
{
	if (res->n_headers == MAX_HEADERS) {
		log_warn("too many response headers, %s dropped", name);
		return;
	}
	res->headers[res->n_headers].name = xstrdup(name);
	res->headers[res->n_headers].value = xstrdup(value);
	res->n_headers++;
}

bool emu_replied(const struct emu_response *res) { return res->replied; }

void emu_response_clear(struct emu_response *res)
{
	free(res->body);
	free(res->content_type);
	for (size_t i = 0; i < res->n_headers; i++) {
		free(res->headers[i].name);
		free(res->headers[i].value);
	}
	res->body = res->content_type = NULL;
	res->len = res->n_headers = 0;
	res->replied = false;
}

/* ---- routing ------------------------------------------------------------ */

static const struct emu_route *const api_tables[] = {
	emu_routes_general, emu_routes_accounts, emu_routes_userdata,
	emu_routes_archives, emu_routes_early, NULL,
};
static const struct emu_route *const control_tables[] = {
	emu_routes_control, emu_routes_control_data, emu_routes_control_invites,
	emu_routes_control_wink_assets, emu_routes_control_wink_api, NULL,
};

static void captures_free(struct emu_request *req)
{
	for (size_t i = 0; i < req->n_captures; i++)
		free(req->captures[i].value);
	req->n_captures = 0;
}

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

/* ---- one request -------------------------------------------------------- */

static bool authorized(struct emu *emu, struct MHD_Connection *conn)
{
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_AUTHORIZATION);

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

static bool is_api_path(const char *url)
{
	return strcmp(url, "/v1") == 0 || str_starts_with(url, "/v1/");
}

/* Routes and runs the handler; called with the lock held. */
static void dispatch(struct emu *emu, struct emu_request *req, struct emu_response *res,
		     const struct emu_route *const *tables)
{
	bool path_known;
	const struct emu_route *r = route_find(tables, req->method, req->path, req, &path_known);

	if (req->body_too_large)
		emu_bad_param(res, "request body is larger than %u bytes", MAX_BODY);
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

/* Runs one request; false means drop the connection without an answer. */
static bool process(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	bool api = is_api_path(req->path);
	struct emu_fault_plan plan = { EMU_FAULT_NONE, false };
	bool answer = true;
	unsigned wait;

	if (api && emu->opt.latency_ms > 0)
		sleep_ms(emu->opt.latency_ms);
	pthread_mutex_lock(&emu->lock);
	new_request_id(emu, res->request_id);
	if (api)
		emu->stats.requests++;
	else
		emu->stats.control_requests++;
	if (!is_public(req) && !authorized(emu, req->conn)) {
		emu->stats.unauthorized++;
		emu_error(res, 401, "INVALID_CREDENTIALS", "the credentials you provided are incorrect");
		emu_add_header(res, "WWW-Authenticate", "Basic realm=\"smile-emulator\"");
		goto out;
	}
	if (!api) {
		dispatch(emu, req, res, control_tables);
		goto out;
	}
	req->path += strlen("/v1");
	if ((wait = faults_rate_limit(emu)) > 0) {
		char secs[16];
		snprintf(secs, sizeof(secs), "%u", wait);
		emu_error(res, 429, "REQUEST_LIMIT_EXCEEDED",
			  "you have exceeded your rate limit, try again in %u s", wait);
		emu_add_header(res, "Retry-After", secs);
		goto out;
	}
	plan = faults_plan(emu, req->method);
	if (plan.kind != EMU_FAULT_NONE && !plan.after) {
		answer = faults_apply(emu, res, plan.kind);
		goto out;
	}
	dispatch(emu, req, res, api_tables);
	if (plan.kind != EMU_FAULT_NONE) {
		emu_response_clear(res);
		answer = faults_apply(emu, res, plan.kind);
	}
out:
	/* Handlers may keep parts of the body in the store by reference, and
	 * json-c counts references without atomics: its last put must happen
	 * under the lock, like every other touch of the store. */
	json_object_put(req->json);
	req->json = NULL;
	pthread_mutex_unlock(&emu->lock);
	return answer;
}

static enum MHD_Result queue_answer(struct MHD_Connection *conn, struct emu_response *res)
{
	struct MHD_Response *mr = MHD_create_response_from_buffer(res->len, res->body,
								  MHD_RESPMEM_MUST_FREE);
	enum MHD_Result ret;

	if (!mr)
		return MHD_NO;
	res->body = NULL; /* MHD owns it now */
	MHD_add_response_header(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
	for (size_t i = 0; i < res->n_headers; i++)
		MHD_add_response_header(mr, res->headers[i].name, res->headers[i].value);
	ret = MHD_queue_response(conn, res->status, mr);
	MHD_destroy_response(mr);
	return ret;
}

static void request_free(struct emu_request *req)
{
	if (!req)
		return;
	captures_free(req);
	strbuf_release(&req->body);
	json_object_put(req->json);
	free(req);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct emu *emu = cls;
	struct emu_request *req = *con_cls;
	struct emu_response res = { .status = 500 };
	enum MHD_Result ret = MHD_NO;
	size_t len;

	(void)version;
	if (!req) {
		req = *con_cls = xcalloc(1, sizeof(*req));
		return MHD_YES;
	}
	if (*upload_data_size > 0) {
		if (req->body.len + *upload_data_size > MAX_BODY)
			req->body_too_large = true;
		else
			strbuf_add(&req->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return MHD_YES;
	}
	req->conn = conn;
	req->method = method;
	/* A trailing slash names the same resource. */
	len = strlen(url);
	char *path _cleanup_free_ = xstrndup(url, len > 1 && url[len - 1] == '/' ? len - 1 : len);
	req->path = path;
	if (process(emu, req, &res))
		ret = queue_answer(conn, &res);
	emu_response_clear(&res);
	return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls, (void)conn, (void)toe;
	request_free(*con_cls);
	*con_cls = NULL;
}

/* ---- start -------------------------------------------------------------- */

static char *basic_token(const char *key, const char *secret)
{
	_cleanup_free_ char *plain = xasprintf("%s:%s", key, secret);
	size_t n = strlen(plain);
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)plain, (int)n);
	return out;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes the path and query values in place, as libmicrohttpd
 * would, except "%00": handlers see C strings, and a NUL would cut
 * "/users/%00" down to "/users/", answering a list where an unknown id
 * must get 404. It stays the three characters it was.
 */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *out = s;

	(void)cls;
	(void)conn;
	for (const char *in = s; *in; out++) {
		int hi = in[0] == '%' ? hex_digit(in[1]) : -1;
		int lo = hi >= 0 ? hex_digit(in[2]) : -1;
		if (lo >= 0 && (hi | lo) != 0) {
			*out = (char)(hi * 16 + lo);
			in += 3;
		} else {
			*out = *in++;
		}
	}
	*out = '\0';
	return (size_t)(out - s);
}

struct MHD_Daemon *server_start(struct emu *emu, unsigned *bound_port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)emu->opt.port) };
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6,
				     .sin6_port = htons((uint16_t)emu->opt.port) };
	const char *host = strcmp(emu->opt.host, "localhost") == 0 ? "127.0.0.1" : emu->opt.host;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL_LINUX_ONLY;
	const struct sockaddr *addr;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;

	if (inet_pton(AF_INET, host, &sin.sin_addr) == 1) {
		addr = (const struct sockaddr *)&sin;
	} else if (inet_pton(AF_INET6, host, &sin6.sin6_addr) == 1) {
		addr = (const struct sockaddr *)&sin6;
		flags |= MHD_USE_IPv6;
	} else {
		log_error("invalid --host '%s': give an IPv4 or IPv6 address", emu->opt.host);
		return NULL;
	}
	emu->auth_token = basic_token(emu->opt.api_key, emu->opt.api_secret);
	d = MHD_start_daemon(flags, (uint16_t)emu->opt.port, NULL, NULL, on_request, emu,
			     MHD_OPTION_SOCK_ADDR, addr,
			     MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREAD_POOL,
			     MHD_OPTION_NOTIFY_COMPLETED, on_completed, emu,
			     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
			     MHD_OPTION_END);
	if (!d) {
		log_error("cannot listen on %s port %u", emu->opt.host, emu->opt.port);
		return NULL;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	*bound_port = info ? info->port : emu->opt.port;
	return d;
}
