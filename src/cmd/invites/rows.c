/* SPDX-License-Identifier: MIT */
/*
 * A row of `invites send --file` and what is known of it: its invite id or
 * error, its place in the sending queue, and its journal event. Sending
 * (bulk.c), the lookups (lookup.c) and the results (report.c) all change
 * rows; none of them owns the row's state, so none calls back into another.
 */
#include <string.h>

#include "cli/status.h"
#include "cmd/invites/bulk.h"
#include "core/journal.h"
#include "core/util.h"

void bulk_set_error(struct invite_row *row, const char *error)
{
	free(row->error);
	row->error = error ? xstrdup(error) : NULL;
}

void bulk_set_invite_id(struct invite_row *row, const char *id)
{
	free(row->invite_id);
	row->invite_id = id ? xstrdup(id) : NULL;
}

void bulk_queue_row(struct bulk_run *b, struct invite_row *row)
{
	b->queue = xrealloc(b->queue, (b->n_queue + 1) * sizeof(*b->queue));
	b->queue[b->n_queue++] = row;
	row->result = ROW_PENDING;
}

struct journal_event bulk_row_event(const struct invite_row *row, enum journal_state state)
{
	return (struct journal_event){
		.email = row->field[INVITE_EMAIL],
		.template_id = row->field[INVITE_TEMPLATE_ID],
		.state = state,
		.id = row->invite_id,
		.error = row->error,
	};
}

/* A journal that cannot be written ends the run: going on would send
 * rows whose outcome no later run could know. */
bool bulk_journal_write(struct bulk_run *b, const struct journal_event *ev, size_t n)
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
