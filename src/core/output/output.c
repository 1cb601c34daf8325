/* SPDX-License-Identifier: MIT */
/*
 * The output writer: dispatch per format, --fields and -q. The formats
 * live in json.c (json, ndjson), columns.c (table, csv), yaml.c and jq.c
 * (--jq); what they all use is in common.c. The formats do not call back
 * into this file: jq.c renders its results through the writer it is
 * handed (struct output_nest).
 */
#include "core/output/internal.h"
#include "core/text.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

const char *const output_format_names[] = {
	[OUTPUT_JSON] = "json",
	[OUTPUT_NDJSON] = "ndjson",
	[OUTPUT_TABLE] = "table",
	[OUTPUT_CSV] = "csv",
	[OUTPUT_YAML] = "yaml",
	NULL,
};

int output_parse_format(const char *name, enum output_format *out)
{
	if (!name)
		return -EINVAL;
	for (size_t i = 0; output_format_names[i]; i++) {
		if (strcmp(name, output_format_names[i]) == 0) {
			*out = (enum output_format)i;
			return 0;
		}
	}
	return -EINVAL;
}

int output_terminal_width(int fd)
{
	const char *env = getenv("COLUMNS");
	if (env && *env) {
		char *end;
		errno = 0;
		long n = strtol(env, &end, 10);
		if (!errno && !*end && n > 0 && n <= 100000)
			return (int)n;
	}
	struct winsize ws;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

bool output_color_enabled(int fd)
{
	const char *no_color = getenv("NO_COLOR");
	return isatty(fd) && !(no_color && *no_color);
}

/* --- --fields ----------------------------------------------------------- */

static void parse_fields(struct output *o)
{
	if (!o->opts.fields)
		return;
	_cleanup_free_ char *copy = xstrdup(o->opts.fields);
	char *rest = copy, *field;
	while ((field = strsep(&rest, ","))) {
		while (isspace((unsigned char)*field))
			field++;
		size_t len = strlen(field);
		while (len && isspace((unsigned char)field[len - 1]))
			len--;
		if (!len)
			continue;
		o->fields = xrealloc(o->fields, (o->n_fields + 1) * sizeof(*o->fields));
		o->fields[o->n_fields++] = xstrndup(field, len);
	}
	o->field_seen = xcalloc(o->n_fields ? o->n_fields : 1, sizeof(*o->field_seen));
}

static void note_fields_seen(struct output *o, json_object *item)
{
	json_object *v;
	for (size_t i = 0; i < o->n_fields; i++)
		if (!o->field_seen[i] && json_lookup_path(item, o->fields[i], &v))
			o->field_seen[i] = true;
}

/* A typo in --fields would otherwise be a silent column of '-'. */
static void warn_fields_unseen(const struct output *o)
{
	for (size_t i = 0; o->n_items && i < o->n_fields; i++)
		if (!o->field_seen[i])
			log_warn("no item has the field '%s' (--fields help lists the fields there are)", o->fields[i]);
}

static json_object *json_container_like(json_object *v)
{
	return json_object_is_type(v, json_type_array) ? json_object_new_array()
						       : json_object_new_object();
}

/* Sets dst[segment] (object key or array index) to v, taking v. */
static void json_set_child(json_object *dst, const char *segment, json_object *v)
{
	if (json_object_is_type(dst, json_type_array))
		json_object_array_put_idx(dst, strtoul(segment, NULL, 10), v);
	else
		json_object_object_add(dst, segment, v);
}

/*
 * Copies the value at path from src into dst, creating the containers on
 * the way so the result is nested as in the source. Through an array the
 * element keeps its index (earlier slots become null).
 */
static void project_path(json_object *dst, json_object *src, const char *path)
{
	json_object *value;
	if (!json_lookup_path(src, path, &value))
		return; /* absent: omitted, not null */

	_cleanup_free_ char *copy = xstrdup(path);
	char *rest = copy, *segment;
	while ((segment = strsep(&rest, "."))) {
		json_object *s_next, *d_next = NULL;
		json_child(src, segment, &s_next);
		if (!rest) {
			json_object *leaf = NULL;
			if (s_next)
				json_object_deep_copy(s_next, &leaf, NULL);
			json_set_child(dst, segment, leaf);
			return;
		}
		json_child(dst, segment, &d_next);
		if (!d_next || json_object_get_type(d_next) != json_object_get_type(s_next)) {
			d_next = json_container_like(s_next);
			json_set_child(dst, segment, d_next);
		}
		src = s_next;
		dst = d_next;
	}
}

/* A new object with only the --fields paths of item. */
static json_object *project_fields(struct output *o, json_object *item)
{
	json_object *result = json_object_new_object();
	for (size_t i = 0; i < o->n_fields; i++)
		project_path(result, item, o->fields[i]);
	return result;
}

/* --- quiet ------------------------------------------------------------ */

/* The first default column that names an id: "user.id" for users create,
 * which answers {user, token}; "inviteId" for the rows of invites send --file. */
static const char *id_column(const char *const *columns)
{
	for (size_t i = 0; columns && columns[i]; i++)
		if (str_ends_with(columns[i], "id") || str_ends_with(columns[i], "Id"))
			return columns[i];
	return NULL;
}

/* The id is "id", or for results without one the id column; an item with
 * neither (a failed row of a bulk send) prints nothing. */
static int output_id_item(struct output *o, json_object *item)
{
	json_object *id = NULL;
	const char *column;
	if (!json_object_object_get_ex(item, "id", &id) && (column = id_column(o->opts.default_columns)))
		id = json_get_path(item, column);
	if (!id)
		return 0; /* nothing to print for an item without id */
	struct strbuf sb = STRBUF_INIT;
	if (json_object_is_type(id, json_type_string))
		strbuf_add_printable(&sb, json_object_get_string(id), (size_t)json_object_get_string_len(id), 0);
	else
		strbuf_add_printable(&sb, json_compact(id), strlen(json_compact(id)), 0);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, o->out);
	strbuf_release(&sb);
	return 0;
}

/* --- the writer --------------------------------------------------------- */

static const struct output_nest output_nest = { output_begin, output_item, output_end };

static bool output_is_collecting(const struct output *o)
{
	return o->opts.jq != NULL;
}

struct output *output_begin(const struct output_opts *opts, FILE *out, bool is_list)
{
	struct output *o = xcalloc(1, sizeof(*o));
	o->opts = *opts;
	o->out = out;
	o->is_list = is_list;
	o->nest = &output_nest;
	parse_fields(o);

	if (o->opts.list_fields) {
		/* only the fields of the first item are printed, at the end */
	} else if (output_is_collecting(o)) {
		o->error = output_jq_begin(o);
	} else if (o->opts.quiet) {
		/* ids only: nothing to open */
	} else if (o->opts.format == OUTPUT_TABLE || o->opts.format == OUTPUT_CSV) {
		o->error = output_columns_begin(o);
	} else if (o->opts.format == OUTPUT_YAML) {
		o->error = output_yaml_begin(o);
	}
	return o;
}

static int output_dispatch_item(struct output *o, json_object *item)
{
	if (o->opts.quiet)
		return output_id_item(o, item);
	switch (o->opts.format) {
	case OUTPUT_TABLE:
	case OUTPUT_CSV:
		return output_columns_item(o, item);
	case OUTPUT_YAML:
		return output_yaml_item(o, item);
	case OUTPUT_JSON:
	case OUTPUT_NDJSON:
		break;
	}
	return output_json_item(o, item);
}

int output_item(struct output *o, json_object *item)
{
	if (o->error)
		return o->error;
	if (o->opts.list_fields) {
		o->n_items++;
		return output_fields_item(o, item);
	}

	if (output_is_collecting(o)) {
		output_jq_collect(o, item);
		o->n_items++;
		return 0;
	}

	note_fields_seen(o, item);
	/* Table and csv pick the paths themselves; the others get a copy. */
	bool project = o->n_fields && !o->opts.quiet &&
		       o->opts.format != OUTPUT_TABLE && o->opts.format != OUTPUT_CSV;
	json_object *projected = project ? project_fields(o, item) : NULL;
	int r = output_dispatch_item(o, projected ? projected : item);
	json_object_put(projected);
	o->n_items++;
	if (r < 0) {
		o->error = r;
		return r;
	}
	/* Flushing per item lets a reader see (and `head` stop) a long --all early. */
	fflush(o->out);
	return output_check_write(o);
}

int output_page_end(struct output *o)
{
	if (o->error || !output_is_collecting(o) || !o->is_list || o->opts.slurp)
		return o->error;
	int r = output_jq_run(o);
	if (r < 0)
		o->error = r;
	return r < 0 ? r : output_check_write(o);
}

static int output_finish(struct output *o)
{
	if (o->opts.list_fields)
		return output_fields_end(o);
	if (output_is_collecting(o))
		return output_jq_end(o);
	if (o->opts.quiet)
		return 0;
	switch (o->opts.format) {
	case OUTPUT_TABLE:
	case OUTPUT_CSV:
		return output_columns_end(o);
	case OUTPUT_YAML:
		return output_yaml_end(o);
	case OUTPUT_JSON:
	case OUTPUT_NDJSON:
		break;
	}
	return output_json_end(o);
}

static void output_free(struct output *o)
{
	output_columns_free(o);
	output_yaml_free(o);
	output_jq_free(o);
	json_object_put(o->collected);
	for (size_t i = 0; i < o->n_fields; i++)
		free(o->fields[i]);
	free(o->fields);
	free(o->field_seen);
	free(o);
}

int output_end(struct output *o)
{
	if (!o)
		return 0;
	int r = o->error;
	if (!r) {
		warn_fields_unseen(o);
		r = output_finish(o);
		if (r < 0)
			o->error = r;
		else if (fflush(o->out) != 0 || ferror(o->out))
			r = output_check_write(o);
	}
	output_free(o);
	return r;
}
