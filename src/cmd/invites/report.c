/* SPDX-License-Identifier: MIT */
/*
 * What a bulk send tells: one result per row on stdout, in input order
 * (a row waits only for the rows before it still in flight or being looked
 * up), the progress line on stderr, the errors grouped (one line for 500
 * rows refused alike), the failed-rows file and the summary.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "cmd/invites/bulk.h"
#include "core/csv.h"
#include "core/hash.h"
#include "core/journal.h"
#include "core/util.h"

static const char *const result_columns[] = { "row", "email", "status", "inviteId", "error", NULL };

static const char *result_name(enum row_result r)
{
	switch (r) {
	case ROW_INVITED: return "invited";
	case ROW_ALREADY_DONE: return "already-invited";
	case ROW_FAILED: return "failed";
	case ROW_UNKNOWN: return "unknown";
	case ROW_INTERRUPTED: return "interrupted";
	case ROW_OTHER_SHARD: return "other-shard";
	case ROW_PENDING: break;
	}
	return "pending";
}

static void print_row(struct bulk_run *b, const struct invite_row *row)
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
}

/* Final now: invited, done before, failed. Unknown rows may still be found
 * by a lookup, so they wait (and the rows after them) until the end. */
static bool is_final(enum row_result r)
{
	return r == ROW_INVITED || r == ROW_ALREADY_DONE || r == ROW_FAILED || r == ROW_OTHER_SHARD;
}

static void print_ready(struct bulk_run *b, bool at_end)
{
	for (; b->emit_next < b->in->n_rows; b->emit_next++) {
		const struct invite_row *row = &b->in->rows[b->emit_next];
		if (row->result == ROW_OTHER_SHARD)
			continue;
		if (is_final(row->result) || (at_end && row->result == ROW_UNKNOWN))
			print_row(b, row);
		else if (!at_end)
			return;
	}
}

void bulk_results_begin(struct bulk_run *b)
{
	struct output_opts oo;

	cmd_output_opts(b->ctx, &oo, result_columns);
	b->out = output_begin(&oo, stdout, true);
	print_ready(b, false);
	progress_init(&b->progress, stderr, isatty(STDERR_FILENO), b->n_in_shard - b->n_already, now_monotonic());
}

void bulk_row_done(struct bulk_run *b, struct invite_row *row)
{
	if (!row->counted && row->result != ROW_ALREADY_DONE) {
		row->counted = true;
		if (row->result == ROW_INVITED)
			b->progress.sent++;
		else
			b->progress.failed++;
	}
	progress_update(&b->progress, now_monotonic(), false);
	print_ready(b, false);
}

/* ---- errors, grouped ---- */

struct error_group {
	const char *error;       /* borrowed from the first row */
	size_t len;              /* what is compared: without the requestId */
	const struct invite_row *first;
	size_t n;
};

/* Errors that differ only in the server's request id are the same. */
static size_t reason_length(const char *error)
{
	const char *rid = strstr(error, " (requestId ");
	return rid ? (size_t)(rid - error) : strlen(error);
}

static uint64_t hash_reason(const char *s, size_t len)
{
	_cleanup_free_ char *copy = xstrndup(s, len);
	return fnv1a_str(copy);
}

/* Groups the rows that failed or stayed unknown by their reason, in the
 * order the reasons first appear. */
static size_t group_errors(const struct bulk_run *b, struct error_group **out)
{
	struct error_group *g = NULL;
	size_t n = 0, cap = 0;
	size_t slots_cap = 16;

	while (slots_cap < b->in->n_rows * 2)
		slots_cap *= 2;
	size_t *slots = xcalloc(slots_cap, sizeof(*slots)); /* group index + 1 */
	for (size_t i = 0; i < b->in->n_rows; i++) {
		const struct invite_row *row = &b->in->rows[i];
		if ((row->result != ROW_FAILED && row->result != ROW_UNKNOWN) || !row->error)
			continue;
		size_t len = reason_length(row->error);
		size_t k = hash_reason(row->error, len) & (slots_cap - 1);
		while (slots[k] && (g[slots[k] - 1].len != len || memcmp(g[slots[k] - 1].error, row->error, len)))
			k = (k + 1) & (slots_cap - 1);
		if (!slots[k]) {
			if (n == cap)
				g = xrealloc(g, (cap = cap ? 2 * cap : 8) * sizeof(*g));
			g[n++] = (struct error_group){ .error = row->error, .len = len, .first = row };
			slots[k] = n;
		}
		g[slots[k] - 1].n++;
	}
	free(slots);
	*out = g;
	return n;
}

/* Every reason in full on stderr, once: a table cuts long cells. */
static void print_error_groups(const struct bulk_run *b)
{
	struct error_group *g;
	size_t n = group_errors(b, &g);

	for (size_t i = 0; i < n; i++) {
		if (g[i].n == 1)
			log_error("row %zu (%s): %s", g[i].first->index, g[i].first->field[INVITE_EMAIL], g[i].error);
		else if (g[i].n == b->n_in_shard)
			log_error("%.*s: on all %zu rows", (int)g[i].len, g[i].error, g[i].n);
		else
			log_error("%.*s: on %zu rows (the first: row %zu, %s)", (int)g[i].len, g[i].error, g[i].n,
				  g[i].first->index, g[i].first->field[INVITE_EMAIL]);
	}
	free(g);
}

/* ---- the failed rows ---- */

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

/* The rows that certainly were not invited, as CSV that --file takes: each
 * as the user gave it (a value a flag filled in is left out, so the file
 * goes back with a corrected flag), and why it failed. */
static int write_failed_rows(const struct bulk_run *b, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return -ENOMEM;
	for (int i = 0; i < INVITE_N_FIELDS; i++)
		fprintf(f, "%s,", invite_field_names[i]);
	fputs(INVITE_ERROR_COLUMN "\n", f);
	for (size_t r = 0; r < b->in->n_rows; r++) {
		const struct invite_row *row = &b->in->rows[r];
		if (row->result != ROW_FAILED)
			continue;
		for (int i = 0; i < INVITE_N_FIELDS; i++) {
			csv_write_field(f, row->defaulted[i] ? NULL : row->field[i]);
			fputc(',', f);
		}
		csv_write_field(f, row->error);
		fputc('\n', f);
	}
	fclose(f);
	int e = write_file_atomic(path, buf, len, 0600);
	free(buf);
	return e;
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

/* ---- the end ---- */

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
	if (not_sent || b->n_still_unknown)
		strbuf_addf(&sb, "; run the same command again to finish the %zu left", not_sent + b->n_still_unknown);
	log_error("%s", sb.buf);
	strbuf_release(&sb);
}

/* Rows whose outcome stayed unknown say what to do about it. */
static void explain_leftovers(struct bulk_run *b)
{
	for (size_t i = 0; i < b->in->n_rows; i++) {
		struct invite_row *row = &b->in->rows[i];
		if (row->result != ROW_UNKNOWN)
			continue;
		if (!row->error || !str_starts_with(row->error, "may have been invited")) {
			_cleanup_free_ char *why = xasprintf("may have been invited (%s); run the same command again "
							     "to look it up", row->error ? row->error : "no answer");
			bulk_set_error(row, why);
		}
		b->n_still_unknown++;
	}
}

void bulk_results_end(struct bulk_run *b)
{
	progress_clear(&b->progress);
	explain_leftovers(b);
	print_ready(b, true);
	output_end(b->out);
	b->out = NULL;
	print_error_groups(b);
	char *failed_path = finish_failed_file(b);
	print_summary(b, failed_path);
	free(failed_path);
}
