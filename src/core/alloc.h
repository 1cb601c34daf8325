/* SPDX-License-Identifier: MIT */
/*
 * Allocation that cannot fail silently, and freeing by scope. The lowest
 * layer of src/core/: it includes nothing of smile's, so every other
 * helper (fs, xdg, util) can build on it without a cycle.
 */
#pragma once

#include <stddef.h>
#include <stdlib.h>

/* Abort with a message on out-of-memory: there is no sane recovery. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* free() through a pointer, for __attribute__((cleanup)). */
static inline void freep(void *p) { free(*(void **)p); }
#define _cleanup_free_ __attribute__((cleanup(freep)))
static inline void *take_ptr_(void **p) { void *v = *p; *p = NULL; return v; }
#define TAKE_PTR(p) take_ptr_((void **)&(p))
