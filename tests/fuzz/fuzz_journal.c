/* SPDX-License-Identifier: MIT */
/*
 * The journal of invitations: open any bytes as a journal, append an
 * event, close, and read it again, as a run that dies and is run again
 * would.
 *
 * Input: one byte (the event's state), the event's email up to a NUL, its
 * template id up to a NUL, its id up to a NUL, then the file.
 *
 * Properties: a file that is not a journal is refused and left as it was;
 * an event that is not UTF-8 is refused; a journal takes the event, and reading it again gives the event for its
 * key and, for every other key and every row of the previous format, what
 * the first reading gave.
 */
#include "fuzz.h"

#include "core/journal.h"
#include "core/text.h"
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

static void check_same(const struct journal *j, const struct journal *back)
{
	fuzz_assert(j->n == back->n, "%zu keys written, %zu read back", j->n, back->n);
	for (size_t i = 0; i < j->cap; i++) {
		const struct journal_entry *a = &j->slots[i];
		if (!a->key)
			continue;
		const char *tab = strchr(a->key, '\t');
		_cleanup_free_ char *email = xstrndup(a->key, (size_t)(tab - a->key));
		const struct journal_entry *b = journal_find(back, email, tab + 1);
		fuzz_assert(b && a->state == b->state, "key '%s': state %s written, %s read back", a->key,
			    journal_state_name(a->state), b ? journal_state_name(b->state) : "none");
		fuzz_assert(same_string(a->id, b->id), "key '%s': id '%s' written, '%s' read back", a->key, a->id, b->id);
	}
	fuzz_assert(j->n_legacy == back->n_legacy, "%zu legacy rows written, %zu read back", j->n_legacy,
		    back->n_legacy);
	for (size_t i = 0; i < j->n_legacy; i++) {
		const struct journal_legacy_row *a = &j->legacy[i], *b = journal_legacy_row(back, a->row);
		fuzz_assert(b && a->state == b->state && same_string(a->email, b->email) && same_string(a->id, b->id),
			    "legacy row %zu differs when read back", a->row);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_input in = { data, size };
	enum journal_state state = states[fuzz_byte(&in) % 4];
	_cleanup_free_ char *email = fuzz_part(&in, NULL);
	_cleanup_free_ char *tpl = fuzz_part(&in, NULL);
	_cleanup_free_ char *id = fuzz_part(&in, NULL);
	const char *path = fuzz_path("journal.jsonl");
	_cleanup_free_ char *lock = xasprintf("%s.lock", path);
	struct journal *j = NULL, *back = NULL;

	fuzz_write_file(path, in.p, in.n);
	int r = journal_open(path, false, &j);
	if (r == JOURNAL_ERR_FOREIGN) {
		check_foreign_untouched(path, in.p, in.n);
		unlink(lock);
		return 0;
	}
	fuzz_assert(r == 0, "journal_open: %s", strerror(-r));

	struct journal_event ev = { email, tpl, state, *id ? id : NULL, "fuzz" };
	r = journal_append(j, &ev, 1);
	if (!utf8_is_valid(email, strlen(email)) || !utf8_is_valid(tpl, strlen(tpl)) || !utf8_is_valid(id, strlen(id))) {
		fuzz_assert(r == -EILSEQ, "an event that is not UTF-8 was taken");
		journal_close(j);
		unlink(lock);
		return 0;
	}
	fuzz_assert(r == 0, "journal_append failed: %s", strerror(-r));
	fuzz_assert(journal_open(path, true, &back) == 0, "the journal does not open again");
	check_same(j, back);
	const struct journal_entry *e = journal_find(back, email, tpl);
	fuzz_assert(e && e->state == state, "the appended event is not the key's state");
	journal_close(back);
	journal_close(j);
	unlink(lock);
	return 0;
}
