/* SPDX-License-Identifier: MIT */
/*
 * Small helpers every part of smile shares: exit statuses, messages,
 * allocation that cannot fail silently, and a growable string buffer.
 */
#pragma once

/* home_directory and state_directory lived here: src/cmd/invites/ still
 * finds them through this include until it includes core/xdg.h itself. */
#include "core/xdg.h"

#include "core/alloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

/* Documented exit statuses (smile(1), EXIT STATUS). Scripts rely on them. */
enum smile_exit {
	SMILE_EXIT_OK = 0,
	SMILE_EXIT_FAILURE = 1,      /* anything not listed below */
	SMILE_EXIT_USAGE = 2,        /* bad command line or bad input value */
	SMILE_EXIT_AUTH = 3,         /* 401, 403 */
	SMILE_EXIT_NOT_FOUND = 4,    /* 404 */
	SMILE_EXIT_RATE_LIMITED = 5, /* 429 after retries */
	SMILE_EXIT_SERVER = 6,       /* 5xx after retries */
	SMILE_EXIT_NETWORK = 7,      /* connection, TLS, timeout */
	SMILE_EXIT_PARTIAL = 8,      /* some items of a bulk command failed */
	SMILE_EXIT_INTERRUPTED = 130 /* SIGINT, as shells report it */
};

/* Program name used as message prefix ("smile" or "smile-emulator"). */
extern const char *smile_progname;

/* "smile: <message>" on stderr. Messages: lowercase, no full stop. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Logs the message and returns status, for `return log_usage(...)`. */
int log_status(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));


/* Growable NUL-terminated buffer, in the manner of git's strbuf. */
struct strbuf {
	char *buf;
	size_t len;
	size_t alloc;
};
#define STRBUF_INIT { NULL, 0, 0 }
void strbuf_grow(struct strbuf *sb, size_t extra);
void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap);
void strbuf_reset(struct strbuf *sb);
/* Hands the buffer to the caller (never NULL) and leaves sb empty. */
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

/* A set of strings (copies), hashed: paged walks remember the cursors they
 * sent, so a server that hands one back again cannot loop them forever. */
struct strset {
	char **slots;
	size_t n;
	size_t cap;
};
#define STRSET_INIT { NULL, 0, 0 }
/* Adds a copy of s: true when it was new, false when already there. */
bool strset_add(struct strset *set, const char *s);
/* Whether s is in the set (a NULL set holds nothing). */
bool strset_contains(const struct strset *set, const char *s);
void strset_release(struct strset *set);

bool str_starts_with(const char *s, const char *prefix);
bool str_ends_with(const char *s, const char *suffix);
/* An address as the API takes it: one @, a dot in the domain, no spaces
 * or control characters. Used by the --email flag and bulk input alike. */
bool str_is_email(const char *s);
/* Length in characters, counting a UTF-8 sequence once, as the API does. */
size_t utf8_length(const char *s);
/* Edit distance, for "did you mean" suggestions. */
size_t str_levenshtein(const char *a, const char *b);

/* Reads a whole file (or stdin for "-"); caps at max bytes. 0 or -errno. */
int read_file_all(const char *path, size_t max, char **out, size_t *len);
/* Writes data to path atomically: temporary file in the same directory,
 * fsync, rename. The file gets the given mode. 0 or -errno. */
int write_file_atomic(const char *path, const void *data, size_t len, unsigned mode);


/* Monotonic clock in seconds. */
double now_monotonic(void);
