/* SPDX-License-Identifier: MIT */
#include "core/yaml_json.h"
#include "core/yaml_words.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
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
	if (yaml_null_word(s))
		return NULL;
	int b = yaml_bool_word(s);
	if (b >= 0)
		return json_object_new_boolean(b);
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
	char *err;                  /* the first problem, without its place */
	yaml_mark_t err_mark;       /* where it is */
	struct yaml_locations *locs; /* NULL: not asked for */
	struct strbuf pointer;      /* the JSON Pointer of the node being parsed */
};

static int fail(struct yj *y, yaml_mark_t mark, const char *what)
{
	if (!y->err) {
		y->err = xstrdup(what);
		y->err_mark = mark;
	}
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

/* ---- where each node is ---- */

static void record_location(struct yj *y, yaml_mark_t mark)
{
	struct yaml_locations *l = y->locs;

	if (!l)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	l->items[l->n++] = (struct yaml_location){
		.pointer = xstrdup(y->pointer.buf ? y->pointer.buf : ""),
		.line = (unsigned)mark.line + 1,
		.column = (unsigned)mark.column + 1,
	};
}

void json_pointer_push(struct strbuf *sb, const char *token)
{
	strbuf_addch(sb, '/');
	for (const char *p = token; *p; p++) {
		if (*p == '~')
			strbuf_addstr(sb, "~0");
		else if (*p == '/')
			strbuf_addstr(sb, "~1");
		else
			strbuf_addch(sb, *p);
	}
}

static void pointer_pop(struct strbuf *sb, size_t len)
{
	sb->len = len;
	if (sb->buf)
		sb->buf[len] = '\0';
}

static int next_event(struct yj *y, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&y->parser, ev))
		return fail(y, y->parser.problem_mark,
			    y->parser.problem ? y->parser.problem : "malformed YAML");
	return 0;
}

static int parse_node(struct yj *y, yaml_event_t *ev, json_object **out, int depth);

static int parse_sequence(struct yj *y, json_object **out, int depth)
{
	json_object *arr = json_object_new_array();
	size_t base = y->pointer.len;
	for (size_t index = 0;; index++) {
		yaml_event_t ev;
		if (next_event(y, &ev) < 0)
			goto fail;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			*out = arr;
			return 0;
		}
		json_object *item = NULL;
		char token[32];
		snprintf(token, sizeof(token), "%zu", index);
		json_pointer_push(&y->pointer, token);
		int r = parse_node(y, &ev, &item, depth + 1);
		pointer_pop(&y->pointer, base);
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
	size_t base = y->pointer.len;
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
			yaml_mark_t mark = key.start_mark;
			yaml_event_delete(&key);
			fail(y, mark, "mapping keys must be plain text");
			goto fail;
		}
		/* Refused, not merged: a second value for a key, or a key cut
		 * short at a NUL, would drop data the file holds. */
		const char *kv = (const char *)key.data.scalar.value;
		yaml_mark_t mark = key.start_mark;
		bool nul = strlen(kv) != key.data.scalar.length;
		bool dup = !nul && json_object_object_get_ex(obj, kv, NULL);
		_cleanup_free_ char *name_shown = dup ? shown(kv) : NULL;
		char *what = nul ? xstrdup("a mapping key holds a NUL character")
				 : dup ? xasprintf("duplicate key '%s'", name_shown) : NULL;
		char *name = xstrdup(kv);
		yaml_event_delete(&key);
		if (what) {
			fail(y, mark, what);
			free(what);
			free(name);
			goto fail;
		}
		yaml_event_t ev;
		json_object *value = NULL;
		int r = next_event(y, &ev);
		if (r == 0) {
			json_pointer_push(&y->pointer, name);
			r = parse_node(y, &ev, &value, depth + 1);
			pointer_pop(&y->pointer, base);
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
static int unsupported_tag(struct yj *y, yaml_mark_t mark, const char *tag)
{
	bool core = strncmp(tag, CORE_TAG, strlen(CORE_TAG)) == 0;
	_cleanup_free_ char *name = shown(core ? tag + strlen(CORE_TAG) : tag);
	char *msg = xasprintf("the tag %s%s is not supported", core ? "!!" : "", name);
	fail(y, mark, msg);
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
	yaml_mark_t mark = ev->start_mark;
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
		fail(y, mark, msg);
		free(msg);
		return -EINVAL;
	}
	return unsupported_tag(y, mark, tag);
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
	return unsupported_tag(y, ev->start_mark, tag);
}

static int parse_node(struct yj *y, yaml_event_t *ev, json_object **out, int depth)
{
	if (depth > MAX_DEPTH)
		return fail(y, ev->start_mark, "nested too deeply");
	record_location(y, ev->start_mark);
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
		return fail(y, ev->start_mark, "aliases are not supported");
	default:
		return fail(y, ev->start_mark, "unexpected YAML structure");
	}
}

int yaml_to_json_located(const char *text, size_t len, json_object **out, struct yaml_locations *locs,
			 struct yaml_problem *problem)
{
	struct yj y = { .err = NULL, .locs = locs, .pointer = STRBUF_INIT };
	yaml_event_t ev;
	int r = -EINVAL;
	json_object *root = NULL;

	*out = NULL;
	*problem = (struct yaml_problem){ 0 };
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
			yaml_mark_t start = { 0 };
			yaml_event_delete(&ev);
			fail(&y, start, "the document is empty");
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
		yaml_mark_t mark = ev.start_mark;
		yaml_event_delete(&ev);
		if (t == YAML_STREAM_END_EVENT)
			break;
		if (t != YAML_DOCUMENT_END_EVENT)
			r = fail(&y, mark, "only one YAML document is allowed");
	}
	if (r == 0) {
		*out = root;
		root = NULL;
	}
done:
	json_object_put(root);
	yaml_parser_delete(&y.parser);
	strbuf_release(&y.pointer);
	if (r < 0) {
		problem->what = y.err ? y.err : xstrdup("malformed YAML");
		problem->line = (unsigned)y.err_mark.line + 1;
		problem->column = (unsigned)y.err_mark.column + 1;
	} else {
		free(y.err);
	}
	return r;
}

int yaml_to_json(const char *text, size_t len, json_object **out, char **err)
{
	struct yaml_problem problem = { 0 };
	int r = yaml_to_json_located(text, len, out, NULL, &problem);

	*err = NULL;
	if (r < 0) {
		*err = xasprintf("line %u: %s", problem.line, problem.what);
		free(problem.what);
	}
	return r;
}

bool yaml_locate(const struct yaml_locations *locs, const char *pointer, unsigned *line, unsigned *column)
{
	for (size_t i = 0; locs && i < locs->n; i++) {
		if (strcmp(locs->items[i].pointer, pointer))
			continue;
		*line = locs->items[i].line;
		*column = locs->items[i].column;
		return true;
	}
	return false;
}

void yaml_locations_release(struct yaml_locations *locs)
{
	for (size_t i = 0; i < locs->n; i++)
		free(locs->items[i].pointer);
	free(locs->items);
	*locs = (struct yaml_locations){ 0 };
}
