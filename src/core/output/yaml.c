/* SPDX-License-Identifier: MIT */
/*
 * yaml through libyaml's emitter, which handles indentation, indicators,
 * escapes and empty collections. What libyaml cannot know is which plain
 * strings a reader would take for something else ("123", "true", "null",
 * "2024-01-31", "" ...): those are marked non-plain so they get quoted.
 *
 * A list is one block sequence streamed item by item; a get is a mapping.
 * No "---" marker: the output is a single implicit document.
 */
#include "core/output/internal.h"
#include "core/text.h"
#include "core/yaml_words.h"
#include "core/util.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

static int yaml_emit(struct output *o, yaml_event_t *event)
{
	if (yaml_emitter_emit(o->yaml, event))
		return 0;
	int r = output_check_write(o);
	if (r < 0)
		return r;
	log_error("cannot write yaml: %s", o->yaml->problem ? o->yaml->problem : "emitter error");
	return -EIO;
}

/* text (len bytes, NULs included) as a scalar. libyaml takes only valid
 * UTF-8 and refuses anything else at yaml_scalar_event_initialize(), so the
 * text rule applies first: what is not UTF-8 becomes U+FFFD. A NUL is
 * written as the escape "\0" in double quotes, where libyaml puts
 * anything it cannot print. */
static int yaml_emit_scalar(struct output *o, const char *text, size_t len, bool is_string)
{
	yaml_event_t event;
	size_t fixed_len;
	_cleanup_free_ char *fixed = utf8_repair(text, len, &fixed_len);
	bool quote = is_string && yaml_string_needs_quotes(fixed);
	/* Multi-line text reads best with "\n" escapes than folded quotes. */
	bool escaped = is_string && (strpbrk(fixed, "\r\n") || strlen(fixed) != fixed_len);
	yaml_scalar_style_t style = escaped ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE;
	if (fixed_len > INT_MAX ||
	    !yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)fixed, (int)fixed_len, !quote, 1, style)) {
		log_error("cannot write yaml: a value is too large");
		return -ENOMEM;
	}
	return yaml_emit(o, &event);
}

static int yaml_emit_text(struct output *o, const char *text)
{
	return yaml_emit_scalar(o, text, strlen(text), false);
}

static int yaml_emit_start(struct output *o, bool mapping)
{
	yaml_event_t event;
	int ok = mapping ? yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE)
			 : yaml_sequence_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	if (!ok) {
		log_error("cannot write yaml: out of memory");
		return -ENOMEM;
	}
	return yaml_emit(o, &event);
}

/*
 * YAML 1.1 (PyYAML) reads a float only with a '.' in the mantissa and a
 * signed exponent: "1e300" would come back as a string, "1.0e+300" not.
 */
static char *yaml_float_text(const char *json_text)
{
	struct strbuf sb = STRBUF_INIT;
	const char *e = strpbrk(json_text, "eE");
	if (!e)
		return xstrdup(json_text);
	strbuf_add(&sb, json_text, (size_t)(e - json_text));
	if (!memchr(json_text, '.', (size_t)(e - json_text)))
		strbuf_addstr(&sb, ".0");
	strbuf_addch(&sb, 'e');
	if (e[1] != '+' && e[1] != '-')
		strbuf_addch(&sb, '+');
	strbuf_addstr(&sb, e + 1);
	return strbuf_detach(&sb);
}

static int yaml_emit_value(struct output *o, json_object *v)
{
	yaml_event_t event;
	int r;

	switch (json_object_get_type(v)) {
	case json_type_object:
		if ((r = yaml_emit_start(o, true)) < 0)
			return r;
		json_object_object_foreach(v, key, val) {
			if ((r = yaml_emit_scalar(o, key, strlen(key), true)) < 0 ||
			    (r = yaml_emit_value(o, val)) < 0)
				return r;
		}
		yaml_mapping_end_event_initialize(&event);
		return yaml_emit(o, &event);
	case json_type_array:
		if ((r = yaml_emit_start(o, false)) < 0)
			return r;
		for (size_t i = 0; i < json_object_array_length(v); i++)
			if ((r = yaml_emit_value(o, json_object_array_get_idx(v, i))) < 0)
				return r;
		yaml_sequence_end_event_initialize(&event);
		return yaml_emit(o, &event);
	case json_type_string:
		return yaml_emit_scalar(o, json_object_get_string(v), (size_t)json_object_get_string_len(v), true);
	case json_type_null:
		return yaml_emit_text(o, "null");
	case json_type_double: {
		_cleanup_free_ char *text = yaml_float_text(json_compact(v));
		return yaml_emit_text(o, text);
	}
	default:
		return yaml_emit_text(o, json_compact(v));
	}
}

int output_yaml_begin(struct output *o)
{
	yaml_event_t event;
	int r;

	o->yaml = xcalloc(1, sizeof(*o->yaml));
	if (!yaml_emitter_initialize(o->yaml)) {
		free(o->yaml);
		o->yaml = NULL;
		log_error("cannot start the yaml emitter");
		return -ENOMEM;
	}
	yaml_emitter_set_output_file(o->yaml, o->out);
	yaml_emitter_set_unicode(o->yaml, 1);
	yaml_emitter_set_width(o->yaml, -1); /* never fold long strings */

	yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
	if ((r = yaml_emit(o, &event)) < 0)
		return r;
	yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
	if ((r = yaml_emit(o, &event)) < 0)
		return r;
	if (!o->is_list)
		return 0;
	return yaml_emit_start(o, false);
}

int output_yaml_item(struct output *o, json_object *item)
{
	int r = yaml_emit_value(o, item);
	if (r < 0)
		return r;
	/* libyaml keeps a few events of look-ahead; push what it can. */
	if (!yaml_emitter_flush(o->yaml))
		return output_check_write(o) < 0 ? o->error : -EIO;
	return 0;
}

int output_yaml_end(struct output *o)
{
	yaml_event_t event;
	int r;

	/* A get that produced nothing still needs a document body. */
	if (!o->is_list && !o->n_items && (r = yaml_emit_text(o, "null")) < 0)
		return r;
	if (o->is_list) {
		yaml_sequence_end_event_initialize(&event);
		if ((r = yaml_emit(o, &event)) < 0)
			return r;
	}
	yaml_document_end_event_initialize(&event, 1);
	if ((r = yaml_emit(o, &event)) < 0)
		return r;
	yaml_stream_end_event_initialize(&event);
	if ((r = yaml_emit(o, &event)) < 0)
		return r;
	if (!yaml_emitter_flush(o->yaml))
		return output_check_write(o) < 0 ? o->error : -EIO;
	return 0;
}

void output_yaml_free(struct output *o)
{
	if (!o->yaml)
		return;
	yaml_emitter_delete(o->yaml);
	free(o->yaml);
	o->yaml = NULL;
}
