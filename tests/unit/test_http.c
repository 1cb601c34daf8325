/* SPDX-License-Identifier: MIT */
/*
 * Tests of the HTTP core: the retry policy, the rate limiter, envelope
 * parsing and redaction as plain functions, then real transfers against a
 * small libmicrohttpd server on 127.0.0.1 whose replies are scripted by path
 * and which records what it was sent. Nothing here asserts a duration except
 * generous upper bounds that catch hangs.
 */
#include "tap.h"

#include "core/config/config.h"
#include "cli/status.h"
#include "core/http/client.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define KEY "key-1"
#define SECRET "secret-1"
#define BASIC_CREDENTIALS "Basic a2V5LTE6c2VjcmV0LTE=" /* base64 of KEY:SECRET */
#define BIG_BODY_BYTES (3u * 1024 * 1024)
#define MAX_PATHS 32

/* ---- the scripted server ---- */

struct server {
	struct MHD_Daemon *daemon;
	unsigned short port;
	pthread_mutex_t lock;
	int connections;            /* connections accepted */
	struct {
		char path[64];
		int hits;
	} paths[MAX_PATHS];
	char last_auth[256];        /* Authorization of the last request, "" if none */
	char last_ctype[128];
	char last_method[16];
	size_t last_body_len;
	volatile bool quit;         /* lets slow and endless replies end */
};

struct request_state {
	size_t body_len;
};

struct stream {
	struct server *s;
	size_t sent;
	size_t limit;
};

static int server_count_hit(struct server *s, const char *path)
{
	int n = 0;

	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < MAX_PATHS; i++) {
		if (!s->paths[i].path[0]) {
			snprintf(s->paths[i].path, sizeof(s->paths[i].path), "%s", path);
		} else if (strcmp(s->paths[i].path, path) != 0) {
			continue;
		}
		n = ++s->paths[i].hits;
		break;
	}
	pthread_mutex_unlock(&s->lock);
	return n;
}

static int server_hits(struct server *s, const char *path)
{
	int n = 0;

	pthread_mutex_lock(&s->lock);
	for (int i = 0; i < MAX_PATHS; i++)
		if (strcmp(s->paths[i].path, path) == 0)
			n = s->paths[i].hits;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static int server_connections(struct server *s)
{
	pthread_mutex_lock(&s->lock);
	int n = s->connections;
	pthread_mutex_unlock(&s->lock);
	return n;
}

static void server_last_auth(struct server *s, char *out, size_t size)
{
	pthread_mutex_lock(&s->lock);
	snprintf(out, size, "%s", s->last_auth);
	pthread_mutex_unlock(&s->lock);
}

static void server_record(struct server *s, struct MHD_Connection *conn, const char *method, size_t body_len)
{
	const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");
	const char *ctype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");

	pthread_mutex_lock(&s->lock);
	snprintf(s->last_auth, sizeof(s->last_auth), "%s", auth ? auth : "");
	snprintf(s->last_ctype, sizeof(s->last_ctype), "%s", ctype ? ctype : "");
	snprintf(s->last_method, sizeof(s->last_method), "%s", method);
	s->last_body_len = body_len;
	pthread_mutex_unlock(&s->lock);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *ctype,
			     const char *body, const char *retry_after)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body,
								   MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", ctype);
	if (retry_after)
		MHD_add_response_header(resp, "Retry-After", retry_after);
	enum MHD_Result ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result reply_envelope(struct MHD_Connection *conn, unsigned status, const char *code,
				      const char *message, const char *retry_after)
{
	char body[512];

	snprintf(body, sizeof(body),
		 "{\"code\":\"%s\",\"message\":\"%s\",\"requestId\":\"req-%u\",\"data\":{\"ok\":%s}}",
		 code, message, status, status < 300 ? "true" : "false");
	return reply(conn, status, "application/json", body, retry_after);
}

/* 10 bytes of a promised 1000, then the connection is closed. */
static ssize_t read_truncated(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)cls;
	if (pos >= 10)
		return MHD_CONTENT_READER_END_WITH_ERROR;
	size_t n = 10 - (size_t)pos < max ? 10 - (size_t)pos : max;
	memset(buf, 'x', n);
	return (ssize_t)n;
}

/* A pattern the sink test can verify byte by byte; limit bounds "endless". */
static ssize_t read_pattern(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct stream *st = cls;

	if (st->s->quit || st->sent >= st->limit)
		return st->limit == (size_t)-1 ? MHD_CONTENT_READER_END_WITH_ERROR : MHD_CONTENT_READER_END_OF_STREAM;
	size_t n = st->limit - st->sent < max ? st->limit - st->sent : max;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)((pos + i) % 251);
	st->sent += n;
	return (ssize_t)n;
}

static enum MHD_Result reply_stream(struct server *s, struct MHD_Connection *conn, uint64_t size, size_t limit)
{
	struct stream *st = calloc(1, sizeof(*st));
	st->s = s;
	st->limit = limit;
	struct MHD_Response *resp = MHD_create_response_from_callback(size, 64 * 1024, read_pattern, st, free);
	MHD_add_response_header(resp, "Content-Type", "application/octet-stream");
	enum MHD_Result ret = MHD_queue_response(conn, 200, resp);
	MHD_destroy_response(resp);
	return ret;
}

static enum MHD_Result route(struct server *s, struct MHD_Connection *conn, const char *url, int hit)
{
	if (!strcmp(url, "/v1/ok") || !strcmp(url, "/v1/echo"))
		return reply_envelope(conn, 200, "OK", "Success", NULL);
	if (!strcmp(url, "/v1/missing"))
		return reply_envelope(conn, 404, "MISSING_RESOURCE", "The resource does not exist", NULL);
	if (!strcmp(url, "/v1/html502"))
		return reply(conn, 502, "text/html; charset=utf-8", "<html><body>Bad Gateway</body></html>", NULL);
	if (!strcmp(url, "/v1/html200"))
		return reply(conn, 200, "text/html", "<html>proxy login</html>", NULL);
	if (!strcmp(url, "/v1/err500"))
		return reply_envelope(conn, 500, "INTERNAL_SERVER_ERROR", "Something broke", NULL);
	if (!strcmp(url, "/v1/flaky"))
		return hit <= 2 ? reply_envelope(conn, 503, "SERVICE_UNAVAILABLE", "Later", NULL)
				: reply_envelope(conn, 200, "OK", "Success", NULL);
	if (!strcmp(url, "/v1/post503"))
		return hit <= 1 ? reply_envelope(conn, 503, "SERVICE_UNAVAILABLE", "Later", NULL)
				: reply_envelope(conn, 201, "OK", "Created", NULL);
	if (!strcmp(url, "/v1/retry-after-1"))
		return hit <= 1 ? reply_envelope(conn, 429, "REQUEST_LIMIT_EXCEEDED", "Slow down", "1")
				: reply_envelope(conn, 200, "OK", "Success", NULL);
	if (!strcmp(url, "/v1/retry-after-far"))
		return reply_envelope(conn, 429, "REQUEST_LIMIT_EXCEEDED", "Slow down", "30");
	if (!strcmp(url, "/v1/retry-after-date")) {
		char date[64];
		time_t when = time(NULL) + 30;
		struct tm tm;
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&when, &tm));
		return reply_envelope(conn, 503, "SERVICE_UNAVAILABLE", "Maintenance", date);
	}
	if (!strcmp(url, "/v1/drop"))
		return MHD_NO; /* closes the connection without a reply */
	if (!strcmp(url, "/v1/slow")) {
		for (int i = 0; i < 200 && !s->quit; i++)
			usleep(10 * 1000);
		return reply_envelope(conn, 200, "OK", "Success", NULL);
	}
	if (!strcmp(url, "/v1/truncated")) {
		struct MHD_Response *resp = MHD_create_response_from_callback(1000, 1024, read_truncated, NULL, NULL);
		MHD_add_response_header(resp, "Content-Type", "application/json");
		enum MHD_Result ret = MHD_queue_response(conn, 200, resp);
		MHD_destroy_response(resp);
		return ret;
	}
	if (!strcmp(url, "/v1/endless"))
		return reply_stream(s, conn, MHD_SIZE_UNKNOWN, (size_t)-1);
	if (!strcmp(url, "/v1/big"))
		return reply_stream(s, conn, BIG_BODY_BYTES, BIG_BODY_BYTES);
	return reply_envelope(conn, 404, "MISSING_RESOURCE", "No such path", NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_size, void **req_cls)
{
	struct server *s = cls;
	struct request_state *st = *req_cls;

	(void)version;
	(void)upload_data;
	if (!st) {
		*req_cls = calloc(1, sizeof(*st));
		return MHD_YES;
	}
	if (*upload_size) {
		st->body_len += *upload_size;
		*upload_size = 0;
		return MHD_YES;
	}
	server_record(s, conn, method, st->body_len);
	return route(s, conn, url, server_count_hit(s, url));
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)conn;
	(void)toe;
	free(*req_cls);
	*req_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
			  enum MHD_ConnectionNotificationCode toe)
{
	struct server *s = cls;

	(void)conn;
	(void)socket_context;
	if (toe != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	pthread_mutex_lock(&s->lock);
	s->connections++;
	pthread_mutex_unlock(&s->lock);
}

static int server_start(struct server *s)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };

	memset(s, 0, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD,
				     0, NULL, NULL, on_request, s,
				     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				     MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
				     MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
				     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
				     MHD_OPTION_END);
	if (!s->daemon)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info ? info->port : 0;
	return s->port ? 0 : -1;
}

static void server_stop(struct server *s)
{
	s->quit = true;
	if (s->daemon)
		MHD_stop_daemon(s->daemon);
	pthread_mutex_destroy(&s->lock);
}

/* A loopback port nobody listens on: bound, then released. */
static unsigned short closed_port(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		if (fd >= 0)
			close(fd);
		return 1;
	}
	close(fd);
	return ntohs(addr.sin_port);
}

/* ---- capturing stdout/stderr ---- */

struct capture {
	int fd;
	int saved;
	FILE *file;
};

static void capture_begin(struct capture *cap, int fd)
{
	fflush(stdout);
	fflush(stderr);
	cap->fd = fd;
	cap->file = tmpfile();
	cap->saved = dup(fd);
	dup2(fileno(cap->file), fd);
}

static char *capture_end(struct capture *cap)
{
	char *text;
	long len;

	fflush(stdout);
	fflush(stderr);
	dup2(cap->saved, cap->fd);
	close(cap->saved);
	len = ftell(cap->file);
	text = xcalloc(1, (size_t)(len > 0 ? len : 0) + 1);
	rewind(cap->file);
	if (len > 0 && fread(text, 1, (size_t)len, cap->file) != (size_t)len)
		text[0] = '\0';
	fclose(cap->file);
	return text;
}

/* ---- fixtures ---- */

static char base_url[64];

static void make_profile(struct profile *p, int max_attempts)
{
	memset(p, 0, sizeof(*p));
	p->api_key = KEY;
	p->api_secret = SECRET;
	p->base_url = base_url;
	p->rate = 0;
	p->connect_timeout_ms = 2000;
	p->timeout_ms = 5000;
	p->max_attempts = max_attempts;
	p->retry_max_ms = 10000;
}

/* The client's settings from a profile, as the CLI hands them over. */
static struct http_client_opts opts_for(const struct profile *p)
{
	return (struct http_client_opts){
		.base_url = p->base_url, .api_key = p->api_key, .api_secret = p->api_secret, .rate = p->rate,
		.connect_timeout_ms = p->connect_timeout_ms, .timeout_ms = p->timeout_ms,
		.max_attempts = p->max_attempts, .retry_max_ms = p->retry_max_ms,
	};
}

/* What the CLI does with a request --dry-run did not send. */
static void print_curl_command(void *ctx, const char *cmd)
{
	(void)ctx;
	printf("%s\n", cmd);
	fflush(stdout);
}

static struct http_client *client_for(const struct profile *p, size_t max_response)
{
	struct http_client_opts opts = opts_for(p);
	opts.max_response_bytes = max_response;
	return http_client_new(&opts);
}

/* What a request comes to for smile: the exit status that the CLI maps
 * the core's failure to (src/cli/status.c). */
static int send_req(struct http_client *c, const struct http_request *req, struct http_response *r)
{
	http_send(c, req, r);
	return cli_exit_status(r);
}

static int send_simple(struct http_client *c, const char *method, const char *path,
		       const char *body, struct http_response *r)
{
	struct http_request req = { .method = method, .path = path, .body = body };
	return send_req(c, &req, r);
}

/* ---- pure functions ---- */

static double rand_high(void) { return 0.999999; }
static double rand_zero(void) { return 0.0; }
static double rand_half(void) { return 0.5; }

static void test_backoff(void)
{
	long prev = -1;
	bool grows = true, capped = true;

	for (int a = 1; a <= 12; a++) {
		long d = http_backoff_ms(a, -1, rand_high);
		if (d < prev)
			grows = false;
		if (d > 8000)
			capped = false;
		prev = d;
	}
	CHECK(http_backoff_ms(1, -1, rand_high) >= 249 && http_backoff_ms(1, -1, rand_high) < 250,
	      "backoff: first retry below 250 ms");
	CHECK(http_backoff_ms(2, -1, rand_high) >= 499 && http_backoff_ms(2, -1, rand_high) < 500,
	      "backoff: second retry doubles");
	CHECK(http_backoff_ms(3, -1, rand_high) >= 999 && http_backoff_ms(3, -1, rand_high) < 1000,
	      "backoff: third retry doubles again");
	CHECK(grows, "backoff: never shrinks with the attempt number");
	CHECK(capped, "backoff: never above 8 s");
	CHECK(http_backoff_ms(1000, -1, rand_high) >= 7990 && http_backoff_ms(1000, -1, rand_high) <= 8000,
	      "backoff: a huge attempt number stays at the cap");
	CHECK(http_backoff_ms(4, -1, rand_zero) == 0, "backoff: full jitter reaches 0");
	CHECK(http_backoff_ms(2, -1, rand_half) == 250, "backoff: jitter scales the ceiling");
	CHECK(http_backoff_ms(1, 3000, rand_half) == 3000, "backoff: Retry-After is a floor");
	CHECK(http_backoff_ms(4, 10, rand_high) > 1000, "backoff: a small Retry-After does not shorten it");
	long d = http_backoff_ms(3, -1, NULL);
	CHECK(d >= 0 && d < 1000, "backoff: the built-in jitter stays in range");
}

static void test_should_retry(void)
{
	static const struct {
		const char *method;
		long status;
		int code;
		bool connected;
		bool want;
	} table[] = {
		{ "GET", 429, CURLE_OK, true, true },
		{ "GET", 500, CURLE_OK, true, true },
		{ "HEAD", 500, CURLE_OK, true, true },
		{ "DELETE", 500, CURLE_OK, true, false },
		{ "GET", 502, CURLE_OK, true, true },
		{ "GET", 503, CURLE_OK, true, true },
		{ "GET", 504, CURLE_OK, true, true },
		{ "GET", 404, CURLE_OK, true, false },
		{ "GET", 0, CURLE_COULDNT_CONNECT, false, true },
		{ "GET", 0, CURLE_OPERATION_TIMEDOUT, true, true },
		{ "GET", 0, CURLE_GOT_NOTHING, true, true },
		{ "GET", 200, CURLE_PARTIAL_FILE, true, true },
		{ "GET", 0, CURLE_PEER_FAILED_VERIFICATION, false, false },
		{ "GET", 200, CURLE_WRITE_ERROR, true, false },
		{ "DELETE", 502, CURLE_OK, true, true },
		{ "POST", 429, CURLE_OK, true, true },
		{ "POST", 500, CURLE_OK, true, false },
		{ "POST", 502, CURLE_OK, true, false },
		{ "POST", 503, CURLE_OK, true, true },
		{ "POST", 504, CURLE_OK, true, false },
		{ "POST", 0, CURLE_COULDNT_CONNECT, false, true },
		{ "POST", 0, CURLE_COULDNT_RESOLVE_HOST, false, true },
		{ "POST", 0, CURLE_OPERATION_TIMEDOUT, false, true },
		{ "POST", 0, CURLE_OPERATION_TIMEDOUT, true, false },
		{ "POST", 0, CURLE_GOT_NOTHING, true, false },
		{ "POST", 0, CURLE_RECV_ERROR, true, false },
		{ "PUT", 502, CURLE_OK, true, false },
		{ "PUT", 503, CURLE_OK, true, true },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		char name[128];
		snprintf(name, sizeof(name), "should_retry: %s status %ld curl %d %s -> %s", table[i].method,
			 table[i].status, table[i].code, table[i].connected ? "sent" : "not sent",
			 table[i].want ? "retry" : "no retry");
		CHECK(http_should_retry(table[i].method, table[i].status, table[i].code, table[i].connected) ==
			      table[i].want, name);
	}
}

static void test_rate_limiter(void)
{
	struct rate_limiter rl;

	rate_limiter_init(&rl, 2, 100.0);
	CHECK(rate_limiter_take(&rl, 100.0) == 0, "limiter: burst token 1");
	CHECK(rate_limiter_take(&rl, 100.0) == 0, "limiter: burst token 2");
	double w = rate_limiter_take(&rl, 100.0);
	CHECK(w > 0.49 && w < 0.51, "limiter: third token waits 1/rate");
	CHECK(rate_limiter_take(&rl, 100.5) == 0, "limiter: refilled after the wait");
	CHECK(rate_limiter_take(&rl, 100.5) > 0, "limiter: and empty again");
	CHECK(rate_limiter_take(&rl, 200.0) == 0 && rate_limiter_take(&rl, 200.0) == 0 &&
		      rate_limiter_take(&rl, 200.0) > 0,
	      "limiter: a long pause refills only up to the burst");
	CHECK(rate_limiter_take(&rl, 150.0) > 0, "limiter: a clock going back gives nothing");

	rate_limiter_init(&rl, 0.5, 0);
	CHECK(rate_limiter_take(&rl, 0) == 0, "limiter: rate below 1 still has a burst of 1");
	w = rate_limiter_take(&rl, 0);
	CHECK(w > 1.99 && w < 2.01, "limiter: rate 0.5 waits 2 s");

	rate_limiter_init(&rl, 0, 0);
	bool unlimited = true;
	for (int i = 0; i < 1000; i++)
		if (rate_limiter_take(&rl, 0) != 0)
			unlimited = false;
	CHECK(unlimited, "limiter: rate 0 is unlimited");
}

static void test_envelope(void)
{
	struct http_response r = { 0 };
	const char *ok = "{\"code\":\"OK\",\"message\":\"Success\",\"requestId\":\"abc\",\"data\":{\"id\":\"u-1\"}}\n";

	CHECK(http_parse_envelope(&r, ok, strlen(ok)) == 0, "envelope: valid");
	CHECK_STR(r.code, "OK", "envelope: code");
	CHECK_STR(r.message, "Success", "envelope: message");
	CHECK_STR(r.request_id, "abc", "envelope: requestId");
	CHECK(r.data && json_object_is_type(r.data, json_type_object), "envelope: data");
	http_response_clear(&r);

	CHECK(http_parse_envelope(&r, "{}", 2) == 0 && !r.code && !r.message && !r.request_id && !r.data,
	      "envelope: missing fields are NULL");
	http_response_clear(&r);
	CHECK(http_parse_envelope(&r, "{\"code\":5}", 10) == 0 && !r.code, "envelope: a non-string code is NULL");
	http_response_clear(&r);

	static const char *const bad[] = {
		"<html><body>Bad Gateway</body></html>", "[1,2]", "\"text\"", "{\"code\":\"OK\"",
		"{} trailing", "",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[96];
		snprintf(name, sizeof(name), "envelope: rejects '%s'", bad[i]);
		int rc = http_parse_envelope(&r, bad[i], strlen(bad[i]));
		CHECK(rc == -EBADMSG && r.error && !r.envelope, name);
		http_response_clear(&r);
	}
}

static void test_next_cursor(void)
{
	static const struct {
		const char *data, *want;
		int rc;
	} table[] = {
		{ "{\"items\":[]}", NULL, 0 },
		{ "{\"nextCursor\":null}", NULL, 0 },
		{ "{\"nextCursor\":\"\"}", NULL, 0 },
		{ "{\"nextCursor\":\"c2\"}", "c2", 0 },
		{ "{\"nextCursor\":5}", NULL, -EBADMSG },
		{ "{\"nextCursor\":{\"a\":1}}", NULL, -EBADMSG },
		{ "{\"nextCursor\":[\"c2\"]}", NULL, -EBADMSG },
		{ "{\"nextCursor\":true}", NULL, -EBADMSG },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		json_object *data = json_tokener_parse(table[i].data);
		const char *cursor = "unset";
		char name[96];
		snprintf(name, sizeof(name), "next cursor: %s", table[i].data);
		int rc = http_next_cursor(data, &cursor);
		CHECK(rc == table[i].rc, name);
		CHECK_STR(cursor, table[i].want, name);
		json_object_put(data);
	}
	const char *cursor = "unset";
	CHECK(http_next_cursor(NULL, &cursor) == 0 && !cursor, "next cursor: no data is the last page");
}

static void test_status_mapping(void)
{
	static const struct {
		long status;
		int want;
	} table[] = {
		{ 200, SMILE_EXIT_OK }, { 201, SMILE_EXIT_OK }, { 204, SMILE_EXIT_OK },
		{ 400, SMILE_EXIT_FAILURE }, { 401, SMILE_EXIT_AUTH }, { 403, SMILE_EXIT_AUTH },
		{ 404, SMILE_EXIT_NOT_FOUND }, { 409, SMILE_EXIT_FAILURE }, { 422, SMILE_EXIT_FAILURE },
		{ 429, SMILE_EXIT_RATE_LIMITED }, { 500, SMILE_EXIT_SERVER }, { 503, SMILE_EXIT_SERVER },
		{ 302, SMILE_EXIT_FAILURE }, { 0, SMILE_EXIT_NETWORK },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		char name[64];
		snprintf(name, sizeof(name), "status: %ld -> exit %d", table[i].status, table[i].want);
		CHECK(cli_status_exit(table[i].status) == table[i].want, name);
	}
}

static void test_urls_and_commands(void)
{
	struct profile p;
	make_profile(&p, 1);
	p.base_url = "https://api.example.test/v1/";
	struct http_client *c = client_for(&p, 0);
	struct http_param params[] = { { "q", "a b&c" }, { "skip", NULL }, { "page", "2" } };
	struct http_request req = { .method = "GET", .path = "/users", .params = params, .n_params = 3 };

	char *url = http_request_url(c, &req);
	CHECK_STR(url, "https://api.example.test/v1/users?q=a%20b%26c&page=2", "url: base, path, encoded query");
	free(url);
	req.path = "https://files.example.test/f?sig=1";
	url = http_request_url(c, &req);
	CHECK_STR(url, "https://files.example.test/f?sig=1&q=a%20b%26c&page=2", "url: absolute URL kept, query appended");
	free(url);

	struct http_request post = { .method = "POST", .path = "users", .body = "{\"name\":\"O'Hara\"}" };
	char *cmd = http_curl_command(c, &post);
	CHECK_STR(cmd,
		  "curl -X POST 'https://api.example.test/v1/users' -u 'key-1:***' -H 'Accept: application/json'"
		  " -H 'Content-Type: application/json' --data-binary '{\"name\":\"O'\\''Hara\"}'",
		  "curl command: method, URL, key, headers, quoted body");
	CHECK(!strstr(cmd, SECRET), "curl command: the secret is not in it");
	free(cmd);

	static const char *const relayed[] = { "Content-Type: application/json; charset=utf-8",
					       "Smile-Signature: 0a1b", NULL };
	post.headers = relayed;
	cmd = http_curl_command(c, &post);
	CHECK(strstr(cmd, " -H 'Smile-Signature: 0a1b'") != NULL, "curl command: the request's own headers are sent");
	CHECK(strstr(cmd, "Content-Type: application/json; charset=utf-8") &&
		      !strstr(cmd, "'Content-Type: application/json'"),
	      "curl command: a Content-Type of the request replaces the default");
	free(cmd);

	struct http_request get = { .method = "GET", .path = "https://API.example.test:443/files/1" };
	cmd = http_curl_command(c, &get);
	CHECK(strstr(cmd, "-u 'key-1:***'") != NULL, "curl command: same origin in another spelling gets the key");
	free(cmd);
	get.path = "https://files.example.test/f";
	cmd = http_curl_command(c, &get);
	CHECK(!strstr(cmd, " -u ") && !strstr(cmd, KEY), "curl command: another host gets no credentials");
	free(cmd);
	get.path = "http://api.example.test/v1/users";
	cmd = http_curl_command(c, &get);
	CHECK(!strstr(cmd, " -u "), "curl command: plain http to the API host gets no credentials");
	free(cmd);
	http_client_free(c);
}

/* ---- real transfers ---- */

static struct server api, other;

static void test_success_and_errors(void)
{
	struct profile p;
	struct http_response r;
	struct capture cap;

	make_profile(&p, 1);
	struct http_client *c = client_for(&p, 0);

	CHECK(send_simple(c, "GET", "/ok", NULL, &r) == 0, "send: 200 envelope exits 0");
	CHECK(r.status == 200 && r.attempts == 1, "send: status and attempts");
	CHECK_STR(r.code, "OK", "send: envelope code");
	CHECK_STR(r.request_id, "req-200", "send: envelope requestId");
	CHECK(r.data && !r.error && !r.outcome_unknown, "send: data, no error");
	http_response_clear(&r);

	CHECK(send_simple(c, "GET", "/missing", NULL, &r) == SMILE_EXIT_NOT_FOUND, "send: 404 exits 4");
	CHECK_STR(r.code, "MISSING_RESOURCE", "send: 404 code");
	CHECK_STR(r.message, "The resource does not exist", "send: 404 message");
	capture_begin(&cap, STDERR_FILENO);
	http_report_error(&r);
	char *err = capture_end(&cap);
	CHECK_STR(err, "smile: HTTP 404 MISSING_RESOURCE: The resource does not exist (requestId req-404)\n",
		  "report: one line with status, code, message and requestId");
	free(err);
	http_response_clear(&r);

	CHECK(send_simple(c, "GET", "/html502", NULL, &r) == SMILE_EXIT_SERVER, "send: HTML 502 exits 6");
	CHECK_STR(r.error, "response is not JSON (HTTP 502, text/html)", "send: HTML 502 is a clear error");
	CHECK(r.envelope == NULL && r.body && strstr(r.body, "Bad Gateway"), "send: raw body kept");
	http_response_clear(&r);

	CHECK(send_simple(c, "GET", "/html200", NULL, &r) == SMILE_EXIT_FAILURE, "send: HTML 200 exits 1");
	CHECK_STR(r.error, "response is not JSON (HTTP 200, text/html)", "send: HTML 200 is a clear error");
	http_response_clear(&r);
	http_client_free(c);

	make_profile(&p, 2);
	c = client_for(&p, 0);
	CHECK(send_simple(c, "GET", "/truncated", NULL, &r) == SMILE_EXIT_NETWORK, "send: truncated body is a network error");
	CHECK(r.error && strstr(r.error, "/v1/truncated"), "send: truncated body error names the URL");
	CHECK(r.attempts == 2 && !r.envelope, "send: truncated GET was retried, nothing parsed");
	http_response_clear(&r);
	http_client_free(c);

	c = client_for(&p, 256 * 1024);
	double t0 = now_monotonic();
	CHECK(send_simple(c, "GET", "/endless", NULL, &r) == SMILE_EXIT_FAILURE, "send: endless body fails");
	CHECK_STR(r.error, "response exceeds 262144 bytes", "send: endless body hits the cap");
	CHECK(r.attempts == 1 && !r.body, "send: an oversized reply is not retried nor kept");
	CHECK(now_monotonic() - t0 < 30, "send: endless body ends well before any timeout");
	http_response_clear(&r);
	http_client_free(c);
}

static void test_retries(void)
{
	struct profile p;
	struct http_response r;

	make_profile(&p, 4);
	struct http_client *c = client_for(&p, 0);

	CHECK(send_simple(c, "GET", "/flaky", NULL, &r) == 0, "retry: 503 twice then 200 succeeds");
	CHECK(r.attempts == 3 && server_hits(&api, "/v1/flaky") == 3, "retry: three attempts");
	http_response_clear(&r);

	CHECK(send_simple(c, "POST", "/err500", "{}", &r) == SMILE_EXIT_SERVER, "retry: POST 500 exits 6");
	CHECK(r.attempts == 1 && server_hits(&api, "/v1/err500") == 1, "retry: POST 500 not retried");
	CHECK(r.outcome_unknown, "retry: POST 500 outcome unknown");
	http_response_clear(&r);

	/* A GET changes nothing: a 500 is worth another try, within the bounds. */
	CHECK(send_simple(c, "GET", "/err500", NULL, &r) == SMILE_EXIT_SERVER && r.attempts == 4 && !r.outcome_unknown,
	      "retry: GET 500 retried up to the attempts, outcome known");
	http_response_clear(&r);

	CHECK(send_simple(c, "POST", "/post503", "{}", &r) == 0 && r.status == 201, "retry: POST 503 then 201");
	CHECK(r.attempts == 2 && !r.outcome_unknown, "retry: POST 503 retried once");
	http_response_clear(&r);

	CHECK(send_simple(c, "GET", "/retry-after-1", NULL, &r) == 0 && r.attempts == 2,
	      "retry: 429 with Retry-After 1 retried");
	http_response_clear(&r);

	CHECK(send_simple(c, "GET", "/retry-after-far", NULL, &r) == SMILE_EXIT_RATE_LIMITED,
	      "retry: Retry-After beyond the budget gives up with exit 5");
	CHECK(r.attempts == 1 && r.retry_after_ms == 30000, "retry: Retry-After 30 read, not waited for");
	http_response_clear(&r);

	CHECK(send_simple(c, "GET", "/retry-after-date", NULL, &r) == SMILE_EXIT_SERVER && r.attempts == 1,
	      "retry: Retry-After as an HTTP date beyond the budget gives up");
	CHECK(r.retry_after_ms > 20000 && r.retry_after_ms <= 31000, "retry: Retry-After HTTP date read");
	http_response_clear(&r);
	http_client_free(c);

	/* Ctrl-C before a request starts: nothing is sent. */
	volatile bool stop = true;
	struct http_client_opts opts = opts_for(&p);
	opts.stop = &stop;
	c = http_client_new(&opts);
	int hits = server_hits(&api, "/v1/ok");
	CHECK(send_simple(c, "GET", "/ok", NULL, &r) == SMILE_EXIT_INTERRUPTED, "stop: http_send exits 130");
	CHECK_STR(r.error, "interrupted", "stop: http_send says interrupted");
	CHECK(server_hits(&api, "/v1/ok") == hits, "stop: nothing was sent");
	http_response_clear(&r);
	http_client_free(c);

	/* Fresh clients: a reused connection would let libcurl resend by itself. */
	make_profile(&p, 2);
	c = client_for(&p, 0);
	CHECK(send_simple(c, "POST", "/drop", "{}", &r) == SMILE_EXIT_NETWORK, "retry: POST dropped connection exits 7");
	CHECK(r.attempts == 1 && r.outcome_unknown && server_hits(&api, "/v1/drop") == 1,
	      "retry: POST dropped after sending not retried, outcome unknown");
	http_response_clear(&r);
	http_client_free(c);

	c = client_for(&p, 0);
	CHECK(send_simple(c, "GET", "/drop", NULL, &r) == SMILE_EXIT_NETWORK && r.attempts == 2 && !r.outcome_unknown,
	      "retry: GET dropped connection retried");
	http_response_clear(&r);
	http_client_free(c);

	char refused_url[64];
	snprintf(refused_url, sizeof(refused_url), "http://127.0.0.1:%u/v1", closed_port());
	p.base_url = refused_url;
	c = client_for(&p, 0);
	CHECK(send_simple(c, "POST", "/users?x=1", "{}", &r) == SMILE_EXIT_NETWORK, "retry: refused connection exits 7");
	CHECK(r.attempts == 2 && !r.outcome_unknown, "retry: POST never connected is retried, outcome known");
	char want[128];
	snprintf(want, sizeof(want), "cannot reach %s/users: Connection refused", refused_url);
	CHECK_STR(r.error, want, "retry: refused connection message, query left out");
	http_response_clear(&r);
	http_client_free(c);

	make_profile(&p, 3);
	p.timeout_ms = 300;
	c = client_for(&p, 0);
	double t0 = now_monotonic();
	CHECK(send_simple(c, "POST", "/slow", "{}", &r) == SMILE_EXIT_NETWORK, "retry: POST timeout exits 7");
	CHECK(r.attempts == 1 && r.outcome_unknown, "retry: POST timeout after sending not retried, outcome unknown");
	CHECK(now_monotonic() - t0 < 5, "retry: the timeout ends the request (hang guard)");
	http_response_clear(&r);
	http_client_free(c);
}

static void test_credentials(void)
{
	struct profile p;
	struct http_response r;
	char auth[256], url[128];

	make_profile(&p, 1);
	struct http_client *c = client_for(&p, 0);

	send_simple(c, "GET", "/ok", NULL, &r);
	server_last_auth(&api, auth, sizeof(auth));
	CHECK_STR(auth, BASIC_CREDENTIALS, "auth: API host gets Basic key:secret");
	http_response_clear(&r);

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/v1/ok", other.port);
	CHECK(send_simple(c, "GET", url, NULL, &r) == 0 && server_hits(&other, "/v1/ok") == 1,
	      "auth: absolute URL on another port is fetched");
	server_last_auth(&other, auth, sizeof(auth));
	CHECK_STR(auth, "", "auth: another port gets no Authorization");
	http_response_clear(&r);

	snprintf(url, sizeof(url), "http://localhost:%u/v1/ok", api.port);
	send_simple(c, "GET", url, NULL, &r);
	server_last_auth(&api, auth, sizeof(auth));
	CHECK(r.status != 200 || strcmp(auth, "") == 0, "auth: another host name for the same server gets none");
	http_response_clear(&r);

	snprintf(url, sizeof(url), "http://127.0.0.1:%u/files/x", api.port);
	send_simple(c, "GET", url, NULL, &r);
	server_last_auth(&api, auth, sizeof(auth));
	CHECK_STR(auth, BASIC_CREDENTIALS, "auth: absolute URL on the API origin gets credentials");
	http_response_clear(&r);

	send_simple(c, "POST", "/echo", "{\"a\":1}", &r);
	pthread_mutex_lock(&api.lock);
	CHECK(strcmp(api.last_ctype, "application/json") == 0 && api.last_body_len == 7 &&
		      strcmp(api.last_method, "POST") == 0,
	      "post: method, content type and body arrive");
	pthread_mutex_unlock(&api.lock);
	http_response_clear(&r);
	http_client_free(c);
}

static void test_verbose_and_dry_run(void)
{
	struct profile p;
	struct http_response r;
	struct capture cap;

	make_profile(&p, 1);
	struct http_client_opts opts = opts_for(&p);
	opts.verbose = true;
	struct http_client *c = http_client_new(&opts);
	capture_begin(&cap, STDERR_FILENO);
	send_simple(c, "POST", "/echo", "{\"a\":1}", &r);
	char *err = capture_end(&cap);
	char want[128];
	snprintf(want, sizeof(want), "> POST %s/echo\n", base_url);
	CHECK(strstr(err, want) != NULL, "verbose: request line with the full URL");
	CHECK(strstr(err, "> Authorization: Basic [redacted]\n") != NULL, "verbose: Authorization redacted");
	CHECK(strstr(err, "> User-Agent: smile/") != NULL, "verbose: User-Agent shown");
	CHECK(strstr(err, "> (7 bytes of body)") != NULL, "verbose: body size");
	CHECK(strstr(err, "< 200 (") != NULL && strstr(err, "< Content-Type: application/json") != NULL,
	      "verbose: status line and response headers");
	CHECK(!strstr(err, SECRET) && !strstr(err, &BASIC_CREDENTIALS[6]), "verbose: no secret, no encoded secret");
	free(err);
	http_response_clear(&r);
	http_client_free(c);

	opts.verbose = false;
	opts.dry_run = true;
	opts.dry_run_sink = print_curl_command;
	c = http_client_new(&opts);
	int hits = server_hits(&api, "/v1/echo");
	capture_begin(&cap, STDOUT_FILENO);
	int rc = send_simple(c, "POST", "/echo", "{\"a\":1}", &r);
	char *out = capture_end(&cap);
	CHECK(rc == 0 && r.status == 0, "dry run: returns 0 with status 0");
	CHECK(server_hits(&api, "/v1/echo") == hits, "dry run: nothing sent");
	CHECK(str_starts_with(out, "curl -X POST '") && strstr(out, "-u 'key-1:***'") && !strstr(out, SECRET),
	      "dry run: curl command printed, secret redacted");
	free(out);
	http_response_clear(&r);
	http_client_free(c);
}

static void test_connection_reuse(void)
{
	struct profile p;
	struct http_response r;
	int ok = 0;

	make_profile(&p, 1);
	struct http_client *c = client_for(&p, 0);
	int before = server_connections(&api);
	for (int i = 0; i < 20; i++) {
		if (send_simple(c, "GET", "/ok", NULL, &r) == 0)
			ok++;
		http_response_clear(&r);
	}
	CHECK(ok == 20, "reuse: 20 sequential requests succeed");
	CHECK(server_connections(&api) - before == 1, "reuse: they share one connection");
	http_client_free(c);
}

struct run_state {
	int calls[64];
	int ok;
	int interrupted;
	int nested_ok;
	bool chained;
	bool stop_after_first;
	volatile bool *stop;
	struct http_client *c;
	struct http_request extra;
};

static void on_done(void *ctx, const struct http_request *req, struct http_response *r)
{
	struct run_state *st = ctx;
	long idx = req->params ? strtol(req->params[0].value, NULL, 10) : 63;

	if (idx >= 0 && idx < 64)
		st->calls[idx]++;
	if (cli_exit_status(r) == 0 && r->status == 200)
		st->ok++;
	if (cli_exit_status(r) == SMILE_EXIT_INTERRUPTED && r->error && !strcmp(r->error, "interrupted"))
		st->interrupted++;
	if (st->stop_after_first && st->stop)
		*st->stop = true;
	if (idx == 0 && !st->chained) {
		/* Callbacks may submit more, and may even send synchronously. */
		st->chained = true;
		http_submit(st->c, &st->extra, on_done, st);
		struct http_response nested;
		struct http_request ok = { .method = "GET", .path = "/ok" };
		if (!st->stop_after_first && http_send(st->c, &ok, &nested) == 0)
			st->nested_ok++;
		http_response_clear(&nested);
	}
}

#define N_RUN 50

static void test_concurrency(void)
{
	struct profile p;
	struct run_state st = { 0 };
	struct http_request reqs[N_RUN];
	struct http_param params[N_RUN];
	char idx[N_RUN][8];

	make_profile(&p, 1);
	p.rate = 200; /* the limiter must not stall a run */
	struct http_client *c = client_for(&p, 0);
	st.c = c;
	st.extra = (struct http_request){ .method = "GET", .path = "/ok" };
	for (int i = 0; i < N_RUN; i++) {
		snprintf(idx[i], sizeof(idx[i]), "%d", i);
		params[i] = (struct http_param){ "i", idx[i] };
		reqs[i] = (struct http_request){ .method = "GET", .path = "/ok", .params = &params[i], .n_params = 1 };
		http_submit(c, &reqs[i], on_done, &st);
	}
	double t0 = now_monotonic();
	CHECK(http_run(c, 8, NULL) == 0, "run: returns 0");
	bool once = true;
	for (int i = 0; i < N_RUN; i++)
		if (st.calls[i] != 1)
			once = false;
	CHECK(once, "run: every callback called exactly once");
	CHECK(st.calls[63] == 1, "run: a request submitted from a callback ran");
	CHECK(st.ok == N_RUN + 1, "run: all succeeded");
	CHECK(st.nested_ok == 1, "run: http_send inside a callback works");
	CHECK(now_monotonic() - t0 < 30, "run: finishes (hang guard)");
	http_client_free(c);

	/* Stop after the first completion: the rest is dropped, not sent. */
	volatile bool stop = false;
	struct run_state st2 = { 0 };
	c = client_for(&p, 0);
	st2.c = c;
	st2.stop = &stop;
	st2.stop_after_first = true;
	st2.chained = true;
	for (int i = 0; i < 5; i++)
		http_submit(c, &reqs[i], on_done, &st2);
	CHECK(http_run(c, 1, &stop) == 0, "stop: run returns 0");
	CHECK(st2.ok == 1 && st2.interrupted == 4, "stop: in-flight finished, queued ones interrupted");
	once = true;
	for (int i = 0; i < 5; i++)
		if (st2.calls[i] != 1)
			once = false;
	CHECK(once, "stop: every callback still called once");
	http_client_free(c);

	/* A client freed with requests still queued drops them quietly. */
	c = client_for(&p, 0);
	http_submit(c, &reqs[0], on_done, &st2);
	http_client_free(c);
	CHECK(st2.calls[0] == 1, "free: queued requests are dropped without callbacks");
}

static void test_sink(void)
{
	struct profile p;
	struct http_response r;
	char url[128];

	make_profile(&p, 1);
	struct http_client *c = client_for(&p, 1024 * 1024);
	FILE *f = tmpfile();
	struct http_request req = { .method = "GET", .path = "/big", .sink = f };

	CHECK(send_req(c, &req, &r) == 0, "sink: large download succeeds past the body cap");
	CHECK(r.body == NULL && r.envelope == NULL, "sink: body not kept");
	fflush(f);
	CHECK(ftell(f) == (long)BIG_BODY_BYTES, "sink: all bytes written");
	rewind(f);
	bool same = true;
	for (size_t i = 0; i < BIG_BODY_BYTES && same; i++)
		if (fgetc(f) != (int)(i % 251))
			same = false;
	CHECK(same, "sink: bytes are the ones sent");
	fclose(f);
	http_response_clear(&r);

	f = tmpfile();
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/v1/missing", other.port);
	req.path = url;
	req.sink = f;
	CHECK(send_req(c, &req, &r) == SMILE_EXIT_NOT_FOUND && ftell(f) == 0,
	      "sink: an error reply is parsed, not written to the file");
	CHECK_STR(r.code, "MISSING_RESOURCE", "sink: error envelope read");
	fclose(f);
	http_response_clear(&r);
	http_client_free(c);

	/* A retried download starts the file over instead of appending. */
	make_profile(&p, 2);
	c = client_for(&p, 0);
	f = tmpfile();
	req.path = "/truncated";
	req.sink = f;
	CHECK(send_req(c, &req, &r) == SMILE_EXIT_NETWORK && r.attempts == 2, "sink: cut download retried, then fails");
	fflush(f);
	CHECK(ftell(f) == 10, "sink: the file holds only the last try");
	fclose(f);
	http_response_clear(&r);
	http_client_free(c);
}

int main(void)
{
	test_backoff();
	test_should_retry();
	test_rate_limiter();
	test_envelope();
	test_next_cursor();
	test_status_mapping();
	test_urls_and_commands();

	bool up = server_start(&api) == 0 && server_start(&other) == 0;
	CHECK(up, "server: test servers started on loopback");
	if (up) {
		snprintf(base_url, sizeof(base_url), "http://127.0.0.1:%u/v1", api.port);
		test_success_and_errors();
		test_retries();
		test_credentials();
		test_verbose_and_dry_run();
		test_connection_reuse();
		test_concurrency();
		test_sink();
	}
	server_stop(&api);
	server_stop(&other);
	return tap_done();
}
