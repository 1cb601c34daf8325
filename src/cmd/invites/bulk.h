/* SPDX-License-Identifier: MIT */
/*
 * `smile invites send --file`: many invitations from a CSV or JSON Lines
 * file, checked first, sent concurrently within the rate limit, and recorded
 * in a journal so that a run that dies can be repeated without inviting
 * anyone twice. input.c reads and checks the file; bulk.c plans and sends
 * it; lookup.c finds the invites that exist on the server (rows of unknown
 * outcome, --check-server) and checks the templates; report.c prints the
 * results in input order, the progress, the summary and the failed rows.
 * What was sent is kept per tenant (record.h), so no one is invited twice
 * whatever file, URL or command sends them.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "cli/cmd.h"
#include "core/journal.h"
#include "core/progress.h"

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
/* The failed-rows file's last column: why the row failed. Input files may
 * have it (a failed-rows file fed back); it is not sent. */
#define INVITE_ERROR_COLUMN "error"

/* What became of a row in this run. */
enum row_result {
	ROW_PENDING,
	ROW_INVITED,       /* created now, or found by the lookup */
	ROW_ALREADY_DONE,  /* the journal says it was sent by an earlier run */
	ROW_FAILED,        /* certainly not invited */
	ROW_UNKNOWN,       /* may have been invited; the lookup could not tell */
	ROW_INTERRUPTED,   /* not sent because of Ctrl-C */
	ROW_OTHER_SHARD,   /* --shard: another sender's row */
};

struct bulk_run;

struct invite_row {
	size_t index;                    /* 1-based among data rows: the journal's row */
	unsigned long line;              /* where it starts in the input */
	char *field[INVITE_N_FIELDS];    /* NULL when absent */
	bool defaulted[INVITE_N_FIELDS]; /* filled from a flag, not given by the row */
	char *body;                      /* the request body, JSON, while it is sent */
	char *key;                       /* invite_key(): lowercased email, tab, templateId */

	/* Sending state. */
	struct bulk_run *run;
	struct http_request req;
	enum row_result result;
	char *invite_id;
	char *error;
	bool counted;                    /* in the progress line already */
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
/* The POST /invites body of a row (allocated): built when the row is sent,
 * so that a million rows done before cost no memory for it. */
char *invite_request_body(const struct invite_row *row);

/* The bulk form of `invites send`. */
int invites_send_bulk(struct cmd_ctx *ctx);

/* ---- shared by bulk.c, rows.c, lookup.c and report.c ---- */

struct journal;

struct bulk_run {
	struct cmd_ctx *ctx;
	struct invite_input *in;
	struct http_client *http;
	struct journal *journal;
	struct output *out;
	struct progress progress;
	volatile bool *stop;         /* the client's stop flag (ctx->stop), set on Ctrl-C */
	int concurrency;
	bool resend;                 /* --resend: rows sent before are sent again */
	size_t n_in_shard;           /* rows this sender works on */
	/* Rows of the current sending pass, started in this order. */
	struct invite_row **queue;
	size_t n_queue, next;
	/* Rows whose outcome is unknown: input of the next lookup. */
	struct invite_row **unknown;
	size_t n_unknown;
	size_t n_invited, n_failed, n_already, n_still_unknown;
	size_t emit_next;            /* results go out in input order from here */
	int fatal;                   /* exit status that ends the run early, or 0 */
	bool lookup_failed;          /* no more rounds: unknown rows stay unknown */
};

/* rows.c: a row's state, changed by all three files below */
void bulk_queue_row(struct bulk_run *b, struct invite_row *row);
void bulk_set_invite_id(struct invite_row *row, const char *id);
void bulk_set_error(struct invite_row *row, const char *error);
/* A journal that cannot be written ends the run (b->fatal, *b->stop): going
 * on would send rows whose outcome no later run could know. */
bool bulk_journal_write(struct bulk_run *b, const struct journal_event *ev, size_t n);
struct journal_event bulk_row_event(const struct invite_row *row, enum journal_state state);

/* lookup.c */
/* Each unknown row the server has an invite for gets its id; the others
 * are queued to be sent again. On failure they stay unknown. */
void bulk_resolve_unknown(struct bulk_run *b);
/* --check-server: queued rows the server has an invite for are done. */
int bulk_check_server(struct bulk_run *b);
/* One GET per distinct template id of the rows to send: exit 2 with one
 * message, before anything is sent, when one does not exist. */
int bulk_check_templates(struct bulk_run *b);

/* report.c */
void bulk_results_begin(struct bulk_run *b);
/* The row's outcome is known: counted in the progress, and printed once
 * every row before it is. */
void bulk_row_done(struct bulk_run *b, struct invite_row *row);
/* Ends the run's output: rows still unknown, the grouped errors, the
 * failed-rows file and the summary line. */
void bulk_results_end(struct bulk_run *b);
