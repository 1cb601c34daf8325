/* SPDX-License-Identifier: MIT */
/*
 * The curl command --dry-run prints instead of sending: what curl would
 * send, with the credentials left to the environment.
 */
#include "core/http/internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

static void add_shell_quoted(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_addch(sb, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\'')
			strbuf_addstr(sb, "'\\''");
		else
			strbuf_addch(sb, s[i]);
	}
	strbuf_addch(sb, '\'');
}

/* ---- the curl command of --dry-run ---- */

char *http_curl_command(const struct http_client *c, const struct http_request *req)
{
	struct strbuf sb = STRBUF_INIT;
	const char *method = req->method ? req->method : "GET";
	char *url = http_request_url(c, req);
	bool auth = url_gets_credentials(c, url);

	strbuf_addstr(&sb, "curl");
	if (strcasecmp(method, "GET") != 0) {
		strbuf_addstr(&sb, " -X ");
		if (method[strspn(method, "ABCDEFGHIJKLMNOPQRSTUVWXYZ")])
			add_shell_quoted(&sb, method, strlen(method));
		else
			strbuf_addstr(&sb, method);
	}
	/* A password in the URL's userinfo is a secret too. */
	char *shown = url_for_display(url, true);
	strbuf_addch(&sb, ' ');
	add_shell_quoted(&sb, shown, strlen(shown));
	free(shown);
	if (auth) {
		/* The key says which account; the secret is never printed. */
		char *user = xasprintf("%s:***", c->o.api_key);
		strbuf_addstr(&sb, " -u ");
		add_shell_quoted(&sb, user, strlen(user));
		free(user);
	}
	if (req->sink && !auth)
		strbuf_addstr(&sb, " -L");
	if (!req->sink)
		strbuf_addstr(&sb, " -H 'Accept: application/json'");
	for (size_t i = 0; req->headers && req->headers[i]; i++) {
		strbuf_addstr(&sb, " -H ");
		add_shell_quoted(&sb, req->headers[i], strlen(req->headers[i]));
	}
	if (req->body) {
		const char *body = req->shown_body ? req->shown_body : req->body;
		size_t len = req->shown_body ? strlen(body) : req->body_len ? req->body_len : strlen(body);
		if (!http_request_has_header(req, "Content-Type"))
			strbuf_addstr(&sb, " -H 'Content-Type: application/json'");
		strbuf_addstr(&sb, " --data-binary ");
		add_shell_quoted(&sb, body, len);
	}
	free(url);
	return strbuf_detach(&sb);
}
