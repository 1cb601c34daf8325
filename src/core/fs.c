/* SPDX-License-Identifier: MIT */
#include "core/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

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

int fsync_parent_dir(const char *path)
{
	_cleanup_free_ char *dir = xstrdup(path);
	char *end = strrchr(dir, '/');
	int r = 0, fd;

	if (!end)
		strcpy(dir, ".");
	else if (end == dir)
		dir[1] = '\0';
	else
		*end = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0 && errno != EINVAL)
		r = -errno;
	close(fd);
	return r;
}

int rename_into_place(const char *tmp, const char *path, bool replace)
{
	if (replace)
		return rename(tmp, path) < 0 ? -errno : 0;
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS)
		return -errno;
	if (link(tmp, path) < 0)
		return -errno;
	unlink(tmp);
	return 0;
}

int write_full(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len) {
		ssize_t n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}
