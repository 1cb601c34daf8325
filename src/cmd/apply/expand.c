/* SPDX-License-Identifier: MIT */
/*
 * ${...} in manifest strings:
 *   ${env.VAR}          the environment; a missing variable is an error
 *   ${index}            the object's number in a counted resource, from 0
 *   ${NAME.path}        a field of what the API returned for NAME
 *   ${NAME[N].path}     the same of the Nth object of a counted NAME
 *   $${                 a literal ${
 * A string that is one ${...} alone takes the value's own type (a number
 * stays a number); inside longer text the value is written as text.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd/apply/apply.h"
#include "core/json.h"
#include "core/util.h"

struct token {
	enum { TOK_ENV, TOK_INDEX, TOK_REF } kind;
	char *name;       /* env: the variable; ref: the resource */
	long index;       /* ref: [N], else -1 */
	char *path;       /* ref: after the first '.', or NULL */
};

static void token_release(struct token *t)
{
	free(t->name);
	free(t->path);
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Parses the text between ${ and }. */
static int parse_token(const char *s, size_t len, struct token *t, char **err)
{
	char *text = xstrndup(s, len);
	const char *p = text;
	int r = 0;

	*t = (struct token){ .index = -1 };
	if (!strcmp(text, "index")) {
		t->kind = TOK_INDEX;
	} else if (str_starts_with(text, "env.")) {
		t->kind = TOK_ENV;
		t->name = xstrdup(text + 4);
		for (p = t->name; *p && (isalnum((unsigned char)*p) || *p == '_'); p++)
			;
		if (!*t->name || *p)
			r = -EINVAL;
	} else {
		t->kind = TOK_REF;
		while (name_char(*p))
			p++;
		t->name = xstrndup(text, (size_t)(p - text));
		if (*p == '[') {
			char *end;
			t->index = strtol(p + 1, &end, 10);
			if (end == p + 1 || *end != ']' || t->index < 0)
				r = -EINVAL;
			else
				p = end + 1;
		}
		if (!r && *p == '.' && p[1])
			t->path = xstrdup(p + 1);
		else if (!r && *p)
			r = -EINVAL;
		if (!*t->name)
			r = -EINVAL;
	}
	if (r) {
		*err = xasprintf("'${%s}' is not a reference: use ${NAME.field}, ${NAME[N].field}, "
				 "${env.VAR} or ${index}", text);
		token_release(t);
	}
	free(text);
	return r;
}

/* Calls fn(ctx, literal, len, token) for each piece of s in order; token
 * is NULL for literal text. */
typedef int (*piece_fn)(void *ctx, const char *lit, size_t len, const struct token *t);

static int split(const char *s, piece_fn fn, void *ctx, char **err)
{
	const char *lit = s;
	for (const char *p = s; *p;) {
		if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
			int r = fn(ctx, lit, (size_t)(p - lit) + 1, NULL); /* up to one '$' */
			if (r)
				return r;
			lit = p + 2;
			p += 3;
			continue;
		}
		if (p[0] != '$' || p[1] != '{') {
			p++;
			continue;
		}
		const char *close = strchr(p + 2, '}');
		if (!close) {
			*err = xasprintf("'${' without its closing '}'");
			return -EINVAL;
		}
		struct token t;
		int r = fn(ctx, lit, (size_t)(p - lit), NULL);
		if (!r)
			r = parse_token(p + 2, (size_t)(close - p - 2), &t, err);
		if (r)
			return r;
		r = fn(ctx, NULL, 0, &t);
		token_release(&t);
		if (r)
			return r;
		lit = p = close + 1;
	}
	return fn(ctx, lit, strlen(lit), NULL);
}

/* ---- scanning for references ---- */

struct scan {
	ref_visit_fn fn;
	void *ctx;
};

static int scan_piece(void *ctx, const char *lit, size_t len, const struct token *t)
{
	struct scan *sc = ctx;
	(void)lit;
	(void)len;
	return t && t->kind == TOK_REF ? sc->fn(sc->ctx, t->name, t->index, t->path) : 0;
}

int expand_scan(const char *s, ref_visit_fn fn, void *ctx, char **err)
{
	struct scan sc = { fn, ctx };
	*err = NULL;
	return split(s, scan_piece, &sc, err);
}

/* ---- expanding ---- */

struct expansion {
	const struct expand_ctx *ec;
	struct strbuf text;
	json_object *alone;     /* the value of a string that is one token */
	size_t n_pieces;        /* non-empty pieces */
	bool unresolved;
	char *err;
};

static void add_value_text(struct strbuf *sb, json_object *v)
{
	if (json_object_is_type(v, json_type_string))
		strbuf_addstr(sb, json_object_get_string(v));
	else
		strbuf_addstr(sb, json_compact(v));
}

static int expand_token(struct expansion *x, const struct token *t, json_object **value)
{
	const struct expand_ctx *ec = x->ec;

	*value = NULL;
	switch (t->kind) {
	case TOK_INDEX:
		if (ec->index < 0) {
			x->err = xstrdup("${index} is only known in a resource with count:");
			return -EINVAL;
		}
		*value = json_object_new_int64(ec->index);
		return 0;
	case TOK_ENV: {
		const char *v = getenv(t->name);
		if (!v) {
			x->err = xasprintf("the environment variable %s is not set", t->name);
			return -EINVAL;
		}
		*value = json_object_new_string(v);
		return 0;
	}
	case TOK_REF: {
		json_object *v = ec->resolve ? ec->resolve(ec->resolve_ctx, t->name, t->index, t->path, &x->err)
					     : NULL;
		if (x->err)
			return -EINVAL;
		if (v)
			json_object_deep_copy(v, value, NULL);
		else
			x->unresolved = true;
		return 0;
	}
	}
	return 0;
}

static int expand_piece(void *ctx, const char *lit, size_t len, const struct token *t)
{
	struct expansion *x = ctx;

	if (!t) {
		if (len)
			x->n_pieces++;
		strbuf_add(&x->text, lit, len);
		return 0;
	}
	json_object *v;
	int r = expand_token(x, t, &v);
	if (r)
		return r;
	x->n_pieces++;
	if (!v) { /* unresolved: the token stays as written */
		strbuf_addf(&x->text, "${%s%s", t->kind == TOK_ENV ? "env." : "", t->name ? t->name : "index");
		if (t->index >= 0)
			strbuf_addf(&x->text, "[%ld]", t->index);
		if (t->path)
			strbuf_addf(&x->text, ".%s", t->path);
		strbuf_addch(&x->text, '}');
		return 0;
	}
	add_value_text(&x->text, v);
	json_object_put(x->alone);
	x->alone = x->n_pieces == 1 ? v : NULL;
	if (x->n_pieces != 1)
		json_object_put(v);
	return 0;
}

static int expand_string(const char *s, const struct expand_ctx *ec, json_object **out, bool *unresolved,
			 char **err)
{
	struct expansion x = { .ec = ec, .text = STRBUF_INIT };
	int r = split(s, expand_piece, &x, err);

	if (!r && x.err) {
		*err = x.err;
		r = -EINVAL;
	} else if (r && x.err) {
		free(*err);
		*err = x.err;
	}
	*unresolved = x.unresolved;
	if (r) {
		json_object_put(x.alone);
		strbuf_release(&x.text);
		return r;
	}
	if (x.alone && x.n_pieces == 1 && !x.unresolved) {
		*out = x.alone;
		strbuf_release(&x.text);
	} else {
		json_object_put(x.alone);
		*out = json_object_new_string_len(x.text.buf ? x.text.buf : "", (int)x.text.len);
		strbuf_release(&x.text);
	}
	return 0;
}

static int expand_node(json_object *tmpl, const struct expand_ctx *ec, struct strbuf *ptr, json_object **out,
		       char **err)
{
	size_t base = ptr->len;
	int r = 0;

	switch (json_object_get_type(tmpl)) {
	case json_type_string: {
		bool unresolved = false;
		r = expand_string(json_object_get_string(tmpl), ec, out, &unresolved, err);
		if (!r && unresolved && ec->unresolved)
			strset_add(ec->unresolved, ptr->buf ? ptr->buf : "");
		return r;
	}
	case json_type_object: {
		json_object *obj = json_object_new_object();
		json_object_object_foreach(tmpl, key, val) {
			json_object *v = NULL;
			json_pointer_push(ptr, key);
			r = expand_node(val, ec, ptr, &v, err);
			if (r)
				break;
			ptr->len = base;
			ptr->buf[base] = '\0';
			json_object_object_add(obj, key, v);
		}
		if (r) {
			json_object_put(obj);
			return r;
		}
		*out = obj;
		return 0;
	}
	case json_type_array: {
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(tmpl) && !r; i++) {
			json_object *v = NULL;
			char token[32];
			snprintf(token, sizeof(token), "%zu", i);
			json_pointer_push(ptr, token);
			r = expand_node(json_object_array_get_idx(tmpl, i), ec, ptr, &v, err);
			if (!r) {
				ptr->len = base;
				ptr->buf[base] = '\0';
				json_object_array_add(arr, v);
			}
		}
		if (r) {
			json_object_put(arr);
			return r;
		}
		*out = arr;
		return 0;
	}
	default:
		*out = json_object_get(tmpl);
		return 0;
	}
}

int expand_json(json_object *tmpl, const struct expand_ctx *ec, json_object **out, char **err, char **err_pointer)
{
	struct strbuf ptr = STRBUF_INIT;
	int r;

	*out = NULL;
	*err = NULL;
	*err_pointer = NULL;
	strbuf_addstr(&ptr, "");
	r = expand_node(tmpl, ec, &ptr, out, err);
	if (r)
		*err_pointer = strbuf_detach(&ptr);
	strbuf_release(&ptr);
	return r;
}
