/* SPDX-License-Identifier: MIT */
/*
 * The HTTP core (see http.h). Every request is a `struct transfer` hung off
 * its easy handle with CURLOPT_PRIVATE. One loop, drive(), serves both
 * http_send() (one target transfer) and http_run() (a queue, N at a time):
 * it starts what the rate limiter and the retry delays allow, lets libcurl
 * work, and sorts finished tries into "again later" or "done". Waiting never
 * sleeps: it only shortens the curl_multi_poll() timeout, so transfers in
 * flight keep moving.
 */
#include "core/http/client.h"
#include "core/json.h"
#include "core/json_parse.h"
#include "core/text.h"
#include "core/util.h"

#include <curl/curl.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

/* Queues and the stop flag are looked at again at least this often. */
#define POLL_MAX_MS 1000
#define POLL_STOP_MS 100
/* A Retry-After further away than this is as good as "not today". */
#define RETRY_AFTER_MAX_MS (86400L * 1000)
/* json-c's default of 32 levels is tight for nested API data. */
#define JSON_MAX_DEPTH 128
#define DOWNLOAD_MAX_REDIRECTS 5L

enum transfer_state { T_NEW, T_WAITING, T_ACTIVE, T_DONE };

struct transfer {
	struct transfer *next;          /* in exactly one client list, or none */
	struct http_client *c;
	const struct http_request *req;
	struct http_response *resp;     /* the caller's (http_send) or own_resp */
	struct http_response own_resp;
	http_done_fn done;              /* NULL for http_send's transfer */
	void *ctx;

	CURL *easy;
	struct curl_slist *headers;
	const char *method;
	char *url;
	char *shown_url;                /* for --verbose: no userinfo, query kept for the API */
	char *error_url;                /* for messages: no userinfo, no query */
	char *setup_error;              /* the request could not even be prepared */
	size_t body_len;
	bool send_auth;
	bool idempotent;

	enum transfer_state state;
	double first_start;
	double ready_at;                /* a waiting retry may start from here on */
	int attempts;

	/* Reset before each try. */
	struct strbuf body;
	struct strbuf resp_headers;     /* for --verbose only */
	size_t received;
	long retry_after_ms;
	bool too_large;
	bool sink_written;
	int sink_errno;
	off_t sink_start;               /* -1: the sink cannot be rewound */
	char errbuf[CURL_ERROR_SIZE];
};

struct transfer_list {
	struct transfer *head, *tail;
};

struct http_client {
	struct http_client_opts o;      /* strings owned: copies of the caller's */
	bool verbose;
	bool dry_run;
	volatile bool *stop;
	size_t max_response;
	char *api_origin;               /* "scheme://host:port" of base_url */
	char *cainfo;
	char *capath;
	CURLM *multi;                   /* holds the connection cache of the run */
	CURLSH *share;                  /* DNS and TLS sessions */
	struct rate_limiter limiter;
	struct transfer_list pending;   /* submitted, never started */
	struct transfer_list waiting;   /* between tries */
	struct transfer_list active;
	struct transfer_list done;      /* callbacks not yet called */
	int n_active;
};

/* ---- small lists ---- */

static void list_push(struct transfer_list *l, struct transfer *t)
{
	t->next = NULL;
	if (l->tail)
		l->tail->next = t;
	else
		l->head = t;
	l->tail = t;
}

static struct transfer *list_pop(struct transfer_list *l)
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
static void list_remove(struct transfer_list *l, struct transfer *t)
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
static char *url_origin(const char *url)
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
static char *url_for_display(const char *url, bool keep_query)
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
static bool url_gets_credentials(const struct http_client *c, const char *url)
{
	if (!c->api_origin || !c->o.api_key || !*c->o.api_key)
		return false;
	char *origin = url_origin(url);
	bool same = origin && strcmp(origin, c->api_origin) == 0;
	free(origin);
	return same;
}

/* ---- text helpers ---- */

/* Server text goes into one-line messages: no control characters. */
static void add_one_line(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_add_printable(sb, s, strnlen(s, len), 0);
}

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

static bool status_is_success(long status)
{
	return status >= 200 && status < 300;
}

static void emit(struct strbuf *sb)
{
	/* One write per block keeps lines of concurrent transfers apart. */
	if (sb->len) {
		fwrite(sb->buf, 1, sb->len, stderr);
		fflush(stderr);
	}
	strbuf_release(sb);
}

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
static char *envelope_error_line(const struct http_response *r)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "HTTP %ld", r->status);
	if (r->code) {
		strbuf_addch(&sb, ' ');
		add_one_line(&sb, r->code, strlen(r->code));
	}
	if (r->message && *r->message) {
		strbuf_addstr(&sb, ": ");
		add_one_line(&sb, r->message, strlen(r->message));
	}
	if (r->request_id) {
		strbuf_addstr(&sb, " (requestId ");
		add_one_line(&sb, r->request_id, strlen(r->request_id));
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
	if (req->body) {
		const char *body = req->shown_body ? req->shown_body : req->body;
		size_t len = req->shown_body ? strlen(body) : req->body_len ? req->body_len : strlen(body);
		strbuf_addstr(&sb, " -H 'Content-Type: application/json' --data-binary ");
		add_shell_quoted(&sb, body, len);
	}
	free(url);
	return strbuf_detach(&sb);
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

static void note_header(struct transfer *t, const char *line, size_t len)
{
	static const char name[] = "retry-after:";
	size_t n = sizeof(name) - 1;

	if (len <= n || strncasecmp(line, name, n) != 0)
		return;
	char *value = xstrndup(line + n, len - n);
	char *v = value + strspn(value, " \t");
	v[strcspn(v, "\r\n")] = '\0';
	t->retry_after_ms = parse_retry_after(v);
	free(value);
}

static size_t on_header(char *data, size_t size, size_t nitems, void *userdata)
{
	struct transfer *t = userdata;
	size_t len = size * nitems;

	/* A new status line starts a new header block (redirect, 100 Continue). */
	if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
		strbuf_reset(&t->resp_headers);
		t->retry_after_ms = -1;
		return len;
	}
	note_header(t, data, len);
	if (t->c->verbose) {
		size_t n = len;
		while (n && (data[n - 1] == '\n' || data[n - 1] == '\r'))
			n--;
		if (n) {
			strbuf_addstr(&t->resp_headers, "< ");
			add_one_line(&t->resp_headers, data, n);
			strbuf_addch(&t->resp_headers, '\n');
		}
	}
	return len;
}

static long transfer_status(const struct transfer *t)
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
	if (t->req->sink && status_is_success(transfer_status(t))) {
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
	add_one_line(sb, line, scheme_end);
	strbuf_addstr(sb, " [redacted]");
}

/* --verbose request headers, as libcurl really sent them. */
static int on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *userdata)
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
				add_one_line(&sb, data + pos, len);
			strbuf_addch(&sb, '\n');
		}
		first = false;
		pos = end + 1;
	}
	if (t->req->body)
		strbuf_addf(&sb, "> (%zu bytes of body)\n", t->body_len);
	emit(&sb);
	return 0;
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
	if (t->req->body)
		h = curl_slist_append(h, "Content-Type: application/json");
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
	if (c->verbose) {
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, t);
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
	}
	transfer_set_method(t);
	transfer_set_headers(t);
	transfer_set_limits(t);
	transfer_set_security(t);
	return 0;
}

static struct transfer *transfer_new(struct http_client *c, const struct http_request *req,
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

static void transfer_free(struct transfer *t)
{
	if (!t)
		return;
	if (t->state == T_ACTIVE) {
		curl_multi_remove_handle(t->c->multi, t->easy);
		list_remove(&t->c->active, t);
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

static void transfer_finish(struct transfer *t)
{
	t->state = T_DONE;
	if (t->done)
		list_push(&t->c->done, t);
}

static void transfer_fail(struct transfer *t, enum http_failure failure, char *error)
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

static void start_try(struct transfer *t)
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
		emit(&sb);
	}
	CURLMcode mc = curl_multi_add_handle(c->multi, t->easy);
	if (mc != CURLM_OK) {
		transfer_fail(t, HTTP_FAIL_LOCAL,
			      xasprintf("cannot start the request to %s: %s", t->error_url, curl_multi_strerror(mc)));
		return;
	}
	t->state = T_ACTIVE;
	list_push(&c->active, t);
	c->n_active++;
}

/* ---- the end of a try ---- */

struct try_result {
	CURLcode code;
	long status;
	bool sent;      /* request bytes went out: the server may have seen it */
	double seconds;
};

static const char *curl_reason(const struct transfer *t, CURLcode code)
{
	long os_errno = 0;

	/* "Connection refused" says more than "Couldn't connect to server". */
	if (code == CURLE_COULDNT_CONNECT &&
	    curl_easy_getinfo(t->easy, CURLINFO_OS_ERRNO, &os_errno) == CURLE_OK && os_errno)
		return strerror((int)os_errno);
	return t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
}

static void print_try_result(const struct transfer *t, const struct try_result *tr)
{
	struct strbuf sb = STRBUF_INIT;

	if (tr->status)
		strbuf_addf(&sb, "< %ld (%.3f s, %zu bytes)", tr->status, tr->seconds, t->received);
	else
		strbuf_addf(&sb, "< no response (%.3f s)", tr->seconds);
	if (tr->code != CURLE_OK) {
		const char *why = t->too_large ? "response too large" : curl_reason(t, tr->code);
		strbuf_addstr(&sb, ": ");
		add_one_line(&sb, why, strlen(why));
	}
	strbuf_addch(&sb, '\n');
	if (t->resp_headers.len)
		strbuf_add(&sb, t->resp_headers.buf, t->resp_headers.len);
	emit(&sb);
}

/* Puts a partly written download back to where it started. */
static bool sink_rewind(struct transfer *t)
{
	FILE *f = t->req->sink;

	if (!t->sink_written)
		return true;
	if (t->sink_start < 0 || fflush(f) != 0 || fseeko(f, t->sink_start, SEEK_SET) != 0)
		return false;
	if (ftruncate(fileno(f), t->sink_start) != 0)
		return false;
	t->sink_written = false;
	return true;
}

/* Whether to try again, and after how long (*delay_ms). */
static bool try_again(struct transfer *t, const struct try_result *tr, long *delay_ms)
{
	const struct http_client_opts *p = &t->c->o;
	int max_attempts = p->max_attempts > 0 ? p->max_attempts : 1;

	if (t->too_large || t->sink_errno)
		return false;
	if (!http_should_retry(t->method, tr->status, tr->code, tr->sent))
		return false;
	if (t->attempts >= max_attempts)
		return false;
	*delay_ms = http_backoff_ms(t->attempts, t->retry_after_ms, NULL);
	/* A wait beyond the budget (a far Retry-After) means giving up now,
	 * not pretending to honour it with a shorter one. */
	double spent_ms = (now_monotonic() - t->first_start) * 1000;
	if (p->retry_max_ms >= 0 && spent_ms + (double)*delay_ms > (double)p->retry_max_ms)
		return false;
	return sink_rewind(t);
}

static void schedule_retry(struct transfer *t, const struct try_result *tr, long delay_ms)
{
	if (t->c->verbose) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_addf(&sb, "* retrying in %.3f s", (double)delay_ms / 1000);
		if (tr->status)
			strbuf_addf(&sb, " (HTTP %ld)", tr->status);
		strbuf_addch(&sb, '\n');
		emit(&sb);
	}
	t->ready_at = now_monotonic() + (double)delay_ms / 1000;
	t->state = T_WAITING;
	list_push(&t->c->waiting, t);
}

/* Whether a failed non-idempotent request may have been carried out. */
static bool may_have_been_processed(const struct try_result *tr)
{
	if (!tr->sent)
		return false;
	if (tr->status == 503 || tr->status == 501 || (tr->status >= 400 && tr->status < 500))
		return false; /* refused before doing anything */
	if (tr->code != CURLE_OK)
		return true;  /* timeout, reset, empty or cut reply after sending */
	return status_is_success(tr->status) || tr->status >= 500;
}

static void fill_network_failure(struct transfer *t, const struct try_result *tr)
{
	struct http_response *r = t->resp;
	struct strbuf sb = STRBUF_INIT;

	if (t->too_large) {
		r->error = xasprintf("response exceeds %zu bytes", t->c->max_response);
		r->failure = HTTP_FAIL_BAD_RESPONSE;
		return;
	}
	if (t->sink_errno) {
		r->error = xasprintf("cannot write the download: %s", strerror(t->sink_errno));
		r->failure = HTTP_FAIL_LOCAL;
		return;
	}
	const char *why = curl_reason(t, tr->code);
	strbuf_addf(&sb, tr->sent ? "request to %s failed: " : "cannot reach %s: ", t->error_url);
	add_one_line(&sb, why, strlen(why));
	r->error = strbuf_detach(&sb);
	r->failure = HTTP_FAIL_NETWORK;
}

static char *content_type_for_message(const struct transfer *t)
{
	char *ct = NULL;
	struct strbuf sb = STRBUF_INIT;

	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ct);
	if (!ct || !*ct)
		return xstrdup("no content type");
	add_one_line(&sb, ct, strcspn(ct, ";"));
	return strbuf_detach(&sb);
}

static enum http_failure status_failure(long status)
{
	return status_is_success(status) ? HTTP_OK : HTTP_FAIL_STATUS;
}

static void fill_reply(struct transfer *t, const struct try_result *tr)
{
	struct http_response *r = t->resp;
	bool success = status_is_success(tr->status);

	if (t->req->sink && success) {
		r->failure = HTTP_OK;
		return;
	}
	r->body_len = t->body.len;
	r->body = strbuf_detach(&t->body);
	if (r->body_len == 0) {
		/* 204 and friends: nothing to parse, nothing wrong. */
		r->failure = status_failure(tr->status);
		if (r->failure)
			r->error = xasprintf("HTTP %ld with an empty response", tr->status);
		return;
	}
	if (http_parse_envelope(r, r->body, r->body_len) < 0) {
		char *ct = content_type_for_message(t);
		char *problem = r->error;
		r->error = xasprintf("%s (HTTP %ld, %s)", problem, tr->status, ct);
		free(problem);
		free(ct);
		r->failure = success ? HTTP_FAIL_BAD_RESPONSE : HTTP_FAIL_STATUS;
		return;
	}
	r->failure = status_failure(tr->status);
	if (r->failure)
		r->error = envelope_error_line(r);
}

static void complete(struct transfer *t, const struct try_result *tr)
{
	struct http_response *r = t->resp;

	r->status = tr->status;
	r->attempts = t->attempts;
	r->elapsed = now_monotonic() - t->first_start;
	r->retry_after_ms = t->retry_after_ms;
	if (tr->code != CURLE_OK)
		fill_network_failure(t, tr);
	else
		fill_reply(t, tr);
	r->outcome_unknown = !t->idempotent && r->failure != HTTP_OK &&
			     may_have_been_processed(tr);
	transfer_finish(t);
}

static void finish_try(struct transfer *t, CURLcode code)
{
	struct http_client *c = t->c;
	struct try_result tr = { .code = code };
	long request_size = 0;
	curl_off_t usecs = 0;
	long delay_ms = 0;

	curl_multi_remove_handle(c->multi, t->easy);
	list_remove(&c->active, t);
	c->n_active--;
	t->state = T_NEW;
	tr.status = transfer_status(t);
	curl_easy_getinfo(t->easy, CURLINFO_REQUEST_SIZE, &request_size);
	curl_easy_getinfo(t->easy, CURLINFO_TOTAL_TIME_T, &usecs);
	tr.sent = request_size > 0;
	tr.seconds = (double)usecs / 1e6;
	if (c->verbose)
		print_try_result(t, &tr);
	if (try_again(t, &tr, &delay_ms))
		schedule_retry(t, &tr, delay_ms);
	else
		complete(t, &tr);
}

/* ---- the loop ---- */

static int collect_finished(struct http_client *c)
{
	CURLMsg *m;
	int left, n = 0;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		CURLcode code = m->data.result; /* m dies with the handle's removal */
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		finish_try((struct transfer *)(void *)priv, code);
		n++;
	}
	return n;
}

/* The next transfer allowed to start (not yet taken off its list), or NULL;
 * *wait gets the seconds until a waiting retry becomes due. */
static struct transfer *next_startable(struct http_client *c, double now, double *wait)
{
	for (struct transfer *t = c->waiting.head; t; t = t->next) {
		if (t->ready_at <= now)
			return t;
		if (t->ready_at - now < *wait)
			*wait = t->ready_at - now;
	}
	return c->pending.head;
}

static bool take_token(struct http_client *c, double now, double *wait)
{
	if (c->dry_run)
		return true;
	double w = rate_limiter_take(&c->limiter, now);
	if (w <= 0)
		return true;
	if (w < *wait)
		*wait = w;
	return false;
}

/* Starts what may start; returns the seconds until more could. */
static double start_ready(struct http_client *c, int concurrency)
{
	double now = now_monotonic(), wait = INFINITY;

	while (c->n_active < concurrency) {
		struct transfer *t = next_startable(c, now, &wait);
		if (!t || !take_token(c, now, &wait))
			break;
		list_remove(t->state == T_WAITING ? &c->waiting : &c->pending, t);
		start_try(t);
	}
	return wait;
}

static double start_target(struct http_client *c, struct transfer *t)
{
	double now = now_monotonic(), wait = INFINITY;

	if (t->state == T_WAITING && t->ready_at > now)
		return t->ready_at - now;
	if (t->state != T_NEW && t->state != T_WAITING)
		return wait;
	if (!take_token(c, now, &wait))
		return wait;
	if (t->state == T_WAITING)
		list_remove(&c->waiting, t);
	start_try(t);
	return wait;
}

static void interrupt_queued(struct http_client *c)
{
	struct transfer_list *lists[] = { &c->pending, &c->waiting };

	for (size_t i = 0; i < 2; i++) {
		struct transfer *t;
		while ((t = list_pop(lists[i])))
			transfer_fail(t, HTTP_FAIL_INTERRUPTED, xstrdup("interrupted"));
	}
}

static void deliver_done(struct http_client *c)
{
	struct transfer *t;

	while ((t = list_pop(&c->done))) {
		t->done(t->ctx, t->req, t->resp);
		transfer_free(t);
	}
}

static bool client_idle(const struct http_client *c)
{
	return !c->n_active && !c->pending.head && !c->waiting.head && !c->done.head;
}

static int poll_timeout_ms(double wait, bool have_stop)
{
	int ms = POLL_MAX_MS;

	if (isfinite(wait) && wait * 1000 < ms)
		ms = (int)ceil(wait * 1000);
	if (have_stop && ms > POLL_STOP_MS)
		ms = POLL_STOP_MS;
	return ms > 0 ? ms : 0;
}

/* With target: runs until that transfer is done, leaving other finished
 * transfers for the outer http_run to deliver (http_send may be called from
 * a callback). Without: runs the queue until it is empty or *stop. */
static int drive(struct http_client *c, int concurrency, volatile bool *stop, struct transfer *target)
{
	for (;;) {
		if (!target)
			deliver_done(c);
		/* After the callbacks, which may be what asked to stop. */
		if (stop && *stop) {
			interrupt_queued(c);
			if (target && target->state == T_NEW)
				transfer_fail(target, HTTP_FAIL_INTERRUPTED, xstrdup("interrupted"));
			if (!target)
				deliver_done(c);
		}
		if (target ? target->state == T_DONE : client_idle(c))
			return 0;
		double wait = target ? start_target(c, target) : start_ready(c, concurrency);
		if (target ? target->state == T_DONE : c->done.head != NULL)
			continue; /* finished without a transfer (dry run, setup error) */
		int running;
		CURLMcode mc = curl_multi_perform(c->multi, &running);
		if (mc == CURLM_OK && collect_finished(c) > 0)
			continue;
		if (mc == CURLM_OK)
			mc = curl_multi_poll(c->multi, NULL, 0, poll_timeout_ms(wait, stop != NULL), NULL);
		if (mc != CURLM_OK) {
			log_error("http: %s", curl_multi_strerror(mc));
			return -EIO;
		}
	}
}

enum http_failure http_send(struct http_client *c, const struct http_request *req, struct http_response *r)
{
	memset(r, 0, sizeof(*r));
	struct transfer *t = transfer_new(c, req, r, NULL, NULL);

	if (drive(c, 1, c->stop, t) < 0 && t->state != T_DONE) {
		free(r->error);
		r->error = xstrdup("internal failure of the HTTP engine");
		r->failure = HTTP_FAIL_LOCAL;
	}
	if (t->state == T_WAITING)
		list_remove(&c->waiting, t);
	transfer_free(t);
	return r->failure;
}

void http_submit(struct http_client *c, const struct http_request *req, http_done_fn done, void *ctx)
{
	list_push(&c->pending, transfer_new(c, req, NULL, done, ctx));
}

int http_run(struct http_client *c, int concurrency, volatile bool *stop)
{
	return drive(c, concurrency > 0 ? concurrency : 1, stop ? stop : c->stop, NULL);
}

/* ---- the client ---- */

static char *env_path(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? xstrdup(v) : NULL;
}

static char *copy_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct http_client *http_client_new(const struct http_client_opts *opts)
{
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		return NULL;

	struct http_client *c = xcalloc(1, sizeof(*c));

	c->o = *opts;
	c->o.base_url = copy_or_null(opts->base_url);
	c->o.api_key = copy_or_null(opts->api_key);
	c->o.api_secret = copy_or_null(opts->api_secret);
	c->verbose = opts->verbose;
	c->dry_run = opts->dry_run;
	c->stop = opts->stop;
	c->max_response = opts->max_response_bytes ? opts->max_response_bytes : HTTP_DEFAULT_MAX_RESPONSE;
	if (c->o.base_url)
		c->api_origin = url_origin(c->o.base_url);
	/* libcurl itself reads neither variable; the curl tool does, and people
	 * behind TLS-inspecting proxies set them. */
	c->cainfo = env_path("CURL_CA_BUNDLE");
	if (!c->cainfo)
		c->cainfo = env_path("SSL_CERT_FILE");
	c->capath = env_path("SSL_CERT_DIR");
	c->multi = curl_multi_init();
	c->share = curl_share_init();
	if (!c->multi || !c->share) {
		http_client_free(c);
		return NULL;
	}
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
	curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
	rate_limiter_init(&c->limiter, c->o.rate, now_monotonic());
	return c;
}

void http_client_free(struct http_client *c)
{
	struct transfer_list *lists[4];
	struct transfer *t;

	if (!c)
		return;
	lists[0] = &c->pending;
	lists[1] = &c->waiting;
	lists[2] = &c->done;
	lists[3] = &c->active;
	/* Whatever was never run or delivered is dropped without callbacks. */
	for (size_t i = 0; i < 4; i++) {
		while ((t = list_pop(lists[i]))) {
			if (t->state == T_ACTIVE) {
				curl_multi_remove_handle(c->multi, t->easy);
				t->state = T_NEW;
			}
			transfer_free(t);
		}
	}
	if (c->multi)
		curl_multi_cleanup(c->multi);
	if (c->share)
		curl_share_cleanup(c->share);
	free((char *)c->o.base_url);
	free((char *)c->o.api_key);
	if (c->o.api_secret)
		explicit_bzero((char *)c->o.api_secret, strlen(c->o.api_secret));
	free((char *)c->o.api_secret);
	free(c->api_origin);
	free(c->cainfo);
	free(c->capath);
	free(c);
	curl_global_cleanup();
}
