/* SPDX-License-Identifier: MIT */
/*
 * A small RFC 4180 reader over a buffer in memory, and the field quoting the
 * writer side needs. Made for input files people edit by hand, so:
 *   - a UTF-8 byte order mark at the start is skipped
 *   - lines end in LF or CRLF; completely empty lines are skipped
 *   - quoted fields may hold commas, doubled quotes and line breaks
 *   - every record knows the line it starts on, for messages
 *   - a malformed record (text after a closing quote, a quote that never
 *     closes) is reported with its line and reading goes on after it, so
 *     one bad row does not hide the next ones
 * Field counts are the caller's business: a record carries what it has.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct csv_reader {
	const char *p, *end;
	unsigned long line;   /* line of *p, from 1 */
};

struct csv_record {
	char **fields;        /* n strings, owned */
	size_t n;
	size_t cap;
	unsigned long line;   /* where the record starts */
	const char *error;    /* static text when the record is malformed, else NULL */
};

void csv_reader_init(struct csv_reader *r, const char *data, size_t len);
/* Reads the next record into rec (its old fields are freed). Returns true,
 * or false at the end of the data. A malformed record is returned with
 * rec->error set. */
bool csv_next(struct csv_reader *r, struct csv_record *rec);
void csv_record_release(struct csv_record *rec);

struct strbuf;
/* Appends s (NULL: nothing) as one CSV field, quoted only when it has to
 * be: when it holds a comma, a quote, CR or LF, starts or ends with a
 * space, or starts with U+FEFF; quotes inside are doubled. The one rule of
 * -o csv and the bulk send's failed-rows file. */
void strbuf_add_csv_field(struct strbuf *sb, const char *s);
/* The same, written to out. */
void csv_write_field(FILE *out, const char *s);
