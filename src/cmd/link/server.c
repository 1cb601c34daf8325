/* SPDX-License-Identifier: MIT */
/*
 * The web server of smile link, on the one internal thread of
 * libmicrohttpd, so requests (and the API calls they make) run one at a
 * time. It serves:
 *   GET  /                        the quickstart page (examples/wink/index.html)
 *   GET  /api/create_link_token   a fresh token, as the official quickstart server
 *   POST /api/callbacks           {callback, args}: one widget callback
 * Only to requests addressed to this server by its own host and port (a
 * page of another site that rebinds a DNS name to 127.0.0.1 gets 421), and
 * callbacks only as application/json (which a foreign page cannot send
 * without a CORS preflight that is never granted).
 */
#include <microhttpd.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli/httpd.h"
#include "cmd/link/link.h"
#include "core/embedded.h"
#include "core/json_parse.h"
#include "core/text.h"
#include "core/util.h"

#define MAX_BODY (256u * 1024)
#define OFFICIAL_SDK_URL "https://web.smileapi.io/v2/smile.v2.js"

extern const struct embedded_file link_pages[];

struct server {
	struct link_state *st;
	char host[64]; /* as given to --host */
	char port[8];  /* as bound */
};

/* One server per run: the daemon's closure. */
static struct server the_server;

struct pending {
	struct httpd_body body;
};

static enum MHD_Result answer_json(struct MHD_Connection *conn, unsigned status, json_object *obj)
{
	char *text = json_compact_dup(obj);

	json_object_put(obj);
	return httpd_answer(conn, status, "application/json", text);
}

static enum MHD_Result answer_error(struct MHD_Connection *conn, unsigned status, const char *message)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, "error", json_object_new_string(message));
	return answer_json(conn, status, o);
}

static void html_escape_to(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		default: strbuf_addch(sb, *s);
		}
	}
}

/* The quickstart page, loading the SDK of this run instead of the
 * official one it names. */
static char *page_html(const struct link_state *st)
{
	const struct embedded_file *f = embedded_find(link_pages, "index.html");
	const char *text = (const char *)f->data, *at = strstr(text, OFFICIAL_SDK_URL);
	struct strbuf sb = STRBUF_INIT;

	if (!at)
		return xstrdup(text);
	strbuf_add(&sb, text, (size_t)(at - text));
	html_escape_to(&sb, st->sdk_url);
	strbuf_addstr(&sb, at + strlen(OFFICIAL_SDK_URL));
	return strbuf_detach(&sb);
}

/* Is Host this server (any name of loopback, or the address it was given)? */
static bool host_is_ours(const struct server *s, struct MHD_Connection *conn)
{
	const char *bound_host = s->host;
	const char *host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	static const char *const names[] = { "127.0.0.1", "localhost", "[::1]", NULL };
	const char *colon;

	if (!strcmp(bound_host, "0.0.0.0") || !strcmp(bound_host, "::"))
		return true;
	if (!host || !(colon = strrchr(host, ':')) || strcmp(colon + 1, s->port) != 0)
		return false;
	size_t n = (size_t)(colon - host);
	if (strlen(bound_host) == n && strncasecmp(host, bound_host, n) == 0)
		return true;
	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == n && strncasecmp(host, names[i], n) == 0)
			return true;
	return false;
}

/* A report as the page sends it: UTF-8 (what is printed stays valid
 * UTF-8), JSON as the one reader takes it (a key twice is refused, not
 * resolved silently), an object whose args, if any, is an object (or
 * null: a callback called with nothing). */
static bool report_is_well_formed(const struct pending *p, json_object **msg)
{
	const char *text = p->body.data.buf ? p->body.data.buf : "";
	json_object *args;
	char *err = NULL;

	*msg = NULL;
	if (!utf8_is_valid(text, p->body.data.len) ||
	    json_parse(text, p->body.data.len, 32, msg, &err) != 0) {
		free(err);
		return false;
	}
	if (json_object_is_type(*msg, json_type_object) &&
	    (!json_object_object_get_ex(*msg, "args", &args) || !args || json_object_is_type(args, json_type_object)))
		return true;
	json_object_put(*msg);
	*msg = NULL;
	return false;
}

static enum MHD_Result on_callback(struct server *s, struct MHD_Connection *conn, struct pending *p)
{
	const char *type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	json_object *msg;
	bool known;

	if (!type || strncasecmp(type, "application/json", 16) != 0)
		return answer_error(conn, 415, "callbacks are reported as application/json");
	if (p->body.too_large)
		return answer_error(conn, 413, "callback report too large");
	if (!report_is_well_formed(p, &msg))
		return answer_error(conn, 400, "a callback report is a JSON object {callback, args}, args an "
				    "object, in UTF-8");
	known = link_report(s->st, msg);
	json_object_put(msg);
	if (!known)
		return answer_error(conn, 400, "not a callback of the Wink SDK");
	return httpd_answer(conn, 204, "text/plain", xstrdup(""));
}

static enum MHD_Result route(struct server *s, struct MHD_Connection *conn, const char *method,
			     const char *url, struct pending *p)
{
	json_object *token;

	if (!strcmp(url, "/") || !strcmp(url, "/index.html")) {
		if (strcmp(method, "GET"))
			return answer_error(conn, 405, "GET only");
		return httpd_answer(conn, 200, "text/html; charset=utf-8", page_html(s->st));
	}
	if (!strcmp(url, "/api/create_link_token")) {
		if (strcmp(method, "GET"))
			return answer_error(conn, 405, "GET only");
		token = link_create_token(s->st);
		if (!token)
			return answer_error(conn, 502, "the Smile API did not give a link token (see smile's error)");
		return answer_json(conn, 200, token);
	}
	if (!strcmp(url, "/api/callbacks")) {
		if (strcmp(method, "POST"))
			return answer_error(conn, 405, "POST only");
		return on_callback(s, conn, p);
	}
	return answer_error(conn, 404, "not found");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct server *s = cls;
	struct pending *p = *con_cls;

	(void)version;
	if (!p) {
		*con_cls = xcalloc(1, sizeof(*p));
		return MHD_YES;
	}
	if (httpd_take_body(&p->body, MAX_BODY, upload_data, upload_data_size))
		return MHD_YES;
	if (!host_is_ours(s, conn))
		return answer_error(conn, 421, "this server answers only to its own address");
	return route(s, conn, method, url, p);
}

/* After the answer went out: so the page hears back about the onClose
 * that ends a --once run before the server goes away. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode why)
{
	struct server *s = cls;
	struct pending *p = *con_cls;

	(void)conn;
	(void)why;
	if (p) {
		strbuf_release(&p->body.data);
		free(p);
	}
	*con_cls = NULL;
	if (s->st->closed && !s->st->woken) {
		s->st->woken = true;
		if (write(s->st->wake_fd, "c", 1) < 0) {
			/* the main thread has stopped waiting already */
		}
	}
}

struct MHD_Daemon *link_server_start(struct link_state *st, const char *host, unsigned port,
				     unsigned *bound)
{
	struct MHD_Daemon *d;

	the_server.st = st;
	snprintf(the_server.host, sizeof(the_server.host), "%s", host);
	d = httpd_start(host, port, 0, on_request, &the_server, on_completed, &the_server, bound);
	if (d)
		snprintf(the_server.port, sizeof(the_server.port), "%u", *bound);
	return d;
}
