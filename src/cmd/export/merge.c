/* SPDX-License-Identifier: MIT */
/*
 * The JSON Lines files of an export, read back a line at a time, and
 * --since's merge of what was fetched into what is there. Lines are copied
 * as they are (never parsed and written again), so an item keeps the bytes
 * the API sent, numbers' digits included.
 */
#include "cmd/export/export.h"
#include "core/json.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/status.h"
#include "core/util.h"

int export_each_line(const char *path, export_line_fn fn, void *ctx)
{
	FILE *in = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;

	if (!in)
		return log_status(SMILE_EXIT_FAILURE, "cannot read '%s': %s", path, strerror(errno));
	while (r == 0 && (n = getline(&line, &cap, in)) > 0) {
		json_object *item = json_tokener_parse(line);
		r = item ? fn(ctx, item, line, (size_t)n)
			 : log_status(SMILE_EXIT_FAILURE, "'%s' holds a line that is not JSON", path);
		json_object_put(item);
	}
	if (r == 0 && ferror(in))
		r = log_status(SMILE_EXIT_FAILURE, "cannot read '%s': %s", path, strerror(errno));
	free(line);
	fclose(in);
	return r;
}

struct each_item {
	export_item_fn fn;
	void *ctx;
};

static int item_of_line(void *ctx, json_object *item, const char *line, size_t len)
{
	struct each_item *e = ctx;
	(void)line;
	(void)len;
	return e->fn(e->ctx, item);
}

int export_each_item(const char *path, export_item_fn fn, void *ctx)
{
	struct each_item e = { fn, ctx };
	return export_each_line(path, item_of_line, &e);
}

const char *export_item_key(json_object *item)
{
	const char *id = json_string_member(item, "id");
	return id ? id : json_compact(item);
}

struct merge {
	const struct strset *fetched;
	FILE *out;
	const char *out_path;
	long long items;
};

static int copy_line(struct merge *m, const char *line, size_t len)
{
	if (fwrite(line, 1, len, m->out) != len || (line[len - 1] != '\n' && fputc('\n', m->out) == EOF))
		return log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", m->out_path, strerror(errno));
	m->items++;
	return 0;
}

/* A line of the existing file stays unless the item was fetched again. */
static int keep_old_line(void *ctx, json_object *item, const char *line, size_t len)
{
	struct merge *m = ctx;
	return strset_contains(m->fetched, export_item_key(item)) ? 0 : copy_line(m, line, len);
}

static int add_new_line(void *ctx, json_object *item, const char *line, size_t len)
{
	(void)item;
	return copy_line(ctx, line, len);
}

int export_merge_lines(const char *old_path, const struct strset *fetched, const char *fetched_path,
		       FILE *out, const char *out_path, long long *items)
{
	struct merge m = { .fetched = fetched, .out = out, .out_path = out_path };
	int r = export_each_line(old_path, keep_old_line, &m);

	if (r == 0)
		r = export_each_line(fetched_path, add_new_line, &m);
	*items = m.items;
	return r;
}
