/* SPDX-License-Identifier: MIT */
/*
 * URLs: the request URL from base URL, path and query, origins, what
 * --verbose and messages show of a URL, and which URLs get the credentials.
 */
#include "core/http/internal.h"
#include "core/util.h"

#include <stdlib.h>
#include <string.h>

/* ---- URLs ---- */

static bool url_is_absolute(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	       (*p >= '0' && *p <= '9') || *p == '+' || *p == '-' || *p == '.')
		p++;
	return p[0] == ':' && p[1] == '/' && p[2] == '/';
}

static void add_url_encoded(struct strbuf *sb, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		bool plain = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			     (ch >= '0' && ch <= '9') || ch == '-' || ch == '.' || ch == '_' || ch == '~';
		if (plain)
			strbuf_addch(sb, (char)ch);
		else
			strbuf_addf(sb, "%%%02X", ch);
	}
}

char *http_request_url(const struct http_client *c, const struct http_request *req)
{
	struct strbuf sb = STRBUF_INIT;
	const char *path = req->path ? req->path : "";

	if (url_is_absolute(path)) {
		strbuf_addstr(&sb, path);
	} else {
		const char *base = c->o.base_url ? c->o.base_url : "";
		size_t len = strlen(base);
		while (len && base[len - 1] == '/')
			len--;
		strbuf_add(&sb, base, len);
		if (*path && *path != '/')
			strbuf_addch(&sb, '/');
		strbuf_addstr(&sb, path);
	}
	char sep = sb.buf && strchr(sb.buf, '?') ? '&' : '?';
	for (size_t i = 0; i < req->n_params; i++) {
		if (!req->params[i].key || !req->params[i].value)
			continue;
		strbuf_addch(&sb, sep);
		sep = '&';
		add_url_encoded(&sb, req->params[i].key);
		strbuf_addch(&sb, '=');
		add_url_encoded(&sb, req->params[i].value);
	}
	return strbuf_detach(&sb);
}

/* "scheme://host:port", lowercase, with the scheme's default port filled in,
 * so that https://H/v1 and https://h:443/files compare equal. */
char *url_origin(const char *url)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *origin = NULL;

	if (u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
	    !curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) &&
	    !curl_url_get(u, CURLUPART_HOST, &host, 0) &&
	    !curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT)) {
		origin = xasprintf("%s://%s:%s", scheme, host, port);
		for (char *p = origin; *p; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
	}
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
	return origin;
}

/* The URL as shown to people: never userinfo, and the query (which may hold
 * a signature on a download URL) only when asked for. */
char *url_for_display(const char *url, bool keep_query)
{
	CURLU *u = curl_url();
	char *s = NULL, *shown;

	if (u && !curl_url_set(u, CURLUPART_URL, url, 0)) {
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
		curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
		if (!keep_query)
			curl_url_set(u, CURLUPART_QUERY, NULL, 0);
		curl_url_get(u, CURLUPART_URL, &s, 0);
	}
	if (s) {
		shown = xstrdup(s);
		curl_free(s);
	} else {
		shown = xstrndup(url, strcspn(url, "?#@"));
	}
	curl_url_cleanup(u);
	return shown;
}

/* Credentials go to the configured API origin and nowhere else. */
bool url_gets_credentials(const struct http_client *c, const char *url)
{
	if (!c->api_origin || !c->o.api_key || !*c->o.api_key)
		return false;
	char *origin = url_origin(url);
	bool same = origin && strcmp(origin, c->api_origin) == 0;
	free(origin);
	return same;
}

bool http_request_has_header(const struct http_request *req, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; req->headers && req->headers[i]; i++)
		if (!strncasecmp(req->headers[i], name, n) && req->headers[i][n] == ':')
			return true;
	return false;
}
