/* SPDX-License-Identifier: MIT */
/*
 * --verbose: the request and reply headers as libcurl handled them, the
 * credentials redacted, one block per write so that concurrent transfers
 * do not interleave; and the one-line rendering of server text.
 * -vv (verbose level 2) adds the JSON bodies, every field whose name says
 * it holds a secret (token, secret, password, mfa...) redacted wherever it
 * is nested; a body that is not JSON is only counted, as it cannot be
 * redacted reliably.
 */
#include "core/http/internal.h"
#include "core/text.h"
#include "core/util.h"

#include <json-c/json.h>
#include <string.h>
#include <strings.h>

/* The most of a body -vv shows: a page of 150 items is readable, a 10 MB
 * reply would drown the terminal. */
#define TRACE_BODY_MAX (64 * 1024)

void http_emit(struct strbuf *sb)
{
	/* One write per block keeps lines of concurrent transfers apart. */
	if (sb->len) {
		fwrite(sb->buf, 1, sb->len, stderr);
		fflush(stderr);
	}
	strbuf_release(sb);
}

static bool header_is_secret(const char *line, size_t len)
{
	static const char *const names[] = { "authorization:", "proxy-authorization:" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);
		if (len >= n && strncasecmp(line, names[i], n) == 0)
			return true;
	}
	return false;
}

/* "Authorization: Basic [redacted]": the scheme helps debugging, the rest
 * is the secret. */
static void add_redacted_header(struct strbuf *sb, const char *line, size_t len)
{
	size_t colon = (size_t)((const char *)memchr(line, ':', len) - line);
	size_t i = colon + 1;

	while (i < len && line[i] == ' ')
		i++;
	size_t scheme_end = i;
	while (scheme_end < len && line[scheme_end] != ' ')
		scheme_end++;
	http_add_one_line(sb, line, scheme_end);
	strbuf_addstr(sb, " [redacted]");
}

static bool field_is_secret(const char *key)
{
	static const char *const parts[] = { "token", "secret", "password", "passwd", "mfa",
					     "authorization", "credential", "apikey", "signature" };
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		if (strcasestr(key, parts[i]))
			return true;
	return false;
}

static bool is_container(json_object *v)
{
	return json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_array);
}

static json_object *redacted(void)
{
	return json_object_new_string("[redacted]");
}

/* Replaces, in place, the value of every secret-named field at any depth.
 * A secret-named object keeps its other fields on show (a "token" object's
 * userId and expiresAt); a secret-named array loses its scalars ("tokens"). */
static void redact_json(json_object *v, bool secret_array)
{
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *item = json_object_array_get_idx(v, i);
			if (secret_array && item && !is_container(item))
				json_object_array_put_idx(v, i, redacted());
			else
				redact_json(item, false);
		}
		return;
	}
	if (!json_object_is_type(v, json_type_object))
		return;
	json_object_object_foreach(v, key, val) {
		bool secret = field_is_secret(key);
		if (secret && val && !is_container(val))
			json_object_object_add(v, key, redacted());
		else
			redact_json(val, secret);
	}
}

/* -vv: the body as indented JSON, each line after prefix ("> " or "< "). */
static void add_body(struct strbuf *sb, const char *prefix, const char *body, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *v = len ? json_tokener_parse_ex(tok, body, (int)(len > INT32_MAX ? INT32_MAX : len)) : NULL;
	bool whole = v && json_tokener_get_error(tok) == json_tokener_success &&
		     json_tokener_get_parse_end(tok) == len;

	json_tokener_free(tok);
	if (!whole) {
		if (len)
			strbuf_addf(sb, "%s(%zu bytes of body, not JSON: not shown)\n", prefix, len);
		json_object_put(v);
		return;
	}
	redact_json(v, false);
	const char *text = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
								  JSON_C_TO_STRING_NOSLASHESCAPE);
	size_t text_len = strlen(text), shown = text_len > TRACE_BODY_MAX ? TRACE_BODY_MAX : text_len;
	for (size_t pos = 0; pos < shown;) {
		const char *nl = memchr(text + pos, '\n', shown - pos);
		size_t end = nl ? (size_t)(nl - text) : shown;
		strbuf_addstr(sb, prefix);
		http_add_one_line(sb, text + pos, end - pos);
		strbuf_addch(sb, '\n');
		pos = end + 1;
	}
	if (shown < text_len)
		strbuf_addf(sb, "%s(%zu more bytes not shown)\n", prefix, text_len - shown);
	json_object_put(v);
}

/* --verbose request headers, as libcurl really sent them. */
int http_on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *userdata)
{
	struct transfer *t = userdata;
	struct strbuf sb = STRBUF_INIT;
	bool first = true;

	(void)easy;
	if (type != CURLINFO_HEADER_OUT)
		return 0;
	for (size_t pos = 0; pos < size;) {
		size_t end = pos;
		while (end < size && data[end] != '\n')
			end++;
		size_t len = end - pos;
		if (len && data[pos + len - 1] == '\r')
			len--;
		/* The request line was shown as "> METHOD URL" already. */
		if (len && !first) {
			strbuf_addstr(&sb, "> ");
			if (header_is_secret(data + pos, len))
				add_redacted_header(&sb, data + pos, len);
			else
				http_add_one_line(&sb, data + pos, len);
			strbuf_addch(&sb, '\n');
		}
		first = false;
		pos = end + 1;
	}
	if (t->req->body && t->c->verbose >= 2) {
		/* shown_body has the fields a command knows are secret masked. */
		const char *body = t->req->shown_body ? t->req->shown_body : t->req->body;
		add_body(&sb, "> ", body, t->req->shown_body ? strlen(body) : t->body_len);
	} else if (t->req->body) {
		strbuf_addf(&sb, "> (%zu bytes of body)\n", t->body_len);
	}
	http_emit(&sb);
	return 0;
}

void http_print_try_result(const struct transfer *t, const struct try_result *tr)
{
	struct strbuf sb = STRBUF_INIT;

	if (tr->status)
		strbuf_addf(&sb, "< %ld (%.3f s, %zu bytes)", tr->status, tr->seconds, t->received);
	else
		strbuf_addf(&sb, "< no response (%.3f s)", tr->seconds);
	if (tr->code != CURLE_OK) {
		const char *why = t->too_large ? "response too large" : http_curl_reason(t, tr->code);
		strbuf_addstr(&sb, ": ");
		http_add_one_line(&sb, why, strlen(why));
	}
	strbuf_addch(&sb, '\n');
	if (t->resp_headers.len)
		strbuf_add(&sb, t->resp_headers.buf, t->resp_headers.len);
	if (t->c->verbose >= 2 && t->req->sink && t->sink_written)
		strbuf_addstr(&sb, "< (body written to the file, not shown)\n");
	else if (t->c->verbose >= 2 && !t->too_large)
		add_body(&sb, "< ", t->body.buf ? t->body.buf : "", t->body.len);
	http_emit(&sb);
}

const char *http_curl_reason(const struct transfer *t, CURLcode code)
{
	long os_errno = 0;

	/* "Connection refused" says more than "Couldn't connect to server". */
	if (code == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno)
		return strerror((int)os_errno);
	return t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
}
