/* SPDX-License-Identifier: MIT */
/*
 * An archive's files: in a manifest, checked when it is loaded as
 * `archives create` checks its FILE arguments (raw_files.h), so that a
 * missing, empty, oversized or unsupported file stops the run before
 * anything is sent, at its line and column.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/apply/apply.h"
#include "cmd/raw_files.h"
#include "core/util.h"

/* Whether the type's create request takes rawFiles. */
static bool takes_files(const struct apply_resource *r)
{
	for (size_t i = 0; r->create && r->kind.also && r->kind.also[i]; i++)
		if (!strcmp(r->kind.also[i], "rawFiles"))
			return true;
	return false;
}

/* A path of files: as it is opened: as written when absolute or when the
 * manifest is stdin, else relative to the manifest's directory. */
static char *resolve(const struct manifest *m, const char *path)
{
	const char *slash = strrchr(m->path, '/');

	if (path[0] == '/' || !slash || !strcmp(m->path, "stdin"))
		return xstrdup(path);
	return xasprintf("%.*s/%s", (int)(slash - m->path), m->path, path);
}

static size_t check_one(const struct manifest *m, struct apply_resource *r, json_object *item, const char *pointer)
{
	int status;

	if (!json_object_is_type(item, json_type_string) || !*json_object_get_string(item)) {
		manifest_problem(m, pointer, "%s: files: expected the path of a file", r->name);
		return 1;
	}
	char *path = resolve(m, json_object_get_string(item));
	char *why = raw_file_problem(path, &status);
	if (why) {
		manifest_problem(m, pointer, "%s: files: %s", r->name, why);
		free(why);
		free(path);
		return 1;
	}
	r->files[r->n_files++] = path;
	return 0;
}

size_t manifest_check_files(const struct manifest *m, struct apply_resource *r, json_object *files,
			    const char *pointer)
{
	bool in_body = r->body && json_object_object_get_ex(r->body, "rawFiles", NULL);
	size_t problems = 0;

	if (!r->create)
		return 0;
	if (!files) {
		if (!takes_files(r) || in_body)
			return 0;
		char *res = xstrndup(pointer, strlen(pointer) - strlen("/files"));
		manifest_problem(m, res, "%s: files: missing: the paths of the documents to send", r->name);
		free(res);
		return 1;
	}
	if (!takes_files(r)) {
		manifest_problem(m, pointer, "%s: files: only archives send files, not %s", r->name, r->group->name);
		return 1;
	}
	if (in_body) {
		manifest_problem(m, pointer, "%s: files: give files: or body.rawFiles, not both", r->name);
		return 1;
	}
	if (!json_object_is_type(files, json_type_array) || json_object_array_length(files) == 0) {
		manifest_problem(m, pointer, "%s: files: expected a list of paths, e.g. [march.pdf]", r->name);
		return 1;
	}
	size_t n = json_object_array_length(files);
	r->files = xcalloc(n, sizeof(*r->files));
	for (size_t i = 0; i < n; i++) {
		char *p = xasprintf("%s/%zu", pointer, i);
		problems += check_one(m, r, json_object_array_get_idx(files, i), p);
		free(p);
	}
	return problems;
}
