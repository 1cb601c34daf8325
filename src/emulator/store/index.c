/* SPDX-License-Identifier: MIT */
/*
 * Secondary indexes of the store's collections (index.h): a hash table of
 * buckets by key, each bucket a sorted array of sequence numbers.
 */
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "emulator/store/index.h"

#define INDEX_CAP_MIN 64

/* FNV-1a: keys are ids, short and already random enough. */
static size_t key_hash(const char *key)
{
	uint64_t h = 14695981039346656037ull;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return (size_t)h;
}

/* The slot key is in, or the empty slot where it would go. */
static size_t index_slot(const struct emu_bucket *const *slots, size_t cap, const char *key)
{
	size_t i = key_hash(key) & (cap - 1);

	while (slots[i] && strcmp(slots[i]->key, key) != 0)
		i = (i + 1) & (cap - 1);
	return i;
}

struct emu_bucket *emu_index_find(const struct emu_index *ix, const char *key)
{
	if (!ix->cap)
		return NULL;
	return ix->slots[index_slot((const struct emu_bucket *const *)ix->slots, ix->cap, key)];
}

/* Doubles the table (buckets stay where they are in memory). */
static void index_grow(struct emu_index *ix)
{
	size_t cap = ix->cap ? 2 * ix->cap : INDEX_CAP_MIN;
	struct emu_bucket **slots = xcalloc(cap, sizeof(*slots));

	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slots[i])
			slots[index_slot((const struct emu_bucket *const *)slots, cap,
					 ix->slots[i]->key)] = ix->slots[i];
	free(ix->slots);
	ix->slots = slots;
	ix->cap = cap;
}

struct emu_bucket *emu_index_bucket(struct emu_index *ix, const char *key)
{
	struct emu_bucket *b = emu_index_find(ix, key);
	size_t i;

	if (b)
		return b;
	if (2 * (ix->used + 1) > ix->cap) /* at most half full: probes stay short */
		index_grow(ix);
	i = index_slot((const struct emu_bucket *const *)ix->slots, ix->cap, key);
	b = xcalloc(1, sizeof(*b));
	b->key = xstrdup(key);
	ix->used++;
	return ix->slots[i] = b;
}

void emu_index_clear(struct emu_index *ix)
{
	for (size_t i = 0; i < ix->cap; i++)
		if (ix->slots[i]) {
			free(ix->slots[i]->seqs);
			free(ix->slots[i]->key);
			free(ix->slots[i]);
		}
	free(ix->slots);
	*ix = (struct emu_index){ 0 };
}

size_t emu_bucket_lower_bound(const struct emu_bucket *b, uint64_t seq)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (b->seqs[mid] < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void emu_bucket_add(struct emu_bucket *b, uint64_t seq)
{
	size_t pos = b->n && b->seqs[b->n - 1] > seq ? emu_bucket_lower_bound(b, seq) : b->n;

	if (pos < b->n && b->seqs[pos] == seq)
		return;
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 8;
		b->seqs = xrealloc(b->seqs, b->cap * sizeof(*b->seqs));
	}
	memmove(b->seqs + pos + 1, b->seqs + pos, (b->n - pos) * sizeof(*b->seqs));
	b->seqs[pos] = seq;
	b->n++;
}

void emu_bucket_remove(struct emu_bucket *b, uint64_t seq)
{
	size_t pos = emu_bucket_lower_bound(b, seq);

	if (pos == b->n || b->seqs[pos] != seq)
		return;
	memmove(b->seqs + pos, b->seqs + pos + 1, (b->n - pos - 1) * sizeof(*b->seqs));
	b->n--;
}
