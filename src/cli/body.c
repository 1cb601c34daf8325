/* SPDX-License-Identifier: MIT */
/*
 * Request bodies: built from a verb's body options and --input (a JSON or
 * YAML file, or stdin), secrets read apart, the required fields checked
 * before anything is sent (cli/cmd.h).
 */
#include "cli/cmd.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "core/yaml_json.h"
#include "cli/dispatch.h"
#include "cli/status.h"

/* Request bodies and --input files are capped: no API body is this large. */
#define MAX_INPUT_BYTES (64u * 1024 * 1024)

/* Sets obj[a][b][c] = value for the dotted path "a.b.c". Takes value. */
static void json_set_path(json_object *obj, const char *path, json_object *value)
{
	const char *dot;
	while ((dot = strchr(path, '.'))) {
		char *key = xstrndup(path, (size_t)(dot - path));
		json_object *child;
		if (!json_object_object_get_ex(obj, key, &child) || !json_object_is_type(child, json_type_object)) {
			child = json_object_new_object();
			json_object_object_add(obj, key, child);
		}
		free(key);
		obj = child;
		path = dot + 1;
	}
	json_object_object_add(obj, path, value);
}

static json_object *split_list(const struct opt_value *v)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; i < v->n; i++) {
		char *copy = xstrdup(v->values[i]), *save = NULL;
		for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
			json_object_array_add(arr, json_object_new_string(tok));
		free(copy);
	}
	return arr;
}

json_object *cmd_opt_list(const struct cmd_ctx *ctx, const char *name)
{
	const struct opt_value *v = cmd_opt_all(ctx, name);

	return v && v->given ? split_list(v) : NULL;
}

/* The JSON value of a body option, typed as its table entry says. */
static json_object *option_json(const struct opt_spec *o, const struct opt_value *v)
{
	const char *last = v->values[v->n - 1];
	switch (o->type) {
	case OPT_INT:
		return json_object_new_int64(strtoll(last, NULL, 10));
	case OPT_NUMBER:
		return json_object_new_double(strtod(last, NULL));
	case OPT_BOOL:
	case OPT_FLAG:
		return json_object_new_boolean(!strcmp(last, "true"));
	case OPT_LIST:
		return split_list(v);
	case OPT_JSON:
		return json_tokener_parse(last);
	case OPT_KEYVALUE: {
		json_object *obj = json_object_new_object();
		for (size_t i = 0; i < v->n; i++) {
			const char *eq = strchr(v->values[i], '=');
			char *key = xstrndup(v->values[i], (size_t)(eq - v->values[i]));
			json_object_object_add(obj, key, json_object_new_string(eq + 1));
			free(key);
		}
		return obj;
	}
	default:
		return json_object_new_string(last);
	}
}

static int read_input_body(const char *path, json_object **out)
{
	char *text = NULL, *err = NULL;
	size_t len = 0;
	int r = read_file_all(path, MAX_INPUT_BYTES, &text, &len);
	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot read --input '%s': %s", path,
				  r == -EFBIG ? "file too large" : strerror(-r));
	if (yaml_to_json(text, len, out, &err) < 0) {
		log_error("--input '%s' is not valid JSON or YAML: %s", path, err);
		free(err);
		free(text);
		return SMILE_EXIT_USAGE;
	}
	free(text);
	if (!json_object_is_type(*out, json_type_object)) {
		json_object_put(*out);
		*out = NULL;
		return log_status(SMILE_EXIT_USAGE, "--input '%s' must hold a JSON object", path);
	}
	return 0;
}

/* The secret of o: from its --NAME-file option when the verb has one and
 * it is given, else from stdin or a no-echo prompt. */
static int read_secret_of(const struct cmd_ctx *ctx, const struct opt_spec *o, bool stdin_used, char **out)
{
	_cleanup_free_ char *file_opt = xasprintf("%s-file", o->name);
	const char *file = cmd_find_opt(ctx->verb, file_opt, 0) ? cmd_opt(ctx, file_opt) : NULL;

	if (file && !(stdin_used && !strcmp(file, "-")))
		return cmd_read_secret_file(file, out);
	if (stdin_used)
		return log_status(SMILE_EXIT_USAGE, "--input - uses stdin; put '%s' in the input instead",
				  o->field);
	_cleanup_free_ char *prompt = xasprintf("%s: ", o->name);
	return cmd_read_secret(prompt, out);
}

/* Secret body fields (a webhook's signing key) never come from argv: from
 * --NAME-file, else --input, else stdin or a no-echo prompt, and are
 * checked like any other value once read. */
static int read_secret_fields(const struct cmd_ctx *ctx, json_object *body, bool stdin_used)
{
	const struct verb_spec *v = ctx->verb;
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		_cleanup_free_ char *file_opt = xasprintf("%s-file", o->name);
		if (o->where != OPT_BODY || !(o->flags & OPT_SECRET))
			continue;
		if (json_get_path(body, o->field) && !cmd_opt(ctx, file_opt))
			continue;
		if (!(o->flags & OPT_REQUIRED) && !cmd_opt(ctx, file_opt))
			continue;
		char *secret = NULL;
		int r = read_secret_of(ctx, o, stdin_used, &secret);
		if (r)
			return r;
		if ((r = opt_validate(o, secret)) == 0)
			json_set_path(body, o->field, json_object_new_string(secret));
		explicit_bzero(secret, strlen(secret));
		free(secret);
		if (r)
			return r;
	}
	return 0;
}

/* All the required body fields body lacks at once, as check_required does
 * for flags; a secret one is left to read_secret_fields when asked to. */
static int check_required_body(const struct cmd_ctx *ctx, json_object *body, bool skip_secrets)
{
	const struct verb_spec *v = ctx->verb;
	struct strbuf missing = STRBUF_INIT;
	size_t n = 0;

	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if (o->where != OPT_BODY || !(o->flags & OPT_REQUIRED) || json_get_path(body, o->field))
			continue;
		if (skip_secrets && (o->flags & OPT_SECRET))
			continue;
		strbuf_addf(&missing, "%s--%s (or '%s' in --input)", n++ ? ", " : "", o->name, o->field);
	}
	int r = n ? log_status(SMILE_EXIT_USAGE, "missing required %s %s", n == 1 ? "option" : "options",
			       missing.buf)
		  : 0;
	strbuf_release(&missing);
	return r;
}

/* The body of the flags over --input's, without the secret fields. */
static int body_from_options(struct cmd_ctx *ctx, const char *input, json_object **out)
{
	json_object *body = NULL;
	int r;

	*out = NULL;
	if (input && (r = read_input_body(input, &body)))
		return r;
	if (!body)
		body = json_object_new_object();
	const struct verb_spec *v = ctx->verb;
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if (o->where == OPT_BODY && ctx->opt_values[i].given)
			json_set_path(body, o->field, option_json(o, &ctx->opt_values[i]));
	}
	*out = body;
	return 0;
}

int cmd_peek_body(struct cmd_ctx *ctx, json_object **out)
{
	const char *input = cmd_opt(ctx, "input");

	*out = NULL;
	/* stdin can be read once only: cmd_build_body checks that one. */
	if (input && !strcmp(input, "-"))
		return 0;
	return body_from_options(ctx, input, out);
}

int cmd_check_input(struct cmd_ctx *ctx)
{
	json_object *body;

	if (!(ctx->verb->flags & VERB_BODY) || !cmd_opt(ctx, "input"))
		return 0;
	int r = cmd_peek_body(ctx, &body);
	if (!r && body)
		r = check_required_body(ctx, body, true);
	json_object_put(body);
	return r;
}

int cmd_build_body(struct cmd_ctx *ctx, json_object **out)
{
	const char *input = cmd_opt(ctx, "input");
	json_object *body = NULL;
	int r;

	*out = NULL;
	if ((r = body_from_options(ctx, input, &body)))
		return r;
	/* What is missing is said before a secret is asked for. */
	if (!(r = check_required_body(ctx, body, true)))
		r = read_secret_fields(ctx, body, input && !strcmp(input, "-"));
	if (r || (r = check_required_body(ctx, body, false))) {
		json_object_put(body);
		return r;
	}
	*out = body;
	return 0;
}
char *cmd_shown_body(const char *body)
{
	/* As deep as --input may nest (yaml_json's bound), beyond json-c's 32. */
	json_tokener *tok = json_tokener_new_ex(256);
	json_object *parsed = body && tok ? json_tokener_parse_ex(tok, body, (int)strlen(body)) : NULL;
	json_object *shown = NULL;
	if (tok)
		json_tokener_free(tok);
	for (size_t g = 0; parsed && smile_groups[g]; g++) {
		const struct verb_spec *verbs = smile_groups[g]->verbs;
		for (size_t v = 0; verbs && verbs[v].name; v++) {
			for (const struct opt_spec *o = verbs[v].opts; o && o->name; o++) {
				if (o->where != OPT_BODY || !(o->flags & OPT_SECRET) ||
				    !json_get_path(parsed, o->field))
					continue;
				if (!shown && json_object_deep_copy(parsed, &shown, NULL) < 0)
					shown = json_object_new_object(); /* show nothing rather than the secret */
				json_set_path(shown, o->field, json_object_new_string("***"));
			}
		}
	}
	char *text = shown ? json_compact_dup(shown)
			   : NULL;
	json_object_put(shown);
	json_object_put(parsed);
	return text;
}
