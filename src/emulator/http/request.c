/* SPDX-License-Identifier: MIT */
/*
 * The request as handlers read it: method, path, route captures, query,
 * headers and the body, raw or parsed as JSON the way the API reads it.
 * Also the decoding of request targets that the server and the fuzzer
 * share.
 */
#include <string.h>
#include <strings.h>

#include "core/text.h"
#include "core/util.h"
#include "emulator/emu.h"
#include "emulator/http/exchange.h"
#include "emulator/http/utf8.h"

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

void captures_free(struct emu_request *req)
{
	for (size_t i = 0; i < req->n_captures; i++)
		free(req->captures[i].value);
	req->n_captures = 0;
}

const char *emu_req_query(const struct emu_request *req, const char *name)
{
	for (size_t i = 0; i < req->call->n_query; i++)
		if (strcmp(req->call->query[i].name, name) == 0)
			return req->call->query[i].value;
	return NULL;
}

const char *emu_req_header(const struct emu_request *req, const char *name)
{
	for (size_t i = 0; i < req->call->n_headers; i++)
		if (strcasecmp(req->call->headers[i].name, name) == 0)
			return req->call->headers[i].value;
	return NULL;
}

const char *emu_req_body_raw(const struct emu_request *req, size_t *len)
{
	*len = req->call->body_len;
	return req->body;
}

/* ---- the body as JSON ------------------------------------------------------ */

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

/* Parses the body strictly; answers 400 and returns NULL when it is not
 * one JSON value. */
static json_object *parse_strict(struct emu_request *req, struct emu_response *res)
{
	size_t len = req->call->body_len;
	struct json_tokener *tok = json_tokener_new();
	json_object *obj;

	/* RFC 8259 as the API reads it: no comments or trailing commas. */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, req->body, (int)len);
	if (!obj || json_tokener_get_error(tok) != json_tokener_success ||
	    json_tokener_get_parse_end(tok) != len) {
		enum json_tokener_error err = json_tokener_get_error(tok);
		if (err == json_tokener_success || err == json_tokener_continue)
			emu_bad_param(res, "request body is not valid JSON");
		else
			emu_bad_param(res, "request body is not valid JSON: %s at byte %zu",
				      json_tokener_error_desc(err), json_tokener_get_parse_end(tok));
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

json_object *emu_req_json(struct emu_request *req, struct emu_response *res)
{
	json_object *obj;
	const char *bad;
	size_t at;

	if (req->json)
		return req->json;
	if (req->call->body_len == 0) {
		/* No body at all: as good as an empty object for optional fields. */
		return req->json = json_object_new_object();
	}
	if (!is_json_type(emu_req_header(req, "Content-Type"))) {
		emu_error(res, 415, "UNSUPPORTED_TYPE", "content type must be application/json");
		return NULL;
	}
	/* json-c's own check lets overlong forms, surrogates and code points
	 * past U+10FFFF through, which it would store and echo back. */
	if ((at = utf8_invalid_at(req->body, req->call->body_len)) != req->call->body_len) {
		emu_bad_param(res, "request body is not valid JSON: invalid UTF-8 at byte %zu", at);
		return NULL;
	}
	if (!(obj = parse_strict(req, res)))
		return NULL;
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

/* ---- request targets ------------------------------------------------------- */

size_t emu_unescape(char *s)
{
	char *out = s;

	for (const char *in = s; *in; out++) {
		int hi = in[0] == '%' ? hex_digit_value(in[1]) : -1;
		int lo = hi >= 0 ? hex_digit_value(in[2]) : -1;
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

size_t emu_parse_target(char *target, const char **path, struct emu_pair *query, size_t max)
{
	char *q = strchr(target, '?'), *next;
	size_t n = 0;

	*path = target;
	if (q)
		*q++ = '\0';
	emu_unescape(target);
	for (; q && *q && n < max; q = next) {
		char *eq;
		next = q + strcspn(q, "&");
		if (*next)
			*next++ = '\0';
		if (!*q)
			continue;
		for (char *p = q; *p; p++)
			if (*p == '+')
				*p = ' ';
		eq = strchr(q, '=');
		if (eq) {
			*eq = '\0';
			emu_unescape(eq + 1);
		}
		emu_unescape(q);
		query[n++] = (struct emu_pair){ q, eq ? eq + 1 : NULL };
	}
	return n;
}
