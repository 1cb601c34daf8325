/* SPDX-License-Identifier: MIT */
/* The small shared helpers of src/core/: hash, fs, xdg. */
#include "core/fs.h"
#include "core/hash.h"
#include "core/util.h"
#include "core/xdg.h"
#include "tap.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_fnv1a(void)
{
	/* Reference values of 64-bit FNV-1a (Fowler, Noll, Vo test vectors). */
	CHECK(fnv1a_str("") == UINT64_C(0xcbf29ce484222325), "FNV-1a of the empty string is the offset basis");
	CHECK(fnv1a_str("a") == UINT64_C(0xaf63dc4c8601ec8c), "FNV-1a of \"a\" matches the reference");
	CHECK(fnv1a_str("foobar") == UINT64_C(0x85944171f73967e8), "FNV-1a of \"foobar\" matches the reference");
	uint64_t h = fnv1a_add(FNV1A_INIT, "foo", 3);
	CHECK(fnv1a_add(h, "bar", 3) == fnv1a_str("foobar"), "hashing in pieces equals hashing at once");
}

static bool is_dir(const char *path, mode_t mode)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == mode;
}

static void test_mkdir_parents(void)
{
	char base[] = "/tmp/smile-helpers-XXXXXX";
	CHECK(mkdtemp(base) != NULL, "a temporary directory");
	_cleanup_free_ char *file = xasprintf("%s/a/b/c/file", base);
	CHECK(mkdir_parents(file, 0700) == 0, "mkdir_parents creates the missing directories");
	_cleanup_free_ char *c = xasprintf("%s/a/b/c", base);
	_cleanup_free_ char *filedir = xasprintf("%s/a/b/c/file", base);
	CHECK(is_dir(c, 0700), "the last directory exists with the mode asked for");
	CHECK(access(filedir, F_OK) != 0, "the file's own name is not made a directory");
	CHECK(mkdir_parents(file, 0700) == 0, "existing directories are no error");
	CHECK(mkdir_parents("file", 0700) == 0, "a name without a directory needs nothing");
	_cleanup_free_ char *under_file = xasprintf("%s/a/b/c/x", base);
	FILE *f = fopen(under_file, "w");
	fclose(f);
	_cleanup_free_ char *blocked = xasprintf("%s/a/b/c/x/y/z", base);
	CHECK(mkdir_parents(blocked, 0700) == -ENOTDIR, "a file in the way is -ENOTDIR");
	_cleanup_free_ char *cmd = xasprintf("rm -rf '%s'", base);
	CHECK(system(cmd) == 0, "clean up");
}

static void test_xdg(void)
{
	setenv("HOME", "/home/h", 1);
	setenv("XDG_STATE_HOME", "/s", 1);
	setenv("XDG_CONFIG_HOME", "/c", 1);
	_cleanup_free_ char *state = state_directory(), *config = config_directory();
	CHECK_STR(state, "/s/smile", "an absolute XDG_STATE_HOME is used");
	CHECK_STR(config, "/c/smile", "an absolute XDG_CONFIG_HOME is used");
	setenv("XDG_STATE_HOME", "rel", 1);
	unsetenv("XDG_CONFIG_HOME");
	_cleanup_free_ char *state2 = state_directory(), *config2 = config_directory();
	CHECK_STR(state2, "/home/h/.local/state/smile", "a relative XDG_STATE_HOME is ignored");
	CHECK_STR(config2, "/home/h/.config/smile", "no XDG_CONFIG_HOME: ~/.config/smile");
}

int main(void)
{
	test_fnv1a();
	test_mkdir_parents();
	test_xdg();
	return tap_done();
}
