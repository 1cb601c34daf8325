/* SPDX-License-Identifier: MIT */
/*
 * Reading and checking the input of `invites send --file`. Everything is
 * checked before anything is sent, and every bad row is reported, so that
 * a file is fixed in one go rather than one error per run.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "cmd/invites/bulk.h"
#include "core/csv.h"
#include "core/hash.h"
#include "core/journal.h"
#include "core/text.h"
#include "core/util.h"

/* No sane invitation list is larger; the cap keeps a wrong file from
 * filling memory. */
#define INPUT_MAX_BYTES (256u * 1024 * 1024)

const char *const invite_field_names[INVITE_N_FIELDS] = {
	"email", "fullName", "firstName", "lastName", "templateId", "winkTemplateId",
};

/* The request schema of POST /invites: required fields and lengths. */
static const struct {
	bool required;
	size_t max;
} field_rules[INVITE_N_FIELDS] = {
	[INVITE_EMAIL] = { true, 200 },
	[INVITE_FULL_NAME] = { true, 200 },
	[INVITE_FIRST_NAME] = { false, 64 },
	[INVITE_LAST_NAME] = { false, 64 },
	[INVITE_TEMPLATE_ID] = { true, 64 },
	[INVITE_WINK_TEMPLATE_ID] = { false, 64 },
};

struct problem {
	unsigned long line;
	char *message;
};

struct checker {
	struct invite_input *in;
	size_t n_errors;
	size_t n_bad_rows;
	unsigned long last_bad_line;
	/* Problems are told at the end, identical ones together. */
	struct problem *problems;
	size_t n_problems, problems_cap;
	/* Rows by lookup key, to find a row given twice. */
	struct invite_row **seen;
	size_t seen_cap;
};

static void report(struct checker *ck, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void report(struct checker *ck, unsigned long line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (ck->n_problems == ck->problems_cap) {
		ck->problems_cap = ck->problems_cap ? 2 * ck->problems_cap : 16;
		ck->problems = xrealloc(ck->problems, ck->problems_cap * sizeof(*ck->problems));
	}
	ck->problems[ck->n_problems++] = (struct problem){ line, strbuf_detach(&sb) };
	ck->n_errors++;
	if (line != ck->last_bad_line)
		ck->n_bad_rows++;
	ck->last_bad_line = line;
}

/* The lines after the first that have the same problem, a few of them. */
static void add_other_lines(struct strbuf *sb, const struct checker *ck, size_t first, size_t n_same)
{
	size_t shown = 0;

	strbuf_addf(sb, " (also on %zu more %s: ", n_same - 1, n_same == 2 ? "row" : "rows");
	for (size_t k = first + 1; k < ck->n_problems && shown < 5; k++)
		if (ck->problems[k].message && !strcmp(ck->problems[k].message, ck->problems[first].message))
			strbuf_addf(sb, "%s%lu", shown++ ? ", " : n_same == 2 ? "line " : "lines ", ck->problems[k].line);
	strbuf_addstr(sb, n_same - 1 > shown ? ", ...)" : ")");
}

/* One line per distinct problem, in the order they first occur: "x is
 * missing on all 500 rows" rather than 500 lines alike. */
static void tell_problems(struct checker *ck)
{
	size_t cap = 16;
	while (cap < ck->n_problems * 2)
		cap *= 2;
	size_t *first = xcalloc(cap, sizeof(*first)), *count = xcalloc(ck->n_problems, sizeof(*count));

	for (size_t i = 0; i < ck->n_problems; i++) {
		size_t k = fnv1a_str(ck->problems[i].message) & (cap - 1);
		while (first[k] && strcmp(ck->problems[first[k] - 1].message, ck->problems[i].message))
			k = (k + 1) & (cap - 1);
		if (!first[k])
			first[k] = i + 1;
		count[first[k] - 1]++;
	}
	for (size_t i = 0; i < ck->n_problems; i++) {
		if (!count[i])
			continue;
		struct strbuf sb = STRBUF_INIT;
		if (count[i] > 1 && count[i] == ck->in->n_rows)
			log_error("%s: %s on all %zu rows", ck->in->name, ck->problems[i].message, count[i]);
		else {
			strbuf_addf(&sb, "%s:%lu: %s", ck->in->name, ck->problems[i].line, ck->problems[i].message);
			if (count[i] > 1)
				add_other_lines(&sb, ck, i, count[i]);
			log_error("%s", sb.buf);
		}
		strbuf_release(&sb);
	}
	for (size_t i = 0; i < ck->n_problems; i++)
		free(ck->problems[i].message);
	free(ck->problems);
	free(first);
	free(count);
}

/* The column of the failed-rows file that says why: read, not sent. */
#define FIELD_IGNORED (-2)

static int field_by_name(const char *name)
{
	if (!strcmp(name, INVITE_ERROR_COLUMN))
		return FIELD_IGNORED;
	for (int i = 0; i < INVITE_N_FIELDS; i++)
		if (!strcmp(name, invite_field_names[i]))
			return i;
	return -1;
}

/* A value from the file as error messages show it: one line, no control
 * characters (a terminal would obey an escape sequence), UTF-8 repaired,
 * at most QUOTED_MAX characters. */
#define QUOTED_MAX 57
static char *shown(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_add_printable_name(&sb, s, strlen(s), QUOTED_MAX);
	return strbuf_detach(&sb);
}

static bool check_fields(struct checker *ck, const struct invite_row *row)
{
	bool ok = true;

	for (int i = 0; i < INVITE_N_FIELDS; i++) {
		const char *v = row->field[i];
		if (!v) {
			if (field_rules[i].required) {
				report(ck, row->line, "%s is missing", invite_field_names[i]);
				ok = false;
			}
			continue;
		}
		if (!utf8_is_valid(v, strlen(v))) {
			/* Sent as JSON, which is UTF-8: refused like any typed text. */
			report(ck, row->line, "%s is not valid UTF-8", invite_field_names[i]);
			ok = false;
		} else if (utf8_length(v) > field_rules[i].max) {
			report(ck, row->line, "%s is longer than %zu characters", invite_field_names[i],
			       field_rules[i].max);
			ok = false;
		}
	}
	if (row->field[INVITE_EMAIL] && !str_is_email(row->field[INVITE_EMAIL])) {
		_cleanup_free_ char *s = shown(row->field[INVITE_EMAIL]);
		report(ck, row->line, "email '%s' is not a valid address", s);
		ok = false;
	}
	return ok;
}

/* The row already given with the same key, or NULL after remembering row. */
static struct invite_row *seen_before(struct checker *ck, struct invite_row *row)
{
	size_t mask = ck->seen_cap - 1;
	for (size_t i = fnv1a_str(row->key) & mask;; i = (i + 1) & mask) {
		if (!ck->seen[i]) {
			ck->seen[i] = row;
			return NULL;
		}
		if (!strcmp(ck->seen[i]->key, row->key))
			return ck->seen[i];
	}
}

char *invite_request_body(const struct invite_row *row)
{
	json_object *obj = json_object_new_object();
	for (int i = 0; i < INVITE_N_FIELDS; i++)
		if (row->field[i])
			json_object_object_add(obj, invite_field_names[i], json_object_new_string(row->field[i]));
	char *s = xstrdup(json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(obj);
	return s;
}

/* Empty values are absent; defaults fill what the row leaves out. */
static void set_field(struct invite_row *row, int f, const char *value)
{
	free(row->field[f]);
	row->field[f] = value && *value ? xstrdup(value) : NULL;
}

static void apply_default(struct invite_row *row, int f, const char *value)
{
	if (row->field[f] || !value)
		return;
	set_field(row, f, value);
	row->defaulted[f] = true;
}

static void apply_defaults(struct invite_row *row, const struct invite_defaults *d)
{
	apply_default(row, INVITE_TEMPLATE_ID, d->template_id);
	apply_default(row, INVITE_WINK_TEMPLATE_ID, d->wink_template_id);
}

static struct invite_row *new_row(struct invite_input *in, size_t *cap, unsigned long line)
{
	if (in->n_rows == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		in->rows = xrealloc(in->rows, *cap * sizeof(*in->rows));
	}
	struct invite_row *row = &in->rows[in->n_rows++];
	*row = (struct invite_row){ .index = in->n_rows, .line = line };
	return row;
}

/* Checks a row that has its fields, and prepares what sending needs. */
static void finish_row(struct checker *ck, struct invite_row *row, const struct invite_defaults *d)
{
	apply_defaults(row, d);
	if (!check_fields(ck, row))
		return;
	row->key = invite_key(row->field[INVITE_EMAIL], row->field[INVITE_TEMPLATE_ID]);
}

/* ---- CSV ---- */

/* Column index -> field, from the header row. False when it is unusable. */
static bool read_header(struct checker *ck, const struct csv_record *rec, int *columns)
{
	bool ok = true, have_email = false;

	if (rec->error) {
		report(ck, rec->line, "header: %s", rec->error);
		return false;
	}
	for (size_t i = 0; i < rec->n; i++) {
		columns[i] = field_by_name(rec->fields[i]);
		if (columns[i] == FIELD_IGNORED)
			continue;
		if (columns[i] < 0) {
			_cleanup_free_ char *s = shown(rec->fields[i]);
			report(ck, rec->line, "unknown column '%s' (columns: email, fullName, firstName, "
			       "lastName, templateId, winkTemplateId)", s);
			ok = false;
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (columns[k] == columns[i]) {
				report(ck, rec->line, "column '%s' is given twice", rec->fields[i]);
				ok = false;
			}
		have_email |= columns[i] == INVITE_EMAIL;
	}
	if (!have_email && ok) {
		report(ck, rec->line, "the header has no 'email' column");
		ok = false;
	}
	return ok;
}

static void load_csv(struct checker *ck, const struct invite_defaults *d)
{
	struct invite_input *in = ck->in;
	struct csv_reader r;
	struct csv_record rec = { 0 };
	size_t cap = 0, n_columns;
	int *columns;

	csv_reader_init(&r, in->text, in->len);
	if (!csv_next(&r, &rec))
		return;
	n_columns = rec.n;
	columns = xcalloc(n_columns, sizeof(*columns));
	if (!read_header(ck, &rec, columns)) {
		free(columns);
		csv_record_release(&rec);
		return;
	}
	while (csv_next(&r, &rec)) {
		struct invite_row *row = new_row(in, &cap, rec.line);
		if (rec.error) {
			report(ck, rec.line, "%s", rec.error);
		} else if (rec.n != n_columns) {
			report(ck, rec.line, "%zu fields where the header has %zu", rec.n, n_columns);
		} else {
			for (size_t i = 0; i < rec.n; i++)
				if (columns[i] >= 0)
					set_field(row, columns[i], rec.fields[i]);
			finish_row(ck, row, d);
		}
	}
	csv_record_release(&rec);
	free(columns);
}

/* ---- JSON Lines ---- */

static void json_line_fields(struct checker *ck, struct invite_row *row, json_object *obj)
{
	json_object_object_foreach(obj, key, value) {
		int f = field_by_name(key);
		if (f == FIELD_IGNORED)
			continue;
		if (f < 0) {
			_cleanup_free_ char *s = shown(key);
			report(ck, row->line, "unknown key '%s'", s);
		} else if (json_object_is_type(value, json_type_null)) {
			set_field(row, f, NULL);
		} else if (!json_object_is_type(value, json_type_string)) {
			report(ck, row->line, "%s is not a string", key);
		} else {
			set_field(row, f, json_object_get_string(value));
		}
	}
}

static void load_json_line(struct checker *ck, struct invite_row *row, const char *line, size_t len,
			   const struct invite_defaults *d)
{
	json_tokener *tok = json_tokener_new();
	json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
	size_t errors = ck->n_errors;

	size_t end = json_tokener_get_parse_end(tok);
	while (end < len && (line[end] == ' ' || line[end] == '\t' || line[end] == '\r'))
		end++;
	if (json_tokener_get_error(tok) != json_tokener_success || !json_object_is_type(obj, json_type_object))
		report(ck, row->line, "not a JSON object");
	else if (end < len) /* {...}{...}: the second person would be dropped unseen */
		report(ck, row->line, "text after the JSON object; one object per line");
	else
		json_line_fields(ck, row, obj);
	if (ck->n_errors == errors)
		finish_row(ck, row, d);
	json_object_put(obj);
	json_tokener_free(tok);
}

static bool blank(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

static void load_jsonl(struct checker *ck, const struct invite_defaults *d)
{
	struct invite_input *in = ck->in;
	const char *p = in->text, *end = in->text + in->len;
	unsigned long line = 1;
	size_t cap = 0;

	if (in->len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	for (; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!blank(p, len))
			load_json_line(ck, new_row(in, &cap, line), p, len, d);
		p += len + (nl ? 1 : 0);
	}
}

/* ---- both ---- */

static bool looks_like_json_lines(const struct invite_input *in, const char *path)
{
	if (str_ends_with(path, ".jsonl") || str_ends_with(path, ".ndjson"))
		return true;
	if (str_ends_with(path, ".csv"))
		return false;
	const char *p = in->text, *end = in->text + in->len;
	if (in->len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
		p += 3;
	while (p < end && isspace((unsigned char)*p))
		p++;
	return p < end && *p == '{';
}

/* A second row for the same person and template would invite them twice. */
static void check_duplicates(struct checker *ck)
{
	size_t cap = 16;
	while (cap < ck->in->n_rows * 2)
		cap *= 2;
	ck->seen = xcalloc(cap, sizeof(*ck->seen));
	ck->seen_cap = cap;
	for (size_t i = 0; i < ck->in->n_rows; i++) {
		struct invite_row *row = &ck->in->rows[i], *first;
		if (row->key && (first = seen_before(ck, row)))
			report(ck, row->line, "%s with template %s is already on line %lu",
			       row->field[INVITE_EMAIL], row->field[INVITE_TEMPLATE_ID], first->line);
	}
	free(ck->seen);
}

int invite_input_load(const char *path, const struct invite_defaults *defaults, struct invite_input *in)
{
	struct checker ck = { .in = in };
	int r;

	*in = (struct invite_input){ .name = xstrdup(strcmp(path, "-") ? path : "stdin") };
	r = read_file_all(path, INPUT_MAX_BYTES, &in->text, &in->len);
	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot read '%s': %s", in->name,
				  r == -EFBIG ? "file too large" : strerror(-r));
	if (looks_like_json_lines(in, path))
		load_jsonl(&ck, defaults);
	else
		load_csv(&ck, defaults);
	if (!ck.n_errors)
		check_duplicates(&ck);
	tell_problems(&ck);
	if (ck.n_errors)
		return log_status(SMILE_EXIT_USAGE, "%s: %zu bad %s; nothing was sent", in->name, ck.n_bad_rows,
				  ck.n_bad_rows == 1 ? "row" : "rows");
	if (!in->n_rows)
		return log_status(SMILE_EXIT_USAGE, "%s holds no invitations", in->name);
	return 0;
}

void invite_input_release(struct invite_input *in)
{
	for (size_t i = 0; i < in->n_rows; i++) {
		struct invite_row *row = &in->rows[i];
		for (int f = 0; f < INVITE_N_FIELDS; f++)
			free(row->field[f]);
		free(row->body);
		free(row->key);
		free(row->invite_id);
		free(row->error);
	}
	free(in->rows);
	free(in->text);
	free(in->name);
	*in = (struct invite_input){ 0 };
}
