/* SPDX-License-Identifier: MIT */
#include "core/util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/fs.h"
#include "core/hash.h"

const char *smile_progname = "smile";

static void vlog(const char *level, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;

	/* One write per message, so lines from threads never interleave. */
	strbuf_addf(&sb, "%s: %s", smile_progname, level);
	strbuf_vaddf(&sb, fmt, ap);
	strbuf_addch(&sb, '\n');
	fwrite(sb.buf, 1, sb.len, stderr);
	fflush(stderr);
	strbuf_release(&sb);
}

void log_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}

int log_status(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
	return status;
}

void strbuf_grow(struct strbuf *sb, size_t extra)
{
	size_t need = sb->len + extra + 1;
	if (need <= sb->alloc)
		return;
	size_t alloc = sb->alloc ? sb->alloc : 64;
	while (alloc < need)
		alloc *= 2;
	sb->buf = xrealloc(sb->buf, alloc);
	sb->alloc = alloc;
}

void strbuf_add(struct strbuf *sb, const void *data, size_t len)
{
	strbuf_grow(sb, len);
	if (len)
		memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addch(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
{
	va_list copy;
	/* Try the room we have first; most messages fit without a second pass. */
	strbuf_grow(sb, 64);
	size_t room = sb->alloc - sb->len;
	va_copy(copy, ap);
	int n = vsnprintf(sb->buf + sb->len, room, fmt, copy);
	va_end(copy);
	if (n < 0) {
		sb->buf[sb->len] = '\0';
		return;
	}
	if ((size_t)n >= room) {
		strbuf_grow(sb, (size_t)n);
		vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	}
	sb->len += (size_t)n;
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(sb, fmt, ap);
	va_end(ap);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	if (sb->buf)
		sb->buf[0] = '\0';
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
	return s;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->alloc = 0;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool str_ends_with(const char *s, const char *suffix)
{
	size_t ls = strlen(s), lx = strlen(suffix);
	return ls >= lx && strcmp(s + ls - lx, suffix) == 0;
}

bool str_is_email(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || dot[1] == '\0')
		return false;
	for (const char *p = s; *p; p++)
		if (isspace((unsigned char)*p) || iscntrl((unsigned char)*p))
			return false;
	return true;
}

static size_t str_hash(const char *s)
{
	return (size_t)fnv1a_str(s);
}

bool strset_add(struct strset *set, const char *s)
{
	if (2 * (set->n + 1) > set->cap) {
		struct strset bigger = { NULL, set->n, set->cap ? 2 * set->cap : 16 };
		bigger.slots = xcalloc(bigger.cap, sizeof(*bigger.slots));
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->slots[i])
				continue;
			size_t k = str_hash(set->slots[i]) & (bigger.cap - 1);
			while (bigger.slots[k])
				k = (k + 1) & (bigger.cap - 1);
			bigger.slots[k] = set->slots[i];
		}
		free(set->slots);
		*set = bigger;
	}
	size_t k = str_hash(s) & (set->cap - 1);
	for (; set->slots[k]; k = (k + 1) & (set->cap - 1))
		if (!strcmp(set->slots[k], s))
			return false;
	set->slots[k] = xstrdup(s);
	set->n++;
	return true;
}

bool strset_contains(const struct strset *set, const char *s)
{
	if (!set || !set->cap)
		return false;
	for (size_t k = str_hash(s) & (set->cap - 1); set->slots[k]; k = (k + 1) & (set->cap - 1))
		if (!strcmp(set->slots[k], s))
			return true;
	return false;
}

void strset_release(struct strset *set)
{
	for (size_t i = 0; i < set->cap; i++)
		free(set->slots[i]);
	free(set->slots);
	*set = (struct strset)STRSET_INIT;
}

size_t utf8_length(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		if (((unsigned char)*s & 0xC0) != 0x80)
			n++;
	return n;
}

size_t str_levenshtein(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t *row = xcalloc(lb + 1, sizeof(*row));

	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	size_t d = row[lb];
	free(row);
	return d;
}

int read_file_all(const char *path, size_t max, char **out, size_t *len)
{
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	struct strbuf sb = STRBUF_INIT;

	if (fd < 0)
		return -errno;
	for (;;) {
		strbuf_grow(&sb, 65536);
		sb.buf[sb.len] = '\0'; /* an empty file still reads as "" */
		ssize_t n = read(fd, sb.buf + sb.len, 65536);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int r = -errno;
			if (fd != STDIN_FILENO)
				close(fd);
			strbuf_release(&sb);
			return r;
		}
		if (n == 0)
			break;
		sb.len += (size_t)n;
		sb.buf[sb.len] = '\0';
		if (sb.len > max) {
			if (fd != STDIN_FILENO)
				close(fd);
			strbuf_release(&sb);
			return -EFBIG;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (len)
		*len = sb.len;
	*out = strbuf_detach(&sb);
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);
	int r = 0;

	if (fd < 0) {
		r = -errno;
		free(tmp);
		return r;
	}
	if (fchmod(fd, mode) < 0)
		r = -errno;
	const char *p = data;
	size_t left = len;
	while (!r && left) {
		ssize_t n = write(fd, p, left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		p += n;
		left -= (size_t)n;
	}
	if (!r && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		unlink(tmp);
	else
		r = fsync_parent_dir(path); /* the rename itself must survive a crash */
	free(tmp);
	return r;
}

double now_monotonic(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
