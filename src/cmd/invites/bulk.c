/* SPDX-License-Identifier: MIT */
/*
 * Sending the rows of `invites send --file` exactly once.
 *
 * Every row goes through the journal (core/journal.h): "started" is made
 * durable before its request goes out, the outcome before the row counts as
 * done. A row whose outcome is unknown (the server may have created the
 * invite although the answer got lost) is never simply sent again: one paged
 * scan of GET /invites looks for all such rows at once, by e-mail and
 * template, and only those not found are sent again. That loop runs a few
 * rounds; what is still unknown after them is left for the next run.
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
#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/invites/bulk.h"
#include "core/csv.h"
#include "core/journal.h"
#include "core/progress.h"
#include "core/util.h"

#define DEFAULT_CONCURRENCY 8
/* Rounds of "look up the unknown rows, send the missing ones again". */
#define MAX_LOOKUP_ROUNDS 6

static const char *const result_columns[] = { "row", "email", "status", "inviteId", "error", NULL };

struct bulk_run {
	struct cmd_ctx *ctx;
	struct invite_input *in;
	struct http_client *http;
	struct journal *journal;
	struct output *out;
	struct progress progress;
	volatile bool *stop;         /* the client's stop flag (ctx->stop), set on Ctrl-C */
	int concurrency;
	/* Rows of the current sending pass, started in this order. */
	struct invite_row **queue;
	size_t n_queue, next;
	/* Rows whose outcome is unknown: input of the next lookup. */
	struct invite_row **unknown;
	size_t n_unknown;
	size_t n_invited, n_failed, n_already, n_still_unknown;
	int fatal;                   /* exit status that ends the run early, or 0 */
	bool lookup_failed;          /* no more rounds: unknown rows stay unknown */
};

/* ---- results ---- */

static const char *result_name(enum row_result r)
{
	switch (r) {
	case ROW_INVITED: return "invited";
	case ROW_ALREADY_DONE: return "already-invited";
	case ROW_FAILED: return "failed";
	case ROW_UNKNOWN: return "unknown";
	case ROW_INTERRUPTED: return "interrupted";
	case ROW_PENDING: break;
	}
	return "pending";
}

/* One line of the result on stdout, and the progress line. */
static void emit_result(struct bulk_run *b, struct invite_row *row)
{
	json_object *item = json_object_new_object();

	json_object_object_add(item, "row", json_object_new_int64((int64_t)row->index));
	json_object_object_add(item, "line", json_object_new_int64((int64_t)row->line));
	json_object_object_add(item, "email", json_object_new_string(row->field[INVITE_EMAIL]));
	json_object_object_add(item, "status", json_object_new_string(result_name(row->result)));
	json_object_object_add(item, "inviteId", row->invite_id ? json_object_new_string(row->invite_id) : NULL);
	json_object_object_add(item, "error", row->error ? json_object_new_string(row->error) : NULL);
	/* A closed stdout (| head) must not stop the sending: the journal and
	 * the summary still tell what happened. */
	output_item(b->out, item);
	json_object_put(item);
	if (row->result == ROW_INVITED)
		b->progress.sent++;
	else if (row->result == ROW_FAILED || row->result == ROW_UNKNOWN)
		b->progress.failed++;
	progress_update(&b->progress, now_monotonic(), false);
}

static void set_error(struct invite_row *row, const char *error)
{
	free(row->error);
	row->error = error ? xstrdup(error) : NULL;
}

static void set_invite_id(struct invite_row *row, const char *id)
{
	free(row->invite_id);
	row->invite_id = id ? xstrdup(id) : NULL;
}

static struct journal_event row_event(const struct invite_row *row, enum journal_state state)
{
	return (struct journal_event){
		.row = row->index,
		.state = state,
		.email = row->field[INVITE_EMAIL],
		.id = row->invite_id,
		.error = row->error,
	};
}

/* A journal that cannot be written ends the run: going on would send
 * rows whose outcome no later run could know. */
static bool journal_write(struct bulk_run *b, const struct journal_event *ev, size_t n)
{
	int r = journal_append(b->journal, ev, n);

	if (r < 0 && !b->fatal) {
		progress_clear(&b->progress);
		log_error("cannot write the journal '%s': %s", b->journal->path, strerror(-r));
		b->fatal = SMILE_EXIT_FAILURE;
		*b->stop = true;
	}
	return r == 0;
}

/* ---- sending ---- */

static void on_sent(void *ctx, const struct http_request *req, struct http_response *resp);

static void submit_row(struct bulk_run *b, struct invite_row *row)
{
	row->run = b;
	row->req = (struct http_request){ .method = "POST", .path = "/invites", .body = row->body };
	http_submit(b->http, &row->req, on_sent, row);
}

static void remember_unknown(struct bulk_run *b, struct invite_row *row)
{
	b->unknown = xrealloc(b->unknown, (b->n_unknown + 1) * sizeof(*b->unknown));
	b->unknown[b->n_unknown++] = row;
}

/* Sorts the answer into the row's result; returns the journal state. */
static enum journal_state classify(struct bulk_run *b, struct invite_row *row, const struct http_response *resp)
{
	if (resp->failure == HTTP_OK) {
		json_object *id = resp->data ? json_get_path(resp->data, "id") : NULL;
		row->result = ROW_INVITED;
		set_invite_id(row, id ? json_object_get_string(id) : NULL);
		set_error(row, NULL);
		return JOURNAL_SENT;
	}
	set_error(row, resp->error ? resp->error : "request failed");
	if (resp->outcome_unknown) {
		row->result = ROW_UNKNOWN;
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
	ev[n++] = row_event(row, classify(b, row, resp));
	/* The next row's "started" rides on the same write and fdatasync. */
	if (!*b->stop && b->next < b->n_queue) {
		next = b->queue[b->next++];
		ev[n++] = row_event(next, JOURNAL_STARTED);
	}
	if (!journal_write(b, ev, n))
		return;
	if (row->result == ROW_INVITED || row->result == ROW_FAILED)
		emit_result(b, row);
	if (row->result == ROW_INVITED)
		b->n_invited++;
	else if (row->result == ROW_FAILED)
		b->n_failed++;
	if (next)
		submit_row(b, next);
}

/* Sends the queued rows, at most concurrency at a time. */
static void send_queue(struct bulk_run *b)
{
	size_t first = b->n_queue < (size_t)b->concurrency ? b->n_queue : (size_t)b->concurrency;
	struct journal_event *ev = xcalloc(first ? first : 1, sizeof(*ev));

	for (size_t i = 0; i < first; i++)
		ev[i] = row_event(b->queue[i], JOURNAL_STARTED);
	b->next = first;
	if (first && journal_write(b, ev, first))
		for (size_t i = 0; i < first; i++)
			submit_row(b, b->queue[i]);
	free(ev);
	if (http_run(b->http, b->concurrency, b->stop) < 0 && !b->fatal)
		b->fatal = SMILE_EXIT_FAILURE;
}

static void queue_row(struct bulk_run *b, struct invite_row *row)
{
	b->queue = xrealloc(b->queue, (b->n_queue + 1) * sizeof(*b->queue));
	b->queue[b->n_queue++] = row;
	row->result = ROW_PENDING;
}

/* ---- looking up rows of unknown outcome ---- */

struct key_index {
	struct invite_row **slots;
	size_t mask;
};

static size_t hash_str(const char *s)
{
	size_t h = 14695981039346656037u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static void index_build(struct key_index *ix, struct invite_row **rows, size_t n)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap *= 2;
	ix->slots = xcalloc(cap, sizeof(*ix->slots));
	ix->mask = cap - 1;
	for (size_t k = 0; k < n; k++) {
		size_t i = hash_str(rows[k]->key) & ix->mask;
		while (ix->slots[i])
			i = (i + 1) & ix->mask;
		ix->slots[i] = rows[k];
	}
}

static struct invite_row *index_find(const struct key_index *ix, const char *key)
{
	for (size_t i = hash_str(key) & ix->mask; ix->slots[i]; i = (i + 1) & ix->mask)
		if (!strcmp(ix->slots[i]->key, key))
			return ix->slots[i];
	return NULL;
}

/* Marks the unknown rows the invites of a page belong to. */
static int match_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	const struct key_index *ix = ctx;
	(void)resp;

	for (size_t i = 0; i < n_take; i++) {
		json_object *item = json_object_array_get_idx(items, i);
		json_object *email = json_get_path(item, "email"), *tpl = json_get_path(item, "templateId");
		json_object *id = json_get_path(item, "id");
		if (!email || !tpl)
			continue;
		char *key = xasprintf("%s\t%s", json_object_get_string(email), json_object_get_string(tpl));
		for (char *p = key; *p != '\t'; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
		struct invite_row *row = index_find(ix, key);
		if (row && !row->invite_id && id)
			set_invite_id(row, json_object_get_string(id));
		free(key);
	}
	return 0;
}

/* One walk of GET /invites over every unknown row; the HTTP client retries
 * a failed page (a GET is safe to repeat), the walk is not started over.
 * 0, or the exit status of the failure (message in *error). */
static int scan_invites(struct bulk_run *b, struct key_index *ix, char **error)
{
	struct page_walk_opts opts = { .http = b->http, .path = "/invites", .size = PAGE_SIZE_MAX,
				       .all = true, .limit = -1 };
	struct page_walk w;

	page_walk_init(&w, &opts, match_page, ix);
	int r = page_walk_run(&w);
	if (r)
		*error = xstrdup(page_walk_error(&w) ? page_walk_error(&w) : "the invite list could not be read");
	page_walk_release(&w);
	return r;
}

/* Rows found are done; the others are queued to be sent again. When the
 * scan fails they stay unknown: sending them could invite twice. */
static void resolve_unknown(struct bulk_run *b)
{
	struct key_index ix;
	char *error = NULL;
	struct journal_event *ev = xcalloc(b->n_unknown, sizeof(*ev));
	size_t n_found = 0;

	for (size_t i = 0; i < b->n_unknown; i++)
		set_invite_id(b->unknown[i], NULL);
	index_build(&ix, b->unknown, b->n_unknown);
	int r = scan_invites(b, &ix, &error);
	free(ix.slots);
	if (r || *b->stop) {
		for (size_t i = 0; i < b->n_unknown; i++) {
			_cleanup_free_ char *why = xasprintf("may have been invited; looking it up failed: %s",
							     error ? error : "interrupted");
			set_error(b->unknown[i], why);
			set_invite_id(b->unknown[i], NULL);
		}
		free(error);
		free(ev);
		b->lookup_failed = true;
		return;
	}
	for (size_t i = 0; i < b->n_unknown; i++) {
		struct invite_row *row = b->unknown[i];
		if (!row->invite_id) {
			queue_row(b, row);
			continue;
		}
		row->result = ROW_INVITED;
		set_error(row, NULL);
		ev[n_found++] = row_event(row, JOURNAL_SENT);
	}
	if (journal_write(b, ev, n_found)) {
		for (size_t i = 0; i < b->n_unknown; i++)
			if (b->unknown[i]->result == ROW_INVITED) {
				b->n_invited++;
				emit_result(b, b->unknown[i]);
			}
	}
	free(ev);
	b->n_unknown = 0;
}

/* ---- Ctrl-C ---- */

/* ---- where the journal and the failed rows go ---- */

static void hash_add(uint64_t *h, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		*h = (*h ^ (unsigned char)s[i]) * 1099511628211u;
	*h = (*h ^ 0xff) * 1099511628211u; /* separator: ("ab","c") != ("a","bc") */
}

static void hash_str_add(uint64_t *h, const char *s)
{
	hash_add(h, s ? s : "", s ? strlen(s) : 0);
}

/* state_directory()/invites-<hash>.jsonl: found again from any directory.
 * The hash covers what decides what is sent, and where; never the secret. */
static char *default_journal_path(const struct invite_input *in, const struct profile *p,
				  const struct invite_defaults *d)
{
	uint64_t h = 14695981039346656037u;
	_cleanup_free_ char *dir = state_directory();

	hash_add(&h, in->text, in->len);
	hash_str_add(&h, p->base_url);
	hash_str_add(&h, p->name);
	hash_str_add(&h, d->template_id);
	hash_str_add(&h, d->wink_template_id);
	return xasprintf("%s/invites-%016llx.jsonl", dir, (unsigned long long)h);
}

/* <input name without .csv/.jsonl/.ndjson>.failed.csv, in the current
 * directory, where the operator will look for it. */
static char *default_failed_path(const struct invite_input *in)
{
	const char *base = strrchr(in->name, '/') ? strrchr(in->name, '/') + 1 : in->name;
	size_t len = strlen(base);
	const char *exts[] = { ".csv", ".jsonl", ".ndjson" };

	for (size_t i = 0; i < 3; i++)
		if (str_ends_with(base, exts[i]) && len > strlen(exts[i])) {
			len -= strlen(exts[i]);
			break;
		}
	return xasprintf("%.*s.failed.csv", (int)len, base);
}

/* The rows that certainly were not invited, as CSV that --file takes. */
static int write_failed_rows(const struct bulk_run *b, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	for (int i = 0; i < INVITE_N_FIELDS; i++)
		fprintf(f, "%s%s", i ? "," : "", invite_field_names[i]);
	fputc('\n', f);
	for (size_t r = 0; r < b->in->n_rows; r++) {
		const struct invite_row *row = &b->in->rows[r];
		if (row->result != ROW_FAILED)
			continue;
		for (int i = 0; i < INVITE_N_FIELDS; i++) {
			if (i)
				fputc(',', f);
			csv_write_field(f, row->field[i]);
		}
		fputc('\n', f);
	}
	fclose(f);
	int e = write_file_atomic(path, buf, len, 0600);
	free(buf);
	return e;
}

/* ---- the run ---- */

static int check_journal_fits(const struct bulk_run *b)
{
	for (size_t i = 0; i < b->in->n_rows; i++) {
		const struct invite_row *row = &b->in->rows[i];
		const struct journal_entry *e = &b->journal->rows[row->index];
		if (e->state != JOURNAL_NONE && e->email && strcmp(e->email, row->field[INVITE_EMAIL]))
			return log_status(SMILE_EXIT_USAGE,
					  "journal '%s' belongs to another input: its row %zu is %s, not %s",
					  b->journal->path, row->index, e->email, row->field[INVITE_EMAIL]);
	}
	return 0;
}

/* Sorts rows by what the journal knows: done, to look up, or to send. */
static void plan_rows(struct bulk_run *b)
{
	for (size_t i = 0; i < b->in->n_rows; i++) {
		struct invite_row *row = &b->in->rows[i];
		const struct journal_entry *e = &b->journal->rows[row->index];
		switch (e->state) {
		case JOURNAL_SENT:
			row->result = ROW_ALREADY_DONE;
			set_invite_id(row, e->id);
			b->n_already++;
			break;
		case JOURNAL_STARTED: /* in flight when a run died */
		case JOURNAL_UNKNOWN:
			row->result = ROW_UNKNOWN;
			remember_unknown(b, row);
			break;
		case JOURNAL_NONE:
		case JOURNAL_FAILED:
			queue_row(b, row);
			break;
		}
	}
}

static void run_rounds(struct bulk_run *b)
{
	for (int round = 0; round <= MAX_LOOKUP_ROUNDS && !*b->stop && !b->lookup_failed; round++) {
		if (b->n_unknown && round < MAX_LOOKUP_ROUNDS)
			resolve_unknown(b);
		if (!b->n_queue || *b->stop)
			break;
		send_queue(b);
		free(b->queue);
		b->queue = NULL;
		b->n_queue = b->next = 0;
	}
}

/* Rows whose outcome stayed unknown are reported last. */
static void report_leftovers(struct bulk_run *b)
{
	for (size_t i = 0; i < b->in->n_rows; i++) {
		struct invite_row *row = &b->in->rows[i];
		if (row->result != ROW_UNKNOWN)
			continue;
		if (!row->error || !str_starts_with(row->error, "may have been invited")) {
			_cleanup_free_ char *why = xasprintf("may have been invited (%s); run the same command again "
							     "to look it up", row->error ? row->error : "no answer");
			set_error(row, why);
		}
		b->n_still_unknown++;
		emit_result(b, row);
	}
}

static size_t count_result(const struct bulk_run *b, enum row_result r)
{
	size_t n = 0;
	for (size_t i = 0; i < b->in->n_rows; i++)
		n += b->in->rows[i].result == r;
	return n;
}

static void print_summary(const struct bulk_run *b, const char *failed_path)
{
	size_t not_sent = count_result(b, ROW_PENDING) + count_result(b, ROW_INTERRUPTED);
	struct strbuf sb = STRBUF_INIT;

	strbuf_addf(&sb, "%zu invited, %zu failed, %zu already done", b->n_invited, b->n_failed, b->n_already);
	if (b->n_still_unknown)
		strbuf_addf(&sb, ", %zu unknown", b->n_still_unknown);
	if (not_sent)
		strbuf_addf(&sb, ", %zu not sent", not_sent);
	strbuf_addf(&sb, " (journal %s)", b->journal->path);
	if (failed_path)
		strbuf_addf(&sb, "; failed rows in %s", failed_path);
	log_error("%s", sb.buf);
	strbuf_release(&sb);
}

static int exit_status(const struct bulk_run *b)
{
	if (b->fatal)
		return b->fatal;
	if (*b->stop)
		return SMILE_EXIT_INTERRUPTED;
	if (b->n_failed || b->n_still_unknown || count_result(b, ROW_PENDING))
		return SMILE_EXIT_PARTIAL;
	return SMILE_EXIT_OK;
}

/* Writes the failed rows (or removes the default file a previous run left,
 * which would now be stale). Returns the path written, or NULL. */
static char *finish_failed_file(struct bulk_run *b)
{
	const char *given = cmd_opt(b->ctx, "failed");
	char *path = given ? xstrdup(given) : default_failed_path(b->in);

	if (!b->n_failed) {
		if (!given)
			unlink(path);
		free(path);
		return NULL;
	}
	int r = write_failed_rows(b, path);
	if (r < 0) {
		log_error("cannot write the failed rows to '%s': %s", path, strerror(-r));
		free(path);
		return NULL;
	}
	return path;
}

static int run_bulk(struct bulk_run *b)
{
	struct output_opts oo;
	struct sigaction old_int;

	plan_rows(b);
	cmd_output_opts(b->ctx, &oo, result_columns);
	b->out = output_begin(&oo, stdout, true);
	for (size_t i = 0; i < b->in->n_rows; i++)
		if (b->in->rows[i].result == ROW_ALREADY_DONE)
			emit_result(b, &b->in->rows[i]);
	progress_init(&b->progress, stderr, isatty(STDERR_FILENO), b->in->n_rows - b->n_already, now_monotonic());
	cli_catch_interrupt(b->stop, &old_int);
	run_rounds(b);
	cli_release_interrupt(&old_int);
	progress_clear(&b->progress);
	report_leftovers(b);
	output_end(b->out);
	b->out = NULL;
	char *failed_path = finish_failed_file(b);
	print_summary(b, failed_path);
	free(failed_path);
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

static int dry_run_summary(const struct invite_input *in, const char *journal_path)
{
	struct journal *j = NULL;
	size_t done = 0;
	int r = journal_open(journal_path, in->n_rows, true, &j);

	if (r < 0)
		return journal_error(journal_path, r);
	for (size_t i = 1; i <= in->n_rows; i++)
		done += j->rows[i].state == JOURNAL_SENT;
	printf("would send %zu invitations from %s (%zu of %zu already done; journal %s)\n", in->n_rows - done,
	       in->name, done, in->n_rows, journal_path);
	journal_close(j);
	return 0;
}

/* Flags of the single form make no sense with a file. */
static int check_flags(struct cmd_ctx *ctx)
{
	const char *single[] = { "email", "full-name", "first-name", "last-name", "input" };

	for (size_t i = 0; i < sizeof(single) / sizeof(*single); i++)
		if (cmd_flag(ctx, single[i]))
			return log_status(SMILE_EXIT_USAGE, "--%s cannot be used with --file (put it in the file)",
					  single[i]);
	return 0;
}

static int send_file(struct cmd_ctx *ctx, struct invite_input *in, const struct invite_defaults *d)
{
	const struct profile *p;
	const char *conc = cmd_opt(ctx, "concurrency");
	struct bulk_run b = { .ctx = ctx, .in = in, .stop = &ctx->stop, .concurrency = conc ? atoi(conc) : DEFAULT_CONCURRENCY };
	int r = cmd_profile(ctx, &p);

	if (r)
		return r;
	_cleanup_free_ char *journal_path = cmd_opt(ctx, "journal") ? xstrdup(cmd_opt(ctx, "journal"))
								     : default_journal_path(in, p, d);
	if (ctx->g->dry_run)
		return dry_run_summary(in, journal_path);
	if ((r = cmd_http(ctx, &b.http)))
		return r;
	r = journal_open(journal_path, in->n_rows, false, &b.journal);
	if (r < 0)
		return journal_error(journal_path, r);
	r = check_journal_fits(&b);
	if (!r)
		r = run_bulk(&b);
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
