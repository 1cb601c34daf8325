/* SPDX-License-Identifier: MIT */
/*
 * The journal of bulk sends: open any bytes as a journal, append an event,
 * close, and read it again, as a run that dies and is run again would.
 *
 * Input: three bytes (the number of rows, 1..32; the event's row; its
 * state), the event's email up to a NUL, its id up to a NUL, then the file.
 *
 * Properties: a file that is not a journal is refused and left as it was;
 * a journal takes the event, and reading it again gives the event for its
 * row and, for every other row, what the first reading gave.
 */
#include "fuzz.h"

#include "core/journal.h"
#include "core/util.h"

static const enum journal_state states[] = { JOURNAL_STARTED, JOURNAL_SENT, JOURNAL_FAILED, JOURNAL_UNKNOWN };

static bool same_string(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void check_foreign_untouched(const char *path, const uint8_t *data, size_t size)
{
	char *text = NULL;
	size_t len = 0;
	fuzz_assert(read_file_all(path, SIZE_MAX, &text, &len) == 0, "the foreign file is gone");
	fuzz_assert(len == size && !memcmp(text, data, len), "a foreign file was changed");
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	size_t n_rows = 1 + fuzz_byte(&in) % 32;
	size_t row = 1 + fuzz_byte(&in) % n_rows;
	enum journal_state state = states[fuzz_byte(&in) % 4];
	_cleanup_free_ char *email = fuzz_part(&in, NULL);
	_cleanup_free_ char *id = fuzz_part(&in, NULL);
	const char *path = fuzz_path("journal.jsonl");
	struct journal *j = NULL, *back = NULL;

	fuzz_write_file(path, in.p, in.n);
	int r = journal_open(path, n_rows, false, &j);
	if (r == JOURNAL_ERR_FOREIGN) {
		check_foreign_untouched(path, in.p, in.n);
		return 0;
	}
	fuzz_assert(r == 0, "journal_open: %s", strerror(-r));

	struct journal_event ev = { row, state, *email ? email : NULL, *id ? id : NULL, "fuzz" };
	fuzz_assert(journal_append(j, &ev, 1) == 0, "journal_append failed");
	fuzz_assert(journal_open(path, n_rows, true, &back) == 0, "the journal does not open again");
	for (size_t i = 1; i <= n_rows; i++) {
		const struct journal_entry *a = &j->rows[i], *b = &back->rows[i];
		fuzz_assert(a->state == b->state, "row %zu: state %s written, %s read back", i,
			    journal_state_name(a->state), journal_state_name(b->state));
		fuzz_assert(same_string(a->email, b->email), "row %zu: email '%s' written, '%s' read back", i,
			    a->email, b->email);
		fuzz_assert(same_string(a->id, b->id), "row %zu: id '%s' written, '%s' read back", i, a->id, b->id);
	}
	fuzz_assert(back->rows[row].state == state, "the appended event is not the row's state");
	journal_close(back);
	journal_close(j);
	return 0;
}
