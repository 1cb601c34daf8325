/* SPDX-License-Identifier: MIT */
/*
 * The two column formats, table and csv, in the manner of systemd's
 * format-table.c: the columns are --fields, else the command's default
 * columns, else the scalar top-level keys of the first item; csv without
 * --fields writes every field (the default columns, then the first item's
 * leaves).
 *
 * csv streams one row per item. A table must see every row to size its
 * columns, so it keeps the cell texts (not the items) until the end. An
 * empty list prints the header when the columns are known without an item
 * (--fields or default columns): a person sees the list was empty, and a
 * script reading the csv still finds the column names.
 *
 * Display width: UTF-8 is decoded here and measured with a small table of
 * zero-width (combining) and double-width (East Asian wide, emoji) ranges,
 * after Markus Kuhn's wcwidth, so the result does not depend on the locale
 * (setlocale may never have been called). Invalid bytes count one each.
 */
#include "core/output/internal.h"
#include "core/csv.h"
#include "core/text.h"
#include "core/util.h"

#include <errno.h>
#include <string.h>

#define ELLIPSIS "\xe2\x80\xa6" /* U+2026, one column wide */
#define COLUMN_GAP 2
#define MIN_SHRUNK_WIDTH 3      /* never shrink a column below this */

/* --- UTF-8 width ------------------------------------------------------ */

/* Decodes one code point at s (len bytes left); returns its byte length. */
static size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	size_t n;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		n = 2, *cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, *cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, *cp = s[0] & 0x07;
	} else {
		*cp = 0xfffd;
		return 1;
	}
	if (n > len)
		goto invalid;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			goto invalid;
		*cp = (*cp << 6) | (s[i] & 0x3f);
	}
	return n;
invalid:
	*cp = 0xfffd;
	return 1;
}

struct cp_range {
	unsigned first, last;
};

static bool cp_in(unsigned cp, const struct cp_range *ranges, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cp >= ranges[i].first && cp <= ranges[i].last)
			return true;
	return false;
}

static const struct cp_range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd }, { 0x0610, 0x061a },
	{ 0x064b, 0x065f }, { 0x0e31, 0x0e31 }, { 0x0e34, 0x0e3a }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff }, { 0xe0100, 0xe01ef },
};

static const struct cp_range double_width[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff }, { 0x3400, 0x4dbf },
	{ 0x4e00, 0x9fff }, { 0xa000, 0xa4cf }, { 0xac00, 0xd7a3 }, { 0xf900, 0xfaff },
	{ 0xfe30, 0xfe4f }, { 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

static size_t cp_width(unsigned cp)
{
	if (cp_in(cp, zero_width, sizeof(zero_width) / sizeof(*zero_width)))
		return 0;
	if (cp_in(cp, double_width, sizeof(double_width) / sizeof(*double_width)))
		return 2;
	return 1;
}

size_t utf8_display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), width = 0;
	while (len) {
		unsigned cp;
		size_t n = utf8_decode(p, len, &cp);
		width += cp_width(cp);
		p += n;
		len -= n;
	}
	return width;
}

char *utf8_truncate(const char *s, size_t width)
{
	if (utf8_display_width(s) <= width)
		return xstrdup(s);
	if (width == 0)
		return xstrdup("");

	/* Keep whole code points that fit in width - 1, then the ellipsis. */
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), used = 0, kept = 0;
	while (kept < len) {
		unsigned cp;
		size_t n = utf8_decode(p + kept, len - kept, &cp);
		size_t w = cp_width(cp);
		if (used + w > width - 1)
			break;
		used += w;
		kept += n;
	}
	struct strbuf sb = STRBUF_INIT;
	strbuf_add(&sb, s, kept);
	strbuf_addstr(&sb, ELLIPSIS);
	return strbuf_detach(&sb);
}

/* --- columns ---------------------------------------------------------- */

static void add_column(struct output *o, const char *path)
{
	o->columns = xrealloc(o->columns, (o->n_columns + 1) * sizeof(*o->columns));
	o->columns[o->n_columns++] = xstrdup(path);
}

static bool json_is_scalar(json_object *v)
{
	return !json_object_is_type(v, json_type_object) &&
	       !json_object_is_type(v, json_type_array);
}

/* Columns from the first item: its scalar keys, else all keys (so an item
 * of only nested values still shows something), else the item itself. */
static void columns_from_item(struct output *o, json_object *item)
{
	if (json_object_is_type(item, json_type_object)) {
		json_object_object_foreach(item, key, val) {
			if (json_is_scalar(val))
				add_column(o, key);
		}
		if (!o->n_columns) {
			json_object_object_foreach(item, key2, val2) {
				(void)val2;
				add_column(o, key2);
			}
		}
	}
	if (!o->n_columns)
		add_column(o, ""); /* the empty path is the item */
	o->columns_known = true;
}

static bool has_column(const struct output *o, const char *path)
{
	for (size_t i = 0; i < o->n_columns; i++)
		if (!strcmp(o->columns[i], path))
			return true;
	return false;
}

/* csv without --fields: every leaf of v under prefix, objects flattened
 * with dot paths; an array or an empty object is one field (its JSON). */
static void columns_from_leaves(struct output *o, json_object *v, struct strbuf *prefix)
{
	if (!json_object_is_type(v, json_type_object) || !json_object_object_length(v)) {
		if (!has_column(o, prefix->buf))
			add_column(o, prefix->buf);
		return;
	}
	size_t len = prefix->len;
	json_object_object_foreach(v, key, val) {
		if (len)
			strbuf_addch(prefix, '.');
		strbuf_addstr(prefix, key);
		columns_from_leaves(o, val, prefix);
		prefix->len = len;
		prefix->buf[len] = '\0';
	}
}

/* csv's columns from the first item: the command's default columns first,
 * so the familiar ones lead, then every other field of the item. */
static void csv_columns_from_item(struct output *o, json_object *item)
{
	for (size_t i = 0; o->opts.default_columns && o->opts.default_columns[i]; i++)
		add_column(o, o->opts.default_columns[i]);
	if (json_object_is_type(item, json_type_object) && json_object_object_length(item)) {
		struct strbuf prefix = STRBUF_INIT;
		columns_from_leaves(o, item, &prefix);
		strbuf_release(&prefix);
	}
	if (!o->n_columns)
		add_column(o, "");
	o->columns_known = true;
}

static const char *column_title(const char *path)
{
	return *path ? path : "value";
}

/*
 * A string as a cell shows it, by the text rule: what is not UTF-8 becomes
 * U+FFFD, a NUL the two characters \0 (it would cut the cell short
 * otherwise), and in a table each control character a space, so a cell is
 * one line and cannot move the cursor.
 */
static char *cell_string(const char *s, size_t len, bool table)
{
	struct strbuf sb = STRBUF_INIT;
	for (;;) {
		const char *nul = memchr(s, '\0', len);
		size_t n = nul ? (size_t)(nul - s) : len;
		if (table)
			strbuf_add_printable(&sb, s, n, 0);
		else
			strbuf_add_utf8(&sb, s, n);
		if (!nul)
			break;
		strbuf_addstr(&sb, "\\0");
		s += n + 1;
		len -= n + 1;
	}
	return strbuf_detach(&sb);
}

/* The text of one cell; absent and null are "-" in a table, empty in csv. */
static char *cell_text(json_object *item, const char *path, bool table)
{
	json_object *v;
	if (!json_lookup_path(item, path, &v) || !v)
		return xstrdup(table ? "-" : "");
	if (json_object_is_type(v, json_type_string))
		return cell_string(json_object_get_string(v), (size_t)json_object_get_string_len(v), table);
	char *text = json_text(v); /* valid UTF-8; C0 controls escaped, DEL and C1 not */
	if (!table)
		return text;
	char *cell = cell_string(text, strlen(text), true);
	free(text);
	return cell;
}

/* --- csv --------------------------------------------------------------- */

/* Fields are quoted by core/csv.h's one rule. Lines end in LF, not CRLF,
 * as most Unix tools expect. */

static void csv_write_header(struct output *o)
{
	if (o->opts.no_header)
		return;
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < o->n_columns; i++) {
		if (i)
			strbuf_addch(&sb, ',');
		_cleanup_free_ char *title = cell_string(column_title(o->columns[i]), strlen(column_title(o->columns[i])), false);
		strbuf_add_csv_field(&sb, title);
	}
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, o->out);
	strbuf_release(&sb);
}

static int csv_write_row(struct output *o, json_object *item)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; i < o->n_columns; i++) {
		if (i)
			strbuf_addch(&sb, ',');
		_cleanup_free_ char *text = cell_text(item, o->columns[i], false);
		strbuf_add_csv_field(&sb, text);
	}
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, o->out);
	strbuf_release(&sb);
	return 0;
}

/* --- table ------------------------------------------------------------- */

static void table_add_row(struct output *o, json_object *item)
{
	if (o->n_rows == o->alloc_rows) {
		o->alloc_rows = o->alloc_rows ? 2 * o->alloc_rows : 16;
		o->rows = xrealloc(o->rows, o->alloc_rows * sizeof(*o->rows));
	}
	char **row = xcalloc(o->n_columns, sizeof(*row));
	for (size_t i = 0; i < o->n_columns; i++)
		row[i] = cell_text(item, o->columns[i], true);
	o->rows[o->n_rows++] = row;
}

static char *table_header_cell(const char *path)
{
	char *s = cell_string(column_title(path), strlen(column_title(path)), true);
	/* ASCII only: toupper() in a Latin-1 locale would change UTF-8 bytes. */
	for (char *p = s; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return s;
}

/* An id column ("id", "userId", "user.id"): its cells are what a person
 * copies into the next command, so a table never cuts them. */
static bool is_id_column(const char *path)
{
	const char *last = strrchr(path, '.');
	last = last ? last + 1 : path;
	return !strcmp(last, "id") || str_ends_with(last, "Id") || str_ends_with(last, "ID");
}

/*
 * Natural widths, then, while the line is wider than the terminal, take one
 * column off the widest column that is not an id (the leftmost of equals),
 * so ids stay whole, narrow columns next, and long free text gets cut.
 */
static size_t *table_widths(struct output *o, char **header)
{
	size_t *w = xcalloc(o->n_columns, sizeof(*w));
	for (size_t c = 0; c < o->n_columns; c++) {
		if (header)
			w[c] = utf8_display_width(header[c]);
		for (size_t r = 0; r < o->n_rows; r++) {
			size_t cw = utf8_display_width(o->rows[r][c]);
			if (cw > w[c])
				w[c] = cw;
		}
	}
	if (o->opts.width <= 0)
		return w;

	size_t total = COLUMN_GAP * (o->n_columns - 1);
	for (size_t c = 0; c < o->n_columns; c++)
		total += w[c];
	while (total > (size_t)o->opts.width) {
		size_t widest = o->n_columns;
		for (size_t c = 0; c < o->n_columns; c++)
			if (!is_id_column(o->columns[c]) && (widest == o->n_columns || w[c] > w[widest]))
				widest = c;
		if (widest == o->n_columns || w[widest] <= MIN_SHRUNK_WIDTH)
			break; /* cannot fit: let the terminal wrap */
		w[widest]--;
		total--;
	}
	return w;
}

/*
 * One line of the table. Padding is written only before a following
 * non-empty cell, so no line ends in spaces.
 */
static void table_write_line(struct output *o, char **cells, const size_t *w, bool bold)
{
	struct strbuf sb = STRBUF_INIT;
	size_t pending = 0;
	for (size_t c = 0; c < o->n_columns; c++) {
		_cleanup_free_ char *text = utf8_truncate(cells[c], w[c]);
		size_t tw = utf8_display_width(text);
		if (*text) {
			for (size_t i = 0; i < pending; i++)
				strbuf_addch(&sb, ' ');
			pending = 0;
			strbuf_addf(&sb, bold ? "\033[1m%s\033[0m" : "%s", text);
		}
		pending += w[c] - tw + COLUMN_GAP;
	}
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, o->out);
	strbuf_release(&sb);
}

static int table_write(struct output *o)
{
	/* An empty list shows its header when the columns are known without
	 * an item, so a person sees the list was empty, not that nothing ran. */
	if (!o->n_rows && (!o->columns_known || o->opts.no_header))
		return 0;
	char **header = NULL;
	if (!o->opts.no_header) {
		header = xcalloc(o->n_columns, sizeof(*header));
		for (size_t c = 0; c < o->n_columns; c++)
			header[c] = table_header_cell(o->columns[c]);
	}
	size_t *w = table_widths(o, header);
	if (header)
		table_write_line(o, header, w, o->opts.color);
	for (size_t r = 0; r < o->n_rows; r++)
		table_write_line(o, o->rows[r], w, false);

	free(w);
	if (header)
		for (size_t c = 0; c < o->n_columns; c++)
			free(header[c]);
	free(header);
	return 0;
}

/* --- entry points ------------------------------------------------------ */

int output_columns_begin(struct output *o)
{
	if (o->n_fields) {
		for (size_t i = 0; i < o->n_fields; i++)
			add_column(o, o->fields[i]);
		o->columns_known = true;
	} else if (o->opts.default_columns && o->opts.default_columns[0] && o->opts.format == OUTPUT_TABLE) {
		for (size_t i = 0; o->opts.default_columns[i]; i++)
			add_column(o, o->opts.default_columns[i]);
		o->columns_known = true;
	}
	/* csv without --fields waits for the first item: it writes every field. */
	if (o->columns_known && o->opts.format == OUTPUT_CSV)
		csv_write_header(o);
	return 0;
}

int output_columns_item(struct output *o, json_object *item)
{
	if (!o->columns_known) {
		if (o->opts.format == OUTPUT_CSV)
			csv_columns_from_item(o, item);
		else
			columns_from_item(o, item);
		if (o->opts.format == OUTPUT_CSV)
			csv_write_header(o);
	}
	if (o->opts.format == OUTPUT_CSV)
		return csv_write_row(o, item);
	table_add_row(o, item);
	return 0;
}

int output_columns_end(struct output *o)
{
	if (o->opts.format == OUTPUT_TABLE)
		return table_write(o);
	/* An empty list: the header of the columns known without an item. */
	if (!o->columns_known && o->opts.default_columns && o->opts.default_columns[0]) {
		for (size_t i = 0; o->opts.default_columns[i]; i++)
			add_column(o, o->opts.default_columns[i]);
		csv_write_header(o);
	}
	return 0;
}

int output_fields_item(struct output *o, json_object *item)
{
	if (!o->columns_known && json_object_is_type(item, json_type_object) && json_object_object_length(item)) {
		struct strbuf prefix = STRBUF_INIT;
		columns_from_leaves(o, item, &prefix);
		strbuf_release(&prefix);
		o->columns_known = true;
	}
	return 0;
}

int output_fields_end(struct output *o)
{
	/* No item to look at: what the command shows by default. */
	if (!o->columns_known)
		for (size_t i = 0; o->opts.default_columns && o->opts.default_columns[i]; i++)
			add_column(o, o->opts.default_columns[i]);
	for (size_t i = 0; i < o->n_columns; i++)
		fprintf(o->out, "%s\n", o->columns[i]);
	return output_check_write(o);
}

void output_columns_free(struct output *o)
{
	for (size_t r = 0; r < o->n_rows; r++) {
		for (size_t c = 0; c < o->n_columns; c++)
			free(o->rows[r][c]);
		free(o->rows[r]);
	}
	free(o->rows);
	for (size_t c = 0; c < o->n_columns; c++)
		free(o->columns[c]);
	free(o->columns);
	o->rows = NULL;
	o->columns = NULL;
	o->n_rows = o->n_columns = 0;
}
