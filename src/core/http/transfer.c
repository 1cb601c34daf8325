/* SPDX-License-Identifier: MIT */
/*
 * One transfer and the client's lists of them: a request's easy handle,
 * set up from the client and the request, its libcurl callbacks (headers,
 * body, limits), and starting a try.
 */
#include "core/http/internal.h"
#include "core/util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void transfer_list_push(struct transfer_list *l, struct transfer *t)
{
	t->next = NULL;
	if (l->tail)
		l->tail->next = t;
	else
		l->head = t;
	l->tail = t;
}

struct transfer *transfer_list_pop(struct transfer_list *l)
{
	struct transfer *t = l->head;

	if (t) {
		l->head = t->next;
		if (!l->head)
			l->tail = NULL;
		t->next = NULL;
	}
	return t;
}

/* Linear, which is fine: only the short waiting and active lists need it. */
void transfer_list_remove(struct transfer_list *l, struct transfer *t)
{
	struct transfer *prev = NULL;

	for (struct transfer *p = l->head; p; prev = p, p = p->next) {
		if (p != t)
			continue;
		if (prev)
			prev->next = p->next;
		else
			l->head = p->next;
		if (l->tail == p)
			l->tail = prev;
		p->next = NULL;
		return;
	}
}

bool http_status_is_success(long status)
{
	return status >= 200 && status < 300;
}

/* ---- libcurl callbacks ---- */

static long parse_retry_after(const char *value)
{
	if (*value >= '0' && *value <= '9') {
		char *end;
		errno = 0;
		long long s = strtoll(value, &end, 10);
		if (errno == ERANGE || s > RETRY_AFTER_MAX_MS / 1000)
			return RETRY_AFTER_MAX_MS;
		return (long)s * 1000;
	}
	time_t when = curl_getdate(value, NULL);
	if (when == (time_t)-1)
		return -1;
	double d = difftime(when, time(NULL));
	if (d <= 0)
		return 0;
	return d * 1000 > (double)RETRY_AFTER_MAX_MS ? RETRY_AFTER_MAX_MS : (long)(d * 1000);
}

/* The value of the header line when it is the header name (with its
 * colon), trimmed and allocated; NULL otherwise. */
static char *header_value(const char *line, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (len <= n || strncasecmp(line, name, n) != 0)
		return NULL;
	char *value = xstrndup(line + n, len - n);
	size_t skip = strspn(value, " \t");
	memmove(value, value + skip, strlen(value + skip) + 1);
	value[strcspn(value, "\r\n")] = '\0';
	return value;
}

/* Retry-After paces the retries; Date is the server's clock, which judges
 * what expires there (smile retention counts days left by it). */
static void note_header(struct transfer *t, const char *line, size_t len)
{
	char *v;

	if ((v = header_value(line, len, "retry-after:"))) {
		t->retry_after_ms = parse_retry_after(v);
	} else if ((v = header_value(line, len, "date:"))) {
		time_t when = curl_getdate(v, NULL);
		t->server_date = when == (time_t)-1 ? 0 : when;
	}
	free(v);
}

static size_t on_header(char *data, size_t size, size_t nitems, void *userdata)
{
	struct transfer *t = userdata;
	size_t len = size * nitems;

	/* A new status line starts a new header block (redirect, 100 Continue). */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		strbuf_reset(&t->resp_headers);
		t->retry_after_ms = -1;
		t->server_date = 0;
		return len;
	}
	note_header(t, data, len);
	if (t->c->verbose) {
		size_t n = len;
		while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
			n--;
		if (n) {
			strbuf_addstr(&t->resp_headers, "< ");
			http_add_one_line(&t->resp_headers, data, n);
			strbuf_addch(&t->resp_headers, '\n');
		}
	}
	return len;
}

long transfer_status(const struct transfer *t)
{
	long status = 0;

	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct transfer *t = userdata;
	size_t len = size * nmemb;

	t->received += len;
	if (t->req->sink && http_status_is_success(transfer_status(t))) {
		errno = 0;
		if (fwrite(data, 1, len, t->req->sink) != len) {
			t->sink_errno = errno ? errno : EIO;
			return 0;
		}
		t->sink_written = true;
		return len;
	}
	/* Returning short aborts the transfer: an endless or hostile body
	 * ends here with a clear error instead of eating memory. */
	if (t->body.len + len > t->c->max_response) {
		t->too_large = true;
		return 0;
	}
	strbuf_add(&t->body, data, len);
	return len;
}

/* ---- transfers ---- */

static void transfer_set_method(struct transfer *t)
{
	CURL *e = t->easy;
	const struct http_request *req = t->req;

	if (strcasecmp(t->method, "GET") == 0) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcasecmp(t->method, "HEAD") == 0)
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
	else if (strcasecmp(t->method, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, t->method);
	/* POST and PUT always carry a body, if empty, so Content-Length is sent. */
	if (req->body || !t->idempotent) {
		/* POSTFIELDS without a copy: the request outlives the transfer. */
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)t->body_len);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, req->body ? req->body : "");
	}
	/* When a reused connection dies before a byte of the answer, libcurl
	 * silently sends the request again on a new one; the server may have
	 * carried out the first (a drop after processing), so a POST would be
	 * done twice. Keep non-idempotent requests off reused connections. */
	if (!t->idempotent) {
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
		curl_easy_setopt(e, CURLOPT_FORBID_REUSE, 1L);
	}
}

static void transfer_set_headers(struct transfer *t)
{
	struct curl_slist *h = NULL;

	/* Downloads take whatever the file is; API calls want JSON. */
	if (!t->req->sink)
		h = curl_slist_append(h, "Accept: application/json");
	if (t->req->body && !http_request_has_header(t->req, "Content-Type"))
		h = curl_slist_append(h, "Content-Type: application/json");
	for (size_t i = 0; t->req->headers && t->req->headers[i]; i++)
		h = curl_slist_append(h, t->req->headers[i]);
	/* No 100-continue round trip for large bodies: the API answers fast. */
	h = curl_slist_append(h, "Expect:");
	t->headers = h;
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, h);
}

static void transfer_set_limits(struct transfer *t)
{
	const struct http_client_opts *p = &t->c->o;
	CURL *e = t->easy;

	if (p->connect_timeout_ms > 0)
		curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, p->connect_timeout_ms);
	if (p->timeout_ms <= 0)
		return;
	if (t->req->sink) {
		/* A large file may take longer than an API call is allowed to;
		 * what must not happen is a download that stalls for good. */
		long secs = p->timeout_ms / 1000 > 0 ? p->timeout_ms / 1000 : 1;
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
		curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, secs);
	} else {
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, p->timeout_ms);
	}
}

static void transfer_set_security(struct transfer *t)
{
	struct http_client *c = t->c;
	CURL *e = t->easy;

#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
#else
	curl_easy_setopt(e, CURLOPT_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
	curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS, (long)(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
	/* Peer and host verification keep libcurl's default: on, always. */
	if (c->cainfo)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->cainfo);
	if (c->capath)
		curl_easy_setopt(e, CURLOPT_CAPATH, c->capath);
	if (t->send_auth) {
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
		curl_easy_setopt(e, CURLOPT_USERNAME, c->o.api_key);
		curl_easy_setopt(e, CURLOPT_PASSWORD, c->o.api_secret ? c->o.api_secret : "");
		curl_easy_setopt(e, CURLOPT_UNRESTRICTED_AUTH, 0L);
	} else if (t->req->sink) {
		/* Only requests that carry no credentials follow redirects, so a
		 * redirect can never take the secret to another host. */
		curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(e, CURLOPT_MAXREDIRS, DOWNLOAD_MAX_REDIRECTS);
	}
}

static int transfer_setup_easy(struct transfer *t)
{
	struct http_client *c = t->c;
	CURL *e = curl_easy_init();

	if (!e)
		return -ENOMEM;
	t->easy = e;
	if (curl_easy_setopt(e, CURLOPT_URL, t->url) != CURLE_OK)
		return -EINVAL;
	curl_easy_setopt(e, CURLOPT_PRIVATE, t);
	curl_easy_setopt(e, CURLOPT_SHARE, c->share);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "smile/" SMILE_VERSION);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
	if (!t->req->sink)
		curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); /* cap applies after decoding */
	else /* as the curl tool does: 16 KiB a write callback is slow for files */
		curl_easy_setopt(e, CURLOPT_BUFFERSIZE, DOWNLOAD_BUFFER_SIZE);
	if (c->verbose) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, http_on_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, t);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	transfer_set_method(t);
	transfer_set_headers(t);
	transfer_set_limits(t);
	transfer_set_security(t);
	return 0;
}

struct transfer *transfer_new(struct http_client *c, const struct http_request *req,
				     struct http_response *resp, http_done_fn done, void *ctx)
{
	struct transfer *t = xcalloc(1, sizeof(*t));

	t->c = c;
	t->req = req;
	t->resp = resp ? resp : &t->own_resp;
	http_response_clear(t->resp);
	t->done = done;
	t->ctx = ctx;
	t->method = req->method ? req->method : "GET";
	t->body_len = req->body ? (req->body_len ? req->body_len : strlen(req->body)) : 0;
	t->url = http_request_url(c, req);
	t->send_auth = url_gets_credentials(c, t->url);
	t->idempotent = http_method_is_idempotent(t->method);
	t->shown_url = url_for_display(t->url, t->send_auth);
	t->error_url = url_for_display(t->url, false);
	t->retry_after_ms = -1;
	t->sink_start = req->sink ? ftello(req->sink) : -1;
	if (!c->dry_run && transfer_setup_easy(t) < 0)
		t->setup_error = xasprintf("cannot prepare the request to %s", t->error_url);
	return t;
}

void transfer_free(struct transfer *t)
{
	if (!t)
		return;
	if (t->state == T_ACTIVE) {
		curl_multi_remove_handle(t->c->multi, t->easy);
		transfer_list_remove(&t->c->active, t);
		t->c->n_active--;
	}
	if (t->easy)
		curl_easy_cleanup(t->easy);
	curl_slist_free_all(t->headers);
	free(t->url);
	free(t->shown_url);
	free(t->error_url);
	free(t->setup_error);
	strbuf_release(&t->body);
	strbuf_release(&t->resp_headers);
	http_response_clear(&t->own_resp);
	free(t);
}

void transfer_finish(struct transfer *t)
{
	t->state = T_DONE;
	if (t->done)
		transfer_list_push(&t->c->done, t);
}

void transfer_fail(struct transfer *t, enum http_failure failure, char *error)
{
	struct http_response *r = t->resp;

	free(r->error);
	r->error = error;
	r->failure = failure;
	r->attempts = t->attempts;
	transfer_finish(t);
}

static void try_reset(struct transfer *t)
{
	strbuf_reset(&t->body);
	strbuf_reset(&t->resp_headers);
	t->received = 0;
	t->retry_after_ms = -1;
	t->server_date = 0;
	t->too_large = false;
	t->sink_errno = 0;
	t->errbuf[0] = '\0';
}

static void start_dry_run(struct transfer *t)
{
	const struct http_client_opts *o = &t->c->o;
	char *cmd = http_curl_command(t->c, t->req);

	if (o->dry_run_sink)
		o->dry_run_sink(o->dry_run_ctx, cmd);
	free(cmd);
	t->resp->status = 0;
	t->resp->failure = HTTP_OK;
	t->resp->dry_run = true;
	transfer_finish(t);
}

void http_start_try(struct transfer *t)
{
	struct http_client *c = t->c;

	if (c->dry_run) {
		start_dry_run(t);
		return;
	}
	if (t->setup_error) {
		transfer_fail(t, HTTP_FAIL_LOCAL, TAKE_PTR(t->setup_error));
		return;
	}
	if (!t->attempts)
		t->first_start = now_monotonic();
	t->attempts++;
	try_reset(t);
	if (c->verbose) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "> %s %s", t->method, t->shown_url);
		if (t->attempts > 1)
			strbuf_addf(&sb, " (try %d)", t->attempts);
		strbuf_addch(&sb, '\n');
		http_emit(&sb);
	}
	CURLMcode mc = curl_multi_add_handle(c->multi, t->easy);
	if (mc != CURLM_OK) {
		transfer_fail(t, HTTP_FAIL_LOCAL,
			      xasprintf("cannot start the request to %s: %s", t->error_url, curl_multi_strerror(mc)));
		return;
	}
	t->state = T_ACTIVE;
	transfer_list_push(&c->active, t);
	c->n_active++;
}
