/* SPDX-License-Identifier: MIT */
/*
 * The --record file: JSON Lines, one delivery a line, headers and the raw
 * body exactly as received, so that verify can check a recorded signature
 * and replay can send the same bytes again.
 */
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "cmd/webhooks/webhooks.h"
#include "core/json.h"
#include "core/json_parse.h"
#include "core/text.h"
#include "core/util.h"

#define RECORD_LINE_MAX (16u * 1024 * 1024)
#define JSON_DEPTH 64

const char *recorded_header(json_object *headers, const char *name)
{
	json_object_object_foreach(headers, key, value)
		if (!strcasecmp(key, name) && json_object_is_type(value, json_type_string))
			return json_object_get_string(value);
	return NULL;
}

static char *base64_of(const char *data, size_t len)
{
	char *out = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)data, (int)len);
	return out;
}

/* Decodes base64 text; NULL when it is not base64. */
static char *base64_decode(const char *text, size_t len, size_t *out_len)
{
	size_t pad = 0;
	char *out;
	int n;

	if (len % 4 != 0)
		return NULL;
	out = xmalloc(len / 4 * 3 + 1);
	n = EVP_DecodeBlock((unsigned char *)out, (const unsigned char *)text, (int)len);
	if (n < 0) {
		free(out);
		return NULL;
	}
	/* EVP_DecodeBlock counts the padding as zero bytes. */
	while (pad < 2 && len > pad && text[len - 1 - pad] == '=')
		pad++;
	*out_len = (size_t)n - pad;
	out[*out_len] = '\0';
	return out;
}

char *recorded_line(const char *method, const char *path, json_object *headers, const char *body,
		    size_t body_len)
{
	json_object *o = json_object_new_object();
	char when[32];
	time_t now = time(NULL);
	struct tm tm;
	char *line;

	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	json_object_object_add(o, "receivedAt", json_object_new_string(when));
	json_object_object_add(o, "method", json_object_new_string(method));
	json_object_object_add(o, "path", json_object_new_string(path));
	json_object_object_add(o, "headers", json_object_get(headers));
	if (utf8_is_valid(body, body_len)) {
		json_object_object_add(o, "body", json_object_new_string_len(body, (int)body_len));
	} else {
		char *b64 = base64_of(body, body_len);
		json_object_object_add(o, "bodyBase64", json_object_new_string(b64));
		free(b64);
	}
	line = json_compact_dup(o);
	json_object_put(o);
	return line;
}

char *event_shown(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	if (!text)
		return xstrdup("-");
	strbuf_add_printable(&sb, text, strlen(text), 80);
	return strbuf_detach(&sb);
}

void event_summary(const char *body, size_t len, json_object **parsed, const char **id, const char **type,
		   char **why)
{
	json_object *v = NULL, *field;
	char *err = NULL;

	*id = *type = NULL;
	if (json_parse(body, len, JSON_DEPTH, &v, &err) != 0 || !json_object_is_type(v, json_type_object)) {
		if (why)
			*why = err ? err : xstrdup("not a JSON object");
		else
			free(err);
		json_object_put(v);
		*parsed = NULL;
		return;
	}
	*parsed = v;
	if (json_object_object_get_ex(v, "id", &field) && json_object_is_type(field, json_type_string))
		*id = json_object_get_string(field);
	if (json_object_object_get_ex(v, "type", &field) && json_object_is_type(field, json_type_string))
		*type = json_object_get_string(field);
}

static json_object *member(json_object *o, const char *key, json_type type)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, type) ? v : NULL;
}

static int take_body(json_object *line, struct recorded *out, const char **why)
{
	json_object *body = member(line, "body", json_type_string);
	json_object *b64 = member(line, "bodyBase64", json_type_string);

	if (body) {
		out->body_len = (size_t)json_object_get_string_len(body);
		out->body = xmalloc(out->body_len + 1);
		memcpy(out->body, json_object_get_string(body), out->body_len);
		out->body[out->body_len] = '\0';
		return 0;
	}
	if (b64 && (out->body = base64_decode(json_object_get_string(b64),
					      (size_t)json_object_get_string_len(b64), &out->body_len)))
		return 0;
	*why = b64 ? "bodyBase64 is not base64" : "no body";
	return -EBADMSG;
}

int recorded_parse(const char *text, size_t len, struct recorded *out, const char **why)
{
	json_object *headers, *parsed = NULL;
	char *err = NULL;

	memset(out, 0, sizeof(*out));
	if (json_parse(text, len, JSON_DEPTH, &out->line, &err) != 0 ||
	    !json_object_is_type(out->line, json_type_object)) {
		free(err);
		*why = "not a JSON object";
		recorded_clear(out);
		return -EBADMSG;
	}
	if (!(headers = member(out->line, "headers", json_type_object))) {
		*why = "no headers object";
		recorded_clear(out);
		return -EBADMSG;
	}
	if (take_body(out->line, out, why) < 0) {
		recorded_clear(out);
		return -EBADMSG;
	}
	out->signature = recorded_header(headers, "Smile-Signature");
	out->content_type = recorded_header(headers, "Content-Type");
	/* Keep the id and type alive with the line they were read from. */
	event_summary(out->body, out->body_len, &parsed, &out->event_id, &out->type, NULL);
	if (parsed)
		json_object_object_add(out->line, "\x01parsed", parsed);
	return 0;
}

void recorded_clear(struct recorded *r)
{
	json_object_put(r->line);
	free(r->body);
	memset(r, 0, sizeof(*r));
}

int recorded_each(const char *path, recorded_fn fn, void *ctx)
{
	const char *name = strcmp(path, "-") ? path : "stdin";
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0, records = 0;
	int r = 0;

	if (!f)
		return log_status(SMILE_EXIT_USAGE, "cannot open '%s': %s", path, strerror(errno));
	while (r == 0 && (n = getline(&line, &cap, f)) >= 0) {
		struct recorded rec;
		const char *why = NULL;
		char *where;
		bool ended;

		lineno++;
		ended = n > 0 && line[n - 1] == '\n';
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0)
			continue;
		if ((size_t)n > RECORD_LINE_MAX) {
			r = log_status(SMILE_EXIT_USAGE, "%s:%lu: line longer than 16 MiB", name, lineno);
			break;
		}
		if (recorded_parse(line, (size_t)n, &rec, &why) < 0 && !ended && feof(f) && records > 0) {
			/* The last line of several, never ended: a recording cut
			 * off while it was written. What came before it is whole. */
			log_warn("%s:%lu: the last line was cut off (%s): skipped", name, lineno, why);
			break;
		}
		if (why) {
			r = log_status(SMILE_EXIT_USAGE, "%s:%lu: not a recorded delivery: %s", name, lineno, why);
			break;
		}
		records++;
		where = xasprintf("%s:%lu", name, lineno);
		r = fn(ctx, &rec, where);
		free(where);
		recorded_clear(&rec);
	}
	if (r == 0 && ferror(f))
		r = log_status(SMILE_EXIT_USAGE, "cannot read '%s': %s", name, strerror(errno));
	if (r == 0 && records == 0)
		r = log_status(SMILE_EXIT_USAGE, "'%s' holds no recorded delivery", name);
	free(line);
	if (f != stdin)
		fclose(f);
	return r;
}
