/* SPDX-License-Identifier: MIT */
/*
 * Naming an archive's raw files on disk (archive_files.h): what
 * `archives download` and `smile export` both write.
 */
#include "cmd/archive_files.h"
#include "cli/download.h"
#include "core/json.h"
#include "core/text.h"
#include "core/util.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

const char *archive_file_type(const char *path)
{
	static const char *const types[][2] = {
		{ "pdf", "PDF" }, { "png", "PNG" }, { "jpg", "JPG" }, { "jpeg", "JPEG" },
	};
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return NULL;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i][0]) == 0)
			return types[i][1];
	return NULL;
}

/* Whether name already ends in an extension fitting the file's format. */
static bool has_format_extension(const char *name, const char *format)
{
	const char *ext = archive_file_type(name);

	if (!ext)
		return false;
	if (strcasecmp(ext, format) == 0)
		return true;
	/* JPG and JPEG are one format under two names. */
	return (strcmp(ext, "JPG") == 0 || strcmp(ext, "JPEG") == 0) &&
	       (strcasecmp(format, "JPG") == 0 || strcasecmp(format, "JPEG") == 0);
}

/* The name the server gives a raw file, else the URL's last segment. */
static char *raw_file_base_name(json_object *file, const char *url)
{
	const char *name = json_string_member(file, "name");

	return name && name[0] ? xstrdup(name) : url_last_segment(url);
}

/* Adds the extension of the file's format when the name has none fitting it. */
static char *with_format_extension(char *name, json_object *file)
{
	const char *format = json_string_member(file, "format");

	if (!format || !format[0] || has_format_extension(name, format))
		return name;
	char *named = xasprintf("%s.%s", name, format);
	free(name);
	for (char *p = named + strlen(named) - strlen(format); *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	return named;
}

/*
 * Works out every file's name and path before writing anything, so that an
 * unsafe name or an existing file stops the command with nothing half done.
 */
/*
 * Whether the file at path is the archive's file: its byte count is the
 * size the server gives. The docs call size kilobytes, the emulator gives
 * bytes; either reading matches. A file smile wrote is whole (it is renamed
 * into place only when complete), so the size only tells another file of
 * the same name from it.
 */
static bool is_same_size(const char *path, json_object *file)
{
	json_object *size;
	struct stat st;

	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !json_object_object_get_ex(file, "size", &size) ||
	    !json_object_is_type(size, json_type_int))
		return false;
	long long want = json_object_get_int64(size), have = (long long)st.st_size;
	return have == want || (have + 1023) / 1024 == want;
}

static int plan_existing_file(struct planned_file *p, json_object *file, enum plan_existing existing)
{
	if (existing == PLAN_REPLACE || access(p->path, F_OK) != 0)
		return 0;
	if (existing == PLAN_SKIP_EXISTING && is_same_size(p->path, file)) {
		p->kept = true;
		return 0;
	}
	if (existing == PLAN_SKIP_EXISTING)
		return log_status(SMILE_EXIT_FAILURE, "'%s' already exists with another size than the archive's "
				  "(use --clobber to overwrite)", p->path);
	return log_status(SMILE_EXIT_FAILURE,
			  "'%s' already exists (use --skip-existing to keep it, --clobber to overwrite)", p->path);
}

int archive_plan_files(json_object *files, const char *dir, enum plan_existing existing,
		       struct planned_file *plan, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		json_object *file = json_object_array_get_idx(files, i);
		const char *url = json_string_member(file, "url");

		if (!url || !(str_starts_with(url, "https://") || str_starts_with(url, "http://")))
			return log_status(SMILE_EXIT_FAILURE, "file %zu of the archive has no download URL", i + 1);
		plan[i].url = url;
		plan[i].name = raw_file_base_name(file, url);
		if (!download_name_is_safe(plan[i].name)) {
			struct strbuf shown = STRBUF_INIT;
			strbuf_add_printable_name(&shown, plan[i].name, strlen(plan[i].name), 0);
			log_error("refusing to write file %zu: unsafe name from the server '%s'", i + 1, shown.buf);
			strbuf_release(&shown);
			return SMILE_EXIT_FAILURE;
		}
		plan[i].name = with_format_extension(plan[i].name, file);
		if (strlen(plan[i].name) > NAME_MAX)
			return log_status(SMILE_EXIT_FAILURE, "refusing to write file %zu: name too long", i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(plan[j].name, plan[i].name) == 0)
				return log_status(SMILE_EXIT_FAILURE,
						  "the archive holds two files named '%s'", plan[i].name);
		plan[i].path = xasprintf("%s%s%s", dir, str_ends_with(dir, "/") ? "" : "/", plan[i].name);
		int r = plan_existing_file(&plan[i], file, existing);
		if (r)
			return r;
	}
	return 0;
}

void archive_plan_release(struct planned_file *plan, size_t n)
{
	for (size_t i = 0; plan && i < n; i++) {
		free(plan[i].name);
		free(plan[i].path);
	}
	free(plan);
}
