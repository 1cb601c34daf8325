/* SPDX-License-Identifier: MIT */
/* The small shared helpers of src/core/: hash, fs, xdg, printable text,
 * CSV fields, invite keys, typed YAML words, JSON access. */
#include "core/csv.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/invite_key.h"
#include "core/json.h"
#include "core/text.h"
#include "core/yaml_words.h"
#include "core/util.h"
#include "core/xdg.h"
#include "tap.h"

#include <errno.h>
#include <string.h>
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


static void check_printable(const char *in, size_t len, size_t max, const char *want, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_printable(&sb, in, len, max);
	CHECK_STR(sb.buf ? sb.buf : "", want, what);
	strbuf_release(&sb);
}

static void check_name(const char *in, const char *want, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_printable_name(&sb, in, strlen(in), 0);
	CHECK_STR(sb.buf ? sb.buf : "", want, what);
	strbuf_release(&sb);
}

static void test_printable(void)
{
	check_name("bad\x01name\x7f.pdf", "bad?name?.pdf", "printable name: control characters are '?', as ls -q");
	check_name("\xff.pdf", "\xef\xbf\xbd.pdf", "printable name: bytes that are not UTF-8 become U+FFFD");
	check_printable("plain", 5, 0, "plain", "printable: plain text unchanged");
	check_printable("a\nb\r\tc", 6, 0, "a b  c", "printable: line breaks and tabs become spaces");
	check_printable("\x1b[31mred", 8, 0, " [31mred", "printable: an escape cannot reach the terminal");
	check_printable("x\x7fy\xc2\x85z", 6, 0, "x y z", "printable: DEL and C1 controls become spaces");
	check_printable("ab\xc3", 3, 0, "ab\xef\xbf\xbd", "printable: bytes that are not UTF-8 become U+FFFD");
	check_printable("Zo\xc3\xab", 4, 0, "Zo\xc3\xab", "printable: UTF-8 kept");
	check_printable("abcdef", 6, 3, "abc...", "printable: cut at max characters, marked");
	check_printable("\xc3\xab\xc3\xab\xc3\xab", 6, 2, "\xc3\xab\xc3\xab...", "printable: counted in characters, not bytes");
}

static void check_csv(const char *in, const char *want, const char *what)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_csv_field(&sb, in);
	CHECK_STR(sb.buf ? sb.buf : "", want, what);
	strbuf_release(&sb);
}

static void test_csv_field(void)
{
	check_csv("plain", "plain", "csv: a plain field is not quoted");
	check_csv("", "", "csv: empty stays empty");
	check_csv(NULL, "", "csv: NULL writes nothing");
	check_csv("a,b", "\"a,b\"", "csv: a comma is quoted");
	check_csv("say \"hi\"", "\"say \"\"hi\"\"\"", "csv: quotes are doubled");
	check_csv("two\nlines", "\"two\nlines\"", "csv: LF is quoted");
	check_csv("cr\r", "\"cr\r\"", "csv: CR is quoted");
	check_csv(" padded", "\" padded\"", "csv: a leading space is quoted");
	check_csv("padded ", "\"padded \"", "csv: a trailing space is quoted");
	check_csv("in side", "in side", "csv: an inner space is not");
	check_csv("\xef\xbb\xbfx", "\"\xef\xbb\xbfx\"", "csv: a leading U+FEFF is quoted");
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	csv_write_field(f, " a,\"b\" ");
	fclose(f);
	CHECK_STR(buf, "\" a,\"\"b\"\" \"", "csv: csv_write_field writes the same rule to a stream");
	free(buf);
}

static void test_invite_key(void)
{
	_cleanup_free_ char *k = invite_key("Ann.Lee@Example.COM", "Tpl-A");
	CHECK_STR(k, "ann.lee@example.com\tTpl-A", "invite key: the email's case folded, the template's kept");
	_cleanup_free_ char *u = invite_key("\xc3\x89lodie@X.ph", "t");
	CHECK_STR(u, "\xc3\x89lodie@x.ph\tt", "invite key: ASCII only, UTF-8 bytes untouched");
	_cleanup_free_ char *e = invite_key("", "");
	CHECK_STR(e, "\t", "invite key: empty parts");
	_cleanup_free_ char *n = invite_key(NULL, NULL);
	CHECK_STR(n, "\t", "invite key: NULL parts are empty");
}

static void test_yaml_words(void)
{
	CHECK(yaml_null_word("") && yaml_null_word("~") && yaml_null_word("null") && yaml_null_word("NULL") &&
		      !yaml_null_word("nULL") && !yaml_null_word("none"),
	      "yaml: null words of the 1.2 core schema");
	CHECK(yaml_bool_word("true") == 1 && yaml_bool_word("True") == 1 && yaml_bool_word("FALSE") == 0 &&
		      yaml_bool_word("yes") == -1 && yaml_bool_word("tRUE") == -1,
	      "yaml: booleans of the 1.2 core schema");
	const char *typed[] = { "", "~", "null", "yes", "No", "OFF", "y", "n", "<<", "=", "123", "-1", "+1",
				"0x1f", "1e3", ".inf", "-.Inf", ".nan", "2024-01-31", "12:30", "007", NULL };
	bool all = true;
	for (size_t i = 0; typed[i]; i++)
		all = all && yaml_string_needs_quotes(typed[i]);
	CHECK(all, "yaml: null, booleans of 1.1 and 1.2, merge keys and number-like text need quotes");
	CHECK(!yaml_string_needs_quotes("u1") && !yaml_string_needs_quotes("Nope") &&
		      !yaml_string_needs_quotes("sandbox") && !yaml_string_needs_quotes("http://x"),
	      "yaml: other strings are plain");
}

static void test_json(void)
{
	json_object *o = json_tokener_parse("{\"a\":{\"b\":[1,{\"c\":\"x/y\"}]},\"n\":null,\"s\":\"str\",\"i\":3}");
	CHECK_STR(json_string_member(o, "s"), "str", "json: a string member");
	CHECK(json_string_member(o, "i") == NULL && json_string_member(o, "zz") == NULL &&
		      json_string_member(json_get_path(o, "a.b"), "c") == NULL,
	      "json: not a string, absent, or not an object: NULL");
	CHECK_STR(json_object_get_string(json_get_path(o, "a.b.1.c")), "x/y", "json: a path through objects and arrays");
	json_object *v = o;
	CHECK(json_lookup_path(o, "n", &v) && v == NULL, "json: a null is found, as NULL");
	CHECK(!json_lookup_path(o, "a.b.2", &v) && !json_lookup_path(o, "a.b.x", &v) && !json_lookup_path(o, "s.t", &v),
	      "json: out of range, not an index, through a string: absent");
	CHECK(json_get_path(o, "") == o, "json: the empty path is the value itself");
	CHECK_STR(json_compact(json_get_path(o, "a")), "{\"b\":[1,{\"c\":\"x/y\"}]}", "json: compact, '/' unescaped");
	_cleanup_free_ char *dup = json_compact_dup(json_get_path(o, "a.b"));
	CHECK_STR(dup, "[1,{\"c\":\"x/y\"}]", "json: a compact copy");
	CHECK(strchr(json_pretty(json_get_path(o, "a")), '\n') && strstr(json_pretty(o), "\"x/y\""),
	      "json: pretty is indented, '/' unescaped");
	json_object_put(o);
}

int main(void)
{
	test_printable();
	test_csv_field();
	test_invite_key();
	test_yaml_words();
	test_json();
	test_fnv1a();
	test_mkdir_parents();
	test_xdg();
	return tap_done();
}
