/* SPDX-License-Identifier: MIT */
/*
 * smile-emulator as a library: make an emulator, hand it one request at a
 * time, get the answer back. The HTTP server (http/server.c) is one caller;
 * tests/fuzz/fuzz_emulator.c is another, so everything a socket could send
 * reaches the same code without one.
 *
 * One emulator serves any number of threads: emu_handle() takes the
 * emulator's lock itself.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct emu;

struct emu_options {
	const char *host;
	unsigned port;
	const char *api_key;
	const char *api_secret;
	const char *state_path;
	double fail_rate;   /* 0..1 of /v1 requests */
	uint64_t fault_seed;
	uint64_t id_seed;   /* ids and request ids; fixed in tests for repeatable runs */
	long latency_ms;
	double rate_limit;  /* requests per second, 0 = none */
	long account_retention_days; /* days from connection; 0 = the docs' 60 */
	long upload_retention_days;  /* days from upload; 0 = the docs' 60 */
};

/* A name and a value: a header, or a query parameter (value NULL for a
 * parameter given without '='). */
struct emu_pair {
	const char *name;
	const char *value;
};

/* One request, as the server received it. Strings are borrowed for the
 * duration of emu_handle(). */
struct emu_call {
	const char *method;           /* "GET", "POST", ... */
	const char *path;             /* percent-decoded, without the query */
	const struct emu_pair *query; /* decoded, in order; the first of a name counts */
	size_t n_query;
	const struct emu_pair *headers; /* names match case-insensitively */
	size_t n_headers;
	const char *body;             /* raw bytes, need not end in NUL */
	size_t body_len;
	bool body_too_large;          /* the server stopped reading at EMU_MAX_BODY */
};

/* Largest request body read; longer ones are answered 400. */
#define EMU_MAX_BODY (64u * 1024 * 1024)
#define EMU_ANSWER_MAX_HEADERS 4

/* What to send back. Owned by the caller after emu_handle(): release it. */
struct emu_answer {
	bool drop;            /* an injected fault: close without answering */
	unsigned status;
	char *content_type;
	char *body;           /* NUL-terminated for convenience; body_len bytes */
	size_t body_len;
	struct {
		char *name, *value;
	} headers[EMU_ANSWER_MAX_HEADERS];
	size_t n_headers;
};

/* A new, empty emulator with these options (copied; strings borrowed). */
struct emu *emu_new(const struct emu_options *opt);
void emu_free(struct emu *emu);

/* Handles one request: credentials, routing, faults, the handler. */
void emu_handle(struct emu *emu, const struct emu_call *call, struct emu_answer *out);
void emu_answer_release(struct emu_answer *a);

/*
 * Percent-decodes s in place as the server decodes paths and query values,
 * except "%00", which stays the three characters it was: handlers see C
 * strings, and a NUL would cut "/users/%00" down to "/users/". Returns the
 * new length.
 */
size_t emu_unescape(char *s);

/*
 * Splits a request target ("/v1/users?size=2&cursor=x") in place into a
 * decoded path and up to max query pairs, as the server would see them
 * ('+' is a space in query values). Returns the number of pairs. For
 * callers without a server, such as the fuzzer.
 */
size_t emu_parse_target(char *target, const char **path, struct emu_pair *query, size_t max);
