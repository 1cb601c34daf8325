/* SPDX-License-Identifier: MIT */
/*
 * The page walker (src/cli/pages.c) on its own, against a small in-process
 * libmicrohttpd server that serves a list of LIST_LEN items in pages
 * (cursor = the index of a page's first item) and records every query it
 * is sent: paging, --limit, the first cursor, bad and repeated cursors, a
 * page that fails once, --dry-run, and two walks at once through the
 * client's multi interface.
 */
#include "tap.h"

#include "cli/pages.h"
#include "core/util.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>

#define LIST_LEN 7
#define MAX_LOG 64

struct server {
	struct MHD_Daemon *daemon;
	unsigned short port;
	pthread_mutex_t lock;
	char log[MAX_LOG][160];     /* "path?query" of each request */
	int n_log;
	int flaky_failures;         /* /flaky: how many 500s its second page gave */
};

static struct server srv;

static enum MHD_Result add_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct strbuf *sb = cls;
	(void)kind;
	strbuf_addf(sb, "%s%s=%s", sb->len ? "&" : "", key, value ? value : "");
	return MHD_YES;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, char *body)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", "application/json");
	enum MHD_Result ret = MHD_queue_response(conn, status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* Items [from, from + size) of the list, and the cursor of the next page. */
static char *page_body(int from, int size, const char *next_override)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "{\"code\":\"OK\",\"data\":{\"items\":[");
	for (int i = from; i < from + size && i < LIST_LEN; i++)
		strbuf_addf(&sb, "%s{\"id\":\"i-%d\"}", i > from ? "," : "", i);
	strbuf_addstr(&sb, "]");
	if (next_override)
		strbuf_addf(&sb, ",\"nextCursor\":%s", next_override);
	else if (from + size < LIST_LEN)
		strbuf_addf(&sb, ",\"nextCursor\":\"%d\"", from + size);
	strbuf_addstr(&sb, "}}");
	return strbuf_detach(&sb);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
				  const char *version, const char *data, size_t *data_size, void **req_cls)
{
	struct server *s = cls;
	struct strbuf query = STRBUF_INIT;
	(void)method, (void)version, (void)data, (void)data_size, (void)req_cls;

	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, add_query, &query);
	const char *size_s = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "size");
	const char *cursor = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "cursor");
	int size = size_s ? atoi(size_s) : 2, from = cursor ? atoi(cursor) : 0;

	pthread_mutex_lock(&s->lock);
	if (s->n_log < MAX_LOG)
		snprintf(s->log[s->n_log++], sizeof(s->log[0]), "%s?%s", url, query.buf ? query.buf : "");
	bool fail = !strcmp(url, "/v1/flaky") && from > 0 && s->flaky_failures == 0;
	if (fail)
		s->flaky_failures++;
	pthread_mutex_unlock(&s->lock);
	strbuf_release(&query);

	if (fail)
		return reply(conn, 500, xstrdup("{\"code\":\"SERVER_ERROR\",\"message\":\"once\",\"data\":{}}"));
	if (!strcmp(url, "/v1/loop"))
		return reply(conn, 200, page_body(from, size, "\"again\""));
	if (!strcmp(url, "/v1/badcursor"))
		return reply(conn, 200, page_body(from, size, "5"));
	if (!strcmp(url, "/v1/nolist"))
		return reply(conn, 200, xstrdup("{\"code\":\"OK\",\"data\":{\"id\":\"x\"}}"));
	return reply(conn, 200, page_body(from, size, NULL));
}

static int server_start(void)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = 0 };
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	pthread_mutex_init(&srv.lock, NULL);
	srv.daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL,
				      NULL, on_request, &srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
				      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10, MHD_OPTION_END);
	if (!srv.daemon)
		return -1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv.daemon, MHD_DAEMON_INFO_BIND_PORT);
	srv.port = info ? info->port : 0;
	return srv.port ? 0 : -1;
}

static void log_reset(void)
{
	pthread_mutex_lock(&srv.lock);
	srv.n_log = 0;
	pthread_mutex_unlock(&srv.lock);
}

/* How many logged requests contain needle. */
static int log_count(const char *needle)
{
	int n = 0;
	pthread_mutex_lock(&srv.lock);
	for (int i = 0; i < srv.n_log; i++)
		n += strstr(srv.log[i], needle) != NULL;
	pthread_mutex_unlock(&srv.lock);
	return n;
}

/* ---- the walks ---- */

static char base_url[64];
static int dry_runs_shown;

static void count_dry_run(void *ctx, const char *cmd)
{
	(void)ctx;
	dry_runs_shown += strncmp(cmd, "curl ", 5) == 0;
}

static struct http_client *client(bool dry_run)
{
	struct http_client_opts o = {
		.base_url = base_url, .api_key = "k", .api_secret = "s", .connect_timeout_ms = 2000,
		.timeout_ms = 5000, .max_attempts = 3, .retry_max_ms = 10000, .dry_run = dry_run,
		.dry_run_sink = count_dry_run, .verbose = getenv("TEST_VERBOSE") != NULL,
	};
	return http_client_new(&o);
}

/* Collects the ids handed on, as "i-0,i-1,...". */
struct collected {
	struct strbuf ids;
	int pages;
	int ended, end_status;
};

static int collect(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct collected *c = ctx;
	(void)resp;
	c->pages++;
	for (size_t i = 0; i < n_take; i++) {
		json_object *id;
		json_object_object_get_ex(json_object_array_get_idx(items, i), "id", &id);
		strbuf_addf(&c->ids, "%s%s", c->ids.len ? "," : "", json_object_get_string(id));
	}
	return 0;
}

static int walk(struct http_client *http, const struct page_walk_opts *base, struct collected *c, char **error)
{
	struct page_walk_opts o = *base;
	struct page_walk w;
	o.http = http;
	page_walk_init(&w, &o, collect, c);
	int r = page_walk_run(&w);
	*error = page_walk_error(&w) ? xstrdup(page_walk_error(&w)) : NULL;
	page_walk_release(&w);
	return r;
}

static void test_all_pages(struct http_client *http)
{
	struct collected c = { .ids = STRBUF_INIT };
	char *error;
	log_reset();
	int r = walk(http, &(struct page_walk_opts){ .path = "/list", .size = "3", .all = true, .limit = -1 }, &c, &error);
	CHECK(r == 0 && !error, "all: the walk succeeds");
	CHECK_STR(c.ids.buf, "i-0,i-1,i-2,i-3,i-4,i-5,i-6", "all: every item once, in order");
	CHECK(c.pages == 3 && log_count("/v1/list") == 3, "all: three pages of three");
	CHECK(log_count("size=3") == 3, "all: size sent with every page");
	CHECK(log_count("cursor=3") == 1 && log_count("cursor=6") == 1, "all: each cursor followed once");
	strbuf_release(&c.ids);
	free(error);
}

static void test_one_page(struct http_client *http)
{
	struct collected c = { .ids = STRBUF_INIT };
	char *error;
	log_reset();
	int r = walk(http, &(struct page_walk_opts){ .path = "/list", .limit = -1 }, &c, &error);
	CHECK(r == 0 && c.pages == 1 && log_count("/v1/list") == 1, "one page: without all, one request");
	CHECK(log_count("size=") == 0, "one page: no size unless asked for");
	strbuf_release(&c.ids);
	free(error);
}

static void test_limit(struct http_client *http)
{
	struct collected c = { .ids = STRBUF_INIT };
	char *error;
	log_reset();
	int r = walk(http, &(struct page_walk_opts){ .path = "/list", .size = "3", .limit = 4 }, &c, &error);
	CHECK(r == 0, "limit: the walk succeeds");
	CHECK_STR(c.ids.buf, "i-0,i-1,i-2,i-3", "limit: exactly four items, across two pages");
	CHECK(log_count("/v1/list") == 2, "limit: no page asked for once the limit is met");
	strbuf_release(&c.ids);
	free(error);
}

static void test_first_cursor(struct http_client *http)
{
	struct collected c = { .ids = STRBUF_INIT };
	char *error;
	log_reset();
	int r = walk(http, &(struct page_walk_opts){ .path = "/list", .size = "2", .cursor = "4", .all = true, .limit = -1 },
		     &c, &error);
	CHECK(r == 0, "cursor: the walk succeeds from a given cursor");
	CHECK_STR(c.ids.buf, "i-4,i-5,i-6", "cursor: starts where the cursor says");
	CHECK(log_count("cursor=4") == 1 && log_count("cursor=4&cursor") == 0 && log_count("cursor=4&size=2&cursor") == 0,
	      "cursor: the first cursor is sent once");
	strbuf_release(&c.ids);
	free(error);
}

static void test_bad_cursors(struct http_client *http)
{
	struct collected c = { .ids = STRBUF_INIT };
	char *error;
	int r = walk(http, &(struct page_walk_opts){ .path = "/loop", .size = "2", .all = true, .limit = -1 }, &c, &error);
	CHECK(r == SMILE_EXIT_FAILURE && error && strstr(error, "repeated a page cursor; stopping after 4 items"),
	      "loop: a cursor handed out again ends the walk, saying how far it got");
	CHECK(c.pages == 2, "loop: the repeated page is not asked for again");
	free(error);

	strbuf_reset(&c.ids);
	c.pages = 0;
	r = walk(http, &(struct page_walk_opts){ .path = "/list", .size = "2", .cursor = "2", .all = true, .limit = -1 },
		 &c, &error);
	CHECK(r == 0, "cursor: a fresh start cursor is not taken for a repeat");
	free(error);

	r = walk(http, &(struct page_walk_opts){ .path = "/badcursor", .size = "2", .all = true, .limit = -1 }, &c, &error);
	CHECK(r == SMILE_EXIT_FAILURE && error && strstr(error, "nextCursor is not a string"),
	      "bad cursor: a nextCursor that is not a string ends --all with an error");
	free(error);
	r = walk(http, &(struct page_walk_opts){ .path = "/badcursor", .size = "2", .limit = -1 }, &c, &error);
	CHECK(r == 0, "bad cursor: one page asked for, one page had: no error");
	free(error);

	r = walk(http, &(struct page_walk_opts){ .path = "/nolist", .limit = -1 }, &c, &error);
	CHECK(r == SMILE_EXIT_FAILURE && error && strstr(error, "no list"), "no list: data without items is an error");
	free(error);
	strbuf_release(&c.ids);
}

static void test_failed_page_retried(struct http_client *http)
{
	struct collected c = { .ids = STRBUF_INIT };
	char *error;
	log_reset();
	int r = walk(http, &(struct page_walk_opts){ .path = "/flaky", .size = "3", .all = true, .limit = -1 }, &c, &error);
	CHECK(r == 0, "retry: a page answered 500 once is retried and the walk completes");
	CHECK_STR(c.ids.buf, "i-0,i-1,i-2,i-3,i-4,i-5,i-6", "retry: nothing lost, nothing twice");
	CHECK(log_count("/v1/flaky?size=3") == 4 && log_count("cursor=3") == 2,
	      "retry: only the failed page is asked for again, not the walk");
	strbuf_release(&c.ids);
	free(error);
}

static void test_dry_run(void)
{
	struct http_client *http = client(true);
	struct collected c = { .ids = STRBUF_INIT };
	char *error;
	log_reset();
	dry_runs_shown = 0;
	int r = walk(http, &(struct page_walk_opts){ .path = "/list", .size = "2", .all = true, .limit = -1 }, &c, &error);
	CHECK(r == 0 && c.pages == 0, "dry run: succeeds without a page");
	CHECK(log_count("/v1/") == 0, "dry run: nothing reaches the server");
	CHECK(dry_runs_shown == 1, "dry run: the first request is shown as a curl command");
	strbuf_release(&c.ids);
	free(error);
	http_client_free(http);
}

static void on_end(void *ctx, struct page_walk *w, int status)
{
	struct collected *c = ctx;
	(void)w;
	c->ended++;
	c->end_status = status;
}

static void test_concurrent(struct http_client *http)
{
	struct collected a = { .ids = STRBUF_INIT }, b = { .ids = STRBUF_INIT };
	struct page_walk wa, wb;
	log_reset();
	page_walk_init(&wa, &(struct page_walk_opts){ .http = http, .path = "/list", .size = "2", .all = true,
						       .limit = -1, .on_end = on_end }, collect, &a);
	page_walk_init(&wb, &(struct page_walk_opts){ .http = http, .path = "/flaky", .size = "3", .all = true,
						       .limit = -1, .on_end = on_end }, collect, &b);
	page_walk_submit(&wa);
	page_walk_submit(&wb);
	int r = http_run(http, 2, NULL);
	CHECK(r == 0 && a.ended == 1 && b.ended == 1, "concurrent: both walks end, once each");
	CHECK(a.end_status == 0 && b.end_status == 0, "concurrent: both succeed");
	CHECK_STR(a.ids.buf, "i-0,i-1,i-2,i-3,i-4,i-5,i-6", "concurrent: the first walk has every item");
	CHECK_STR(b.ids.buf, "i-0,i-1,i-2,i-3,i-4,i-5,i-6", "concurrent: the second too");
	CHECK(log_count("/v1/list") == 4, "concurrent: four pages of two");
	page_walk_release(&wa);
	page_walk_release(&wb);
	strbuf_release(&a.ids);
	strbuf_release(&b.ids);
}

int main(void)
{
	if (server_start() < 0) {
		printf("Bail out! cannot start the test server\n");
		return 1;
	}
	snprintf(base_url, sizeof(base_url), "http://127.0.0.1:%u/v1", srv.port);
	struct http_client *http = client(false);
	test_all_pages(http);
	test_one_page(http);
	test_limit(http);
	test_first_cursor(http);
	test_bad_cursors(http);
	test_failed_page_retried(http);
	srv.flaky_failures = 0;
	test_concurrent(http);
	http_client_free(http);
	test_dry_run();
	MHD_stop_daemon(srv.daemon);
	return tap_done();
}
