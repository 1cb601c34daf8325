/* SPDX-License-Identifier: MIT */
/*
 * smile webhooks listen, verify, replay and trigger: webhook development
 * from the terminal (src/cmd/webhooks.c holds their table rows).
 * record.c is the --record file (JSON Lines, one delivery a line), which
 * listen writes and verify and replay read.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cmd.h"

int webhooks_run_verify(struct cmd_ctx *ctx);
int webhooks_run_listen(struct cmd_ctx *ctx);
int webhooks_run_replay(struct cmd_ctx *ctx);
int webhooks_run_trigger(struct cmd_ctx *ctx);

/* One recorded delivery:
 *   {"receivedAt": "...Z", "method": "POST", "path": "/",
 *    "headers": {"Content-Type": "...", "Smile-Signature": "...", ...},
 *    "body": "<the raw body>"}
 * with "bodyBase64" instead of "body" when the raw body is not UTF-8, so
 * that every byte survives. */
struct recorded {
	json_object *line;     /* owns everything below */
	const char *signature; /* Smile-Signature header, NULL when absent */
	const char *content_type;
	char *body;            /* the raw bytes, NUL-terminated; owned */
	size_t body_len;
	const char *event_id;  /* from the body, NULL when it has none */
	const char *type;
};

/* Parses one line of a --record file. Returns 0, or -EBADMSG with *why
 * set to a static reason. */
int recorded_parse(const char *text, size_t len, struct recorded *out, const char **why);
void recorded_clear(struct recorded *r);

/* The --record line of a delivery (no trailing newline), allocated.
 * headers: an object of the request's headers. */
char *recorded_line(const char *method, const char *path, json_object *headers, const char *body,
		    size_t body_len);

/* A header of a recorded headers object, by name in any case. */
const char *recorded_header(json_object *headers, const char *name);

/* Calls fn for each line of a --record file ("-": stdin) in order; stops
 * at the first non-zero return of fn and returns it. A line that does not
 * parse is reported ("FILE:LINE: why") and returns SMILE_EXIT_USAGE. */
typedef int (*recorded_fn)(void *ctx, const struct recorded *r, const char *where);
int recorded_each(const char *path, recorded_fn fn, void *ctx);

/* The event's id and type from a body, borrowed from *parsed (which the
 * caller frees with json_object_put); NULL when absent. When the body is not
 * a JSON object, *parsed is NULL and, if why is not NULL, *why says why (the
 * parser's message; the caller frees it). */
void event_summary(const char *body, size_t len, json_object **parsed, const char **id, const char **type,
		   char **why);

/* An event's id or type as it may be shown on a terminal (allocated): it
 * comes from whoever posted the body, signed or not, so neither a line
 * break nor a terminal escape gets through; "-" for NULL. */
char *event_shown(const char *text);
