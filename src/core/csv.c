/* SPDX-License-Identifier: MIT */
/* The RFC 4180 reader (see csv.h). */
#include "core/csv.h"
#include "core/util.h"

#include <string.h>

void csv_reader_init(struct csv_reader *r, const char *data, size_t len)
{
	r->p = data;
	r->end = data + len;
	r->line = 1;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		r->p += 3;
}

void csv_record_release(struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		free(rec->fields[i]);
	free(rec->fields);
	*rec = (struct csv_record){ 0 };
}

/* Length of the line break at p (LF or CRLF), 0 if there is none. */
static size_t newline_at(const struct csv_reader *r, const char *p)
{
	if (p < r->end && *p == '\n')
		return 1;
	if (p + 1 < r->end && p[0] == '\r' && p[1] == '\n')
		return 2;
	return 0;
}

static void add_field(struct csv_record *rec, struct strbuf *sb)
{
	if (rec->n == rec->cap) {
		rec->cap = rec->cap ? rec->cap * 2 : 8;
		rec->fields = xrealloc(rec->fields, rec->cap * sizeof(*rec->fields));
	}
	rec->fields[rec->n++] = strbuf_detach(sb);
}

/* Skips to just after the next line break, so reading resumes on the line
 * after a malformed record. */
static void skip_rest_of_line(struct csv_reader *r)
{
	while (r->p < r->end) {
		size_t nl = newline_at(r, r->p);
		if (nl) {
			r->p += nl;
			r->line++;
			return;
		}
		r->p++;
	}
}

/* A quoted field, from the opening quote. False when it never closes. */
static bool read_quoted(struct csv_reader *r, struct strbuf *sb)
{
	r->p++;
	while (r->p < r->end) {
		char c = *r->p++;
		if (c == '"') {
			if (r->p < r->end && *r->p == '"') {
				strbuf_addch(sb, '"');
				r->p++;
				continue;
			}
			return true;
		}
		if (c == '\n')
			r->line++;
		strbuf_addch(sb, c);
	}
	return false;
}

/* An unquoted field: everything up to a comma, a line break or the end. */
static void read_plain(struct csv_reader *r, struct strbuf *sb)
{
	const char *start = r->p;

	while (r->p < r->end && *r->p != ',' && !newline_at(r, r->p))
		r->p++;
	strbuf_add(sb, start, (size_t)(r->p - start));
}

static void skip_empty_lines(struct csv_reader *r)
{
	size_t nl;

	while ((nl = newline_at(r, r->p))) {
		r->p += nl;
		r->line++;
	}
}

bool csv_next(struct csv_reader *r, struct csv_record *rec)
{
	struct strbuf sb = STRBUF_INIT;

	csv_record_release(rec);
	skip_empty_lines(r);
	if (r->p >= r->end)
		return false;
	rec->line = r->line;
	for (;;) {
		if (*r->p == '"') {
			if (!read_quoted(r, &sb)) {
				rec->error = "a quoted field is not closed";
				break;
			}
		} else {
			read_plain(r, &sb);
		}
		add_field(rec, &sb);
		if (r->p >= r->end)
			break;
		if (*r->p == ',') {
			r->p++;
			if (r->p >= r->end || newline_at(r, r->p))
				add_field(rec, &sb); /* a trailing comma: one more empty field */
			else
				continue;
		}
		size_t nl = newline_at(r, r->p);
		if (nl) {
			r->p += nl;
			r->line++;
			break;
		}
		if (r->p >= r->end)
			break;
		/* Only a closing quote can stop short of a separator. */
		rec->error = "text after a closing quote";
		skip_rest_of_line(r);
		break;
	}
	strbuf_release(&sb);
	return true;
}

/* The one quoting rule (RFC 4180, plus what common readers get wrong):
 * quoted when the field holds a comma, quote, CR or LF, starts or ends
 * with a space (readers trim them), or starts with U+FEFF (first in a
 * file, a reader takes it for a byte order mark and drops it). */
static bool csv_needs_quotes(const char *s)
{
	size_t len = strlen(s);
	return s[strcspn(s, ",\"\r\n")] || (len && (s[0] == ' ' || s[len - 1] == ' ')) ||
	       !strncmp(s, "\xef\xbb\xbf", 3);
}

void strbuf_add_csv_field(struct strbuf *sb, const char *s)
{
	if (!s)
		return;
	if (!csv_needs_quotes(s)) {
		strbuf_addstr(sb, s);
		return;
	}
	strbuf_addch(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			strbuf_addch(sb, '"');
		strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '"');
}

void csv_write_field(FILE *out, const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_csv_field(&sb, s);
	if (sb.len)
		fwrite(sb.buf, 1, sb.len, out);
	strbuf_release(&sb);
}
