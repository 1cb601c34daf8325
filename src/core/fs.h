/* SPDX-License-Identifier: MIT */
/* File-system helpers shared by the config file, journals and history. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* mkdir -p of the directory that holds path: creates every missing
 * directory above the last '/' with mode (existing ones are left as they
 * are). Returns 0 or -errno of the first mkdir that failed. */
int mkdir_parents(const char *path, mode_t mode);

/* fsync of the directory that holds path, so that a rename into it
 * survives a crash (rename alone may be lost with the directory's
 * unwritten block). Returns 0 or -errno. */
int fsync_parent_dir(const char *path);

/* Renames tmp to path. With replace false, fails with -EEXIST rather than
 * replace an existing path (RENAME_NOREPLACE, or a hard link where the
 * file system has no such rename). Returns 0 or -errno. */
int rename_into_place(const char *tmp, const char *path, bool replace);
/* Writes all of buf to fd, again after a short write or EINTR. Returns 0
 * or -errno. */
int write_full(int fd, const void *buf, size_t len);
