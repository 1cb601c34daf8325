/* SPDX-License-Identifier: MIT */
/*
 * What the files of the HTTP core share, and nothing outside src/core/http/
 * includes: the transfer and client structures and the functions one file
 * of the core calls in another. The public interface is client.h.
 */
#pragma once

#include "core/http/client.h"
#include "core/text.h"
#include "core/util.h"

#include <curl/curl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/types.h>

/* Queues and the stop flag are looked at again at least this often. */
#define POLL_MAX_MS 1000
#define POLL_STOP_MS 100
/* A Retry-After further away than this is as good as "not today". */
#define RETRY_AFTER_MAX_MS (86400L * 1000)
/* json-c's default of 32 levels is tight for nested API data. */
#define JSON_MAX_DEPTH 128
#define DOWNLOAD_MAX_REDIRECTS 5L
/* The curl tool's own default buffer (tool_cfgable.h BUFFER_SIZE). */
#define DOWNLOAD_BUFFER_SIZE (100L * 1024)

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
	time_t server_date;             /* from Date, 0 when absent */
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
	int verbose;                    /* http_client_opts.verbose */
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

struct try_result {
	CURLcode code;
	long status;
	bool sent;      /* request bytes went out: the server may have seen it */
	double seconds;
};

/* url.c */
/* "scheme://host:port" of url, the port spelled out; NULL when unparsable. */
char *url_origin(const char *url);
/* url without userinfo (and without the query unless keep_query). */
char *url_for_display(const char *url, bool keep_query);
/* Only the configured API origin is sent the credentials. */
bool url_gets_credentials(const struct http_client *c, const char *url);
/* Whether the request's own headers (req->headers) hold name. */
bool http_request_has_header(const struct http_request *req, const char *name);

/* envelope.c */
/* "code: message (request id)" of an error reply, or NULL. */
char *http_envelope_error_line(const struct http_response *r);

/* trace.c */
/* Why libcurl failed, in the words that say most. */
const char *http_curl_reason(const struct transfer *t, CURLcode code);
/* Appends server text as one printable line (core/text.h). */
static inline void http_add_one_line(struct strbuf *sb, const char *s, size_t len)
{
	strbuf_add_printable(sb, s, strnlen(s, len), 0);
}
/* Writes sb to stderr in one write, and releases it. */
void http_emit(struct strbuf *sb);
/* CURLOPT_DEBUGFUNCTION: --verbose request headers, secrets redacted. */
int http_on_debug(CURL *easy, curl_infotype type, char *data, size_t size, void *userdata);
/* --verbose: "< STATUS (seconds, bytes)" and the reply headers. */
void http_print_try_result(const struct transfer *t, const struct try_result *tr);

/* transfer.c */
/* The client's lists of transfers: FIFO, a transfer in one at a time. */
void transfer_list_push(struct transfer_list *l, struct transfer *t);
struct transfer *transfer_list_pop(struct transfer_list *l);
void transfer_list_remove(struct transfer_list *l, struct transfer *t);
/* 2xx. */
bool http_status_is_success(long status);
/* The HTTP status of the last try, 0 when there was none. */
long transfer_status(const struct transfer *t);
/* A transfer for req, queued nowhere yet; its setup error, if any, is kept
 * for when it starts. */
struct transfer *transfer_new(struct http_client *c, const struct http_request *req,
				     struct http_response *resp, http_done_fn done, void *ctx);
void transfer_free(struct transfer *t);
/* Moves t to the client's done list. */
void transfer_finish(struct transfer *t);
/* Finishes t with a failure and its message (taken). */
void transfer_fail(struct transfer *t, enum http_failure failure, char *error);
/* Starts a try of t (or, under --dry-run, prints it and finishes it). */
void http_start_try(struct transfer *t);

/* try.c */
/* Sorts a finished try of t into retry later or done. */
void http_finish_try(struct transfer *t, CURLcode code);

