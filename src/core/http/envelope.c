/* SPDX-License-Identifier: MIT */
/*
 * The API's JSON envelope: data, nextCursor, error code and message, and
 * the one-line error that reports a failed reply.
 */
#include "core/http/internal.h"
#include "core/json.h"
#include "core/json_parse.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* ---- envelope and messages ---- */

int http_parse_envelope(struct http_response *r, const char *body, size_t len)
{
	json_object *obj = NULL;
	_cleanup_free_ char *problem = NULL;
	int rc = json_parse(body, len, JSON_MAX_DEPTH, &obj, &problem);

	free(r->error);
	r->error = NULL;
	if (rc == JSON_PARSE_ERR_KEY)
		r->error = xasprintf("response is malformed: %s", problem);
	else if (rc < 0)
		r->error = xstrdup("response is not JSON");
	else if (!json_object_is_type(obj, json_type_object))
		r->error = xstrdup("response is not a JSON object");
	if (r->error) {
		json_object_put(obj);
		return -EBADMSG;
	}
	json_object_put(r->envelope);
	r->envelope = obj;
	r->code = json_string_member(obj, "code");
	r->message = json_string_member(obj, "message");
	r->request_id = json_string_member(obj, "requestId");
	if (!json_object_object_get_ex(obj, "data", &r->data))
		r->data = NULL;
	return 0;
}

int http_next_cursor(json_object *data, const char **cursor)
{
	json_object *next = NULL;

	*cursor = NULL;
	if (!data || !json_object_object_get_ex(data, "nextCursor", &next) || !next)
		return 0;
	if (!json_object_is_type(next, json_type_string))
		return -EBADMSG;
	const char *s = json_object_get_string(next);
	*cursor = *s ? s : NULL;
	return 0;
}

/* "HTTP 404 MISSING_RESOURCE: The resource ... (requestId 58be...)" */
char *http_envelope_error_line(const struct http_response *r)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "HTTP %ld", r->status);
	if (r->code) {
		strbuf_addch(&sb, ' ');
		http_add_one_line(&sb, r->code, strlen(r->code));
	}
	if (r->message && *r->message) {
		strbuf_addstr(&sb, ": ");
		http_add_one_line(&sb, r->message, strlen(r->message));
	}
	if (r->request_id) {
		strbuf_addstr(&sb, " (requestId ");
		http_add_one_line(&sb, r->request_id, strlen(r->request_id));
		strbuf_addch(&sb, ')');
	}
	return strbuf_detach(&sb);
}

void http_report_error(const struct http_response *r)
{
	if (r->error)
		log_error("%s", r->error);
	else if (r->failure)
		log_error("HTTP %ld", r->status);
}

void http_response_clear(struct http_response *r)
{
	if (!r)
		return;
	free(r->body);
	json_object_put(r->envelope);
	free(r->error);
	memset(r, 0, sizeof(*r));
	r->retry_after_ms = -1;
}
