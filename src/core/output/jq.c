/* SPDX-License-Identifier: MIT */
/*
 * --jq through libjq: the program runs once over the whole document and
 * each result is printed on its own line, pretty for json output and
 * compact otherwise, strings as JSON strings, as jq itself does.
 *
 * Values cross from json-c to jq as JSON text (jq has no other way in);
 * numbers are doubles inside jq, as with the jq tool.
 */
#include "core/output/internal.h"
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

static int jq_print_results(jq_state *jq, FILE *out, bool pretty)
{
	int flags = pretty ? JV_PRINT_INDENT_FLAGS(2) : 0;
	jv result;

	while (jv_is_valid(result = jq_next(jq))) {
		jv text = jv_dump_string(result, flags);
		fputs(jv_string_value(text), out);
		fputc('\n', out);
		jv_free(text);
	}
	if (jv_invalid_has_msg(jv_copy(result)))
		return jq_report_runtime_error(result);
	jv_free(result);
	return jq_halted(jq) ? jq_report_halt(jq) : 0;
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

int output_jq(const char *program, json_object *value, FILE *out, bool pretty)
{
	jq_state *jq = jq_compile_program(program);
	if (!jq)
		return -EINVAL;

	int r = 0;
	_cleanup_free_ char *text = json_text(value);
	jv input = jv_parse_sized(text, (int)strlen(text));
	if (!jv_is_valid(input)) { /* valid JSON by construction; cannot happen */
		jv_free(input);
		log_error("jq cannot read the document");
		r = -EINVAL;
		goto out;
	}
	jq_start(jq, input, 0);
	r = jq_print_results(jq, out, pretty);
out:
	jq_teardown(&jq);
	return r;
}
