/* SPDX-License-Identifier: MIT */
/*
 * A manifest body against the create verb's option table: the same types,
 * bounds, allowed values and required fields that `smile GROUP create`
 * checks on its flags (opt_problem), so there is one schema, the table's.
 * A field that still holds a reference to an object not yet created is
 * checked once it is known, by the API.
 */
#include <stdio.h>
#include <string.h>

#include "cli/dispatch.h"
#include "core/json.h"
#include "cmd/apply/apply.h"
#include "core/output/output.h"
#include "core/util.h"

struct field_check {
	const struct manifest *m;
	const struct apply_resource *r;
	const struct opt_spec *o;
	char *pointer;        /* of the field in the document */
	char *rel;            /* of the field below the body */
	size_t problems;
};

static void report(struct field_check *fc, const char *value, const char *why)
{
	char *where = manifest_where(fc->m, fc->pointer);

	if (value && !(fc->o->flags & OPT_SECRET)) /* never echo a secret */
		log_error("%s: %s: invalid value '%s' for %s: %s", where, fc->r->name, value, fc->o->field, why);
	else
		log_error("%s: %s: invalid value for %s: %s", where, fc->r->name, fc->o->field, why);
	free(where);
	fc->problems++;
}

/* A JSON scalar as the text a flag would have been given. */
static char *scalar_text(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return xstrdup(json_object_get_string(v));
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		return json_compact_dup(v);
	default:
		return NULL;
	}
}

static bool json_type_fits(const struct opt_spec *o, json_object *v)
{
	json_type t = json_object_get_type(v);

	switch (o->type) {
	case OPT_INT:
		return t == json_type_int;
	case OPT_NUMBER:
		return t == json_type_int || t == json_type_double;
	case OPT_BOOL:
	case OPT_FLAG:
		return t == json_type_boolean;
	case OPT_LIST:
		return t == json_type_array;
	case OPT_KEYVALUE:
		return t == json_type_object;
	case OPT_JSON:
		return true;
	default:
		return t == json_type_string;
	}
}

static const char *type_wanted(const struct opt_spec *o)
{
	switch (o->type) {
	case OPT_INT: return "expected a whole number";
	case OPT_NUMBER: return "expected a number";
	case OPT_BOOL: case OPT_FLAG: return "expected true or false";
	case OPT_LIST: return "expected a list";
	case OPT_KEYVALUE: return "expected a mapping of text values";
	default: return "expected text";
	}
}

static void check_scalar(struct field_check *fc, json_object *v)
{
	char *text = scalar_text(v);
	char *why = text ? opt_problem(fc->o, text) : xstrdup(type_wanted(fc->o));

	if (why)
		report(fc, text, why);
	free(why);
	free(text);
}

static void check_list(struct field_check *fc, json_object *v, const struct strset *skip)
{
	size_t n = json_object_array_length(v);

	if (n == 0 && (fc->o->flags & OPT_REQUIRED))
		report(fc, NULL, "expected at least one item");
	for (size_t i = 0; i < n; i++) {
		json_object *item = json_object_array_get_idx(v, i);
		char *rel = xasprintf("%s/%zu", fc->rel, i);
		bool skipped = strset_contains(skip, rel);
		free(rel);
		if (skipped)
			continue;
		/* Told at the item itself. */
		char *list_pointer = fc->pointer;
		fc->pointer = xasprintf("%s/%zu", list_pointer, i);
		if (!json_object_is_type(item, json_type_string))
			report(fc, NULL, "expected a list of text");
		else
			check_scalar(fc, item);
		free(fc->pointer);
		fc->pointer = list_pointer;
	}
}

static void check_keyvalue(struct field_check *fc, json_object *v)
{
	int n = json_object_object_length(v);

	if (fc->o->max > 0 && n > fc->o->max) {
		char *why = xasprintf("expected at most %ld keys, got %d", fc->o->max, n);
		report(fc, NULL, why);
		free(why);
	}
	json_object_object_foreach(v, key, val) {
		(void)key;
		json_type t = json_object_get_type(val);
		if (t == json_type_object || t == json_type_array) {
			report(fc, NULL, "expected a mapping of text values");
			return;
		}
	}
}

/* "company.name" as a JSON Pointer below the body: "/company/name". */
static char *field_pointer(const char *field)
{
	struct strbuf sb = STRBUF_INIT;
	char *copy = xstrdup(field), *save = NULL;

	for (char *tok = strtok_r(copy, ".", &save); tok; tok = strtok_r(NULL, ".", &save))
		json_pointer_push(&sb, tok);
	free(copy);
	return strbuf_detach(&sb);
}

static bool field_required(const struct apply_resource *r, const struct opt_spec *o)
{
	if (o->flags & OPT_REQUIRED)
		return true;
	for (size_t i = 0; r->kind.required && r->kind.required[i]; i++)
		if (!strcmp(r->kind.required[i], o->field))
			return true;
	return false;
}

static void check_field(struct field_check *fc, json_object *body, const char *body_pointer,
			const struct strset *skip)
{
	const struct opt_spec *o = fc->o;
	json_object *v = json_get_path(body, o->field);

	fc->rel = field_pointer(o->field);
	fc->pointer = xasprintf("%s%s", body_pointer, fc->rel);
	if (!v) {
		if (field_required(fc->r, o)) {
			char *where = manifest_where(fc->m, body_pointer);
			log_error("%s: %s: body: missing required field '%s'", where, fc->r->name, o->field);
			free(where);
			fc->problems++;
		}
	} else if (!strset_contains(skip, fc->rel)) {
		if (!json_type_fits(o, v))
			report(fc, NULL, type_wanted(o));
		else if (o->type == OPT_LIST)
			check_list(fc, v, skip);
		else if (o->type == OPT_KEYVALUE)
			check_keyvalue(fc, v);
		else if (o->type != OPT_JSON)
			check_scalar(fc, v);
	}
	free(fc->rel);
	free(fc->pointer);
}

/* ---- fields the request does not have ---- */

static bool listed(const char *const *names, const char *field)
{
	for (size_t i = 0; names && names[i]; i++)
		if (!strcmp(names[i], field))
			return true;
	return false;
}

/* Whether field (dotted) is one of the request's: a body option's field,
 * a field the API requires beyond the flags, or one the verb fills from
 * elsewhere (an archive's rawFiles, from files:). */
static bool known_field(const struct apply_resource *r, const char *field)
{
	for (const struct opt_spec *o = r->create->opts; o && o->name; o++)
		if (o->where == OPT_BODY && o->field && !strcmp(o->field, field))
			return true;
	return listed(r->kind.required, field) || listed(r->kind.also, field);
}

/* Whether field (dotted) is an object holding some of the request's fields. */
static bool known_parent(const struct apply_resource *r, const char *field)
{
	size_t n = strlen(field);
	for (const struct opt_spec *o = r->create->opts; o && o->name; o++)
		if (o->where == OPT_BODY && o->field && !strncmp(o->field, field, n) && o->field[n] == '.')
			return true;
	return false;
}

/* The request's fields directly below parent ("" for the top), for the
 * message: "name, company, email". Allocated. */
static char *fields_below(const struct apply_resource *r, const char *parent)
{
	struct strbuf sb = STRBUF_INIT;
	struct strset seen = STRSET_INIT;
	size_t n = strlen(parent);

	for (const struct opt_spec *o = r->create->opts; o && o->name; o++) {
		if (o->where != OPT_BODY || !o->field || (n && (strncmp(o->field, parent, n) || o->field[n] != '.')))
			continue;
		const char *rest = o->field + (n ? n + 1 : 0), *dot = strchr(rest, '.');
		char *top = dot ? xstrndup(rest, (size_t)(dot - rest)) : xstrdup(rest);
		if (!strset_contains(&seen, top)) {
			strset_add(&seen, top);
			strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", top);
		}
		free(top);
	}
	for (size_t i = 0; !n && r->kind.also && r->kind.also[i]; i++)
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", r->kind.also[i]);
	strset_release(&seen);
	return strbuf_detach(&sb);
}

/* Reports every member of obj (at pointer, field path parent) that the
 * request does not have; descends into objects that hold its fields. */
static size_t check_members(const struct manifest *m, const struct apply_resource *r, const char *pointer,
			    const char *parent, json_object *obj)
{
	size_t problems = 0;

	json_object_object_foreach(obj, key, val) {
		char *field = *parent ? xasprintf("%s.%s", parent, key) : xstrdup(key);
		struct strbuf ptr = STRBUF_INIT;
		strbuf_addstr(&ptr, pointer);
		json_pointer_push(&ptr, key);
		if (known_field(r, field)) {
			/* Its value is checked by its option. */
		} else if (known_parent(r, field) && json_object_is_type(val, json_type_object)) {
			problems += check_members(m, r, ptr.buf, field, val);
		} else if (!known_parent(r, field)) {
			char *where = manifest_where(m, ptr.buf), *known = fields_below(r, parent);
			log_error("%s: %s: body: unknown field '%s': the %s request has %s", where, r->name, field,
				  r->kind.type, known);
			free(known);
			free(where);
			problems++;
		}
		strbuf_release(&ptr);
		free(field);
	}
	return problems;
}

size_t schema_check(const struct manifest *m, const struct apply_resource *r, const char *body_pointer,
		    json_object *body, const struct strset *skip)
{
	struct field_check fc = { .m = m, .r = r };

	fc.problems = check_members(m, r, body_pointer, "", body);

	for (const struct opt_spec *o = r->create->opts; o && o->name; o++) {
		if (o->where != OPT_BODY || (o->flags & OPT_HIDDEN))
			continue;
		fc.o = o;
		check_field(&fc, body, body_pointer, skip);
	}
	/* Required by the API but not a flag of the verb (invites send). */
	for (size_t i = 0; r->kind.required && r->kind.required[i]; i++) {
		const char *f = r->kind.required[i];
		bool in_table = false;
		for (const struct opt_spec *o = r->create->opts; o && o->name; o++)
			in_table |= o->where == OPT_BODY && o->field && !strcmp(o->field, f);
		if (!in_table && !json_get_path(body, f)) {
			char *where = manifest_where(m, body_pointer);
			log_error("%s: %s: body: missing required field '%s'", where, r->name, f);
			free(where);
			fc.problems++;
		}
	}
	return fc.problems;
}
