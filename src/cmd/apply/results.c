/* SPDX-License-Identifier: MIT */
/*
 * What later CI steps read: -o json prints one object mapping each name to
 * what the API returned (an array for counted ones; a user with link: has
 * its account under "account"); --env-file appends NAME_FIELD=value lines
 * ($GITHUB_ENV, GitLab's dotenv reports). Tokens are in both, because CI
 * needs them; they are never in --verbose output or messages.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "cmd/apply/apply.h"
#include "core/json.h"
#include "core/fs.h"
#include "core/output/output.h"
#include "core/util.h"

static json_object *instance_result(struct apply_run *run, struct apply_instance *in)
{
	json_object *obj = run_object(run, in), *copy = NULL;

	if (!obj || in->result != RES_DONE)
		return NULL;
	json_object_deep_copy(obj, &copy, NULL);
	if (in->res->link && json_object_is_type(copy, json_type_object)) {
		char *key = xasprintf("%s/account", in->key);
		const struct state_entry *e = state_get(run->st, key);
		json_object *acc = NULL;
		if (e && e->object)
			json_object_deep_copy(e->object, &acc, NULL);
		json_object_object_add(copy, "account", acc);
		free(key);
	}
	return copy;
}

static json_object *results_map(struct apply_run *run)
{
	json_object *map = json_object_new_object();

	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		json_object *v;
		if (r->count) {
			v = json_object_new_array();
			for (size_t i = 0; i < r->n_instances; i++)
				json_object_array_add(v, instance_result(run, &r->inst[i]));
		} else {
			v = instance_result(run, &r->inst[0]);
		}
		json_object_object_add(map, r->name, v);
	}
	return map;
}

int results_print_json(struct apply_run *run)
{
	struct output_opts oo;
	json_object *map = results_map(run);

	cmd_output_opts(run->ctx, &oo, NULL);
	struct output *o = output_begin(&oo, stdout, false);
	int r = output_item(o, map);
	int e = output_end(o);
	json_object_put(map);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}

/* "accessToken" -> "ACCESS_TOKEN", "invitees" -> "INVITEES". */
static void add_env_word(struct strbuf *sb, const char *s)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= 'A' && c <= 'Z' && p > s && p[-1] >= 'a' && p[-1] <= 'z')
			strbuf_addch(sb, '_');
		if ((c >= 'a' && c <= 'z'))
			strbuf_addch(sb, (char)(c - 32));
		else if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			strbuf_addch(sb, (char)c);
		else
			strbuf_addch(sb, '_');
	}
}

static void env_line(struct strbuf *out, const char *name, const char *value)
{
	if (!strchr(value, '\n')) {
		strbuf_addf(out, "%s=%s\n", name, value);
		return;
	}
	/* GitHub's multi-line form, with a delimiter the value cannot hold. */
	unsigned char raw[8];
	char delim[40];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		memset(raw, 0x5a, sizeof(raw));
	snprintf(delim, sizeof(delim), "SMILE_EOF_%02x%02x%02x%02x%02x%02x%02x%02x", raw[0], raw[1], raw[2],
		 raw[3], raw[4], raw[5], raw[6], raw[7]);
	strbuf_addf(out, "%s<<%s\n%s\n%s\n", name, delim, value, delim);
}

static void env_flatten(struct strbuf *out, struct strbuf *name, json_object *v)
{
	size_t base = name->len;

	switch (json_object_get_type(v)) {
	case json_type_object: {
		json_object_object_foreach(v, key, val) {
			strbuf_addch(name, '_');
			add_env_word(name, key);
			env_flatten(out, name, val);
			name->len = base;
			name->buf[base] = '\0';
		}
		break;
	}
	case json_type_string:
		env_line(out, name->buf, json_object_get_string(v));
		break;
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		env_line(out, name->buf, json_compact(v));
		break;
	default: /* arrays and null: nothing a variable holds well */
		break;
	}
}

int results_write_env(struct apply_run *run, const char *path)
{
	struct strbuf out = STRBUF_INIT;

	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		for (size_t i = 0; i < r->n_instances; i++) {
			json_object *v = instance_result(run, &r->inst[i]);
			struct strbuf name = STRBUF_INIT;
			add_env_word(&name, r->name);
			if (r->count)
				strbuf_addf(&name, "_%zu", i);
			env_flatten(&out, &name, v);
			strbuf_release(&name);
			json_object_put(v);
		}
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	int r = 0;
	if (fd < 0) {
		r = log_status(SMILE_EXIT_FAILURE, "cannot open --env-file '%s': %s", path, strerror(errno));
	} else {
		int e = write_full(fd, out.buf ? out.buf : "", out.len);
		if (e < 0)
			r = log_status(SMILE_EXIT_FAILURE, "cannot write --env-file '%s': %s", path, strerror(-e));
		if (close(fd) < 0 && !r)
			r = log_status(SMILE_EXIT_FAILURE, "cannot write --env-file '%s': %s", path, strerror(errno));
	}
	strbuf_release(&out);
	return r;
}
