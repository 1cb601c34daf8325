/* SPDX-License-Identifier: MIT */
/*
 * The receiver of smile webhooks listen, on libmicrohttpd's one internal
 * thread. Each POST is one delivery: its body is capped, its signature
 * checked in constant time (core/signature.h), its JSON parsed, and it is
 * printed and recorded; what is wrong is answered with the right 4xx and
 * shown, never fatal:
 *   405 not a POST, 413 body over the cap, 401 bad or missing signature,
 *   400 a body that is not a JSON object.
 * With --forward-to, an accepted delivery's connection is suspended while
 * a worker (forward.c) relays it, and resumed with the endpoint's status
 * to answer; meanwhile the thread goes on taking other deliveries.
 */
#include <errno.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cli/httpd.h"
#include "cmd/webhooks/forward.h"
#include "cmd/webhooks/listen.h"
#include "cmd/webhooks/webhooks.h"
#include "core/json_parse.h"
#include "core/signature.h"
#include "core/text.h"
#include "core/util.h"

/* A TASK_FINISHED with includePayload carries up to 300 items of each
 * kind: a few MiB at most. */
#define BODY_MAX (8u * 1024 * 1024)
#define JSON_DEPTH 128

struct delivery {
	struct httpd_body body;
	bool counted; /* an event that counts towards --count */
	/* --forward-to */
	struct listener *l;
	struct MHD_Connection *conn;
	struct forward_job job;
	char **headers;    /* relayed: Content-Type and Smile-*, NULL-terminated */
	size_t n_headers;
	char *event_id;
	bool forwarded;    /* the worker is done: answer with its result */
	bool queue_full;
};

static void delivery_free(struct delivery *d)
{
	for (size_t i = 0; i < d->n_headers; i++)
		free(d->headers[i]);
	free(d->headers);
	free(d->event_id);
	strbuf_release(&d->body.data);
	free(d);
}

void listener_say(struct listener *l, const char *fmt, ...)
{
	FILE *out = l->ndjson ? stderr : stdout;
	char when[16];
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	if (l->quiet && !l->ndjson)
		return;
	strftime(when, sizeof(when), "%H:%M:%S", localtime_r(&now, &tm));
	pthread_mutex_lock(&l->print_lock);
	fprintf(out, "%s  ", when);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
	fflush(out);
	pthread_mutex_unlock(&l->print_lock);
}

static enum MHD_Result answer_text(struct MHD_Connection *conn, unsigned status, const char *text)
{
	return httpd_answer(conn, status, "application/json", xasprintf("{\"message\":\"%s\"}", text));
}

static enum MHD_Result add_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	json_object_object_add(cls, key, json_object_new_string(value ? value : ""));
	return MHD_YES;
}

static void record(struct listener *l, struct MHD_Connection *conn, const char *url, const struct delivery *d)
{
	json_object *headers;
	char *line;

	if (!l->record)
		return;
	headers = json_object_new_object();
	MHD_get_connection_values(conn, MHD_HEADER_KIND, add_header, headers);
	line = recorded_line("POST", url, headers, d->body.data.buf ? d->body.data.buf : "", d->body.data.len);
	pthread_mutex_lock(&l->print_lock);
	/* One write per line, flushed: a crash loses at most the line in hand. */
	fprintf(l->record, "%s\n", line);
	fflush(l->record);
	pthread_mutex_unlock(&l->print_lock);
	free(line);
	json_object_put(headers);
}

/* " user=... account=..." for the ids the event's data refers to. */
static void add_ids(struct strbuf *sb, json_object *event)
{
	static const char *const keys[][2] = {
		{ "userId", "user" }, { "accountId", "account" }, { "sourceId", "source" },
		{ "archiveId", "archive" }, { "inviteId", "invite" }, { "recordId", "record" },
	};
	json_object *data, *v;

	if (!json_object_object_get_ex(event, "data", &data) || !json_object_is_type(data, json_type_object))
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (!json_object_object_get_ex(data, keys[i][0], &v) || !json_object_is_type(v, json_type_string))
			continue;
		strbuf_addf(sb, " %s=", keys[i][1]);
		strbuf_add_printable(sb, json_object_get_string(v), (size_t)json_object_get_string_len(v), 80);
	}
}

static void show_event(struct listener *l, json_object *event, const char *id, const char *type)
{
	struct strbuf sb = STRBUF_INIT;

	if (l->ndjson) {
		pthread_mutex_lock(&l->print_lock);
		output_item(l->ndjson, event);
		fflush(stdout);
		pthread_mutex_unlock(&l->print_lock);
		return;
	}
	strbuf_addstr(&sb, "--> ");
	strbuf_add_printable(&sb, type ? type : "(no type)", strlen(type ? type : "(no type)"), 60);
	strbuf_addstr(&sb, " [");
	strbuf_add_printable(&sb, id ? id : "no id", strlen(id ? id : "no id"), 80);
	strbuf_addstr(&sb, "]");
	add_ids(&sb, event);
	listener_say(l, "%s", sb.buf);
	strbuf_release(&sb);
}

static enum MHD_Result count_signature(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	(void)kind;
	(void)value;
	if (!strcasecmp(key, "Smile-Signature"))
		++*(unsigned *)cls;
	return MHD_YES;
}

static const char *signature_problem(const struct listener *l, struct MHD_Connection *conn,
				     const struct delivery *d)
{
	const char *given = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Smile-Signature");
	enum signature_check c;
	unsigned headers = 0;
	size_t len;
	char *hex;

	if (!l->secret)
		return NULL;
	if (!given)
		return "no Smile-Signature";
	/* Two signatures are ambiguous: whichever one was checked, the other
	 * one could be the one a receiver downstream believes. */
	MHD_get_connection_values(conn, MHD_HEADER_KIND, count_signature, &headers);
	if (headers > 1)
		return "more than one Smile-Signature";
	/* Whitespace around a header value is not part of it (RFC 9110 5.5). */
	given += strspn(given, " \t");
	for (len = strlen(given); len > 0 && (given[len - 1] == ' ' || given[len - 1] == '\t'); len--)
		;
	hex = xstrndup(given, len);
	c = signature_check(l->secret, strlen(l->secret), d->body.data.buf ? d->body.data.buf : "",
			    d->body.data.len, hex);
	free(hex);
	return c == SIGNATURE_VALID ? NULL : c == SIGNATURE_INVALID ? "bad signature" : "malformed Smile-Signature";
}

static enum MHD_Result relayed_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct delivery *d = cls;

	(void)kind;
	if (!forward_relays_header(key))
		return MHD_YES;
	d->headers = xrealloc(d->headers, (d->n_headers + 2) * sizeof(*d->headers));
	d->headers[d->n_headers++] = xasprintf("%s: %s", key, value ? value : "");
	d->headers[d->n_headers] = NULL;
	return MHD_YES;
}

/* On the worker's thread: shows the endpoint's answer and lets the
 * receiver answer with it. */
static void on_forwarded(struct forward_job *job)
{
	struct delivery *d = (struct delivery *)((char *)job - offsetof(struct delivery, job));
	char *line = forward_line(forwarder_url(d->l->fwd), d->event_id, &job->result);

	if (!job->result.status || forward_relay_status(&job->result) != job->result.status)
		listener_say(d->l, "%s (answered %u)", line, forward_relay_status(&job->result));
	else
		listener_say(d->l, "%s", line);
	free(line);
	d->forwarded = true;
	MHD_resume_connection(d->conn);
}

static enum MHD_Result start_forward(struct listener *l, struct MHD_Connection *conn, struct delivery *d,
				     const char *id)
{
	MHD_get_connection_values(conn, MHD_HEADER_KIND, relayed_header, d);
	d->l = l;
	d->conn = conn;
	d->event_id = id ? xstrdup(id) : NULL;
	d->job = (struct forward_job){ .headers = (const char *const *)d->headers, .body = d->body.data.buf,
				       .len = d->body.data.len, .event_id = d->event_id, .done = on_forwarded };
	/* Suspended before the worker can resume it. */
	MHD_suspend_connection(conn);
	if (!forwarder_submit(l->fwd, &d->job)) {
		_cleanup_free_ char *shown = event_shown(id);
		listener_say(l, "!!! too many deliveries waiting for %s: [%s] answered 503", forwarder_url(l->fwd),
			     shown);
		d->queue_full = d->forwarded = true;
		MHD_resume_connection(conn);
	}
	return MHD_YES;
}

static enum MHD_Result answer_forwarded(struct MHD_Connection *conn, struct delivery *d)
{
	unsigned status = d->queue_full ? 503 : forward_relay_status(&d->job.result);

	return httpd_answer(conn, status, "application/json",
			    xasprintf("{\"forwardedStatus\":%ld}", d->queue_full ? 0 : d->job.result.status));
}

static enum MHD_Result on_delivery(struct listener *l, struct MHD_Connection *conn, const char *url,
				   struct delivery *d)
{
	const char *problem, *id = NULL, *type = NULL;
	_cleanup_free_ char *not_json = NULL;
	json_object *event = NULL;
	enum MHD_Result r;

	if (d->body.too_large) {
		listener_say(l, "!!! refused a body over 8 MiB (answered 413)");
		return answer_text(conn, 413, "body too large");
	}
	record(l, conn, url, d);
	event_summary(d->body.data.buf ? d->body.data.buf : "", d->body.data.len, &event, &id, &type, &not_json);
	if ((problem = signature_problem(l, conn, d))) {
		_cleanup_free_ char *shown_type = event_shown(type), *shown_id = event_shown(id);
		listener_say(l, "!!! %s: %s [%s] not accepted (answered 401)", problem, shown_type, shown_id);
		json_object_put(event);
		return answer_text(conn, 401, "signature does not match");
	}
	if (!event) {
		_cleanup_free_ char *shown = event_shown(not_json);
		listener_say(l, "!!! a body that is not a JSON object: %s (answered 400)", shown);
		return answer_text(conn, 400, "body is not a JSON object");
	}
	show_event(l, event, id, type);
	d->counted = true;
	if (l->fwd)
		r = start_forward(l, conn, d, id);
	else
		r = httpd_answer(conn, 200, "application/json", xstrdup("{\"received\":true}"));
	json_object_put(event);
	return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	struct listener *l = cls;
	struct delivery *d = *con_cls;

	(void)version;
	if (!d) {
		*con_cls = xcalloc(1, sizeof(*d));
		return MHD_YES;
	}
	if (httpd_take_body(&d->body, BODY_MAX, upload_data, upload_data_size))
		return MHD_YES;
	if (d->forwarded)
		return answer_forwarded(conn, d);
	if (d->conn)
		return MHD_YES; /* still with a worker */
	if (strcmp(method, "POST")) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_add_printable(&sb, method, strlen(method), 20);
		listener_say(l, "!!! %s %s is not a delivery (answered 405)", sb.buf, "request");
		strbuf_release(&sb);
		return answer_text(conn, 405, "deliveries are POSTs");
	}
	return on_delivery(l, conn, url, d);
}

/* After the answer went out: counts the event, and ends a --count run
 * once its last event has had its answer. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	struct listener *l = cls;
	struct delivery *d = *con_cls;

	(void)conn;
	(void)why;
	if (!d)
		return;
	if (d->counted && ++l->events == l->count && !l->woken) {
		l->woken = true;
		if (write(l->wake_fd, "c", 1) < 0) {
			/* the run is ending already */
		}
	}
	delivery_free(d);
	*con_cls = NULL;
}

struct MHD_Daemon *receiver_start(struct listener *l, const char *host, unsigned port, unsigned *bound)
{
	return httpd_start(host, port, MHD_ALLOW_SUSPEND_RESUME, on_request, l, on_completed, l, bound);
}
