/* SPDX-License-Identifier: MIT */
/*
 * `smile invites send --file`: many invitations from a CSV or JSON Lines
 * file, checked first, sent concurrently within the rate limit, and recorded
 * in a journal so that a run that dies can be repeated without inviting
 * anyone twice. input.c reads and checks the file; bulk.c
 * sends it.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cli/cmd.h"

/* The fields of an invite request, in the order of the CSV header the
 * failed-rows file is written with. */
enum invite_field {
	INVITE_EMAIL,
	INVITE_FULL_NAME,
	INVITE_FIRST_NAME,
	INVITE_LAST_NAME,
	INVITE_TEMPLATE_ID,
	INVITE_WINK_TEMPLATE_ID,
	INVITE_N_FIELDS,
};
extern const char *const invite_field_names[INVITE_N_FIELDS];

/* What became of a row in this run. */
enum row_result {
	ROW_PENDING,
	ROW_INVITED,       /* created now, or found by the lookup */
	ROW_ALREADY_DONE,  /* the journal says it was sent by an earlier run */
	ROW_FAILED,        /* certainly not invited */
	ROW_UNKNOWN,       /* may have been invited; the lookup could not tell */
	ROW_INTERRUPTED,   /* not sent because of Ctrl-C */
};

struct bulk_run;

struct invite_row {
	size_t index;                    /* 1-based among data rows: the journal's row */
	unsigned long line;              /* where it starts in the input */
	char *field[INVITE_N_FIELDS];    /* NULL when absent */
	char *body;                      /* the request body, JSON */
	char *key;                       /* lowercased email, tab, templateId: the lookup key */

	/* Sending state. */
	struct bulk_run *run;
	struct http_request req;
	enum row_result result;
	char *invite_id;
	char *error;
};

struct invite_input {
	char *name;                      /* for messages: the path, or "stdin" */
	char *text;                      /* the whole input */
	size_t len;
	struct invite_row *rows;
	size_t n_rows;
};

/* Defaults that a row's own columns beat. */
struct invite_defaults {
	const char *template_id;
	const char *wink_template_id;
};

/* Reads path ("-": stdin), CSV or JSON Lines, and checks every row against
 * the request schema. Every bad row is reported (file:line: reason); then
 * returns SMILE_EXIT_USAGE. 0 when every row is good. */
int invite_input_load(const char *path, const struct invite_defaults *defaults, struct invite_input *in);
void invite_input_release(struct invite_input *in);

/* The bulk form of `invites send`. */
int invites_send_bulk(struct cmd_ctx *ctx);
