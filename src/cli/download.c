/* SPDX-License-Identifier: MIT */
#include "cli/download.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/status.h"
#include "core/fs.h"
#include "core/util.h"

bool download_name_is_safe(const char *name)
{
	if (!name[0] || name[0] == '.' || strlen(name) > NAME_MAX)
		return false;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f)
			return false;
	return true;
}

char *url_last_segment(const char *url)
{
	size_t end = strcspn(url, "?#");
	size_t start = end;

	while (start > 0 && url[start - 1] != '/')
		start--;
	return xstrndup(url + start, end - start);
}

/* The directory part of path, for messages and the temporary file. */
static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	return xstrndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* md5: hash the file's MD5 as well, for a check's expect_md5. */
static int open_hashed(struct download *d, const char *path, bool md5)
{
	_cleanup_free_ char *dir = dir_of(path);
	mode_t mask;

	memset(d, 0, sizeof(*d));
	d->tmp = xasprintf("%s/.smile-download-XXXXXX", dir);
	d->fd = mkostemp(d->tmp, O_CLOEXEC);
	if (d->fd < 0) {
		int r = log_status(SMILE_EXIT_FAILURE, "cannot create a file in '%s': %s", dir, strerror(errno));
		free(d->tmp);
		d->tmp = NULL;
		return r;
	}
	/* mkstemp makes 0600; a downloaded file gets the usual mode. */
	mask = umask(0);
	umask(mask);
	(void)fchmod(d->fd, 0666 & ~mask);
	if (md5)
		digest_init(&d->digest);
	else
		digest_init_sha256(&d->digest);
	d->sink = digest_fdopen(d->fd, &d->digest);
	if (!d->sink) {
		int r = log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", d->tmp, strerror(errno));
		download_abort(d);
		return r;
	}
	d->path = xstrdup(path);
	return 0;
}

int download_open(struct download *d, const char *path)
{
	return open_hashed(d, path, false);
}

static void download_release(struct download *d)
{
	if (d->sink)
		fclose(d->sink);
	if (d->fd >= 0)
		close(d->fd);
	if (d->tmp)
		unlink(d->tmp);
	digest_release(&d->digest);
	free(d->tmp);
	free(d->path);
	d->sink = NULL;
	d->fd = -1;
	d->tmp = d->path = NULL;
}

void download_abort(struct download *d)
{
	download_release(d);
}

/* ---- fsyncs off the caller's thread ---- */

struct sync_file {
	int fd;
	char *path; /* for the message when its fsync fails */
};

struct download_sync {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t thread;
	bool threaded, closing;
	struct sync_file *files;
	size_t n_files, next;
	char **dirs;       /* a file of each directory to fsync (deduplicated) */
	size_t n_dirs;
	int err;           /* the first failure, -errno */
	char *failed;      /* what it was of */
};

static void sync_note(struct download_sync *s, int e, const char *path)
{
	if (e && !s->err) {
		s->err = e;
		s->failed = xstrdup(path);
	}
}

static int fsync_close(int fd)
{
	int e = fsync(fd) < 0 ? -errno : 0;

	if (close(fd) < 0 && !e)
		e = -errno;
	return e;
}

/* The directories go last, after every file in them is on disk. */
static void sync_dirs(struct download_sync *s)
{
	for (size_t i = 0; i < s->n_dirs; i++)
		sync_note(s, fsync_parent_dir(s->dirs[i]), s->dirs[i]);
}

static void *sync_worker(void *arg)
{
	struct download_sync *s = arg;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (s->next == s->n_files && !s->closing)
			pthread_cond_wait(&s->more, &s->lock);
		if (s->next == s->n_files)
			break;
		struct sync_file f = s->files[s->next++];
		pthread_mutex_unlock(&s->lock);
		int e = fsync_close(f.fd);
		pthread_mutex_lock(&s->lock);
		sync_note(s, e, f.path);
		free(f.path);
	}
	pthread_mutex_unlock(&s->lock);
	/* closing: the caller adds nothing more, dirs is ours to read. */
	sync_dirs(s);
	return NULL;
}

struct download_sync *download_sync_new(void)
{
	struct download_sync *s = xcalloc(1, sizeof(*s));

	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->more, NULL);
	/* Without a thread the fsyncs are done inline: slower, as durable. */
	s->threaded = pthread_create(&s->thread, NULL, sync_worker, s) == 0;
	return s;
}

/* Takes fd: fsynced and closed by the batch. */
static void sync_add_file(struct download_sync *s, int fd, const char *path)
{
	if (!s->threaded)
		return sync_note(s, fsync_close(fd), path);
	pthread_mutex_lock(&s->lock);
	s->files = xrealloc(s->files, (s->n_files + 1) * sizeof(*s->files));
	s->files[s->n_files++] = (struct sync_file){ fd, xstrdup(path) };
	pthread_cond_signal(&s->more);
	pthread_mutex_unlock(&s->lock);
}

void download_sync_dir_of(struct download_sync *s, const char *path)
{
	_cleanup_free_ char *dir = dir_of(path);

	for (size_t i = 0; i < s->n_dirs; i++) {
		_cleanup_free_ char *have = dir_of(s->dirs[i]);
		if (strcmp(have, dir) == 0)
			return;
	}
	/* Only the caller's thread touches dirs until download_sync_wait. */
	s->dirs = xrealloc(s->dirs, (s->n_dirs + 1) * sizeof(*s->dirs));
	s->dirs[s->n_dirs++] = xstrdup(path);
}

int download_sync_wait(struct download_sync *s)
{
	int r = 0;

	if (s->threaded) {
		pthread_mutex_lock(&s->lock);
		s->closing = true;
		pthread_cond_signal(&s->more);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
	} else {
		sync_dirs(s);
	}
	if (s->err)
		r = log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", s->failed, strerror(-s->err));
	for (size_t i = 0; i < s->n_dirs; i++)
		free(s->dirs[i]);
	free(s->dirs);
	free(s->files);
	free(s->failed);
	pthread_cond_destroy(&s->more);
	pthread_mutex_destroy(&s->lock);
	free(s);
	return r;
}

/* ---- commit ---- */

/* Every byte written reaches the file (the kernel), and the digest ends;
 * with sync, the bytes are on disk before the name points at them. */
static int flush_file(struct download *d, bool sync)
{
	int r = fflush(d->sink) != 0 ? -errno : 0;

	if (fclose(d->sink) != 0 && !r)
		r = -errno;
	d->sink = NULL;
	if (!r && sync) {
		r = fsync_close(d->fd);
		d->fd = -1;
	}
	if (!r)
		digest_final(&d->digest, &d->hex);
	return r;
}

/* With later, d's file and directory go to later to fsync; else both are
 * fsynced here, the file before its rename. */
static int commit(struct download *d, const struct download_check *check, struct download_sync *later)
{
	static const struct download_check none = { 0 };
	int r, e;

	if (!check)
		check = &none;
	e = flush_file(d, !later);
	if (e) {
		r = log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", d->path, strerror(-e));
		goto out;
	}
	if (check->expect_md5 && strcasecmp(check->expect_md5, d->hex.md5) != 0) {
		r = log_status(SMILE_EXIT_FAILURE,
			       "'%s' is damaged: its md5 is %s, the server said %.32s; not kept",
			       d->path, d->hex.md5, check->expect_md5);
		goto out;
	}
	e = rename_into_place(d->tmp, d->path, check->replace);
	if (e == -EEXIST) {
		r = log_status(SMILE_EXIT_FAILURE, "'%s' already exists (use --clobber to overwrite)", d->path);
		goto out;
	}
	if (!e && later) {
		sync_add_file(later, d->fd, d->path);
		d->fd = -1;
		download_sync_dir_of(later, d->path);
	} else if (!e) {
		e = fsync_parent_dir(d->path);
	}
	r = e ? log_status(SMILE_EXIT_FAILURE, "cannot write '%s': %s", d->path, strerror(-e)) : 0;
out:
	if (r == 0) {
		free(d->tmp); /* renamed: nothing to unlink */
		d->tmp = NULL;
	}
	download_release(d);
	return r;
}

int download_commit(struct download *d, const struct download_check *check)
{
	return commit(d, check, NULL);
}

int download_commit_later(struct download *d, const struct download_check *check, struct download_sync *s)
{
	return commit(d, check, s);
}

int download_file(struct http_client *http, const char *url, const char *path,
		  const struct download_check *check, struct digest_hex *hex)
{
	struct http_response resp = { 0 };
	struct download d;
	int r = open_hashed(&d, path, check && check->expect_md5);

	if (r)
		return r;
	struct http_request req = { .method = "GET", .path = url, .sink = d.sink };
	r = cli_send(http, &req, &resp);
	bool dry_run = resp.dry_run;
	http_response_clear(&resp);
	if (r) {
		_cleanup_free_ char *name = url_last_segment(path);
		log_error("cannot download '%s'", name);
		download_abort(&d);
		return r;
	}
	if (dry_run) {
		download_abort(&d);
		return 0;
	}
	r = download_commit(&d, check);
	if (r == 0 && hex)
		*hex = d.hex;
	return r;
}

int download_dir_ready(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (S_ISDIR(st.st_mode))
			return 0;
		return log_status(SMILE_EXIT_USAGE, "'%s' is not a directory", dir);
	}
	/* mkdir -p: the "/." makes dir itself the last directory to create. */
	_cleanup_free_ char *inside = xasprintf("%s/.", dir);
	int e = errno == ENOENT ? mkdir_parents(inside, 0777) : -errno;
	if (e == 0)
		return 0;
	return log_status(SMILE_EXIT_FAILURE, "cannot use directory '%s': %s", dir, strerror(-e));
}
