/* SPDX-License-Identifier: MIT */
/* The bulk journal: append, reload, last state wins, a torn last line after
 * a crash is ignored and cut, read-only loading, rows out of range. */
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

static void append(struct journal *j, size_t row, enum journal_state s, const char *email, const char *id)
{
	struct journal_event ev = { .row = row, .state = s, .email = email, .id = id };
	CHECK(journal_append(j, &ev, 1) == 0, "append an event");
}

static void test_append_and_reload(void)
{
	_cleanup_free_ char *path = path_in_dir("sub/dir/j.jsonl");
	struct journal *j = NULL;

	CHECK(journal_open(path, 3, false, &j) == 0, "open creates the file and its directories");
	CHECK(j->rows[1].state == JOURNAL_NONE, "a new journal knows nothing");
	append(j, 1, JOURNAL_STARTED, "a@x.io", NULL);
	append(j, 1, JOURNAL_SENT, "a@x.io", "iv-1");
	append(j, 2, JOURNAL_STARTED, "b@x.io", NULL);
	struct journal_event two[] = {
		{ .row = 2, .state = JOURNAL_UNKNOWN, .email = "b@x.io", .error = "HTTP 500" },
		{ .row = 3, .state = JOURNAL_FAILED, .email = "c@x.io", .error = "HTTP 400" },
	};
	CHECK(journal_append(j, two, 2) == 0, "append two events in one write");
	CHECK(j->rows[1].state == JOURNAL_SENT, "state in memory follows appends");
	journal_close(j);

	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the journal is private (0600)");

	CHECK(journal_open(path, 3, false, &j) == 0, "reopen");
	CHECK(j->rows[1].state == JOURNAL_SENT, "row 1: last state wins (sent)");
	CHECK_STR(j->rows[1].id, "iv-1", "row 1 keeps its invite id");
	CHECK_STR(j->rows[1].email, "a@x.io", "row 1 keeps its email");
	CHECK(j->rows[2].state == JOURNAL_UNKNOWN, "row 2: unknown after started");
	CHECK(j->rows[3].state == JOURNAL_FAILED, "row 3: failed");
	CHECK(j->ignored_lines == 0, "nothing ignored");
	append(j, 3, JOURNAL_SENT, "c@x.io", "iv-3");
	struct journal *other = NULL;
	CHECK(journal_open(path, 3, false, &other) == -EBUSY, "a second writer is refused while the first holds it");
	journal_close(j);
	CHECK(journal_open(path, 3, true, &j) == 0, "reopen read-only");
	CHECK(j->rows[3].state == JOURNAL_SENT, "a failed row sent later is sent");
	struct journal_event ev = { .row = 1, .state = JOURNAL_SENT };
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

	write_text(path, "{\"row\":1,\"email\":\"a@x.io\",\"state\":\"started\"}\n"
			 "{\"row\":1,\"email\":\"a@x.io\",\"state\":\"sent\",\"inviteId\":\"iv-1\"}\n"
			 "{\"row\":2,\"email\":\"b@x.io\",\"state\":\"started\"}\n"
			 "{\"row\":2,\"email\":\"b@x.io\",\"state\":\"se");
	CHECK(journal_open(path, 2, false, &j) == 0, "open a journal with a torn last line");
	CHECK(j->rows[1].state == JOURNAL_SENT, "complete lines count");
	CHECK(j->rows[2].state == JOURNAL_STARTED, "the torn line is ignored: row 2 is still started");
	CHECK(j->ignored_lines == 1, "one line ignored");
	append(j, 2, JOURNAL_SENT, "b@x.io", "iv-2");
	journal_close(j);

	CHECK(journal_open(path, 2, true, &j) == 0, "reopen after appending");
	CHECK(j->ignored_lines == 0, "the torn tail was cut before appending");
	CHECK(j->rows[2].state == JOURNAL_SENT, "the event after the cut reads back");
	CHECK_STR(j->rows[2].id, "iv-2", "with its id");
	journal_close(j);
}

static void test_foreign_lines(void)
{
	_cleanup_free_ char *path = path_in_dir("foreign.jsonl");
	struct journal *j = NULL;

	write_text(path, "{\"row\":1,\"state\":\"started\"}\n"
			 "not json\n"
			 "{\"row\":\"1\",\"state\":\"sent\"}\n"
			 "{\"row\":1,\"state\":\"exploded\"}\n"
			 "\n"
			 "{\"row\":9,\"state\":\"sent\"}\n"
			 "{\"row\":0,\"state\":\"sent\"}\n"
			 "{\"row\":1,\"state\":\"failed\"}\n");
	CHECK(journal_open(path, 2, true, &j) == 0, "open a journal with foreign lines");
	CHECK(j->ignored_lines == 3, "lines that are not events are counted");
	CHECK(j->rows[1].state == JOURNAL_FAILED, "the good event counts");
	CHECK(j->rows[2].state == JOURNAL_NONE, "rows out of range change nothing");
	journal_close(j);

	_cleanup_free_ char *missing = path_in_dir("missing.jsonl");
	CHECK(journal_open(missing, 1, true, &j) == 0, "a missing journal opens read-only, empty");
	CHECK(j->rows[1].state == JOURNAL_NONE, "and knows nothing");
	journal_close(j);
	CHECK(access(missing, F_OK) != 0, "read-only does not create the file");
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
	CHECK(journal_open(path, 1, true, &j) == JOURNAL_ERR_FOREIGN, "a CSV is not a journal (read-only)");
	CHECK(journal_open(path, 1, false, &j) == JOURNAL_ERR_FOREIGN, "a CSV is not a journal (append)");
	CHECK(read_file_all(path, 1024, &text, &len) == 0 && len == sizeof(csv) - 1 &&
		      memcmp(text, csv, len) == 0,
	      "the CSV is unchanged, its last line not cut");

	_cleanup_free_ char *torn = path_in_dir("torn-first.jsonl");
	write_text(torn, "{\"ro");
	CHECK(journal_open(torn, 1, false, &j) == 0, "a first event torn short is still a journal");
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
	test_foreign_lines();
	test_foreign_file();
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", dir);
	free(cmd);
	return tap_done();
}
