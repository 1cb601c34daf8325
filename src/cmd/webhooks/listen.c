/* SPDX-License-Identifier: MIT */
/*
 * smile webhooks listen: a local receiver (receiver.c) and a temporary
 * webhook at the API that points at it, removed when the run ends (Ctrl-C,
 * --count events, --timeout). The webhook is named
 * "smile-listen:HOST:PID", so that one a crashed listener left behind is
 * recognised by the next listen on the same machine (its process is gone)
 * and removed.
 */
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <openssl/rand.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/apihost.h"
#include "cli/httpd.h"
#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/webhooks/forward.h"
#include "cmd/webhooks/listen.h"
#include "cmd/webhooks/webhooks.h"
#include "core/json.h"
#include "core/hex.h"
#include "core/webhook_events.h"
#include "core/util.h"

#define NAME_PREFIX "smile-listen:"
/* Deliveries relayed at once by --forward-to. */
#define FORWARD_WORKERS 8

/* ---- the temporary webhook ------------------------------------------------ */

static char *host_name(void)
{
	char host[256] = "";

	if (gethostname(host, sizeof(host) - 1) < 0 || !*host)
		snprintf(host, sizeof(host), "localhost");
	return xstrdup(host);
}

/* Whether name is "smile-listen:HOST:PID" of this host with PID gone. */
static bool is_leftover(const char *name, const char *host)
{
	size_t n = strlen(host);
	char *end;
	long pid;

	if (!str_starts_with(name, NAME_PREFIX))
		return false;
	name += strlen(NAME_PREFIX);
	if (strncmp(name, host, n) || name[n] != ':')
		return false;
	errno = 0;
	pid = strtol(name + n + 1, &end, 10);
	if (errno || *end || pid <= 0 || pid == getpid())
		return false;
	return kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

struct sweep {
	struct http_client *http;
	const char *host;
	json_object *ids; /* of leftovers, deleted after the walk */
};

static int collect_leftovers(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct sweep *s = ctx;

	(void)resp;
	for (size_t i = 0; i < n_take; i++) {
		json_object *w = json_object_array_get_idx(items, i), *name, *id;
		if (json_object_object_get_ex(w, "name", &name) && json_object_object_get_ex(w, "id", &id) &&
		    is_leftover(json_object_get_string(name), s->host))
			json_object_array_add(s->ids, json_object_get(id));
	}
	return 0;
}

static int delete_webhook(struct http_client *http, const char *id)
{
	_cleanup_free_ char *path = xasprintf("/webhooks/%s", id);
	struct http_request req = { .method = "DELETE", .path = path };
	struct http_response resp;
	int r = cli_send(http, &req, &resp);

	http_response_clear(&resp);
	return r;
}

/* Removes the webhooks of listeners of this machine that died without
 * cleaning up. A failure here is reported and the run goes on. */
static void remove_leftovers(struct http_client *http, const char *host, bool quiet)
{
	struct sweep s = { .http = http, .host = host, .ids = json_object_new_array() };
	struct page_walk_opts o = { .http = http, .path = "/webhooks", .size = PAGE_SIZE_MAX, .all = true,
				    .limit = -1 };
	struct page_walk w;

	page_walk_init(&w, &o, collect_leftovers, &s);
	if (page_walk_run(&w))
		log_error("cannot look for webhooks left by earlier listeners: %s", page_walk_error(&w));
	page_walk_release(&w);
	for (size_t i = 0; i < json_object_array_length(s.ids); i++) {
		const char *id = json_object_get_string(json_object_array_get_idx(s.ids, i));
		if (delete_webhook(http, id) == 0 && !quiet)
			fprintf(stderr, "smile: removed webhook %s, left by a listener that ended without "
					"cleaning up\n", id);
	}
	json_object_put(s.ids);
}

static json_object *event_list(struct cmd_ctx *ctx)
{
	json_object *list = cmd_opt_list(ctx, "events");

	if (!list) {
		list = json_object_new_array();
		json_object_array_add(list, json_object_new_string(WEBHOOK_ALL_EVENTS));
	}
	return list;
}

/* POST /webhooks for url; *id gets the new webhook's id (NULL on a dry
 * run). Returns 0 or an exit status. */
static int create_webhook(struct cmd_ctx *ctx, struct http_client *http, const char *name, const char *url,
			  const char *secret, char **id)
{
	json_object *body = json_object_new_object(), *got;
	struct http_response resp;
	char *text, *shown;
	int r;

	json_object_object_add(body, "name", json_object_new_string(name));
	json_object_object_add(body, "url", json_object_new_string(url));
	json_object_object_add(body, "eventTypes", event_list(ctx));
	json_object_object_add(body, "active", json_object_new_boolean(1));
	json_object_object_add(body, "secret", json_object_new_string(secret));
	json_object_object_add(body, "includePayload", json_object_new_boolean(cmd_flag(ctx, "include-payload")));
	text = json_compact_dup(body);
	shown = cmd_shown_body(text);
	struct http_request req = { .method = "POST", .path = "/webhooks", .body = text, .shown_body = shown };
	*id = NULL;
	r = cli_send(http, &req, &resp);
	if (r == 0 && !resp.dry_run) {
		if (resp.data && json_object_object_get_ex(resp.data, "id", &got) &&
		    json_object_is_type(got, json_type_string))
			*id = xstrdup(json_object_get_string(got));
		else
			r = log_status(SMILE_EXIT_FAILURE, "the API created a webhook but did not say its id");
	}
	http_response_clear(&resp);
	explicit_bzero(text, strlen(text));
	free(text);
	free(shown);
	json_object_put(body);
	return r;
}

/* ---- the run -------------------------------------------------------------- */

static int wake_pipe[2] = { -1, -1 };
static volatile bool *second_interrupt; /* the client's stop flag */
static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	/* The first Ctrl-C ends the run, and the webhook is still deleted;
	 * a second one gives up on the clean-up too. */
	if (interrupted++ && second_interrupt)
		*second_interrupt = true;
	if (write(wake_pipe[1], "i", 1) < 0) {
		/* nothing to do in a signal handler */
	}
	errno = saved;
}

/* 'i' (a signal), 'c' (--count reached) or 't' (--timeout). */
static char wait_for_end(long timeout_ms)
{
	struct pollfd pfd = { .fd = wake_pipe[0], .events = POLLIN };
	double end = now_monotonic() + (double)timeout_ms / 1000;
	char why = 0;

	for (;;) {
		int ms = -1, n;
		if (timeout_ms > 0) {
			double left = end - now_monotonic();
			if (left <= 0)
				return 't';
			ms = (int)(left * 1000) + 1;
		}
		n = poll(&pfd, 1, ms);
		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			continue; /* the deadline is checked above */
		if (n < 0 || read(wake_pipe[0], &why, 1) != 1)
			return 'i';
		return why;
	}
}

static char *random_secret(void)
{
	unsigned char raw[32];
	char *hex = xmalloc(2 * sizeof(raw) + 1);

	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		free(hex);
		return NULL;
	}
	hex_encode(raw, sizeof(raw), hex);
	explicit_bzero(raw, sizeof(raw));
	return hex;
}

struct listen_run {
	struct cmd_ctx *ctx;
	struct http_client *http;
	struct listener l;
	char *secret;
	char *host_name;
	char *webhook_name;
	char *created_id;  /* the temporary webhook, to delete at the end */
	char *existing_url; /* --webhook-id: where that webhook delivers */
	const char *host;  /* --host */
	unsigned port;
	long timeout_ms;
};

static int check_options(struct listen_run *run)
{
	struct cmd_ctx *ctx = run->ctx;
	const char *fmt = ctx->g->output;

	if (fmt && strcmp(fmt, "table") && strcmp(fmt, "ndjson"))
		return log_status(SMILE_EXIT_USAGE, "webhooks listen prints one line per event, or -o ndjson, "
				  "not -o %s", fmt);
	if (cmd_opt(ctx, "webhook-id") && (cmd_opt(ctx, "events") || cmd_opt(ctx, "public-url")))
		return log_status(SMILE_EXIT_USAGE, "--webhook-id listens for an existing webhook: its URL and "
				  "events are set already (drop --events and --public-url)");
	if (cmd_opt(ctx, "webhook-id") && !cmd_opt(ctx, "secret-file") && !cmd_flag(ctx, "skip-verify"))
		return log_status(SMILE_EXIT_USAGE, "--webhook-id needs that webhook's secret: --secret-file FILE "
				  "(or --skip-verify)");
	return 0;
}

/* The URL the API posts to: --public-url, else this receiver's own
 * address when the API runs on this machine. */
static int target_url(struct listen_run *run, const char *base_url, char **out)
{
	const char *public_url = cmd_opt(run->ctx, "public-url");
	char *origin;

	if (public_url) {
		*out = xstrdup(public_url);
		return 0;
	}
	if (!api_is_loopback(base_url))
		return log_status(SMILE_EXIT_USAGE, "the API at %s cannot reach this machine's %s: give "
				  "--public-url URL (a tunnel to the port), or --webhook-id", base_url, run->host);
	/* A receiver on every address is reached on loopback. */
	origin = httpd_origin(!strcmp(run->host, "0.0.0.0") ? "127.0.0.1" : !strcmp(run->host, "::") ? "::1" : run->host,
			      run->port);
	*out = xasprintf("%s/", origin);
	free(origin);
	return 0;
}

static int read_secret(struct listen_run *run)
{
	const char *file = cmd_opt(run->ctx, "secret-file");

	if (file)
		return cmd_read_secret_file(file, &run->secret);
	if (!(run->secret = random_secret()))
		return log_status(SMILE_EXIT_FAILURE, "cannot make a random secret");
	return 0;
}

/* A recording cut off mid-line (a full disk, a kill at the wrong moment)
 * would glue its torn line to the first new one; a newline ends it, so the
 * torn line stays alone and the new ones stay whole. */
static void end_torn_line(int fd)
{
	char last;
	off_t end = lseek(fd, 0, SEEK_END);

	if (end > 0 && pread(fd, &last, 1, end - 1) == 1 && last != '\n' && write(fd, "\n", 1) != 1)
		log_warn("cannot end the torn last line of the --record file: %s", strerror(errno));
}

static int open_record(struct listen_run *run)
{
	const char *path = cmd_opt(run->ctx, "record");
	int fd;

	if (!path)
		return 0;
	/* Appended to, and private: it holds what Smile sent about users. */
	fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || !(run->l.record = fdopen(fd, "a"))) {
		if (fd >= 0)
			close(fd);
		return log_status(SMILE_EXIT_USAGE, "cannot open --record '%s': %s", path, strerror(errno));
	}
	end_torn_line(fd);
	return 0;
}

static int setup_output(struct listen_run *run)
{
	struct output_opts oo;

	if (!run->ctx->g->output || strcmp(run->ctx->g->output, "ndjson"))
		return 0;
	cmd_output_opts(run->ctx, &oo, NULL);
	oo.format = OUTPUT_NDJSON;
	run->l.ndjson = output_begin(&oo, stdout, true);
	return 0;
}

/* --webhook-id: the webhook must exist (an unknown id would listen for
 * nothing and say it was ready); its URL goes into the ready line, since
 * deliveries reach this receiver only if that URL leads here. */
static int existing_webhook(struct listen_run *run, const char *id)
{
	char *escaped = curl_easy_escape(NULL, id, 0);
	_cleanup_free_ char *path = xasprintf("/webhooks/%s", escaped);
	struct http_request req = { .method = "GET", .path = path };
	struct http_response resp = { 0 };
	json_object *v;
	int r;

	curl_free(escaped);
	r = cli_send(run->http, &req, &resp);
	if (r == 0 && !resp.dry_run && resp.data) {
		if (json_object_object_get_ex(resp.data, "url", &v) && json_object_is_type(v, json_type_string))
			run->existing_url = xstrdup(json_object_get_string(v));
		if (json_object_object_get_ex(resp.data, "active", &v) && !json_object_get_boolean(v))
			log_warn("webhook %s is not active: the API sends it nothing", id);
	}
	http_response_clear(&resp);
	return r;
}

/* Registers the temporary webhook, unless --webhook-id names one. */
static int register_webhook(struct listen_run *run, const char *base_url)
{
	_cleanup_free_ char *url = NULL;
	int r;

	if (cmd_opt(run->ctx, "webhook-id"))
		return existing_webhook(run, cmd_opt(run->ctx, "webhook-id"));
	if ((r = target_url(run, base_url, &url)))
		return r;
	remove_leftovers(run->http, run->host_name, run->ctx->g->quiet);
	return create_webhook(run->ctx, run->http, run->webhook_name, url, run->secret, &run->created_id);
}

static void say_ready(struct listen_run *run, unsigned bound)
{
	_cleanup_free_ char *origin = httpd_origin(run->host, bound);
	const char *id = run->created_id ? run->created_id : cmd_opt(run->ctx, "webhook-id");

	printf("listening on %s/\n", origin);
	fflush(stdout);
	if (run->ctx->g->quiet)
		return;
	if (run->existing_url)
		fprintf(stderr, "smile: ready: receiving for webhook %s, which delivers to %s; Ctrl-C stops\n", id,
			run->existing_url);
	else
		fprintf(stderr, "smile: ready: webhook %s delivers here%s; Ctrl-C stops\n", id,
			run->created_id ? " (removed at the end)" : "");
}

static int end_status(struct listen_run *run, char why)
{
	if (why == 'i')
		return SMILE_EXIT_INTERRUPTED;
	if (why == 't' && run->l.count > 0)
		return log_status(SMILE_EXIT_FAILURE, "--timeout: %ld of %ld events arrived", run->l.events,
				  run->l.count);
	return 0;
}

static int serve(struct listen_run *run, const char *base_url)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct MHD_Daemon *d;
	unsigned bound;
	char why = 'i';
	int r = 0;

	if (pipe2(wake_pipe, O_CLOEXEC) < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot make a pipe: %s", strerror(errno));
	run->l.wake_fd = wake_pipe[1];
	interrupted = 0;
	second_interrupt = &run->ctx->stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (cmd_opt(run->ctx, "forward-to") &&
	    !(run->l.fwd = forwarder_start(run->ctx, cmd_opt(run->ctx, "forward-to"), FORWARD_WORKERS)))
		r = SMILE_EXIT_FAILURE;
	d = r ? NULL : receiver_start(&run->l, run->host, run->port, &bound);
	if (!d)
		r = SMILE_EXIT_FAILURE;
	else
		run->port = bound;
	if (d && !(r = register_webhook(run, base_url))) {
		say_ready(run, bound);
		why = wait_for_end(run->timeout_ms);
	}
	/* Suspended connections are resumed and answered before the server goes. */
	forwarder_stop(run->l.fwd);
	run->l.fwd = NULL;
	if (d)
		MHD_stop_daemon(d);
	if (run->created_id && delete_webhook(run->http, run->created_id) != 0)
		log_error("webhook %s is left at the API: the next listen removes it", run->created_id);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	second_interrupt = NULL;
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	return r ? r : end_status(run, why);
}

static void run_release(struct listen_run *run)
{
	if (run->l.ndjson)
		output_end(run->l.ndjson);
	if (run->l.record)
		fclose(run->l.record);
	if (run->secret) {
		explicit_bzero(run->secret, strlen(run->secret));
		free(run->secret);
	}
	free(run->host_name);
	free(run->webhook_name);
	free(run->created_id);
	free(run->existing_url);
	pthread_mutex_destroy(&run->l.print_lock);
}

static long seconds_option(struct cmd_ctx *ctx, const char *name)
{
	const char *v = cmd_opt(ctx, name);

	return v ? (long)(strtod(v, NULL) * 1000) : 0;
}

int webhooks_run_listen(struct cmd_ctx *ctx)
{
	struct listen_run run = {
		.ctx = ctx,
		.host = cmd_opt(ctx, "host") ? cmd_opt(ctx, "host") : "127.0.0.1",
		.port = cmd_opt(ctx, "port") ? (unsigned)atoi(cmd_opt(ctx, "port")) : 0,
		.timeout_ms = seconds_option(ctx, "timeout"),
		.l = { .quiet = ctx->g->quiet, .wake_fd = -1,
		       .count = cmd_opt(ctx, "count") ? atol(cmd_opt(ctx, "count")) : 0 },
	};
	const struct profile *p;
	int r;

	pthread_mutex_init(&run.l.print_lock, NULL);
	run.host_name = host_name();
	run.webhook_name = xasprintf(NAME_PREFIX "%s:%ld", run.host_name, (long)getpid());
	if (!(r = check_options(&run)) && !(r = cmd_profile(ctx, &p)) && !(r = cmd_http(ctx, &run.http)) &&
	    !(r = read_secret(&run))) {
		if (cmd_flag(ctx, "skip-verify"))
			run.l.secret = NULL;
		else
			run.l.secret = run.secret;
		if (ctx->g->dry_run) {
			/* Shows the webhook it would register, and serves nothing. */
			_cleanup_free_ char *url = NULL;
			if (cmd_opt(ctx, "webhook-id"))
				r = existing_webhook(&run, cmd_opt(ctx, "webhook-id"));
			else if (!(r = target_url(&run, p->base_url, &url)))
				r = create_webhook(ctx, run.http, run.webhook_name, url, run.secret, &run.created_id);
		} else if (!(r = open_record(&run)) && !(r = setup_output(&run))) {
			r = serve(&run, p->base_url);
		}
	}
	run_release(&run);
	return r;
}
