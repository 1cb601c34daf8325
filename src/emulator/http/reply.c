/* SPDX-License-Identifier: MIT */
/*
 * Responses: the API's envelope {code, message, requestId, data} for JSON
 * answers and errors, raw bytes for downloads, extra headers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "emulator/emu.h"
#include "emulator/http/exchange.h"
#include "emulator/http/utf8.h"

static void response_set_body(struct emu_response *res, unsigned status, const char *ctype,
			      char *body, size_t len)
{
	struct emu_answer *a = &res->answer;

	free(a->body);
	free(a->content_type);
	a->status = status;
	a->body = body;
	a->body_len = len;
	a->content_type = xstrdup(ctype);
	res->replied = true;
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
	struct emu_answer *a = &res->answer;

	if (a->n_headers == EMU_ANSWER_MAX_HEADERS) {
		log_warn("too many response headers, %s dropped", name);
		return;
	}
	a->headers[a->n_headers].name = xstrdup(name);
	a->headers[a->n_headers].value = xstrdup(value);
	a->n_headers++;
}

bool emu_replied(const struct emu_response *res) { return res->replied; }

void emu_answer_release(struct emu_answer *a)
{
	free(a->body);
	free(a->content_type);
	for (size_t i = 0; i < a->n_headers; i++) {
		free(a->headers[i].name);
		free(a->headers[i].value);
	}
	*a = (struct emu_answer){ 0 };
}

void emu_response_clear(struct emu_response *res)
{
	emu_answer_release(&res->answer);
	res->replied = false;
}
