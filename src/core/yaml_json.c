/* SPDX-License-Identifier: MIT */
#include "core/yaml_json.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/text.h"
#include "core/util.h"

/* Depth bound: a hostile file must not exhaust the stack. */
#define MAX_DEPTH 200

/* RFC 8259's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool is_json_number(const char *s)
{
	size_t n;

	s += *s == '-';
	if (*s == '0')
		s++;
	else if ((n = strspn(s, "0123456789")) > 0)
		s += n;
	else
		return false;
	if (*s == '.') {
		if ((n = strspn(++s, "0123456789")) == 0)
			return false;
		s += n;
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		s += *s == '+' || *s == '-';
		if ((n = strspn(s, "0123456789")) == 0)
			return false;
		s += n;
	}
	return *s == '\0';
}

static json_object *plain_scalar(const char *s)
{
	if (!*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") || !strcmp(s, "NULL"))
		return NULL;
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
		return json_object_new_boolean(1);
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
		return json_object_new_boolean(0);
	char *end;
	errno = 0;
	long long i = strtoll(s, &end, 10);
	if (!*end && !errno && end != s)
		return json_object_new_int64(i);
	double d = strtod(s, &end);
	/* The digits go out as written: printed from the double, 12.34 would
	 * become 12.339999999999999 and a 20-digit integer would lose its
	 * last digits, and a server reading decimals exactly would see that. */
	if (!*end && end != s && isfinite(d) && is_json_number(s))
		return json_object_new_double_s(d, s);
	if (!*end && end != s && isfinite(d) && strspn(s, "+-0123456789.eE") == strlen(s))
		return json_object_new_double(d);
	return json_object_new_string(s);
}

struct yj {
	yaml_parser_t parser;
	char *err;
};

static int fail(struct yj *y, size_t line, const char *what)
{
	if (!y->err)
		y->err = xasprintf("line %zu: %s", line + 1, what);
	return -EINVAL;
}

/* A value from the file as a message shows it: one line, at most 60
 * characters (a tag or a quoted scalar may hold a line break). */
static char *shown(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_add_printable(&sb, s, strlen(s), 60);
	return strbuf_detach(&sb);
}

static int next_event(struct yj *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->parser, ev))
		return fail(y, y->parser.problem_mark.line,
			    y->parser.problem ? y->parser.problem : "malformed YAML");
	return 0;
}

static int parse_node(struct yj *y, yaml_event_t *ev, json_object **out, int depth);

static int parse_sequence(struct yj *y, json_object **out, int depth)
{
	json_object *arr = json_object_new_array();
	for (;;) {
		yaml_event_t ev;
		if (next_event(y, &ev) < 0)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			*out = arr;
			return 0;
		}
		json_object *item = NULL;
		int r = parse_node(y, &ev, &item, depth + 1);
		yaml_event_delete(&ev);
		if (r < 0)
			goto fail;
		json_object_array_add(arr, item);
	}
fail:
	json_object_put(arr);
	return -EINVAL;
}

static int parse_mapping(struct yj *y, json_object **out, int depth)
{
	json_object *obj = json_object_new_object();
	for (;;) {
		yaml_event_t key;
		if (next_event(y, &key) < 0)
			goto fail;
		if (key.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&key);
			*out = obj;
			return 0;
		}
		if (key.type != YAML_SCALAR_EVENT) {
			size_t line = key.start_mark.line;
			yaml_event_delete(&key);
			fail(y, line, "mapping keys must be plain text");
			goto fail;
		}
		/* Refused, not merged: a second value for a key, or a key cut
		 * short at a NUL, would drop data the file holds. */
		const char *kv = (const char *)key.data.scalar.value;
		size_t line = key.start_mark.line;
		bool nul = strlen(kv) != key.data.scalar.length;
		bool dup = !nul && json_object_object_get_ex(obj, kv, NULL);
		_cleanup_free_ char *name_shown = dup ? shown(kv) : NULL;
		char *what = nul ? xstrdup("a mapping key holds a NUL character")
				 : dup ? xasprintf("duplicate key '%s'", name_shown) : NULL;
		char *name = xstrdup(kv);
		yaml_event_delete(&key);
		if (what) {
			fail(y, line, what);
			free(what);
			free(name);
			goto fail;
		}
		yaml_event_t ev;
		json_object *value = NULL;
		int r = next_event(y, &ev);
		if (r == 0) {
			r = parse_node(y, &ev, &value, depth + 1);
			yaml_event_delete(&ev);
		}
		if (r < 0) {
			free(name);
			goto fail;
		}
		json_object_object_add(obj, name, value);
		free(name);
	}
fail:
	json_object_put(obj);
	return -EINVAL;
}

#define CORE_TAG "tag:yaml.org,2002:"

/* Fails naming the tag as the file spells it: !!binary, not its URI. */
static int unsupported_tag(struct yj *y, size_t line, const char *tag)
{
	bool core = strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0;
	_cleanup_free_ char *name = shown(core ? tag + strlen(CORE_TAG) : tag);
	char *msg = xasprintf("the tag %s%s is not supported", core ? "!!" : "", name);
	fail(y, line, msg);
	free(msg);
	return -EINVAL;
}

/* A scalar with an explicit tag: !!str 0123 is the string "0123", !!int
 * must hold an int, and so on. A tag with no JSON meaning (!!binary,
 * !!timestamp, !local) is refused rather than silently ignored. */
static int tagged_scalar(struct yj *y, const yaml_event_t *ev, json_object **out)
{
	const char *tag = (const char *)ev->data.scalar.tag;
	const char *s = (const char *)ev->data.scalar.value;
	size_t line = ev->start_mark.line;
	const char *core = strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0 ? tag + strlen(CORE_TAG) : NULL;

	if (!strcmp(tag, "!") || (core && !strcmp(core, "str"))) {
		*out = json_object_new_string_len(s, (int)ev->data.scalar.length);
		return 0;
	}
	static const struct {
		const char *name;
		json_type type;
	} typed[] = {
		{ "int", json_type_int }, { "float", json_type_double },
		{ "bool", json_type_boolean }, { "null", json_type_null },
	};
	for (size_t i = 0; core && i < sizeof(typed) / sizeof(typed[0]); i++) {
		if (strcmp(core, typed[i].name))
			continue;
		json_object *v = plain_scalar(s);
		json_type t = json_object_get_type(v);
		if (t == typed[i].type || (t == json_type_int && typed[i].type == json_type_double)) {
			*out = v;
			return 0;
		}
		json_object_put(v);
		_cleanup_free_ char *value = shown(s);
		char *msg = xasprintf("'%s' is not a valid !!%s", value, typed[i].name);
		fail(y, line, msg);
		free(msg);
		return -EINVAL;
	}
	return unsupported_tag(y, line, tag);
}

static int parse_scalar(struct yj *y, const yaml_event_t *ev, json_object **out)
{
	const char *s = (const char *)ev->data.scalar.value;
	bool implicit = ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit;

	if (ev->data.scalar.tag && !implicit)
		return tagged_scalar(y, ev, out);
	bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	*out = plain ? plain_scalar(s) : json_object_new_string_len(s, (int)ev->data.scalar.length);
	return 0;
}

/* !!map on a mapping and !!seq on a sequence say what it is anyway; any
 * other tag would be dropped, so it is refused. */
static int check_collection_tag(struct yj *y, const yaml_event_t *ev, const char *expected)
{
	bool map = ev->type == YAML_MAPPING_START_EVENT;
	const char *tag = (const char *)(map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
	int implicit = map ? ev->data.mapping_start.implicit : ev->data.sequence_start.implicit;

	if (!tag || implicit || !strcmp(tag, "!") || !strcmp(tag, expected))
		return 0;
	return unsupported_tag(y, ev->start_mark.line, tag);
}

static int parse_node(struct yj *y, yaml_event_t *ev, json_object **out, int depth)
{
	if (depth > MAX_DEPTH)
		return fail(y, ev->start_mark.line, "nested too deeply");
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parse_scalar(y, ev, out);
	case YAML_SEQUENCE_START_EVENT:
		if (check_collection_tag(y, ev, CORE_TAG "seq") < 0)
			return -EINVAL;
		return parse_sequence(y, out, depth);
	case YAML_MAPPING_START_EVENT:
		if (check_collection_tag(y, ev, CORE_TAG "map") < 0)
			return -EINVAL;
		return parse_mapping(y, out, depth);
	case YAML_ALIAS_EVENT:
		return fail(y, ev->start_mark.line, "aliases are not supported");
	default:
		return fail(y, ev->start_mark.line, "unexpected YAML structure");
	}
}

int yaml_to_json(const char *text, size_t len, json_object **out, char **err)
{
	struct yj y = { .err = NULL };
	yaml_event_t ev;
	int r = -EINVAL;
	json_object *root = NULL;

	*out = NULL;
	*err = NULL;
	yaml_parser_initialize(&y.parser);
	yaml_parser_set_input_string(&y.parser, (const unsigned char *)text, len);
	/* STREAM-START, then DOCUMENT-START or STREAM-END (empty input). */
	for (;;) {
		if (next_event(&y, &ev) < 0)
			goto done;
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (t == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			fail(&y, 0, "the document is empty");
			goto done;
		}
		r = parse_node(&y, &ev, &root, 0);
		yaml_event_delete(&ev);
		break;
	}
	/* Whatever follows the document must be its end: a second document or
	 * trailing text ({"a":1}{"b":2}) would otherwise be dropped unseen. */
	while (r == 0) {
		if (next_event(&y, &ev) < 0) {
			r = -EINVAL;
			break;
		}
		yaml_event_type_t t = ev.type;
		size_t line = ev.start_mark.line;
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
		if (t != YAML_DOCUMENT_END_EVENT)
			r = fail(&y, line, "only one YAML document is allowed");
	}
	if (r == 0) {
		*out = root;
		root = NULL;
	}
done:
	json_object_put(root);
	yaml_parser_delete(&y.parser);
	if (r < 0)
		*err = y.err ? y.err : xstrdup("malformed YAML");
	else
		free(y.err);
	return r;
}
