/* SPDX-License-Identifier: MIT */
/*
 * The HTTP core: every request of smile goes through here, once.
 *
 * - libcurl multi with one shared connection cache, so a run reuses
 *   connections and bulk commands run many requests at once.
 * - Basic auth (key:secret) sent only to the configured API host.
 * - A token bucket shared by all requests of the run (opts.rate).
 * - Retries with exponential backoff and full jitter, honouring Retry-After,
 *   bounded in attempts and total time. Because the Smile API has no
 *   idempotency keys, a POST or PUT is retried only when it certainly
 *   was not processed: 429, 503, or a connection that was never made.
 *   GET and DELETE retry on 429, 502, 503, 504 and network errors (a
 *   connection dropped after sending included), and GET, HEAD and OPTIONS,
 *   which change nothing, on 500 too. Tries
 *   after the first wait http_backoff_ms(); the rate limiter still applies.
 * - The Smile envelope {code, message, requestId, data} is parsed; bodies
 *   that are not JSON, too large, or truncated become clear errors.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <stdio.h>

#define HTTP_DEFAULT_MAX_RESPONSE (64u * 1024 * 1024)

/* Hands the curl command line of a request that --dry-run did not send to
 * whoever shows it (the CLI prints it on stdout; the core prints nothing). */
typedef void (*http_dry_run_fn)(void *ctx, const char *curl_command);

/* Everything a client needs, as plain values (the strings are copied). */
struct http_client_opts {
	const char *base_url;          /* relative paths go here; credentials only to its origin */
	const char *api_key;           /* NULL or "": no credentials are sent */
	const char *api_secret;
	double rate;                   /* requests per second for the whole run; <= 0: unlimited */
	long connect_timeout_ms;       /* <= 0: libcurl's default */
	long timeout_ms;               /* a whole request (downloads: a stall); <= 0: none */
	int max_attempts;              /* tries of one request, the first included; <= 0: 1 */
	long retry_max_ms;             /* time one request may spend retrying; < 0: unbounded */
	int verbose;                   /* 1: request/response lines and headers on stderr, secrets
	                                * redacted; 2: the JSON bodies too, secret fields redacted */
	/* Send nothing, ever: each request is rendered as a curl command for
	 * dry_run_sink and answered with r->dry_run set. The one switch of
	 * --dry-run: no command checks it before the wire. */
	bool dry_run;
	http_dry_run_fn dry_run_sink;  /* may be NULL: nothing is shown */
	void *dry_run_ctx;
	size_t max_response_bytes;     /* 0: HTTP_DEFAULT_MAX_RESPONSE */
	/* Set by a SIGINT handler, may be NULL. Once true, requests that have
	 * not started or wait for a retry fail with HTTP_FAIL_INTERRUPTED; a
	 * try in flight finishes. Used by http_send, and by http_run when its
	 * own stop is NULL. */
	volatile bool *stop;
};

struct http_client;

struct http_client *http_client_new(const struct http_client_opts *opts);
void http_client_free(struct http_client *c);

/* key=value pairs for the query string; values are URL-encoded by the core. */
struct http_param {
	const char *key;
	const char *value;
};

struct http_request {
	const char *method;      /* "GET", "POST", "PUT", "DELETE" */
	/* Either a path relative to the base URL ("/users/u-1"), or an absolute
	 * URL (for file downloads); credentials go only to the API host. */
	const char *path;
	const struct http_param *params; /* may be NULL */
	size_t n_params;
	const char *body;        /* JSON text or NULL */
	size_t body_len;         /* 0: strlen(body) */
	/* What --dry-run prints instead of body, with secret fields (a webhook's
	 * signing key) replaced; NULL: body holds no secret. */
	const char *shown_body;
	/* When set, a 2xx body is streamed here instead of being kept and parsed
	 * (downloads); size cap does not apply. */
	FILE *sink;
	/* Headers to send besides smile's own, "Name: value" each, NULL-
	 * terminated; may be NULL. A Content-Type here replaces the default
	 * (webhook forwarding relays the sender's headers unchanged). */
	const char *const *headers;
};

/* What kind of failure a request met. The core only reports it; the CLI
 * alone turns it into an exit status and a hint (src/cli/status.h). */
enum http_failure {
	HTTP_OK = 0,            /* a 2xx answer; or a dry run (r->dry_run), which sent nothing */
	HTTP_FAIL_STATUS,       /* the server answered with another status: r->status, r->code */
	HTTP_FAIL_NETWORK,      /* no answer: cannot resolve or connect, TLS, timeout, dropped */
	HTTP_FAIL_BAD_RESPONSE, /* a 2xx answer that is not a JSON object, or one too large */
	HTTP_FAIL_LOCAL,        /* on this side: preparing the request, writing a download */
	HTTP_FAIL_INTERRUPTED,  /* the stop flag was set before the request could start */
};

struct http_response {
	long status;             /* HTTP status, 0 when no response */
	char *body;              /* raw body (NUL-terminated), NULL with sink */
	size_t body_len;
	json_object *envelope;   /* parsed body, owned; NULL if not JSON */
	/* Borrowed from envelope (NULL when absent): */
	const char *code;
	const char *message;
	const char *request_id;
	json_object *data;
	long retry_after_ms;     /* from Retry-After, -1 when absent */
	time_t server_date;      /* the server's clock, from Date; 0 when absent */
	int attempts;            /* how many tries were made */
	double elapsed;          /* seconds, all tries */
	char *error;             /* one-line description of a failure, or NULL */
	enum http_failure failure; /* what went wrong, HTTP_OK when nothing did */
	/* True when the request may have been processed by the server even though
	 * it failed (timeout or dropped connection after sending, 500, 504).
	 * Bulk commands look such rows up before resending. */
	bool outcome_unknown;
	/* The client is in dry-run mode: the request was shown, not sent, and
	 * there is no answer (status 0, no body). */
	bool dry_run;
};

void http_response_clear(struct http_response *r);

/* One request, with retries and rate limiting. Returns r->failure.
 * r is overwritten (clear it before reusing it) and must be cleared after. */
enum http_failure http_send(struct http_client *c, const struct http_request *req, struct http_response *r);

/* Concurrent requests. Submitted requests (the struct and what it points to
 * must live until the callback) run when http_run is called, at most
 * `concurrency` at a time; callbacks may submit more. The response is
 * cleared by the core after the callback returns. */
typedef void (*http_done_fn)(void *ctx, const struct http_request *req, struct http_response *r);
void http_submit(struct http_client *c, const struct http_request *req, http_done_fn done, void *ctx);
/* Runs until no request is left, or until *stop becomes true (then requests
 * in flight finish and queued ones are dropped with error "interrupted").
 * Returns 0, or a negative code on an internal failure. */
int http_run(struct http_client *c, int concurrency, volatile bool *stop);

/* Prints the one-line error of a failed response to stderr:
 *   smile: HTTP 404 MISSING_RESOURCE: The resource ... (requestId 58be...)
 * or the network/parse error. */
void http_report_error(const struct http_response *r);


/* Parses body as a Smile envelope into r (envelope, code, message, ...),
 * by core/json_parse.h's rules: an object with a duplicate key is refused
 * naming the key, numbers keep the digits they were sent with. Returns 0,
 * or -EBADMSG with r->error set when it is not a JSON object or is so
 * malformed. */
int http_parse_envelope(struct http_response *r, const char *body, size_t len);

/* The page cursor in a list's data: *cursor is NULL on the last page
 * (nextCursor absent, null or ""). Returns -EBADMSG when nextCursor is
 * there but not a string: the pages after it would be lost unseen. */
int http_next_cursor(json_object *data, const char **cursor);

/* Retry policy, exposed for unit tests. attempt starts at 1 for the first
 * retry. Returns the delay in ms (full jitter over exponential backoff,
 * at least Retry-After when given); rand01 supplies [0,1). */
long http_backoff_ms(int attempt, long retry_after_ms, double (*rand01)(void));
/* Whether a failed try may be repeated, per the rule in the comment above.
 * connected: request bytes went out on a connection, so the server may have
 * seen the request (false for refused, unresolved or TLS-failed connects). */
bool http_should_retry(const char *method, long status, int curl_code, bool connected);
/* GET, HEAD, DELETE, OPTIONS: safe to repeat. POST and PUT are not, here. */
bool http_method_is_idempotent(const char *method);

/* Token bucket shared by every request of a run. rate <= 0: unlimited.
 * Burst is max(1, rate) tokens. Time is injectable for tests. */
struct rate_limiter {
	double rate;
	double burst;
	double tokens;
	double last;
};
void rate_limiter_init(struct rate_limiter *rl, double rate, double now);
/* Takes a token if there is one (returns 0) or returns the seconds to wait. */
double rate_limiter_take(struct rate_limiter *rl, double now);

/* The equivalent curl command line for --dry-run, with the secret redacted
 * (and req->shown_body in place of the body when set). */
char *http_curl_command(const struct http_client *c, const struct http_request *req);
/* The full URL a request goes to (base + path + encoded query). */
char *http_request_url(const struct http_client *c, const struct http_request *req);
