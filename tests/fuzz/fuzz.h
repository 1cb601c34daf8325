/* SPDX-License-Identifier: MIT */
/*
 * What the libFuzzer harnesses share: splitting one input into parts, a
 * scratch directory for the code that reads and writes files, and the
 * oracles that say an output is acceptable (valid UTF-8, valid JSON).
 * The oracles are written here, apart from the code under test, so that a
 * bug in smile's own UTF-8 or JSON code cannot hide itself.
 *
 * A property that does not hold is a finding: fuzz_fail() prints what was
 * expected and aborts, and libFuzzer saves the input.
 */
#pragma once

#include <fcntl.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* stderr as it was at start: tests/fuzz/run passes -close_fd_mask=3, which
 * silences smile's own messages, and a failed property must still be told. */
static int fuzz_stderr = 2;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	int fd = dup(2);
	if (fd >= 0)
		fuzz_stderr = fd;
	return 0;
}

#define fuzz_fail(...)                                                                        \
	do {                                                                                  \
		dprintf(fuzz_stderr, "fuzz property failed (%s:%d): ", __FILE__, __LINE__); \
		dprintf(fuzz_stderr, __VA_ARGS__);                                            \
		dprintf(fuzz_stderr, "\n");                                                   \
		abort();                                                                      \
	} while (0)
#define fuzz_assert(cond, ...)                  \
	do {                                    \
		if (!(cond))                    \
			fuzz_fail(__VA_ARGS__); \
	} while (0)

/* The input as parts: each fuzz_part() takes the bytes up to the next NUL
 * (or the end), so a seed is written as "part1\0part2\0rest". */
struct fuzz_input {
	const uint8_t *p;
	size_t n;
};

/* The next part, as an allocated NUL-terminated string; *len its length. */
static inline char *fuzz_part(struct fuzz_input *in, size_t *len)
{
	const uint8_t *nul = memchr(in->p, 0, in->n);
	size_t n = nul ? (size_t)(nul - in->p) : in->n;
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, in->p, n);
	s[n] = '\0';
	in->p += n + (nul != NULL);
	in->n -= n + (nul != NULL);
	if (len)
		*len = n;
	return s;
}

/* The next byte, 0 at the end. */
static inline uint8_t fuzz_byte(struct fuzz_input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

/* A private scratch directory, on tmpfs when there is one (journals and
 * config files are fsync'ed; on tmpfs that costs nothing). Made once per
 * process, removed at exit. */
static char fuzz_dir_path[64];

static inline void fuzz_remove_dir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fuzz_dir_path);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", fuzz_dir_path);
}

static inline const char *fuzz_dir(void)
{
	if (fuzz_dir_path[0])
		return fuzz_dir_path;
	struct stat st;
	const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
	snprintf(fuzz_dir_path, sizeof(fuzz_dir_path), "%s/smile-fuzz-XXXXXX", base);
	if (!mkdtemp(fuzz_dir_path))
		abort();
	atexit(fuzz_remove_dir);
	return fuzz_dir_path;
}

/* dir/name, in a static buffer. */
static inline const char *fuzz_path(const char *name)
{
	static char path[128];
	snprintf(path, sizeof(path), "%s/%s", fuzz_dir(), name);
	return path;
}

/* Writes data to a fresh file, mode 0600 (config and journal files must be). */
static inline void fuzz_write_file(const char *path, const void *data, size_t len)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	const char *p = data;
	while (len) {
		ssize_t n = write(fd, p, len);
		if (n <= 0)
			abort();
		p += n;
		len -= (size_t)n;
	}
	close(fd);
}

/*
 * Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
 * U+10FFFF. Returns the offset of the first bad byte, or len when valid.
 */
static inline size_t fuzz_utf8_bad_offset(const char *text, size_t len)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0;
	while (i < len) {
		unsigned c = s[i];
		size_t n;
		unsigned min, cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 2, min = 0x80, cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 3, min = 0x800, cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 4, min = 0x10000, cp = c & 0x07;
		} else {
			return i;
		}
		if (i + n > len)
			return i;
		for (size_t k = 1; k < n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n;
	}
	return len;
}

/*
 * How many bytes at s (len > 0 left) one U+FFFD stands for when they do not
 * start a valid sequence: the longest start of one that could still have
 * been valid (Unicode's "maximal subpart"), at least 1. 0 when s starts a
 * valid sequence.
 */
static inline size_t fuzz_utf8_bad_run(const unsigned char *s, size_t len)
{
	unsigned c = s[0];
	size_t need;
	unsigned lo = 0x80, hi = 0xbf; /* the range of the second byte */
	if (c < 0x80)
		return 0;
	if (c >= 0xc2 && c <= 0xdf)
		need = 2;
	else if (c >= 0xe0 && c <= 0xef)
		need = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 1;
	size_t k = 1;
	for (; k < need && k < len; k++) {
		unsigned b = s[k];
		if (k == 1 ? b < lo || b > hi : (b & 0xc0) != 0x80)
			return k;
	}
	return k == need ? 0 : k;
}

/* s with every bad run replaced by U+FFFD and each NUL by the two
 * characters \0 when nul_visible: the text rule of smile's writers. */
static inline char *fuzz_expected_text(const char *text, size_t len, bool nul_visible)
{
	const unsigned char *s = (const unsigned char *)text;
	char *out = malloc(3 * len + 1), *o = out;
	if (!out)
		abort();
	for (size_t i = 0; i < len;) {
		size_t bad = fuzz_utf8_bad_run(s + i, len - i);
		if (bad) {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			i += bad;
		} else if (!s[i] && nul_visible) {
			*o++ = '\\';
			*o++ = '0';
			i++;
		} else {
			size_t n = s[i] < 0x80 ? 1 : s[i] < 0xe0 ? 2 : s[i] < 0xf0 ? 3 : 4;
			memcpy(o, s + i, n);
			o += n;
			i += n;
		}
	}
	*o = '\0';
	return out;
}

static inline void fuzz_assert_utf8(const char *what, const char *text, size_t len)
{
	size_t bad = fuzz_utf8_bad_offset(text, len);
	fuzz_assert(bad == len, "%s is not valid UTF-8 at byte %zu of %zu", what, bad, len);
}

/* Whether text is one JSON text, strictly (RFC 8259, as json-c's strict
 * mode reads it); *out gets the value (to put; NULL for null). */
static inline bool fuzz_json_strict(const char *text, size_t len, json_object **out)
{
	/* With its NUL, so that a number or literal at the end is complete. */
	char *copy = malloc(len + 1);
	if (!copy)
		abort();
	memcpy(copy, text, len);
	copy[len] = '\0';
	json_tokener *tok = json_tokener_new_ex(1000);
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	json_object *v = json_tokener_parse_ex(tok, copy, (int)len + 1);
	bool ok = json_tokener_get_error(tok) == json_tokener_success &&
		  json_tokener_get_parse_end(tok) >= len && !memchr(text, '\0', len);
	json_tokener_free(tok);
	free(copy);
	if (!ok) {
		json_object_put(v);
		v = NULL;
	}
	*out = v;
	return ok;
}

/* A message meant for one line of stderr: not empty, no line break. */
static inline void fuzz_assert_one_line(const char *what, const char *msg)
{
	fuzz_assert(msg && *msg, "%s: no message", what);
	fuzz_assert(!strpbrk(msg, "\r\n"), "%s: message is more than one line: %s", what, msg);
}
