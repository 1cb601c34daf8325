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

/*
 * Where FNV-1a is not enough:
 *   - hash_sha256_u64: stable everywhere and forever and well spread, for
 *     decisions several machines must agree on (invites send --shard);
 *   - hash_hmac_sha256_hex: a one-way name derived from a secret (the
 *     tenant an invite journal belongs to), so that files and their names
 *     never carry the secret itself.
 */
/* The first 8 bytes of SHA-256(data), big-endian. */
uint64_t hash_sha256_u64(const void *data, size_t len);
/* Lowercase hex of HMAC-SHA256(key, msg): 64 digits and a NUL in out. */
void hash_hmac_sha256_hex(const void *key, size_t key_len, const char *msg, char out[65]);
