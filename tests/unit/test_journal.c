/* SPDX-License-Identifier: MIT */
/* The invite journal: append, reload, last state wins per (email, template),
 * the lock, a torn last line after a crash is ignored and cut, read-only
 * loading, the previous per-row format, compaction. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/journal.h"
#include "core/util.h"
#include "tap.h"

static char dir[] = "/tmp/smile-test-journal.XXXXXX";

static char *path_in_dir(const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

static void append(struct journal *j, const char *email, const char *tpl, enum journal_state s, const char *id)
{
	struct journal_event ev = { .email = email, .template_id = tpl, .state = s, .id = id };
	CHECK(journal_append(j, &ev, 1) == 0, "append an event");
}

static enum journal_state state_of(const struct journal *j, const char *email, const char *tpl)
{
	const struct journal_entry *e = journal_find(j, email, tpl);
	return e ? e->state : JOURNAL_NONE;
}

static void test_append_and_reload(void)
{
	_cleanup_free_ char *path = path_in_dir("sub/dir/j.jsonl");
	struct journal *j = NULL;

	CHECK(journal_open(path, false, &j) == 0, "open creates the file and its directories");
	CHECK(state_of(j, "a@x.io", "t1") == JOURNAL_NONE, "a new journal knows nothing");
	append(j, "a@x.io", "t1", JOURNAL_STARTED, NULL);
	append(j, "a@x.io", "t1", JOURNAL_SENT, "iv-1");
	append(j, "b@x.io", "t1", JOURNAL_STARTED, NULL);
	struct journal_event two[] = {
		{ .email = "b@x.io", .template_id = "t1", .state = JOURNAL_UNKNOWN, .error = "HTTP 500" },
		{ .email = "c@x.io", .template_id = "t1", .state = JOURNAL_FAILED, .error = "HTTP 400" },
	};
	CHECK(journal_append(j, two, 2) == 0, "append two events in one write");
	CHECK(state_of(j, "a@x.io", "t1") == JOURNAL_SENT, "state in memory follows appends");
	journal_close(j);

	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the journal is private (0600)");

	CHECK(journal_open(path, false, &j) == 0, "reopen");
	CHECK(state_of(j, "A@X.io", "t1") == JOURNAL_SENT, "a@x.io: last state wins, e-mail without case");
	CHECK(state_of(j, "a@x.io", "t2") == JOURNAL_NONE, "another template is another invitation");
	CHECK_STR(journal_find(j, "a@x.io", "t1")->id, "iv-1", "a@x.io keeps its invite id");
	CHECK(state_of(j, "b@x.io", "t1") == JOURNAL_UNKNOWN, "b: unknown after started");
	CHECK(state_of(j, "c@x.io", "t1") == JOURNAL_FAILED, "c: failed");
	CHECK(j->ignored_lines == 0, "nothing ignored");
	append(j, "c@x.io", "t1", JOURNAL_SENT, "iv-3");
	struct journal *other = NULL;
	CHECK(journal_open(path, false, &other) == -EBUSY, "a second writer is refused while the first holds it");
	journal_close(j);
	CHECK(journal_open(path, true, &j) == 0, "reopen read-only");
	CHECK(state_of(j, "c@x.io", "t1") == JOURNAL_SENT, "a failed key sent later is sent");
	struct journal_event ev = { .email = "a@x.io", .template_id = "t1", .state = JOURNAL_SENT };
	CHECK(journal_append(j, &ev, 1) < 0, "a read-only journal refuses appends");
	journal_close(j);
}

static void write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, text, strlen(text)) == (ssize_t)strlen(text), "write a journal by hand");
	if (fd >= 0)
		close(fd);
}

static void test_torn_last_line(void)
{
	_cleanup_free_ char *path = path_in_dir("torn.jsonl");
	struct journal *j = NULL;

	write_text(path, "{\"email\":\"a@x.io\",\"templateId\":\"t\",\"state\":\"started\"}\n"
			 "{\"email\":\"a@x.io\",\"templateId\":\"t\",\"state\":\"sent\",\"inviteId\":\"iv-1\"}\n"
			 "{\"email\":\"b@x.io\",\"templateId\":\"t\",\"state\":\"started\"}\n"
			 "{\"email\":\"b@x.io\",\"templateId\":\"t\",\"state\":\"se");
	CHECK(journal_open(path, false, &j) == 0, "open a journal with a torn last line");
	CHECK(state_of(j, "a@x.io", "t") == JOURNAL_SENT, "complete lines count");
	CHECK(state_of(j, "b@x.io", "t") == JOURNAL_STARTED, "the torn line is ignored: b is still started");
	CHECK(j->ignored_lines == 1, "one line ignored");
	append(j, "b@x.io", "t", JOURNAL_SENT, "iv-2");
	journal_close(j);

	CHECK(journal_open(path, true, &j) == 0, "reopen after appending");
	CHECK(j->ignored_lines == 0, "the torn tail was cut before appending");
	CHECK(state_of(j, "b@x.io", "t") == JOURNAL_SENT, "the event after the cut reads back");
	CHECK_STR(journal_find(j, "b@x.io", "t")->id, "iv-2", "with its id");
	journal_close(j);
}

/* The previous format: events by input row, no template. */
static void test_legacy_rows(void)
{
	_cleanup_free_ char *path = path_in_dir("legacy.jsonl");
	struct journal *j = NULL;

	write_text(path, "{\"row\":1,\"email\":\"a@x.io\",\"state\":\"started\"}\n"
			 "not json\n"
			 "{\"row\":\"1\",\"state\":\"sent\"}\n"
			 "{\"row\":1,\"state\":\"exploded\"}\n"
			 "\n"
			 "{\"row\":1,\"email\":\"a@x.io\",\"state\":\"sent\",\"inviteId\":\"iv-1\"}\n"
			 "{\"row\":0,\"state\":\"sent\"}\n"
			 "{\"row\":3,\"email\":\"c@x.io\",\"state\":\"failed\"}\n"
			 "{\"row\":999999999999999,\"state\":\"sent\"}\n");
	CHECK(journal_open(path, false, &j) == 0, "open a journal of the previous format");
	CHECK(j->ignored_lines == 3, "lines that are not events are counted");
	const struct journal_legacy_row *l = journal_legacy_row(j, 1);
	CHECK(l && l->state == JOURNAL_SENT && !strcmp(l->email, "a@x.io") && !strcmp(l->id, "iv-1"),
	      "row 1: the last event wins, with e-mail and id");
	CHECK(journal_legacy_row(j, 2) == NULL, "row 2: nothing");
	CHECK(journal_legacy_row(j, 3) && journal_legacy_row(j, 3)->state == JOURNAL_FAILED, "row 3: failed");
	CHECK(journal_legacy_row(j, 9) == NULL, "rows beyond: nothing");
	CHECK(journal_legacy_row(j, 999999999999999) != NULL, "a huge row number is one entry, not an array that long");
	append(j, "a@x.io", "t", JOURNAL_SENT, "iv-1");
	journal_close(j);
	CHECK(journal_open(path, true, &j) == 0, "a journal of both formats reads back");
	CHECK(state_of(j, "a@x.io", "t") == JOURNAL_SENT && journal_legacy_row(j, 3), "with both kinds of events");
	journal_close(j);

	_cleanup_free_ char *missing = path_in_dir("missing.jsonl");
	CHECK(journal_open(missing, true, &j) == 0, "a missing journal opens read-only, empty");
	CHECK(state_of(j, "a@x.io", "t") == JOURNAL_NONE, "and knows nothing");
	journal_close(j);
	CHECK(access(missing, F_OK) != 0, "read-only does not create the file");
}

/* Superseded lines are dropped on opening once they are most of the file. */
static void test_compaction(void)
{
	_cleanup_free_ char *path = path_in_dir("big.jsonl");
	struct journal *j = NULL;
	struct stat before, after;

	CHECK(journal_open(path, false, &j) == 0, "open a new journal");
	for (int i = 0; i < 2000; i++) {
		char email[32], id[32];
		snprintf(email, sizeof(email), "p%d@x.io", i);
		snprintf(id, sizeof(id), "iv-%d", i);
		struct journal_event ev[2] = {
			{ .email = email, .template_id = "t", .state = JOURNAL_STARTED },
			{ .email = email, .template_id = "t", .state = i % 2 ? JOURNAL_SENT : JOURNAL_STARTED,
			  .id = i % 2 ? id : NULL },
		};
		journal_append(j, ev, 2);
	}
	journal_close(j);
	CHECK(stat(path, &before) == 0, "stat");
	CHECK(journal_open(path, false, &j) == 0 && j->compacted, "opening compacts a file of superseded lines");
	CHECK(j->n == 2000, "every key is kept");
	append(j, "new@x.io", "t", JOURNAL_SENT, "iv-new");
	journal_close(j);
	CHECK(stat(path, &after) == 0 && after.st_size < before.st_size * 6 / 10, "the file shrank");
	CHECK(journal_open(path, true, &j) == 0 && !j->compacted, "reopen");
	CHECK(j->n == 2001 && j->ignored_lines == 0, "all keys read back");
	CHECK(state_of(j, "p1@x.io", "t") == JOURNAL_SENT && !strcmp(journal_find(j, "p1@x.io", "t")->id, "iv-1"),
	      "a sent key keeps its id");
	CHECK(state_of(j, "p0@x.io", "t") == JOURNAL_STARTED, "a started key stays started (to be looked up)");
	CHECK(state_of(j, "new@x.io", "t") == JOURNAL_SENT, "what was appended after compaction counts");
	journal_close(j);
}

static void test_invite_key(void)
{
	_cleanup_free_ char *k = invite_key("Ann@Example.COM", "ivt-AB");
	CHECK_STR(k, "ann@example.com\tivt-AB", "the key lowercases the e-mail, not the template");
}

/* A file that is not a journal (a CSV given to --journal by mistake) is
 * refused, read-only or not, and left byte for byte as it was. */
static void test_foreign_file(void)
{
	static const char csv[] = "email,fullName,templateId\na@x.io,A,tpl-1";
	_cleanup_free_ char *path = path_in_dir("invites.csv");
	_cleanup_free_ char *text = NULL;
	struct journal *j = NULL;
	size_t len = 0;

	write_text(path, csv);
	CHECK(journal_open(path, true, &j) == JOURNAL_ERR_FOREIGN, "a CSV is not a journal (read-only)");
	CHECK(journal_open(path, false, &j) == JOURNAL_ERR_FOREIGN, "a CSV is not a journal (append)");
	CHECK(read_file_all(path, 1024, &text, &len) == 0 && len == sizeof(csv) - 1 &&
		      memcmp(text, csv, len) == 0,
	      "the CSV is unchanged, its last line not cut");

	_cleanup_free_ char *torn = path_in_dir("torn-first.jsonl");
	write_text(torn, "{\"ro");
	CHECK(journal_open(torn, false, &j) == 0, "a first event torn short is still a journal");
	CHECK(j->ignored_lines == 1, "its torn line is ignored");
	journal_close(j);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_append_and_reload();
	test_torn_last_line();
	test_legacy_rows();
	test_compaction();
	test_invite_key();
	test_foreign_file();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(cmd);
	return tap_done();
}
