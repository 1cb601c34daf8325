/* SPDX-License-Identifier: MIT */
/*
 * A secondary index of one collection (store.c): a string key (an item's
 * userId, its sourceId) -> the sequence numbers of the items that have it,
 * ascending, i.e. in the collection's insertion order. A list filtered by
 * that key then walks only those items, however big the collection is,
 * and pages exactly as a walk over the whole collection would.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The items of one key. Buckets live as long as their index (an emptied
 * one stays, so that items may point at theirs). */
struct emu_bucket {
	char *key;
	uint64_t *seqs; /* ascending */
	size_t n, cap;
};

struct emu_index {
	struct emu_bucket **slots; /* open addressing, cap a power of two */
	size_t cap, used;
};

/* The bucket of key, or NULL when there is none. */
struct emu_bucket *emu_index_find(const struct emu_index *ix, const char *key);
/* The bucket of key, made empty on first use. */
struct emu_bucket *emu_index_bucket(struct emu_index *ix, const char *key);
/* Frees every bucket; ix is empty and usable afterwards. */
void emu_index_clear(struct emu_index *ix);

/* Adds seq in order (a new item's, the largest yet, goes to the end). */
void emu_bucket_add(struct emu_bucket *b, uint64_t seq);
/* Takes seq out, when it is there. */
void emu_bucket_remove(struct emu_bucket *b, uint64_t seq);
/* Position of the first seq >= seq (b->n when none). */
size_t emu_bucket_lower_bound(const struct emu_bucket *b, uint64_t seq);
