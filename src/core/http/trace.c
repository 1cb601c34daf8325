/* SPDX-License-Identifier: MIT */
/*
 * --verbose: the request and reply headers as libcurl handled them, the
 * credentials redacted, one block per write so that concurrent transfers
 * do not interleave; and the one-line rendering of server text.
 */
#include "core/http/internal.h"
#include "core/text.h"
#include "core/util.h"

#include <string.h>

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
	if (t->req->body)
		strbuf_addf(&sb, "> (%zu bytes of body)\n", t->body_len);
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
