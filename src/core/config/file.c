/* SPDX-License-Identifier: MIT */
/*
 * The config file on disk: where it is, how messages name it, reading it
 * only when it is private (as ssh does a key), and the directories and
 * symlinks saving must respect.
 */
#include "core/config/internal.h"
#include "core/fs.h"

#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The path as messages show it: $HOME abbreviated to ~, as the user would
 * type it. */
char *config_display_path(const char *path)
{
	const char *home = getenv("HOME");
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

char *config_default_path(void)
{
	const char *env = getenv("SMILE_CONFIG");
	if (env && *env)
		return xstrdup(env);
	_cleanup_free_ char *dir = config_directory();
	return xasprintf("%s/config.yaml", dir);
}

static const char *permission_problem(mode_t mode)
{
	if (mode & (S_IRGRP | S_IROTH))
		return "readable by others";
	if (mode & (S_IWGRP | S_IWOTH))
		return "writable by others";
	return "accessible by others";
}

/* Reads the file through one descriptor, so the permission check and the
 * contents refer to the same file. */
int config_read_private_file(const char *path, char **text, size_t *len, char **err)
{
	_cleanup_free_ char *shown = config_display_path(path);
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int r = 0;

	/* O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait
	 * forever. Reads block again, so a pipe that has a writer, as
	 * --config <(command) gives, is read to its end. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		if (r != -ENOENT)
			*err = xasprintf("cannot open %s: %s", shown, strerror(-r));
		return r;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if (fstat(fd, &st) < 0) {
		r = -errno;
		*err = xasprintf("cannot read %s: %s", shown, strerror(-r));
	} else if (S_ISDIR(st.st_mode)) {
		r = -EISDIR;
		*err = xasprintf("config file %s is a directory", shown);
	} else if (S_ISREG(st.st_mode) && (st.st_mode & 077)) {
		/* Like ssh: a key others can read is a key others have. */
		r = -EPERM;
		*err = xasprintf("config file %s is %s; run: chmod 600 %s",
				 shown, permission_problem(st.st_mode), shown);
	}
	while (r == 0) {
		strbuf_grow(&sb, 8192);
		ssize_t n = read(fd, sb.buf + sb.len, 8192);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			*err = xasprintf("cannot read %s: %s", shown, strerror(-r));
		} else if (n == 0) {
			break;
		} else if ((sb.len += (size_t)n) > CONFIG_MAX_BYTES) {
			r = -EFBIG;
			*err = xasprintf("config file %s is too large (over 1 MiB)", shown);
		}
	}
	close(fd);
	if (r < 0) {
		strbuf_release(&sb);
		return r;
	}
	*len = sb.len;
	*text = strbuf_detach(&sb);
	return 0;
}

/* mkdir -p for the file's directory; what we create is private (0700),
 * what already exists is left alone. */
int config_make_parent_dirs(const char *path, char **err)
{
	int r = mkdir_parents(path, 0700);
	if (r < 0) {
		_cleanup_free_ char *dir = xstrdup(path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		_cleanup_free_ char *shown = config_display_path(dir);
		*err = xasprintf("cannot create directory %s: %s", shown, strerror(-r));
	}
	return r;
}

/* Writes through a symlink (dotfile managers use them) instead of
 * replacing the link with a file. */
char *config_resolve_link(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *target = realpath(path, NULL);
		if (target)
			return target;
	}
	return xstrdup(path);
}
