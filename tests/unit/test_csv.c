/* SPDX-License-Identifier: MIT */
/* The RFC 4180 reader: BOM, quotes, embedded line breaks, field counts,
 * empty lines, line numbers, malformed records, and the field writer. */
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "tap.h"

/* Reads every record of text; returns how many, keeping copies of up to 8. */
struct parsed {
	size_t n;
	struct csv_record rec[8];
};

static void parse(const char *text, struct parsed *out)
{
	struct csv_reader r;
	struct csv_record rec = { 0 };

	memset(out, 0, sizeof(*out));
	csv_reader_init(&r, text, strlen(text));
	while (csv_next(&r, &rec)) {
		if (out->n < 8) {
			out->rec[out->n] = rec;
			rec = (struct csv_record){ 0 };
		}
		out->n++;
	}
	csv_record_release(&rec);
}

static void release(struct parsed *p)
{
	for (size_t i = 0; i < 8; i++)
		csv_record_release(&p->rec[i]);
}

static void test_plain(void)
{
	struct parsed p;

	parse("email,fullName\na@x.io,Ann\nb@x.io,Bob\n", &p);
	CHECK(p.n == 3, "three records");
	CHECK(p.rec[0].n == 2, "header has two fields");
	CHECK_STR(p.rec[1].fields[0], "a@x.io", "first field");
	CHECK_STR(p.rec[2].fields[1], "Bob", "last field");
	CHECK(p.rec[2].line == 3, "line of the third record");
	CHECK(!p.rec[1].error, "no error");
	release(&p);

	parse("a,b", &p);
	CHECK(p.n == 1 && p.rec[0].n == 2, "no final line break");
	CHECK_STR(p.rec[0].fields[1], "b", "last field without line break");
	release(&p);
}

static void test_bom_crlf_empty_lines(void)
{
	struct parsed p;

	parse("\xEF\xBB\xBF" "email\r\n\r\n\na@x.io\r\n\nb@x.io", &p);
	CHECK(p.n == 3, "empty lines are skipped");
	CHECK_STR(p.rec[0].fields[0], "email", "byte order mark is skipped");
	CHECK_STR(p.rec[1].fields[0], "a@x.io", "CRLF is not part of the field");
	CHECK(p.rec[1].line == 4, "line numbers count empty lines");
	CHECK(p.rec[2].line == 6, "line numbers after CRLF and LF");
	release(&p);

	parse("", &p);
	CHECK(p.n == 0, "empty input has no record");
	release(&p);
	parse("\xEF\xBB\xBF\n\n", &p);
	CHECK(p.n == 0, "BOM and blank lines only: no record");
	release(&p);
}

static void test_quotes(void)
{
	struct parsed p;

	parse("\"Dela Cruz, Juan\",\"say \"\"hi\"\"\",\"two\nlines\",\"\"\nnext,x\n", &p);
	CHECK(p.n == 2, "quoted line break does not end the record");
	CHECK(p.rec[0].n == 4, "four fields");
	CHECK_STR(p.rec[0].fields[0], "Dela Cruz, Juan", "comma inside quotes");
	CHECK_STR(p.rec[0].fields[1], "say \"hi\"", "doubled quote");
	CHECK_STR(p.rec[0].fields[2], "two\nlines", "line break inside quotes");
	CHECK_STR(p.rec[0].fields[3], "", "empty quoted field");
	CHECK(p.rec[1].line == 3, "the next record starts on line 3");
	release(&p);

	parse("a,,c,\n", &p);
	CHECK(p.rec[0].n == 4, "empty fields and a trailing comma count");
	CHECK_STR(p.rec[0].fields[3], "", "trailing comma gives an empty field");
	release(&p);
}

static void test_field_counts(void)
{
	struct parsed p;

	parse("a,b,c\n1,2\n1,2,3,4\n1,2,3\n", &p);
	CHECK(p.n == 4, "every record is returned");
	CHECK(p.rec[1].n == 2 && p.rec[2].n == 4 && p.rec[3].n == 3, "field counts are as written");
	CHECK(!p.rec[1].error && !p.rec[2].error, "a wrong count is the caller's to judge");
	release(&p);
}

static void test_malformed(void)
{
	struct parsed p;

	parse("a,b\n\"x\"y,2\nc,d\n", &p);
	CHECK(p.n == 3, "reading goes on after a bad record");
	CHECK(p.rec[1].error != NULL, "text after a closing quote is an error");
	CHECK(p.rec[1].line == 2, "the bad record's line");
	CHECK(p.rec[2].line == 3 && !p.rec[2].error, "the next record is fine");
	CHECK_STR(p.rec[2].fields[0], "c", "the next record's field");
	release(&p);

	parse("a\n\"never closed\nb\n", &p);
	CHECK(p.n == 2 && p.rec[1].error != NULL, "an unclosed quote is an error");
	CHECK(p.rec[1].line == 2, "on the line it opens");
	release(&p);
}

static void test_write_field(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	csv_write_field(f, "plain");
	fputc('|', f);
	csv_write_field(f, "a,b");
	fputc('|', f);
	csv_write_field(f, "say \"hi\"");
	fputc('|', f);
	csv_write_field(f, "two\nlines");
	fputc('|', f);
	csv_write_field(f, "");
	fclose(f);
	CHECK_STR(buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|", "fields are quoted only when needed");

	free(buf);

	/* A record written field by field reads back as it was. */
	const char *fields[] = { "Dela Cruz, Juan", "say \"hi\"", "two\nlines", "", " padded " };
	f = open_memstream(&buf, &len);
	for (size_t i = 0; i < 5; i++) {
		if (i)
			fputc(',', f);
		csv_write_field(f, fields[i]);
	}
	fputc('\n', f);
	fclose(f);
	struct parsed p;
	parse(buf, &p);
	CHECK(p.n == 1 && p.rec[0].n == 5, "round trip: one record of five fields");
	for (size_t i = 0; i < 5 && p.n == 1 && p.rec[0].n == 5; i++)
		CHECK_STR(p.rec[0].fields[i], fields[i], "round trip: field unchanged");
	release(&p);
	free(buf);
}

int main(void)
{
	test_plain();
	test_bom_crlf_empty_lines();
	test_quotes();
	test_field_counts();
	test_malformed();
	test_write_field();
	return tap_done();
}
