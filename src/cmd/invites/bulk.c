/* SPDX-License-Identifier: MIT */
/*
 * Sending the rows of `invites send --file` exactly once.
 *
 * What was sent is kept per tenant and per (email, template) in a journal
 * (record.h, core/journal.h): "started" is made durable before a request
 * goes out, the outcome before the row counts as done, so any later run
 * with any file knows who was invited. A row whose outcome is unknown (the
 * server may have created the invite although the answer got lost) is
 * never simply sent again: one paged scan of GET /invites looks for all
 * such rows at once (lookup.c), and only those not found are sent again.
 * That loop runs a few rounds; what is still unknown after them is left
 * for the next run.
 *
 * Requests run concurrently through the shared HTTP core and its rate
 * limiter. Only `concurrency` rows are started at a time (a done callback
 * starts the next), so a crash leaves at most that many rows to look up.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cli/interrupt.h"
#include "cli/status.h"
#include "cmd/invites/bulk.h"
#include "cmd/invites/record.h"
#include "core/hash.h"
#include "core/journal.h"
#include "core/util.h"
#include "core/xdg.h"

#define DEFAULT_CONCURRENCY 8
/* Rounds of "look up the unknown rows, send the missing ones again". */
#define MAX_LOOKUP_ROUNDS 6

/* ---- sending ---- */

static void on_sent(void *ctx, const struct http_request *req, struct http_response *resp);

static void submit_row(struct bulk_run *b, struct invite_row *row)
{
	row->run = b;
	free(row->body);
	row->body = invite_request_body(row);
	row->req = (struct http_request){ .method = "POST", .path = "/invites", .body = row->body };
	http_submit(b->http, &row->req, on_sent, row);
}

static void remember_unknown(struct bulk_run *b, struct invite_row *row)
{
	b->unknown = xrealloc(b->unknown, (b->n_unknown + 1) * sizeof(*b->unknown));
	b->unknown[b->n_unknown++] = row;
	row->result = ROW_UNKNOWN;
}

/* Sorts the answer into the row's result; returns the journal state. */
static enum journal_state classify(struct bulk_run *b, struct invite_row *row, const struct http_response *resp)
{
	if (resp->failure == HTTP_OK) {
		json_object *id = resp->data ? json_get_path(resp->data, "id") : NULL;
		row->result = ROW_INVITED;
		bulk_set_invite_id(row, id ? json_object_get_string(id) : NULL);
		bulk_set_error(row, NULL);
		return JOURNAL_SENT;
	}
	bulk_set_error(row, resp->error ? resp->error : "request failed");
	bulk_set_invite_id(row, NULL);
	if (resp->outcome_unknown) {
		remember_unknown(b, row);
		return JOURNAL_UNKNOWN;
	}
	if (resp->failure == HTTP_FAIL_INTERRUPTED) {
		row->result = ROW_INTERRUPTED;
		return JOURNAL_FAILED; /* never left: safe to send next time */
	}
	row->result = ROW_FAILED;
	/* Wrong credentials fail every row alike: stop at the first. */
	if (cli_exit_status(resp) == SMILE_EXIT_AUTH && !b->fatal) {
		b->fatal = SMILE_EXIT_AUTH;
		*b->stop = true;
	}
	return JOURNAL_FAILED;
}

static void on_sent(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct invite_row *row = ctx, *next = NULL;
	struct bulk_run *b = row->run;
	struct journal_event ev[2];
	size_t n = 0;

	(void)req;
	ev[n++] = bulk_row_event(row, classify(b, row, resp));
	free(row->body);
	row->body = NULL;
	/* The next row's "started" rides on the same write and fdatasync. */
	if (!*b->stop && b->next < b->n_queue) {
		next = b->queue[b->next++];
		ev[n++] = bulk_row_event(next, JOURNAL_STARTED);
	}
	if (!bulk_journal_write(b, ev, n))
		return;
	if (row->result == ROW_INVITED)
		b->n_invited++;
	else if (row->result == ROW_FAILED)
		b->n_failed++;
	if (row->result == ROW_INVITED || row->result == ROW_FAILED)
		bulk_row_done(b, row);
	if (next)
		submit_row(b, next);
}

/* Sends the queued rows, at most concurrency at a time. */
static void send_queue(struct bulk_run *b)
{
	size_t first = b->n_queue < (size_t)b->concurrency ? b->n_queue : (size_t)b->concurrency;
	struct journal_event *ev = xcalloc(first ? first : 1, sizeof(*ev));

	for (size_t i = 0; i < first; i++)
		ev[i] = bulk_row_event(b->queue[i], JOURNAL_STARTED);
	b->next = first;
	if (first && bulk_journal_write(b, ev, first))
		for (size_t i = 0; i < first; i++)
			submit_row(b, b->queue[i]);
	free(ev);
	if (http_run(b->http, b->concurrency, b->stop) < 0 && !b->fatal)
		b->fatal = SMILE_EXIT_FAILURE;
}

/* ---- the journal of the previous format ---- */

/* The previous format named the default journal from a hash of the input,
 * the base URL, the profile and the template flags; it is still read. */
static uint64_t legacy_hash_add(uint64_t h, const char *s, size_t len)
{
	return fnv1a_add(fnv1a_add(h, s ? s : "", s ? len : 0), "\xff", 1);
}

static char *legacy_journal_path(const struct invite_input *in, const struct profile *p,
				 const struct invite_defaults *d)
{
	uint64_t h = legacy_hash_add(FNV1A_INIT, in->text, in->len);
	const char *parts[] = { p->base_url, p->name, d->template_id, d->wink_template_id };
	_cleanup_free_ char *dir = state_directory();

	for (size_t i = 0; i < 4; i++)
		h = legacy_hash_add(h, parts[i], parts[i] ? strlen(parts[i]) : 0);
	return xasprintf("%s/invites-%016llx.jsonl", dir, (unsigned long long)h);
}

/* Rows of a per-row journal: checked to belong to this input, then carried
 * into the per-key journal (once: a key it knows is left alone). */
static int adopt_legacy(struct bulk_run *b, const struct journal *from)
{
	struct journal_event *ev = xcalloc(b->in->n_rows ? b->in->n_rows : 1, sizeof(*ev));
	size_t n = 0;
	int r = 0;

	for (size_t i = 0; i < b->in->n_rows && !r; i++) {
		const struct invite_row *row = &b->in->rows[i];
		const struct journal_legacy_row *l = journal_legacy_row(from, row->index);
		if (!l)
			continue;
		if (l->email && strcasecmp(l->email, row->field[INVITE_EMAIL]))
			r = log_status(SMILE_EXIT_USAGE, "journal '%s' belongs to another input: its row %zu is %s, not %s",
				       from->path, row->index, l->email, row->field[INVITE_EMAIL]);
		else if (!journal_find(b->journal, row->field[INVITE_EMAIL], row->field[INVITE_TEMPLATE_ID]))
			ev[n++] = (struct journal_event){ .email = row->field[INVITE_EMAIL],
							  .template_id = row->field[INVITE_TEMPLATE_ID],
							  .state = l->state, .id = l->id };
	}
	if (!r && b->journal->fd >= 0 && !bulk_journal_write(b, ev, n))
		r = SMILE_EXIT_FAILURE;
	free(ev);
	return r;
}

static int adopt_legacy_default(struct bulk_run *b, const char *path)
{
	struct journal *old = NULL;

	if (access(path, F_OK) != 0 || journal_open(path, true, &old) < 0)
		return 0;
	int r = adopt_legacy(b, old);
	journal_close(old);
	return r;
}

/* ---- planning ---- */

/* --shard K/N: 1 <= K <= N <= SHARD_MAX (more senders than that would be
 * more than the rows of any sane file, and keeps K and N well inside a long). */
#define SHARD_MAX 1000000UL
static int parse_shard(const char *s, unsigned long *k, unsigned long *n)
{
	char *end;

	*k = 1, *n = 1;
	if (!s)
		return 0;
	errno = 0;
	*k = strtoul(s, &end, 10);
	if (!errno && end != s && *end == '/') {
		const char *d = end + 1;
		*n = strtoul(d, &end, 10);
		if (!errno && end != d && !*end && *n >= 1 && *n <= SHARD_MAX && *k >= 1 && *k <= *n && s[0] != '-' &&
		    d[0] != '-')
			return 0;
	}
	return log_status(SMILE_EXIT_USAGE, "--shard '%s' is not K/N with 1 <= K <= N <= %lu (for example 2/8)", s,
			  SHARD_MAX);
}

/* Which of n shards a row belongs to (0-based): by a stable hash of the
 * lowercased e-mail, so every sender, on any machine, agrees. */
static unsigned long shard_of(const struct invite_row *row, unsigned long n)
{
	const char *tab = strchr(row->key, '\t');
	return (unsigned long)(hash_sha256_u64(row->key, (size_t)(tab - row->key)) % n);
}

/* Sorts rows by what the journal knows: done, to look up, or to send. */
static void plan_rows(struct bulk_run *b, unsigned long shard, unsigned long n_shards)
{
	for (size_t i = 0; i < b->in->n_rows; i++) {
		struct invite_row *row = &b->in->rows[i];
		if (n_shards > 1 && shard_of(row, n_shards) != shard - 1) {
			row->result = ROW_OTHER_SHARD;
			continue;
		}
		b->n_in_shard++;
		const struct journal_entry *e = journal_find(b->journal, row->field[INVITE_EMAIL],
							     row->field[INVITE_TEMPLATE_ID]);
		switch (e ? e->state : JOURNAL_NONE) {
		case JOURNAL_SENT:
			if (b->resend) {
				bulk_queue_row(b, row);
				break;
			}
			row->result = ROW_ALREADY_DONE;
			bulk_set_invite_id(row, e->id);
			b->n_already++;
			break;
		case JOURNAL_STARTED: /* in flight when a run died */
		case JOURNAL_UNKNOWN:
			remember_unknown(b, row);
			break;
		case JOURNAL_NONE:
		case JOURNAL_FAILED:
			bulk_queue_row(b, row);
			break;
		}
	}
}

static void run_rounds(struct bulk_run *b)
{
	for (int round = 0; round <= MAX_LOOKUP_ROUNDS && !*b->stop && !b->lookup_failed; round++) {
		if (b->n_unknown && round < MAX_LOOKUP_ROUNDS)
			bulk_resolve_unknown(b);
		if (!b->n_queue || *b->stop)
			break;
		send_queue(b);
		free(b->queue);
		b->queue = NULL;
		b->n_queue = b->next = 0;
	}
}

static int exit_status(const struct bulk_run *b)
{
	size_t pending = 0;

	for (size_t i = 0; i < b->in->n_rows; i++)
		pending += b->in->rows[i].result == ROW_PENDING;
	if (b->fatal)
		return b->fatal;
	if (*b->stop)
		return SMILE_EXIT_INTERRUPTED;
	if (b->n_failed || b->n_still_unknown || pending)
		return SMILE_EXIT_PARTIAL;
	return SMILE_EXIT_OK;
}

static int run_bulk(struct bulk_run *b)
{
	struct sigaction old_int;
	int r = bulk_check_templates(b);

	if (!r && cmd_flag(b->ctx, "check-server"))
		r = bulk_check_server(b);
	if (r)
		return r;
	bulk_results_begin(b);
	cli_catch_interrupt(b->stop, &old_int);
	run_rounds(b);
	cli_release_interrupt(&old_int);
	bulk_results_end(b);
	return exit_status(b);
}

static int journal_error(const char *path, int r)
{
	if (r == -EBUSY)
		return log_status(SMILE_EXIT_FAILURE, "journal '%s' is in use by another run of this command", path);
	if (r == JOURNAL_ERR_FOREIGN)
		return log_status(SMILE_EXIT_USAGE, "'%s' is not a smile journal; refusing to write to it (give --journal a new file)",
				  path);
	return log_status(SMILE_EXIT_FAILURE, "cannot open the journal '%s': %s", path, strerror(-r));
}

static void dry_run_summary(const struct bulk_run *b)
{
	printf("would send %zu invitations from %s (%zu of %zu already done; journal %s)\n",
	       b->n_in_shard - b->n_already, b->in->name, b->n_already, b->n_in_shard, b->journal->path);
}

/* Flags of the single form make no sense with a file. */
static int check_flags(struct cmd_ctx *ctx)
{
	const char *single[] = { "email", "full-name", "first-name", "last-name", "input" };

	for (size_t i = 0; i < sizeof(single) / sizeof(*single); i++)
		if (cmd_flag(ctx, single[i]))
			return log_status(SMILE_EXIT_USAGE, "--%s cannot be used with --file (put it in the file)",
					  single[i]);
	if (cmd_flag(ctx, "resend") && cmd_flag(ctx, "check-server"))
		return log_status(SMILE_EXIT_USAGE, "--resend and --check-server cannot be used together");
	return 0;
}

static int open_journal(struct bulk_run *b, const struct profile *p, const struct invite_defaults *d)
{
	const char *given = cmd_opt(b->ctx, "journal");
	bool dry = b->ctx->g->dry_run;
	int r = invite_record_open(p, given, dry, &b->journal);

	if (r < 0) {
		_cleanup_free_ char *path = given ? xstrdup(given) : invite_record_path(p);
		return journal_error(path, r);
	}
	if ((r = adopt_legacy(b, b->journal)))
		return r;
	if (!given) {
		_cleanup_free_ char *old = legacy_journal_path(b->in, p, d);
		r = adopt_legacy_default(b, old);
	}
	return r;
}

static int send_file(struct cmd_ctx *ctx, struct invite_input *in, const struct invite_defaults *d)
{
	const struct profile *p;
	const char *conc = cmd_opt(ctx, "concurrency");
	struct bulk_run b = { .ctx = ctx, .in = in, .stop = &ctx->stop, .resend = cmd_flag(ctx, "resend"),
			      .concurrency = conc ? atoi(conc) : DEFAULT_CONCURRENCY };
	unsigned long shard, n_shards;
	int r = parse_shard(cmd_opt(ctx, "shard"), &shard, &n_shards);

	if (r || (r = cmd_profile(ctx, &p)))
		return r;
	if (!ctx->g->dry_run && (r = cmd_http(ctx, &b.http)))
		return r;
	if (!(r = open_journal(&b, p, d))) {
		plan_rows(&b, shard, n_shards);
		if (ctx->g->dry_run)
			dry_run_summary(&b);
		else
			r = run_bulk(&b);
	}
	journal_close(b.journal);
	free(b.queue);
	free(b.unknown);
	return r;
}

int invites_send_bulk(struct cmd_ctx *ctx)
{
	struct invite_defaults d = {
		.template_id = cmd_opt(ctx, "template-id") ? cmd_opt(ctx, "template-id") : cmd_opt(ctx, "template"),
		.wink_template_id = cmd_opt(ctx, "wink-template-id") ? cmd_opt(ctx, "wink-template-id")
								     : cmd_opt(ctx, "wink-template"),
	};
	struct invite_input in;
	int r = check_flags(ctx);

	if (r)
		return r;
	r = invite_input_load(cmd_opt(ctx, "file"), &d, &in);
	if (!r)
		r = send_file(ctx, &in, &d);
	invite_input_release(&in);
	return r;
}
