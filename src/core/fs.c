/* SPDX-License-Identifier: MIT */
#include "core/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/util.h"

int mkdir_parents(const char *path, mode_t mode)
{
	_cleanup_free_ char *dir = xstrdup(path);
	char *end = strrchr(dir, '/');

	if (!end || end == dir)
		return 0; /* in the working directory or under / */
	*end = '\0';
	for (char *p = dir + 1;; p++) {
		bool last = *p == '\0';
		if (*p != '/' && !last)
			continue;
		*p = '\0';
		if (mkdir(dir, mode) < 0 && errno != EEXIST)
			return -errno;
		if (last)
			return 0;
		*p = '/';
	}
}
