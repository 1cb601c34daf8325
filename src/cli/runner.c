/* SPDX-License-Identifier: MIT */
/*
 * What every command shares: option lookup, lazy config/profile/client
 * set-up, confirmation, request bodies, and the generic runner that turns a
 * table entry into one API call and its output.
 */
#include "cli/cmd.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "core/util.h"
#include "core/yaml_json.h"
#include "cli/dispatch.h"
#include "cli/pages.h"
#include "cli/status.h"

/* Request bodies and --input files are capped: no API body is this large. */
#define MAX_INPUT_BYTES (64u * 1024 * 1024)

/* --- lookups -------------------------------------------------------------- */

const struct group_spec *cmd_find_group(const char *name)
{
	for (size_t i = 0; smile_groups[i]; i++)
		if (!strcmp(smile_groups[i]->name, name))
			return smile_groups[i];
	return NULL;
}

const struct verb_spec *cmd_find_verb(const struct group_spec *g, const char *name)
{
	for (size_t i = 0; g->verbs && g->verbs[i].name; i++)
		if (!strcmp(g->verbs[i].name, name))
			return &g->verbs[i];
	return NULL;
}

const struct opt_spec *cmd_find_opt(const struct verb_spec *v, const char *name, char short_name)
{
	for (size_t i = 0; v->opts && v->opts[i].name; i++)
		if ((name && !strcmp(v->opts[i].name, name)) || (short_name && v->opts[i].short_name == short_name))
			return &v->opts[i];
	return NULL;
}

static const struct opt_value *lookup_in(const struct opt_spec *opts, const struct opt_value *values,
					 const char *name)
{
	for (size_t i = 0; values && opts && opts[i].name; i++)
		if (!strcmp(opts[i].name, name))
			return &values[i];
	return NULL;
}

const struct opt_value *cmd_opt_all(const struct cmd_ctx *ctx, const char *name)
{
	const struct opt_value *v = NULL;
	if (ctx->verb)
		v = lookup_in(ctx->verb->opts, ctx->opt_values, name);
	if (!v)
		v = lookup_in(list_options, ctx->list_values, name);
	if (!v)
		v = lookup_in(body_options, ctx->body_values, name);
	if (!v)
		v = lookup_in(global_options, ctx->global_values, name);
	return v;
}

const char *cmd_opt(const struct cmd_ctx *ctx, const char *name)
{
	const struct opt_value *v = cmd_opt_all(ctx, name);
	return v && v->given ? v->values[v->n - 1] : NULL;
}

bool cmd_flag(const struct cmd_ctx *ctx, const char *name)
{
	const struct opt_value *v = cmd_opt_all(ctx, name);
	return v && v->given;
}

/* --- config, profile, client --------------------------------------------- */

int cmd_config(struct cmd_ctx *ctx, struct config **out)
{
	if (!ctx->config) {
		char *err = NULL;
		free(ctx->config_path);
		ctx->config_path = ctx->g->config_path ? xstrdup(ctx->g->config_path) : config_default_path();
		if (config_load(ctx->config_path, &ctx->config, &err) < 0) {
			log_error("%s", err ? err : "cannot read the config file");
			free(err);
			return SMILE_EXIT_FAILURE;
		}
	}
	*out = ctx->config;
	return 0;
}

int cmd_profile(struct cmd_ctx *ctx, const struct profile **out)
{
	if (!ctx->profile_loaded) {
		struct config *cfg;
		int r = cmd_config(ctx, &cfg);
		if (r)
			return r;
		struct profile_overrides ov = PROFILE_OVERRIDES_INIT;
		const struct global_opts *g = ctx->g;
		ov.profile = g->profile;
		ov.base_url = g->base_url;
		ov.rate = g->rate;
		ov.connect_timeout_ms = g->connect_timeout_ms;
		ov.timeout_ms = g->timeout_ms;
		ov.max_attempts = g->retries >= 0 ? g->retries + 1 : -1;
		ov.retry_max_ms = g->retry_max_ms;
		char *err = NULL;
		int e = profile_resolve(cfg, &ov, &ctx->profile, &err);
		if (e < 0) {
			log_error("%s", err ? err : "cannot resolve the profile");
			free(err);
			/* An unknown --profile is a usage error; a bad value in the
			 * file or environment is a configuration failure. */
			return e == -ENOENT ? SMILE_EXIT_USAGE : SMILE_EXIT_FAILURE;
		}
		ctx->profile_loaded = true;
	}
	*out = &ctx->profile;
	return 0;
}

/* --dry-run's one output: the request as a curl command on stdout. */
static void print_dry_run(void *unused, const char *curl_command)
{
	(void)unused;
	printf("%s\n", curl_command);
	/* main() turns the error into the exit status; say why here, where
	 * errno still tells. */
	if (fflush(stdout) != 0 && errno != EPIPE)
		log_error("cannot write output: %s", strerror(errno));
}

int cmd_http(struct cmd_ctx *ctx, struct http_client **out)
{
	/* A local command (config, shell) never talks to the API: a client
	 * asked for there is a bug, not a request to send. */
	if (ctx->verb && (ctx->verb->flags & VERB_NO_API))
		return log_status(SMILE_EXIT_FAILURE, "internal error: '%s' is a local command", ctx->group->name);
	if (!ctx->http) {
		const struct profile *p;
		int r = cmd_profile(ctx, &p);
		if (r)
			return r;
		/* A dry run shows the request without needing real credentials. */
		if (!ctx->g->dry_run && (r = cli_require_credentials(p)))
			return r;
		struct http_client_opts opts = {
			.base_url = p->base_url,
			.api_key = p->api_key,
			.api_secret = p->api_secret,
			.rate = p->rate,
			.connect_timeout_ms = p->connect_timeout_ms,
			.timeout_ms = p->timeout_ms,
			.max_attempts = p->max_attempts,
			.retry_max_ms = p->retry_max_ms,
			.verbose = ctx->g->verbose,
			.dry_run = ctx->g->dry_run,
			.dry_run_sink = print_dry_run,
			.stop = &ctx->stop,
		};
		ctx->http = http_client_new(&opts);
		if (!ctx->http)
			return log_status(SMILE_EXIT_FAILURE, "cannot set up the HTTP client");
	}
	*out = ctx->http;
	return 0;
}

static int read_tty_line(FILE *tty, char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, tty);
	if (n < 0) {
		free(line);
		return -EIO;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*out = line;
	return 0;
}

int cmd_confirm(struct cmd_ctx *ctx, const char *what)
{
	const struct profile *p;
	int r = cmd_profile(ctx, &p);
	if (r)
		return r;
	if (!profile_is_production(p) || ctx->g->yes || ctx->g->dry_run)
		return 0;
	if (!isatty(STDIN_FILENO))
		return log_status(SMILE_EXIT_USAGE,
				  "refusing to %s on production profile '%s' without --yes (stdin is not a terminal)",
				  what, p->name ? p->name : "(none)");
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return log_status(SMILE_EXIT_USAGE, "cannot ask for confirmation; pass --yes to %s", what);
	fprintf(tty, "%s on production profile '%s'? [y/N] ", what, p->name ? p->name : "(none)");
	fflush(tty);
	char *answer = NULL;
	bool yes = read_tty_line(tty, &answer) == 0 && (!strcmp(answer, "y") || !strcmp(answer, "yes"));
	free(answer);
	fclose(tty);
	return yes ? 0 : log_status(SMILE_EXIT_FAILURE, "aborted");
}

int cmd_read_secret(const char *prompt, char **out)
{
	if (!isatty(STDIN_FILENO))
		return read_tty_line(stdin, out) == 0 ? 0 : log_status(SMILE_EXIT_USAGE, "no secret on stdin");
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return log_status(SMILE_EXIT_FAILURE, "cannot open the terminal to read the secret");
	struct termios old, quiet;
	int fd = fileno(tty);
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fprintf(tty, "%s", prompt);
	fflush(tty);
	int r = read_tty_line(tty, out);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "no secret given");
	return 0;
}

/* --- output --------------------------------------------------------------- */

void cmd_output_opts(struct cmd_ctx *ctx, struct output_opts *out, const char *const *default_columns)
{
	const struct global_opts *g = ctx->g;
	const char *format = g->output;
	enum output_format f;

	if (!format && ctx->profile_loaded && ctx->profile.output)
		format = ctx->profile.output;
	if (!format || output_parse_format(format, &f) < 0)
		f = isatty(STDOUT_FILENO) ? OUTPUT_TABLE : OUTPUT_JSON;
	*out = (struct output_opts){
		.format = f,
		.fields = g->fields,
		.jq = g->jq,
		.quiet = g->quiet,
		.color = output_color_enabled(STDOUT_FILENO),
		.width = output_terminal_width(STDOUT_FILENO),
		.default_columns = default_columns,
		.no_header = g->no_header,
	};
}

/* --- request bodies ------------------------------------------------------- */

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

/* Secret body fields (a webhook's signing key) never come from argv: from
 * --input, else from stdin or a no-echo prompt, and are checked like any
 * other value once read. */
static int read_secret_fields(const struct cmd_ctx *ctx, json_object *body, bool stdin_used)
{
	const struct verb_spec *v = ctx->verb;
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if (o->where != OPT_BODY || !(o->flags & OPT_SECRET) || json_get_path(body, o->field))
			continue;
		if (!(o->flags & OPT_REQUIRED))
			continue;
		if (stdin_used)
			return log_status(SMILE_EXIT_USAGE, "--input - uses stdin; put '%s' in the input instead",
					  o->field);
		char *prompt = xasprintf("%s: ", o->name), *secret = NULL;
		int r = cmd_read_secret(prompt, &secret);
		free(prompt);
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

static int check_required_body(const struct cmd_ctx *ctx, json_object *body)
{
	const struct verb_spec *v = ctx->verb;
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if (o->where != OPT_BODY || !(o->flags & OPT_REQUIRED))
			continue;
		if (!json_get_path(body, o->field))
			return log_status(SMILE_EXIT_USAGE, "missing required option --%s (or '%s' in --input)",
					  o->name, o->field);
	}
	return 0;
}

int cmd_build_body(struct cmd_ctx *ctx, json_object **out)
{
	const char *input = cmd_opt(ctx, "input");
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
	r = read_secret_fields(ctx, body, input && !strcmp(input, "-"));
	if (r || (r = check_required_body(ctx, body))) {
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
	char *text = shown ? xstrdup(json_object_to_json_string_ext(shown, JSON_C_TO_STRING_PLAIN |
									   JSON_C_TO_STRING_NOSLASHESCAPE))
			   : NULL;
	json_object_put(shown);
	json_object_put(parsed);
	return text;
}

/* --- the generic runner --------------------------------------------------- */

char *cmd_expand_path(const struct cmd_ctx *ctx, const char *tmpl)
{
	struct strbuf sb = STRBUF_INIT;
	int next_arg = 0;
	for (const char *p = tmpl; *p;) {
		const char *close;
		if (*p == '{' && (close = strchr(p, '}'))) {
			const char *arg = next_arg < ctx->n_args ? ctx->args[next_arg++] : "";
			char *escaped = curl_easy_escape(NULL, arg, 0);
			strbuf_addstr(&sb, escaped ? escaped : "");
			curl_free(escaped);
			p = close + 1;
		} else {
			strbuf_addch(&sb, *p++);
		}
	}
	return strbuf_detach(&sb);
}

static bool method_has_body(const char *method)
{
	return !strcmp(method, "POST") || !strcmp(method, "PUT") || !strcmp(method, "PATCH");
}

static bool verb_has_body_options(const struct verb_spec *v)
{
	if (v->flags & VERB_BODY)
		return true;
	for (size_t i = 0; v->opts && v->opts[i].name; i++)
		if (v->opts[i].where == OPT_BODY)
			return true;
	return false;
}

/* Query parameters from the verb's OPT_QUERY options (list options such as
 * --size are added by the list pager). Values point into ctx or *joined. */
static size_t collect_query(const struct cmd_ctx *ctx, struct http_param *params, char **joined)
{
	const struct verb_spec *v = ctx->verb;
	size_t n = 0;
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		const struct opt_value *val = &ctx->opt_values[i];
		if (o->where != OPT_QUERY || !val->given)
			continue;
		if (o->type == OPT_LIST) {
			struct strbuf sb = STRBUF_INIT;
			for (size_t k = 0; k < val->n; k++)
				strbuf_addf(&sb, "%s%s", k ? "," : "", val->values[k]);
			joined[n] = strbuf_detach(&sb);
			params[n] = (struct http_param){ o->field, joined[n] };
			n++;
		} else {
			params[n++] = (struct http_param){ o->field, val->values[val->n - 1] };
		}
	}
	return n;
}

static size_t count_opts(const struct opt_spec *opts)
{
	size_t n = 0;
	while (opts && opts[n].name)
		n++;
	return n;
}

int cmd_run_api(struct cmd_ctx *ctx)
{
	const struct verb_spec *v = ctx->verb;
	size_t max = count_opts(v->opts) + 1;
	struct http_param *params = xcalloc(max, sizeof(*params));
	char **joined = xcalloc(max, sizeof(*joined));
	json_object *body = NULL;
	char *path = cmd_expand_path(ctx, v->path);
	int r = 0;

	size_t n = collect_query(ctx, params, joined);
	if (method_has_body(v->method) && verb_has_body_options(v))
		r = cmd_build_body(ctx, &body);
	if (!r) {
		const char *text = body ? json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN |
									   JSON_C_TO_STRING_NOSLASHESCAPE)
					: NULL;
		r = cmd_request_and_print(ctx, v->method, path, params, n, text, v->flags & VERB_LIST, v->columns);
	}
	json_object_put(body);
	for (size_t i = 0; i < max; i++)
		free(joined[i]);
	free(joined);
	free(params);
	free(path);
	return r;
}

/* --- sending and printing ------------------------------------------------- */

static int send_checked(struct cmd_ctx *ctx, const struct http_request *req, struct http_response *resp)
{
	struct http_client *http;
	int r = cmd_http(ctx, &http);
	if (r)
		return r;
	_cleanup_free_ char *shown = ctx->g->dry_run ? cmd_shown_body(req->body) : NULL;
	struct http_request shown_req = *req;
	shown_req.shown_body = shown;
	return cli_send(http, &shown_req, resp);
}

/* One object, or for the few operations that answer with a bare array
 * (employer look-ups) each element as an item of a list. */
static int print_single(struct cmd_ctx *ctx, json_object *value, const char *const *columns)
{
	struct output_opts oo;
	bool is_array = json_object_is_type(value, json_type_array);
	cmd_output_opts(ctx, &oo, columns);
	struct output *o = output_begin(&oo, stdout, is_array);
	int r = 0;
	if (is_array) {
		for (size_t i = 0; i < json_object_array_length(value) && !r; i++)
			r = output_item(o, json_object_array_get_idx(value, i));
	} else if (value) {
		r = output_item(o, value);
	}
	int e = output_end(o);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}

struct list_printer {
	struct cmd_ctx *ctx;
	const char *const *columns;
	struct output *out;
	int write_error;
};

static int print_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct list_printer *lp = ctx;
	(void)resp;

	/* Only now: the first request loaded the profile, whose output key is
	 * the default format. */
	if (!lp->out) {
		struct output_opts oo;
		cmd_output_opts(lp->ctx, &oo, lp->columns);
		lp->out = output_begin(&oo, stdout, true);
	}
	for (size_t i = 0; i < n_take; i++)
		if (output_item(lp->out, json_object_array_get_idx(items, i)) < 0)
			lp->write_error = SMILE_EXIT_FAILURE;
	return lp->write_error;
}

/* Streams pages to the output, following nextCursor with --all. Memory
 * stays flat: each page is released before the next is fetched. */
static int print_list(struct cmd_ctx *ctx, const struct http_request *req, const char *const *columns)
{
	struct http_client *http;
	int r = cmd_http(ctx, &http);
	if (r)
		return r;
	const char *limit = cmd_opt(ctx, "limit"), *size = cmd_opt(ctx, "size");
	struct page_walk_opts opts = {
		.http = http,
		.path = req->path,
		.params = req->params,
		.n_params = req->n_params,
		.all = cmd_flag(ctx, "all"),
		.cursor = cmd_opt(ctx, "cursor"),
		.limit = limit ? atol(limit) : -1,
	};
	/* Whole pages of the largest size make --all cheapest. */
	opts.size = size ? size : opts.all ? PAGE_SIZE_MAX : NULL;
	struct list_printer lp = { .ctx = ctx, .columns = columns };
	struct page_walk w;
	page_walk_init(&w, &opts, print_page, &lp);
	r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	if (lp.out && output_end(lp.out) < 0 && !r)
		r = SMILE_EXIT_FAILURE;
	return r;
}

int cmd_request_and_print(struct cmd_ctx *ctx, const char *method, const char *path,
			  const struct http_param *params, size_t n_params,
			  const char *body, bool is_list, const char *const *columns)
{
	struct http_request req = { .method = method, .path = path, .params = params,
				    .n_params = n_params, .body = body };
	if (ctx->verb && (ctx->verb->flags & VERB_DESTRUCTIVE)) {
		char *what = xasprintf("%s %s", method, path);
		int r = cmd_confirm(ctx, what);
		free(what);
		if (r)
			return r;
	}
	if (is_list)
		return print_list(ctx, &req, columns);

	struct http_response resp = { 0 };
	int r = send_checked(ctx, &req, &resp);
	if (!r && !ctx->g->dry_run) {
		bool raw = ctx->verb && (ctx->verb->flags & VERB_RAW_ENVELOPE);
		r = print_single(ctx, raw ? resp.envelope : resp.data, columns);
	}
	http_response_clear(&resp);
	return r;
}
