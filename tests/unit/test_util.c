/* SPDX-License-Identifier: MIT */
#include "core/util.h"
#include "tap.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_strbuf(void)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, "ab");
	strbuf_addch(&sb, 'c');
	strbuf_addf(&sb, "-%d-%s", 42, "x");
	CHECK_STR(sb.buf, "abc-42-x", "strbuf appends text, chars and formats");
	CHECK(sb.len == 8, "strbuf tracks its length");
	char *s = strbuf_detach(&sb);
	CHECK(sb.buf == NULL && sb.len == 0, "strbuf_detach empties the buffer");
	free(s);
	char *empty = strbuf_detach(&sb);
	CHECK_STR(empty, "", "detaching an empty strbuf gives an empty string");
	free(empty);
}

static void test_levenshtein(void)
{
	CHECK(str_levenshtein("users", "userz") == 1, "one substitution is distance 1");
	CHECK(str_levenshtein("", "abc") == 3, "distance to empty is the length");
	CHECK(str_levenshtein("invites", "invites") == 0, "equal strings are distance 0");
}

static void test_strset(void)
{
	struct strset set = STRSET_INIT;
	bool all_new = true;
	for (int i = 0; i < 1000; i++) {
		char *s = xasprintf("cursor-%d", i);
		all_new = all_new && strset_add(&set, s);
		free(s);
	}
	CHECK(all_new, "a thousand different strings are each new");
	CHECK(!strset_add(&set, "cursor-0") && !strset_add(&set, "cursor-999"),
	      "a string added before is reported as already there");
	CHECK(strset_add(&set, "") && !strset_add(&set, ""), "the empty string is a member like any other");
	CHECK(set.n == 1001, "the set counts its members");
	strset_release(&set);
	CHECK(set.n == 0 && !set.slots, "a released set is empty");
}

static void test_atomic_write(void)
{
	char dir[] = "/tmp/smile-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL, "temporary directory");
	char *path = xasprintf("%s/f", dir);
	CHECK(write_file_atomic(path, "hello", 5, 0600) == 0, "atomic write succeeds");
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "atomic write sets the mode");
	char *data = NULL;
	size_t len = 0;
	CHECK(read_file_all(path, 100, &data, &len) == 0 && len == 5 && memcmp(data, "hello", 5) == 0,
	      "read_file_all reads what was written");
	free(data);
	CHECK(read_file_all(path, 3, &data, &len) == -EFBIG, "read_file_all refuses files over the cap");
	CHECK(read_file_all("/nonexistent/x", 3, &data, &len) == -ENOENT, "read_file_all reports a missing file");
	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	test_strbuf();
	test_levenshtein();
	test_strset();
	test_atomic_write();
	return tap_done();
}
