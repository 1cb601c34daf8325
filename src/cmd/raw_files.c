/* SPDX-License-Identifier: MIT */
/* Local files into rawFiles items (raw_files.h). */
#include "cmd/raw_files.h"
#include "cmd/archive_files.h"
#include "cli/status.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"

#define RAW_FILE_MAX_MB (RAW_FILE_MAX / (1024 * 1024))

static char *base64_encode(const unsigned char *in, size_t len)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = xmalloc((len + 2) / 3 * 4 + 1);
	char *p = out;
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		*p++ = alphabet[v >> 6 & 63];
		*p++ = alphabet[v & 63];
	}
	if (i < len) {
		unsigned v = (unsigned)in[i] << 16 | (i + 1 < len ? (unsigned)in[i + 1] << 8 : 0);
		*p++ = alphabet[v >> 18 & 63];
		*p++ = alphabet[v >> 12 & 63];
		*p++ = i + 1 < len ? alphabet[v >> 6 & 63] : '=';
		*p++ = '=';
	}
	*p = '\0';
	return out;
}

char *raw_file_type_problem(const char *path)
{
	if (archive_file_type(path))
		return NULL;
	return xasprintf("'%s': unsupported file type (accepted: .pdf, .png, .jpg, .jpeg)", path);
}

static char *too_large(const char *path)
{
	return xasprintf("'%s' is larger than the API's limit of %u MB per file", path, RAW_FILE_MAX_MB);
}

char *raw_file_problem(const char *path, int *status)
{
	struct stat st;
	char *why = raw_file_type_problem(path);

	*status = SMILE_EXIT_USAGE;
	if (why)
		return why;
	if (stat(path, &st) < 0) {
		*status = SMILE_EXIT_FAILURE;
		return xasprintf("cannot read '%s': %s", path, strerror(errno));
	}
	if (!S_ISREG(st.st_mode))
		return xasprintf("'%s' is not a regular file", path);
	if (st.st_size == 0)
		return xasprintf("'%s' is empty", path);
	if ((unsigned long long)st.st_size > RAW_FILE_MAX)
		return too_large(path);
	return NULL;
}

int raw_file_base64(const char *path, char **out)
{
	_cleanup_free_ char *data = NULL;
	size_t len = 0;
	int r = read_file_all(path, RAW_FILE_MAX, &data, &len);

	if (r == -EFBIG) {
		_cleanup_free_ char *why = too_large(path);
		return log_status(SMILE_EXIT_USAGE, "%s", why);
	}
	if (r < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot read '%s': %s", path, strerror(-r));
	if (len == 0)
		return log_status(SMILE_EXIT_USAGE, "'%s' is empty", path);
	*out = base64_encode((const unsigned char *)data, len);
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int raw_file_item(const char *path, const char *subtype, json_object **out)
{
	char *content = NULL;
	int r = raw_file_base64(path, &content);

	if (r)
		return r;
	json_object *item = json_object_new_object();
	json_object_object_add(item, "fileName", json_object_new_string(base_name(path)));
	json_object_object_add(item, "fileExtensionType", json_object_new_string(archive_file_type(path)));
	json_object_object_add(item, "fileContent", json_object_new_string(content));
	if (subtype)
		json_object_object_add(item, "fileSubtype", json_object_new_string(subtype));
	free(content);
	*out = item;
	return 0;
}
