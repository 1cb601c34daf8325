/* SPDX-License-Identifier: MIT */
/*
 * --jq through libjq. The program is compiled once per output and runs over
 * each input it is given: for a get the object; for a list each page's
 * items as an array (output_page_end), or with --slurp every item as one
 * array at the end. Each result is printed on its own line, pretty for json
 * output and compact otherwise, strings as JSON strings unless --raw-output,
 * as jq itself does; with -o table, csv or yaml the results become the
 * items of that writer instead.
 *
 * Values cross from json-c to jq as JSON text (jq has no other way in);
 * numbers are doubles inside jq, as with the jq tool.
 */
#include "core/output/internal.h"
#include "core/json_parse.h"
#include "core/util.h"

#include <errno.h>
#include <jq.h>
#include <string.h>

/* jq reports compile errors through a callback, several per failure
 * ("...syntax error...", "jq: 1 compile error"); the first one says why. */
struct jq_error_capture {
	struct strbuf first;
	bool have;
};

static void jq_capture_error(void *data, jv msg)
{
	struct jq_error_capture *cap = data;
	if (!cap->have) {
		jv text = jq_format_error(jv_copy(msg));
		if (jv_get_kind(text) == JV_KIND_STRING) {
			strbuf_addstr(&cap->first, jv_string_value(text));
			cap->have = true;
		}
		jv_free(text);
	}
	jv_free(msg);
}

static void jq_drop_error(void *data, jv msg)
{
	(void)data;
	jv_free(msg);
}

/* "jq: error: syntax error, ... line 1:\n.[" -> "syntax error, ... line 1" */
static char *jq_one_line_error(const char *msg)
{
	if (str_starts_with(msg, "jq: error: "))
		msg += strlen("jq: error: ");
	else if (str_starts_with(msg, "jq: "))
		msg += strlen("jq: ");
	size_t len = strcspn(msg, "\n");
	while (len && (msg[len - 1] == ':' || msg[len - 1] == ' '))
		len--;
	return xstrndup(msg, len);
}

/* A runtime error ("Cannot index string with ...") ends the results. */
static int jq_report_runtime_error(jv result)
{
	jv msg = jv_invalid_get_msg(result);
	if (jv_get_kind(msg) != JV_KIND_STRING)
		msg = jv_dump_string(msg, 0); /* error({...}) carries any value */
	log_error("jq: error: %s", jv_string_value(msg));
	jv_free(msg);
	return -EINVAL;
}

/* A halt_error message as one line: without the newline jq messages usually
 * end with (jq adds none), and as a JSON string when it holds any other
 * control character, or is no string at all. Consumes msg. */
static jv one_line_message(jv msg)
{
	if (jv_get_kind(msg) != JV_KIND_STRING)
		return jv_dump_string(msg, 0);
	const char *s = jv_string_value(msg);
	size_t n = strlen(s);
	if (n && s[n - 1] == '\n')
		n--;
	jv cut = jv_string_sized(s, (int)n);
	jv_free(msg);
	s = jv_string_value(cut);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return jv_dump_string(cut, 0);
	return cut;
}

/* `halt_error` ends the program with an exit code and a message; jq(1)
 * exits with that code, so it is a failure here, not an empty success.
 * `halt` (code 0) ends the results quietly. */
static int jq_report_halt(jq_state *jq)
{
	jv code = jq_get_exit_code(jq);
	bool failed = jv_is_valid(code) &&
		      (jv_get_kind(code) != JV_KIND_NUMBER || jv_number_value(code) != 0);
	jv_free(code);
	jv msg = jq_get_error_message(jq);
	if (!failed) {
		jv_free(msg);
		return 0;
	}
	msg = one_line_message(msg);
	log_error("jq: halt_error: %s", jv_string_value(msg));
	jv_free(msg);
	return -EINVAL;
}

/* `debug` prints its message on stderr, as the jq tool does. */
static void jq_debug_message(void *data, jv msg)
{
	(void)data;
	jv text = jv_dump_string(JV_ARRAY(jv_string("DEBUG:"), msg), 0);
	fprintf(stderr, "%s\n", jv_string_value(text));
	jv_free(text);
}

/* The document is the only input: `input` finds no more. */
static jv jq_no_more_input(jq_state *jq, void *data)
{
	(void)jq;
	(void)data;
	return jv_invalid();
}

/* A jq state with program compiled, or NULL (message logged). libjq 1.6
 * crashes on `debug`, `input`, `import` and `include` unless the debug and
 * input callbacks and the library path are set, so they all are. */
static jq_state *jq_compile_program(const char *program)
{
	jq_state *jq = jq_init();
	if (!jq) {
		log_error("cannot start jq");
		return NULL;
	}
	jq_set_debug_cb(jq, jq_debug_message, NULL);
	jq_set_input_cb(jq, jq_no_more_input, NULL);
	jq_set_attr(jq, jv_string("JQ_LIBRARY_PATH"), jv_array());
	struct jq_error_capture cap = { STRBUF_INIT, false };
	jq_set_error_cb(jq, jq_capture_error, &cap);
	if (!jq_compile(jq, program)) {
		_cleanup_free_ char *why = jq_one_line_error(cap.have ? cap.first.buf : "compile error");
		log_error("invalid --jq expression: %s", why);
		jq_teardown(&jq);
	}
	strbuf_release(&cap.first);
	if (jq) /* cap is gone; later messages were dropped before as well */
		jq_set_error_cb(jq, jq_drop_error, NULL);
	return jq;
}

int output_jq_check(const char *program)
{
	jq_state *jq = jq_compile_program(program);
	if (!jq)
		return -EINVAL;
	jq_teardown(&jq);
	return 0;
}

/* Where the results go: printed as JSON (pretty or compact), raw strings,
 * or handed to another writer as items. */
struct jq_sink {
	FILE *out;
	bool pretty;
	bool raw;
	struct output *o; /* -o table/csv/yaml: the writer that owns the results */
};

/* The verb's default columns when the first result holds them all (the
 * table of filtered users keeps the users' columns), else none, so that
 * `{id, email}` gets columns of its own keys. */
static void jq_pick_columns(struct output *o, json_object *first)
{
	const char *const *dc = o->opts.default_columns;
	size_t n = 0;
	while (dc && dc[n]) {
		json_object *v;
		if (!json_lookup_path(first, dc[n], &v))
			n = 0, dc = NULL;
		else
			n++;
	}
	o->jq_columns = xcalloc(n + 1, sizeof(*o->jq_columns));
	for (size_t i = 0; i < n; i++)
		o->jq_columns[i] = dc[i];
}

static int jq_to_writer(struct output *o, jv result)
{
	jv text = jv_dump_string(result, 0);
	json_object *item = NULL;
	_cleanup_free_ char *err = NULL;
	const char *s = jv_string_value(text);
	int r = json_parse(s, strlen(s), 256, &item, &err);
	jv_free(text);
	if (r < 0) {
		log_error("jq: cannot read a result: %s", err ? err : "malformed");
		return -EINVAL;
	}
	if (!o->jq_writer) {
		struct output_opts inner = o->opts;
		jq_pick_columns(o, item);
		inner.jq = NULL;
		inner.raw_output = false;
		inner.default_columns = o->jq_columns;
		o->jq_writer = o->nest->begin(&inner, o->out, true);
	}
	r = o->nest->item(o->jq_writer, item);
	json_object_put(item);
	return r;
}

static int jq_emit(struct jq_sink *sink, jv result)
{
	if (sink->o)
		return jq_to_writer(sink->o, result);
	if (sink->raw && jv_get_kind(result) == JV_KIND_STRING) {
		fwrite(jv_string_value(result), 1, (size_t)jv_string_length_bytes(jv_copy(result)), sink->out);
		fputc('\n', sink->out);
		jv_free(result);
		return 0;
	}
	jv text = jv_dump_string(result, sink->pretty ? JV_PRINT_INDENT_FLAGS(2) : 0);
	fputs(jv_string_value(text), sink->out);
	fputc('\n', sink->out);
	jv_free(text);
	return 0;
}

/* Runs the compiled program over value, each result to sink. */
static int jq_run(jq_state *jq, json_object *value, struct jq_sink *sink)
{
	_cleanup_free_ char *text = json_text(value);
	jv input = jv_parse_sized(text, (int)strlen(text));
	if (!jv_is_valid(input)) { /* valid JSON by construction; cannot happen */
		jv_free(input);
		log_error("jq cannot read the document");
		return -EINVAL;
	}
	jq_start(jq, input, 0);
	jv result;
	while (jv_is_valid(result = jq_next(jq))) {
		int r = jq_emit(sink, result);
		if (r < 0)
			return r;
	}
	if (jv_invalid_has_msg(jv_copy(result)))
		return jq_report_runtime_error(result);
	jv_free(result);
	return jq_halted(jq) ? jq_report_halt(jq) : 0;
}

int output_jq(const char *program, json_object *value, FILE *out, bool pretty)
{
	jq_state *jq = jq_compile_program(program);
	if (!jq)
		return -EINVAL;
	struct jq_sink sink = { .out = out, .pretty = pretty };
	int r = jq_run(jq, value, &sink);
	jq_teardown(&jq);
	return r;
}

/* --- the writer's --jq ------------------------------------------------- */

static bool jq_to_items(const struct output *o)
{
	return o->opts.format == OUTPUT_TABLE || o->opts.format == OUTPUT_CSV ||
	       o->opts.format == OUTPUT_YAML;
}

int output_jq_begin(struct output *o)
{
	o->jq = jq_compile_program(o->opts.jq);
	if (!o->jq)
		return -EINVAL;
	if (o->is_list)
		o->collected = json_object_new_array();
	return 0;
}

void output_jq_collect(struct output *o, json_object *item)
{
	json_object *copy = json_object_get(item);
	if (o->is_list) {
		json_object_array_add(o->collected, copy);
	} else {
		json_object_put(o->collected);
		o->collected = copy;
	}
	o->jq_pending = true;
}

int output_jq_run(struct output *o)
{
	if (o->jq_halted)
		return 0; /* `halt` ended the program: later pages are not its input */
	struct jq_sink sink = { .out = o->out, .pretty = o->opts.format == OUTPUT_JSON,
				.raw = o->opts.raw_output, .o = jq_to_items(o) ? o : NULL };
	int r = jq_run(o->jq, o->collected, &sink);
	o->jq_halted = jq_halted(o->jq);
	o->jq_runs++;
	o->jq_pending = false;
	if (o->is_list) {
		json_object_put(o->collected);
		o->collected = json_object_new_array();
	}
	if (r == 0)
		fflush(o->out);
	return r;
}

int output_jq_end(struct output *o)
{
	int r = 0;
	/* An empty list is still one input ([]: `length` says 0); a get that
	 * produced nothing is none. */
	if (o->jq_pending || (o->is_list && !o->jq_runs))
		r = output_jq_run(o);
	if (o->jq_writer) {
		int e = o->nest->end(o->jq_writer);
		o->jq_writer = NULL;
		if (!r)
			r = e;
	}
	return r;
}

void output_jq_free(struct output *o)
{
	if (o->jq_writer)
		o->nest->end(o->jq_writer);
	if (o->jq)
		jq_teardown(&o->jq);
	free(o->jq_columns);
}
