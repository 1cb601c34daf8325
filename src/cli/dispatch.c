/* SPDX-License-Identifier: MIT */
/*
 * Turns argv into a group, a verb, option values and positionals, using only
 * the command tables: nothing here knows any particular command. Every value
 * is checked (opt_check.c) before anything is sent, so a bad date or a size
 * of 151 is exit 2 with a message naming the flag.
 */
#include "cli/dispatch.h"
#include "core/text.h"
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *suggest_name(const char *word, const char *(*name_at)(const void *table, size_t i),
			 const void *table)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, limit = strlen(word) / 3 + 1;
	if (limit < 2)
		limit = 2;
	for (size_t i = 0;; i++) {
		const char *name = name_at(table, i);
		if (!name)
			break;
		size_t d = str_levenshtein(word, name);
		if (str_starts_with(name, word) && strlen(word) >= 3)
			d = 1;
		if (d < best_d) {
			best_d = d;
			best = name;
		}
	}
	return best_d <= limit ? best : NULL;
}

static const char *verb_name_at(const void *table, size_t i)
{
	const struct verb_spec *verbs = table;
	return verbs[i].name;
}

/* The option tables a word may belong to at this point, with their values. */
struct opt_scope {
	const struct opt_spec *opts;
	struct opt_value *values;
};

struct parser {
	struct cmd_ctx *ctx;
	struct opt_value *global_values;
	struct opt_scope scopes[4];
	size_t n_scopes;
	char **args;
	int n_args;
};

static void scopes_refresh(struct parser *p)
{
	struct cmd_ctx *ctx = p->ctx;
	p->n_scopes = 0;
	if (ctx->verb) {
		p->scopes[p->n_scopes++] = (struct opt_scope){ ctx->verb->opts, ctx->opt_values };
		if (ctx->verb->flags & VERB_LIST)
			p->scopes[p->n_scopes++] = (struct opt_scope){ list_options, ctx->list_values };
		if (ctx->verb->flags & VERB_BODY)
			p->scopes[p->n_scopes++] = (struct opt_scope){ body_options, ctx->body_values };
	}
	p->scopes[p->n_scopes++] = (struct opt_scope){ global_options, p->global_values };
}

static bool find_option(struct parser *p, const char *name, size_t name_len, char short_name,
			const struct opt_spec **o_out, struct opt_value **v_out)
{
	for (size_t s = 0; s < p->n_scopes; s++) {
		const struct opt_spec *opts = p->scopes[s].opts;
		for (size_t i = 0; opts && opts[i].name; i++) {
			bool match = short_name ? opts[i].short_name == short_name
						: strlen(opts[i].name) == name_len &&
							  strncmp(opts[i].name, name, name_len) == 0;
			if (match) {
				*o_out = &opts[i];
				*v_out = &p->scopes[s].values[i];
				return true;
			}
		}
	}
	return false;
}

/* Table walker over every option name in scope, for suggestions. */
struct scope_names {
	const struct parser *p;
};

static const char *scope_name_at(const void *table, size_t i)
{
	const struct parser *p = ((const struct scope_names *)table)->p;
	for (size_t s = 0; s < p->n_scopes; s++) {
		size_t n = opt_count(p->scopes[s].opts);
		if (i < n)
			return p->scopes[s].opts[i].name;
		i -= n;
	}
	return NULL;
}

static int unknown_option(struct parser *p, const char *arg, size_t name_len)
{
	char *name = xstrndup(arg, name_len);
	struct scope_names names = { p };
	const char *hint = arg[1] == '-' ? suggest_name(name + 2, scope_name_at, &names) : NULL;
	const struct cmd_ctx *ctx = p->ctx;
	char *where = ctx->verb ? xasprintf(" for '%s%s%s'", ctx->group->name, ctx->group->command ? "" : " ",
					    ctx->group->command ? "" : ctx->verb->name)
				: xstrdup("");
	if (hint)
		log_error("unknown option '%s'%s; did you mean '--%s'?", name, where, hint);
	else
		log_error("unknown option '%s'%s; see '--help'", name, where);
	free(where);
	free(name);
	return SMILE_EXIT_USAGE;
}

static void value_append(struct opt_value *v, const char *value)
{
	v->values = xrealloc(v->values, (v->n + 1) * sizeof(*v->values));
	v->values[v->n++] = xstrdup(value);
	v->given = true;
}

/* Stores the value of option o, given as value (NULL: the next word). */
static int take_value(const struct opt_spec *o, struct opt_value *v, const char *value, int argc, char **argv,
		      int *i)
{
	if (!value) {
		if (*i + 1 >= argc)
			return log_status(SMILE_EXIT_USAGE, "option '--%s' needs a value (%s)", o->name,
					  opt_metavar(o));
		value = argv[++*i];
	}
	int r = opt_validate(o, value);
	if (r)
		return r;
	if (o->type == OPT_KEYVALUE && o->max > 0 && v->n >= (size_t)o->max)
		return log_status(SMILE_EXIT_USAGE, "--%s may be given at most %ld times", o->name, o->max);
	if (o->type == OPT_ENUM && (o->flags & OPT_CASELESS))
		value = enum_value(o, value);
	value_append(v, value);
	return 0;
}

static int refuse_secret(const struct opt_spec *o)
{
	return log_status(SMILE_EXIT_USAGE,
			  "--%s is a secret and is not taken from the command line, where ps shows it; "
			  "pipe it in on stdin instead", o->name);
}

/* "--name", "--name=value" or "--name value". */
static int parse_long_option(struct parser *p, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *eq = strchr(arg, '=');
	size_t name_len = eq ? (size_t)(eq - arg) : strlen(arg);
	const struct opt_spec *o;
	struct opt_value *v;

	if (!find_option(p, arg + 2, name_len - 2, 0, &o, &v))
		return unknown_option(p, arg, name_len);
	if (o->flags & OPT_SECRET)
		return refuse_secret(o);
	if (!opt_takes_value(o)) {
		if (eq)
			return log_status(SMILE_EXIT_USAGE, "option '--%s' takes no value", o->name);
		value_append(v, "true");
		return 0;
	}
	const char *next = *i + 1 < argc ? argv[*i + 1] : NULL;
	if (!eq && o->bare_value && (!next || (next[0] == '-' && next[1]))) {
		value_append(v, o->bare_value);
		return 0;
	}
	return take_value(o, v, eq ? eq + 1 : NULL, argc, argv, i);
}

/* "-x", "-xVALUE", "-x VALUE", or flags together as getopt takes them:
 * "-vv" is -v twice, "-qv" is -q -v. */
static int parse_short_options(struct parser *p, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];

	for (size_t k = 1; arg[k]; k++) {
		const struct opt_spec *o;
		struct opt_value *v;
		char shown[3] = { '-', arg[k], 0 };
		if (!find_option(p, NULL, 0, arg[k], &o, &v))
			return unknown_option(p, shown, 2);
		if (o->flags & OPT_SECRET)
			return refuse_secret(o);
		if (opt_takes_value(o))
			return take_value(o, v, arg[k + 1] ? arg + k + 1 : NULL, argc, argv, i);
		value_append(v, "true");
	}
	return 0;
}

static int parse_option(struct parser *p, int argc, char **argv, int *i)
{
	return argv[*i][1] == '-' ? parse_long_option(p, argc, argv, i) : parse_short_options(p, argc, argv, i);
}

static void set_verb(struct parser *p, const struct verb_spec *verb)
{
	struct cmd_ctx *ctx = p->ctx;
	ctx->verb = verb;
	ctx->opt_values = xcalloc(opt_count(verb->opts) + 1, sizeof(*ctx->opt_values));
	ctx->list_values = xcalloc(opt_count(list_options) + 1, sizeof(*ctx->list_values));
	ctx->body_values = xcalloc(opt_count(body_options) + 1, sizeof(*ctx->body_values));
	scopes_refresh(p);
}

static int take_group(struct parser *p, const char *word, int argi, struct dispatch_result *res)
{
	const struct group_spec *g = cmd_find_group(word);
	if (!g) {
		res->plugin_argi = argi;
		return 0;
	}
	p->ctx->group = g;
	if (g->command)
		set_verb(p, g->command);
	return 0;
}

static int take_verb(struct parser *p, const char *word)
{
	const struct group_spec *g = p->ctx->group;
	const struct verb_spec *v = cmd_find_verb(g, word);
	if (!v) {
		const char *hint = suggest_name(word, verb_name_at, g->verbs);
		if (hint)
			return log_status(SMILE_EXIT_USAGE, "'%s' is not a verb of 'smile %s'; did you mean '%s'?",
					  word, g->name, hint);
		return log_status(SMILE_EXIT_USAGE, "'%s' is not a verb of 'smile %s'; see 'smile %s --help'",
				  word, g->name, g->name);
	}
	set_verb(p, v);
	return 0;
}

static int check_arg_count(const struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	int n = ctx->n_args;
	if (n >= v->min_args && (v->max_args < 0 || n <= v->max_args))
		return 0;
	char *cmd = ctx->group->command ? xstrdup(ctx->group->name)
					: xasprintf("%s %s", ctx->group->name, v->name);
	if (v->max_args == 0)
		log_error("'smile %s' takes no arguments, got '%s'", cmd, ctx->args[0]);
	else if (v->min_args == v->max_args)
		log_error("'smile %s' takes %d argument%s (%s), got %d", cmd, v->min_args,
			  v->min_args == 1 ? "" : "s", v->args ? v->args : "", n);
	else if (n < v->min_args)
		log_error("'smile %s' needs at least %d argument%s (%s)", cmd, v->min_args,
			  v->min_args == 1 ? "" : "s", v->args ? v->args : "");
	else
		log_error("'smile %s' takes at most %d argument%s (%s)", cmd, v->max_args,
			  v->max_args == 1 ? "" : "s", v->args ? v->args : "");
	free(cmd);
	return SMILE_EXIT_USAGE;
}

/* Positionals that fill the placeholders of the verb's path ({id}) are
 * path segments: an empty one, "." or ".." would name another resource
 * (users get "" is GET /users/, a list; libcurl resolves /webhooks/..). */
static int check_path_args(const struct cmd_ctx *ctx)
{
	const char *p = ctx->verb->path;
	for (int i = 0; p && (p = strchr(p, '{')) && i < ctx->n_args; p++, i++) {
		const char *a = ctx->args[i];
		if (!*a || !strcmp(a, ".") || !strcmp(a, ".."))
			return log_status(SMILE_EXIT_USAGE, "invalid %s '%s': it cannot be empty, '.' or '..'",
					  ctx->verb->args ? ctx->verb->args : "argument", a);
	}
	return 0;
}

/* Required options must be given; a required body field may instead come
 * from --input, which cmd_build_body checks once the file is read. */
static int check_required(const struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	bool has_input = ctx->body_values && ctx->body_values[0].given;
	struct strbuf missing = STRBUF_INIT;
	size_t n = 0;

	/* All of them at once: one run to learn what is missing, not one each. */
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if (!(o->flags & OPT_REQUIRED) || ctx->opt_values[i].given || (o->flags & OPT_SECRET))
			continue;
		if (o->where == OPT_BODY && has_input)
			continue;
		strbuf_addf(&missing, "%s--%s %s", n++ ? ", " : "", o->name, opt_metavar(o));
	}
	int r = n ? log_status(SMILE_EXIT_USAGE, "missing required %s %s", n == 1 ? "option" : "options", missing.buf)
		  : 0;
	strbuf_release(&missing);
	return r;
}

/* Stores one given global option where its table row binds it. */
static void bind_global(const struct opt_spec *o, const struct opt_value *v, struct global_opts *g)
{
	void *slot = (char *)g + o->offset;
	const char *last = v->values[v->n - 1];

	switch (o->bind) {
	case BIND_STRING:
		*(const char **)slot = last;
		break;
	case BIND_FLAG:
		*(bool *)slot = true;
		break;
	case BIND_COUNT:
		*(int *)slot = (int)v->n;
		break;
	case BIND_DOUBLE:
		*(double *)slot = strtod(last, NULL);
		break;
	case BIND_INT:
		*(int *)slot = atoi(last);
		break;
	case BIND_MILLIS:
		*(long *)slot = (long)(strtod(last, NULL) * 1000.0);
		break;
	case BIND_NONE:
		break;
	}
}

/* Copies the parsed global options into ctx->g, as the table binds them. */
static void store_globals(struct parser *p)
{
	for (size_t i = 0; global_options[i].name; i++)
		if (p->global_values[i].given)
			bind_global(&global_options[i], &p->global_values[i], p->ctx->g);
}

int dispatch_parse(int argc, char **argv, struct cmd_ctx *ctx, struct dispatch_result *res)
{
	struct parser *p = xcalloc(1, sizeof(*p));
	bool end_of_options = false;
	int r = 0;

	p->ctx = ctx;
	/* ctx keeps the values: ctx->g points into them for the whole run. */
	p->global_values = ctx->global_values = xcalloc(opt_count(global_options) + 1, sizeof(struct opt_value));
	res->help = false;
	res->plugin_argi = -1;
	ctx->args = xcalloc((size_t)argc + 1, sizeof(char *));
	scopes_refresh(p);

	for (int i = 0; i < argc && !r; i++) {
		const char *a = argv[i];
		if (!end_of_options && !strcmp(a, "--")) {
			end_of_options = true;
		} else if (!end_of_options && a[0] == '-' && a[1]) {
			r = parse_option(p, argc, argv, &i);
		} else if (!ctx->group && !strcmp(a, "help") && !res->help) {
			res->help = true; /* `smile help users list` */
		} else if (!ctx->group) {
			r = take_group(p, a, i, res);
			if (res->plugin_argi >= 0)
				break;
		} else if (!ctx->verb) {
			r = take_verb(p, a);
		} else {
			ctx->args[ctx->n_args++] = argv[i];
		}
	}
	store_globals(p);
	if (ctx->g->help)
		res->help = true;
	if (!r && !res->help && res->plugin_argi < 0) {
		if (!ctx->group)
			r = log_status(SMILE_EXIT_USAGE, "no command given; see 'smile --help'");
		else if (!ctx->verb)
			r = log_status(SMILE_EXIT_USAGE, "'smile %s' needs a verb; see 'smile %s --help'",
				       ctx->group->name, ctx->group->name);
		else if (!(r = check_arg_count(ctx)) && !(r = check_path_args(ctx)))
			r = check_required(ctx);
		/* Before anything is sent: a create whose --jq then failed
		 * would have done its work and lost the answer. */
		if (!r && ctx->g->jq && output_jq_check(ctx->g->jq) < 0)
			r = SMILE_EXIT_USAGE;
	}
	free(p);
	return r;
}

static void values_free(struct opt_value *values, const struct opt_spec *opts)
{
	size_t n = opt_count(opts);
	for (size_t i = 0; values && i < n; i++) {
		for (size_t k = 0; k < values[i].n; k++)
			free(values[i].values[k]);
		free(values[i].values);
	}
	free(values);
}

void dispatch_release(struct cmd_ctx *ctx)
{
	values_free(ctx->global_values, global_options);
	if (ctx->verb)
		values_free(ctx->opt_values, ctx->verb->opts);
	values_free(ctx->list_values, list_options);
	values_free(ctx->body_values, body_options);
	free(ctx->args);
	ctx->global_values = ctx->opt_values = ctx->list_values = ctx->body_values = NULL;
	ctx->args = NULL;
}
