/* SPDX-License-Identifier: MIT */
/*
 * The one string hash: 64-bit FNV-1a. Fast, good enough for hash tables and
 * for naming files from their content (journals), and stable across runs
 * and machines, which a seeded hash would not be. Not for anything an
 * attacker must not be able to collide.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define FNV1A_INIT UINT64_C(14695981039346656037)

/* h updated with len bytes of data; start from FNV1A_INIT. */
uint64_t fnv1a_add(uint64_t h, const void *data, size_t len);

/* The hash of a NUL-terminated string. */
uint64_t fnv1a_str(const char *s);
