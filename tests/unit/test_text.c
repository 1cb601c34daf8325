/* SPDX-License-Identifier: MIT */
/*
 * The text rule (core/text.h) and every writer that applies it: bytes that
 * are not UTF-8 become U+FFFD, a NUL in a cell shows as \0, whatever the
 * server sent (issue 9, items 7, 8 and 10).
 */
#include "core/json_parse.h"
#include "core/output/internal.h"
#include "core/output/output.h"
#include "core/text.h"
#include "core/util.h"
#include "tap.h"

#include <stdlib.h>

#define FFFD UTF8_REPLACEMENT

static void check_repair(const char *in, size_t len, const char *want, const char *name)
{
	size_t n;
	char *got = utf8_repair(in, len, &n);
	CHECK_STR(got, want, name);
	free(got);
}

static void test_repair(void)
{
	check_repair("plain \xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80", 15, "plain \xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80",
		     "repair: valid UTF-8 is kept");
	check_repair("a\xc0\x89" "b", 4, "a" FFFD FFFD "b", "repair: an overlong C0 89 is two replacements");
	check_repair("\xe0\x80\xaf", 3, FFFD FFFD FFFD, "repair: an overlong 3-byte form, one per byte");
	check_repair("\xed\xa0\x80", 3, FFFD FFFD FFFD, "repair: a UTF-16 surrogate is refused");
	check_repair("\xf4\x90\x80\x80", 4, FFFD FFFD FFFD FFFD, "repair: above U+10FFFF is refused");
	check_repair("ab\xc3", 3, "ab" FFFD, "repair: a sequence cut at the end is one replacement");
	check_repair("\xe6\x97" "x", 3, FFFD "x", "repair: a cut 3-byte sequence is one replacement");
	check_repair("\xff\xfe", 2, FFFD FFFD, "repair: bytes that never start a sequence");
	CHECK(utf8_is_valid("a\0b", 3), "valid: NUL is UTF-8");
	CHECK(!utf8_is_valid("\xc3", 1), "valid: a cut sequence is not");

	struct strbuf sb = STRBUF_INIT;
	strbuf_add_printable(&sb, "a\nb\x1b[31m\xc2\x9b\x7f\xff", 12, 0);
	CHECK_STR(sb.buf, "a b [31m  " FFFD, "printable: controls (C0, C1, DEL) are spaces, bad bytes U+FFFD");
	strbuf_reset(&sb);
	strbuf_add_printable(&sb, "\xc3\xa9\xc3\xa9\xc3\xa9", 6, 2);
	CHECK_STR(sb.buf, "\xc3\xa9\xc3\xa9...", "printable: cut at max characters, not bytes");
	strbuf_release(&sb);
}

/* One item, parsed as the envelope parser parses it, through one writer. */
static char *render(enum output_format format, const char *json, bool is_list, int *rc)
{
	json_object *item = NULL;
	char *err = NULL, *buf = NULL;
	size_t len = 0;
	if (json_parse(json, strlen(json), 64, &item, &err) < 0) {
		printf("# bad test json: %s: %s\n", json, err);
		free(err);
	}
	struct output_opts oo = { .format = format };
	FILE *f = open_memstream(&buf, &len);
	struct output *o = output_begin(&oo, f, is_list);
	int r = output_item(o, item);
	int e = output_end(o);
	fclose(f);
	json_object_put(item);
	*rc = r ? r : e;
	return buf;
}

static void check(enum output_format format, const char *json, const char *want, const char *name)
{
	int rc;
	char *got = render(format, json, false, &rc);
	CHECK(rc == 0, name);
	CHECK_STR(got, want, name);
	free(got);
}

static void test_writers(void)
{
	const char *bad = "{\"crm\":\"a\xc0\x89" "b\",\"k\xff\":1}";
	check(OUTPUT_JSON, bad, "{\n  \"crm\": \"a" FFFD FFFD "b\",\n  \"k" FFFD "\": 1\n}\n",
	      "json: invalid UTF-8 in values and keys becomes U+FFFD");
	check(OUTPUT_NDJSON, bad, "{\"crm\":\"a" FFFD FFFD "b\",\"k" FFFD "\":1}\n", "ndjson: the same, compact");
	check(OUTPUT_YAML, bad, "crm: a" FFFD FFFD "b\nk" FFFD ": 1\n",
	      "yaml: invalid UTF-8 is written, not a crash or a hang");
	check(OUTPUT_YAML, "{\"s\":\"a\\u0000b\"}", "s: \"a\\0b\"\n", "yaml: a NUL is the escape \\0");
	check(OUTPUT_CSV, "{\"id\":\"a\\u0000b\",\"n\":\"x\xff\"}", "id,n\na\\0b,x" FFFD "\n",
	      "csv: a NUL shows as \\0, invalid UTF-8 as U+FFFD");
	check(OUTPUT_TABLE, "{\"id\":\"a\\u0000b\",\"n\":\"x\\ny\xc0\"}", "ID    N\na\\0b  x y" FFFD "\n",
	      "table: a NUL shows as \\0, the cell is not cut");
	check(OUTPUT_JSON, "{\"s\":\"a\\u0000b\"}", "{\n  \"s\": \"a\\u0000b\"\n}\n", "json: a NUL stays \\u0000");
	check(OUTPUT_CSV, "{\"\xef\xbb\xbfk\":1}", "\"\xef\xbb\xbfk\"\n1\n",
	      "csv: a first field starting with U+FEFF is quoted, not taken for a BOM");

	const char *big = "{\"a\":99999999999999999999999,\"b\":-99999999999999999999999,"
			  "\"c\":18446744073709551615,\"d\":0.10000000000000000000000001}";
	check(OUTPUT_NDJSON, big, "{\"a\":99999999999999999999999,\"b\":-99999999999999999999999,"
				  "\"c\":18446744073709551615,\"d\":0.10000000000000000000000001}\n",
	      "ndjson: integers beyond 64 bits and long decimals keep their digits");
	check(OUTPUT_CSV, big, "a,b,c,d\n99999999999999999999999,-99999999999999999999999,18446744073709551615,"
			       "0.10000000000000000000000001\n", "csv: the same digits");
	check(OUTPUT_YAML, big, "a: 99999999999999999999999\nb: -99999999999999999999999\nc: 18446744073709551615\n"
				"d: 0.10000000000000000000000001\n", "yaml: the same digits");
}

static void test_fields_keep_digits(void)
{
	json_object *item = NULL;
	char *err = NULL, *buf = NULL;
	size_t len = 0;
	const char *json = "{\"a\":{\"n\":99999999999999999999999,\"d\":1.50}}";
	json_parse(json, strlen(json), 64, &item, &err);
	struct output_opts oo = { .format = OUTPUT_NDJSON, .fields = "a.n,a.d" };
	FILE *f = open_memstream(&buf, &len);
	struct output *o = output_begin(&oo, f, false);
	output_item(o, item);
	output_end(o);
	fclose(f);
	CHECK_STR(buf, "{\"a\":{\"n\":99999999999999999999999,\"d\":1.50}}\n", "--fields: a copied number keeps its digits");
	free(buf);
	json_object_put(item);
}

int main(void)
{
	test_repair();
	test_writers();
	test_fields_keep_digits();
	return tap_done();
}
