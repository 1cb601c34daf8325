/* SPDX-License-Identifier: MIT */
/*
 * Reading a manifest and checking all of it before anything is sent:
 *
 *   resources:
 *     NAME:
 *       type: GROUP          # a smile group with a create verb
 *       body: {...}          # the create request's body
 *       count: N             # N objects, ${index} from 0
 *       link: {...}          # users: an account linked in the emulator
 *       files: [PATH, ...]   # archives: the documents, sent as rawFiles
 *
 * Each problem is reported at its place, FILE:LINE:COLUMN, and all of them
 * are reported, not only the first.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd/apply/apply.h"
#include "core/util.h"

/* A manifest is small; its bodies are no larger than a request's. */
#define MAX_MANIFEST_BYTES (64u * 1024 * 1024)
#define MAX_COUNT 100000

struct checker {
	struct manifest *m;
	size_t problems;
};

#define problem(c, pointer, ...) (manifest_problem((c)->m, pointer, __VA_ARGS__), (c)->problems++)

struct apply_resource *manifest_find(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->n_res; i++)
		if (!strcmp(m->res[i].name, name))
			return &m->res[i];
	return NULL;
}

static char *res_pointer(const struct apply_resource *r, const char *member)
{
	struct strbuf sb = STRBUF_INIT;
	json_pointer_push(&sb, "resources");
	json_pointer_push(&sb, r->name);
	if (member)
		json_pointer_push(&sb, member);
	return strbuf_detach(&sb);
}

/* ---- one resource's own members ---- */

static bool valid_name(const char *s)
{
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '_' || *s == '-'))
			return false;
	return true;
}

static void check_type(struct checker *c, struct apply_resource *r, json_object *spec, const char *ptr)
{
	json_object *type = NULL;
	char *tp = res_pointer(r, "type");

	if (!json_object_object_get_ex(spec, "type", &type) || !json_object_is_type(type, json_type_string)) {
		problem(c, type ? tp : ptr, "%s: type: must be the name of a smile group, e.g. users", r->name);
	} else if (!apply_kind_find(json_object_get_string(type), &r->kind, &r->group, &r->create)) {
		char *names = apply_kind_names();
		problem(c, tp, "%s: unknown type '%s' (one of: %s)", r->name, json_object_get_string(type), names);
		free(names);
		r->create = NULL;
	}
	free(tp);
}

static void check_count(struct checker *c, struct apply_resource *r, json_object *spec)
{
	json_object *count = NULL;

	r->n_instances = 1;
	if (!json_object_object_get_ex(spec, "count", &count))
		return;
	char *cp = res_pointer(r, "count");
	int64_t n = json_object_is_type(count, json_type_int) ? json_object_get_int64(count) : -1;
	if (n < 1 || n > MAX_COUNT)
		problem(c, cp, "%s: count: expected a whole number from 1 to %d", r->name, MAX_COUNT);
	else {
		r->count = (long)n;
		r->n_instances = (size_t)n;
	}
	free(cp);
}

static void check_link(struct checker *c, struct apply_resource *r)
{
	static const char *const fields[] = { "providerId", "username", "password", "mfaCode", NULL };
	char *lp = res_pointer(r, "link");

	if (!json_object_is_type(r->link, json_type_object)) {
		problem(c, lp, "%s: link: expected {providerId, username, password, mfaCode}", r->name);
		r->link = NULL;
	} else if (r->create && strcmp(r->group->name, "users")) {
		problem(c, lp, "%s: link: only users link accounts, not %s", r->name, r->group->name);
	} else {
		json_object_object_foreach(r->link, key, val) {
			size_t i = 0;
			while (fields[i] && strcmp(fields[i], key))
				i++;
			struct strbuf sb = STRBUF_INIT;
			strbuf_addstr(&sb, lp);
			json_pointer_push(&sb, key);
			if (!fields[i])
				problem(c, sb.buf, "%s: link: unknown field '%s' (providerId, username, password, mfaCode)",
					r->name, key);
			else if (!json_object_is_type(val, json_type_string))
				problem(c, sb.buf, "%s: link.%s: expected text", r->name, key);
			strbuf_release(&sb);
		}
		if (!json_object_object_get_ex(r->link, "providerId", NULL))
			problem(c, lp, "%s: link: missing required field 'providerId'", r->name);
	}
	free(lp);
}

static void read_resource(struct checker *c, struct apply_resource *r, json_object *spec)
{
	char *ptr = res_pointer(r, NULL);

	if (!valid_name(r->name) || !strcmp(r->name, "env") || !strcmp(r->name, "index"))
		problem(c, ptr, "'%s': a name is a letter, then letters, digits, '_' or '-' (not env or index)",
			r->name);
	if (!json_object_is_type(spec, json_type_object)) {
		problem(c, ptr, "%s: expected {type, body, count, link}", r->name);
		free(ptr);
		return;
	}
	json_object_object_foreach(spec, key, val) {
		(void)val;
		if (strcmp(key, "type") && strcmp(key, "body") && strcmp(key, "count") && strcmp(key, "link") &&
		    strcmp(key, "files")) {
			char *kp = res_pointer(r, key);
			problem(c, kp, "%s: unknown member '%s' (type, body, count, link, files)", r->name, key);
			free(kp);
		}
	}
	check_type(c, r, spec, ptr);
	check_count(c, r, spec);
	if (!json_object_object_get_ex(spec, "body", &r->body) || !r->body) {
		r->body = json_object_new_object();
		json_object_object_add(spec, "body", r->body);
	} else if (!json_object_is_type(r->body, json_type_object)) {
		char *bp = res_pointer(r, "body");
		problem(c, bp, "%s: body: expected a mapping of the create request's fields", r->name);
		free(bp);
		r->body = NULL;
	}
	if (json_object_object_get_ex(spec, "link", &r->link))
		check_link(c, r);
	json_object *files = NULL;
	json_object_object_get_ex(spec, "files", &files);
	char *fp = res_pointer(r, "files");
	c->problems += manifest_check_files(c->m, r, files, fp);
	free(fp);
	free(ptr);
}

/* ---- references ---- */

struct ref_check {
	struct checker *c;
	struct apply_resource *r;
	const char *pointer;
};

static void add_dep(struct apply_resource *r, size_t dep)
{
	for (size_t i = 0; i < r->n_deps; i++)
		if (r->deps[i] == dep)
			return;
	r->deps = xrealloc(r->deps, (r->n_deps + 1) * sizeof(*r->deps));
	r->deps[r->n_deps++] = dep;
}

static int check_ref(void *ctx, const char *name, long index, const char *path)
{
	struct ref_check *rc = ctx;
	struct apply_resource *r = rc->r, *target = manifest_find(rc->c->m, name);

	(void)path;
	if (!target)
		problem(rc->c, rc->pointer, "%s: unknown name '%s' in ${%s...}", r->name, name, name);
	else if (target == r)
		problem(rc->c, rc->pointer, "%s: refers to itself", r->name);
	else if (target->count && index < 0)
		problem(rc->c, rc->pointer, "%s: %s is counted: say which one, ${%s[N].field}", r->name, name, name);
	else if (!target->count && index >= 0)
		problem(rc->c, rc->pointer, "%s: %s is not counted: ${%s.field}, without [%ld]", r->name, name, name,
			index);
	else if (target->count && index >= target->count)
		problem(rc->c, rc->pointer, "%s: %s[%ld] does not exist (count: %ld)", r->name, name, index,
			target->count);
	else
		add_dep(r, (size_t)(target - rc->c->m->res));
	return 0;
}

static void scan_refs(struct checker *c, struct apply_resource *r, json_object *node, struct strbuf *ptr)
{
	size_t base = ptr->len;

	if (json_object_is_type(node, json_type_string)) {
		struct ref_check rc = { c, r, ptr->buf };
		char *err = NULL;
		if (expand_scan(json_object_get_string(node), check_ref, &rc, &err) < 0)
			problem(c, ptr->buf, "%s: %s", r->name, err);
		free(err);
	} else if (json_object_is_type(node, json_type_object)) {
		json_object_object_foreach(node, key, val) {
			json_pointer_push(ptr, key);
			scan_refs(c, r, val, ptr);
			ptr->len = base;
			ptr->buf[base] = '\0';
		}
	} else if (json_object_is_type(node, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(node); i++) {
			char token[32];
			snprintf(token, sizeof(token), "%zu", i);
			json_pointer_push(ptr, token);
			scan_refs(c, r, json_object_array_get_idx(node, i), ptr);
			ptr->len = base;
			ptr->buf[base] = '\0';
		}
	}
}

static void check_refs(struct checker *c, struct apply_resource *r)
{
	const char *members[] = { "body", "link" };
	json_object *nodes[] = { r->body, r->link };

	for (size_t i = 0; i < 2; i++) {
		if (!nodes[i])
			continue;
		struct strbuf ptr = STRBUF_INIT;
		char *p = res_pointer(r, members[i]);
		strbuf_addstr(&ptr, p);
		free(p);
		scan_refs(c, r, nodes[i], &ptr);
		strbuf_release(&ptr);
	}
}

/* ---- order ---- */

enum mark { UNSEEN, VISITING, DONE };

/* Depth first; a resource met again while its own dependencies are being
 * visited closes a cycle, reported with its path. */
static bool visit(struct checker *c, size_t i, enum mark *marks, size_t *stack, size_t depth, size_t *n_order)
{
	struct manifest *m = c->m;

	if (marks[i] == DONE)
		return true;
	if (marks[i] == VISITING) {
		struct strbuf sb = STRBUF_INIT;
		size_t from = 0;
		while (stack[from] != i)
			from++;
		for (size_t k = from; k < depth; k++)
			strbuf_addf(&sb, "%s -> ", m->res[stack[k]].name);
		strbuf_addstr(&sb, m->res[i].name);
		char *p = res_pointer(&m->res[stack[depth - 1]], "body");
		problem(c, p, "reference cycle: %s", sb.buf);
		free(p);
		strbuf_release(&sb);
		return false;
	}
	marks[i] = VISITING;
	stack[depth] = i;
	for (size_t d = 0; d < m->res[i].n_deps; d++)
		if (!visit(c, m->res[i].deps[d], marks, stack, depth + 1, n_order))
			return false;
	marks[i] = DONE;
	m->order[(*n_order)++] = i;
	return true;
}

static void order_resources(struct checker *c)
{
	struct manifest *m = c->m;
	enum mark *marks = xcalloc(m->n_res + 1, sizeof(*marks));
	size_t *stack = xcalloc(m->n_res + 1, sizeof(*stack));
	size_t n_order = 0;

	m->order = xcalloc(m->n_res + 1, sizeof(*m->order));
	for (size_t i = 0; i < m->n_res; i++)
		if (!visit(c, i, marks, stack, 0, &n_order))
			break;
	free(stack);
	free(marks);
}

/* ---- bodies against the schema ---- */

static void check_bodies(struct checker *c, struct apply_resource *r)
{
	char *bp = res_pointer(r, "body");

	for (size_t i = 0; i < r->n_instances; i++) {
		struct strset unresolved = STRSET_INIT;
		struct expand_ctx ec = { .index = r->count ? (long)i : -1, .unresolved = &unresolved };
		json_object *body = NULL;
		char *err = NULL, *err_ptr = NULL;
		size_t before = c->problems;

		if (expand_json(r->body, &ec, &body, &err, &err_ptr) < 0) {
			char *p = xasprintf("%s%s", bp, err_ptr);
			problem(c, p, "%s: %s", r->name, err);
			free(p);
		} else {
			c->problems += schema_check(c->m, r, bp, body, &unresolved);
		}
		free(err);
		free(err_ptr);
		json_object_put(body);
		strset_release(&unresolved);
		/* The same mistake in each of a thousand objects is told once. */
		if (c->problems > before)
			break;
	}
	if (r->link) {
		struct expand_ctx ec = { .index = r->count ? 0 : -1 };
		json_object *link = NULL;
		char *err = NULL, *err_ptr = NULL;
		if (expand_json(r->link, &ec, &link, &err, &err_ptr) < 0) {
			char *lp = res_pointer(r, "link");
			char *p = xasprintf("%s%s", lp, err_ptr);
			problem(c, p, "%s: %s", r->name, err);
			free(p);
			free(lp);
		}
		free(err);
		free(err_ptr);
		json_object_put(link);
	}
	free(bp);
}

/* ---- the file ---- */

static int parse_document(const char *path, struct manifest *m)
{
	char *text = NULL;
	size_t len = 0;
	int r = read_file_all(path, MAX_MANIFEST_BYTES, &text, &len);

	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot read '%s': %s", path,
				  r == -EFBIG ? "file too large" : strerror(-r));
	struct yaml_problem pb = { 0 };
	r = yaml_to_json_located(text, len, &m->doc, &m->locs, &pb);
	free(text);
	if (r < 0) {
		log_error("%s:%u:%u: %s", m->path, pb.line, pb.column, pb.what);
		free(pb.what);
		return SMILE_EXIT_USAGE;
	}
	return 0;
}

static int read_resources(struct checker *c)
{
	struct manifest *m = c->m;
	json_object *resources = NULL;

	if (!json_object_is_type(m->doc, json_type_object) ||
	    !json_object_object_get_ex(m->doc, "resources", &resources) ||
	    !json_object_is_type(resources, json_type_object)) {
		problem(c, "", "expected a mapping 'resources:' of NAME: {type, body}");
		return -EINVAL;
	}
	json_object_object_foreach(m->doc, key, val) {
		(void)val;
		if (strcmp(key, "resources")) {
			struct strbuf sb = STRBUF_INIT;
			json_pointer_push(&sb, key);
			problem(c, sb.buf, "unknown member '%s' (a manifest holds resources:)", key);
			strbuf_release(&sb);
		}
	}
	m->n_res = (size_t)json_object_object_length(resources);
	m->res = xcalloc(m->n_res + 1, sizeof(*m->res));
	size_t i = 0;
	json_object_object_foreach(resources, name, spec) {
		m->res[i].name = xstrdup(name);
		read_resource(c, &m->res[i++], spec);
	}
	if (m->n_res == 0)
		problem(c, "/resources", "no resources");
	return 0;
}

int manifest_load(const char *path, struct manifest *m)
{
	struct checker c = { .m = m };
	int r;

	*m = (struct manifest){ .path = xstrdup(strcmp(path, "-") ? path : "stdin") };
	if ((r = parse_document(path, m)))
		return r;
	if (read_resources(&c) < 0)
		return SMILE_EXIT_USAGE;
	for (size_t i = 0; i < m->n_res; i++)
		check_refs(&c, &m->res[i]);
	order_resources(&c);
	for (size_t i = 0; i < m->n_res; i++)
		if (m->res[i].create && m->res[i].body)
			check_bodies(&c, &m->res[i]);
	return c.problems ? SMILE_EXIT_USAGE : 0;
}

void manifest_release(struct manifest *m)
{
	for (size_t i = 0; i < m->n_res; i++) {
		struct apply_resource *r = &m->res[i];
		for (size_t k = 0; r->inst && k < r->n_instances; k++) {
			free(r->inst[k].key);
			free(r->inst[k].spec);
			free(r->inst[k].error);
			free(r->inst[k].rec_email);
			free(r->inst[k].rec_template);
			free(r->inst[k].body);
			free(r->inst[k].path);
		}
		free(r->inst);
		for (size_t k = 0; k < r->n_files; k++)
			free(r->files[k]);
		free(r->files);
		free(r->deps);
		free(r->name);
	}
	free(m->res);
	free(m->order);
	json_object_put(m->doc);
	yaml_locations_release(&m->locs);
	free(m->path);
	*m = (struct manifest){ 0 };
}
