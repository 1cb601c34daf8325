/* SPDX-License-Identifier: MIT */
/*
 * The emulator's store: named collections of JSON objects.
 *
 * Each collection keeps its objects in an array ordered by a sequence
 * number given at insertion, plus an id -> sequence index. Paging cursors
 * are sequence numbers, so a page is found by binary search however big the
 * collection grows. Removal leaves a hole that is compacted away once holes
 * make up half of the array.
 *
 * Two secondary indexes (index.h) map an item's userId and its sourceId to
 * the sequence numbers of the items that have it, so a list filtered by
 * user or account walks that user's or account's items only. They are kept
 * in step by put and remove, the only ways in and out of a collection.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "emulator/server.h"
#include "emulator/store/index.h"

#define PAGE_SIZE_DEFAULT 10
#define PAGE_SIZE_MAX 150

struct emu_item {
	uint64_t seq;
	json_object *obj; /* NULL once removed */
	struct emu_bucket *by_user, *by_source; /* its index entries, or NULL */
};

struct emu_coll {
	char *name;
	struct emu *emu;
	struct emu_item *items;
	size_t n, alloc, live;
	json_object *index; /* id -> seq, a json-c hash table */
	struct emu_index users, sources; /* item_user/item_source -> seqs */
	uint64_t next_seq;
};

static struct emu_coll *coll_new(struct emu *emu, const char *name)
{
	struct emu_coll *c = xcalloc(1, sizeof(*c));

	c->name = xstrdup(name);
	c->emu = emu;
	c->index = json_object_new_object();
	c->next_seq = 1;
	return c;
}

static void coll_free(struct emu_coll *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		json_object_put(c->items[i].obj);
	free(c->items);
	json_object_put(c->index);
	emu_index_clear(&c->users);
	emu_index_clear(&c->sources);
	free(c->name);
	free(c);
}

struct emu_coll *emu_store(struct emu *emu, const char *name)
{
	for (size_t i = 0; i < emu->n_colls; i++)
		if (strcmp(emu->colls[i]->name, name) == 0)
			return emu->colls[i];
	emu->colls = xrealloc(emu->colls, (emu->n_colls + 1) * sizeof(*emu->colls));
	return emu->colls[emu->n_colls++] = coll_new(emu, name);
}

void store_clear(struct emu *emu)
{
	for (size_t i = 0; i < emu->n_colls; i++)
		coll_free(emu->colls[i]);
	free(emu->colls);
	emu->colls = NULL;
	emu->n_colls = 0;
}

/* Position of the first item whose seq is >= seq (n when none). */
static size_t coll_lower_bound(const struct emu_coll *c, uint64_t seq)
{
	size_t lo = 0, hi = c->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->items[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct emu_item *coll_find(struct emu_coll *c, const char *id)
{
	json_object *seq_obj;
	size_t pos;

	if (!id || !json_object_object_get_ex(c->index, id, &seq_obj))
		return NULL;
	pos = coll_lower_bound(c, (uint64_t)json_object_get_int64(seq_obj));
	return pos < c->n ? &c->items[pos] : NULL;
}

/* The member at top level, else under "metadata". */
static const char *item_field(json_object *item, const char *key)
{
	const char *v = emu_json_str(item, key);
	json_object *meta;

	if (!v && json_object_object_get_ex(item, "metadata", &meta))
		v = emu_json_str(meta, key);
	return v;
}

/* What the userId and accountId/sourceId filters of a list compare. */
static const char *item_user(json_object *item)
{
	return item_field(item, "userId");
}

static const char *item_source(json_object *item)
{
	const char *v = item_field(item, "sourceId");

	return v ? v : item_field(item, "accountId");
}

static struct emu_bucket *index_add(struct emu_index *ix, const char *key, uint64_t seq)
{
	struct emu_bucket *b;

	if (!key)
		return NULL;
	b = emu_index_bucket(ix, key);
	emu_bucket_add(b, seq);
	return b;
}

static void coll_index(struct emu_coll *c, struct emu_item *it)
{
	it->by_user = index_add(&c->users, item_user(it->obj), it->seq);
	it->by_source = index_add(&c->sources, item_source(it->obj), it->seq);
}

static void coll_unindex(struct emu_item *it)
{
	if (it->by_user)
		emu_bucket_remove(it->by_user, it->seq);
	if (it->by_source)
		emu_bucket_remove(it->by_source, it->seq);
	it->by_user = it->by_source = NULL;
}

json_object *emu_coll_get(struct emu_coll *c, const char *id)
{
	struct emu_item *it = coll_find(c, id);

	return it ? it->obj : NULL;
}

void emu_coll_put(struct emu_coll *c, json_object *obj)
{
	const char *id = emu_json_str(obj, "id");
	struct emu_item *it;

	if (!id) {
		/* A programming error in a handler; keep running without it. */
		log_warn("object without an id not stored in %s", c->name);
		json_object_put(obj);
		return;
	}
	it = coll_find(c, id);
	if (it) {
		/* The new object may name another user or account. */
		coll_unindex(it);
		json_object_put(it->obj);
		it->obj = obj;
		coll_index(c, it);
		return;
	}
	if (c->n == c->alloc) {
		c->alloc = c->alloc ? 2 * c->alloc : 64;
		c->items = xrealloc(c->items, c->alloc * sizeof(*c->items));
	}
	it = &c->items[c->n++];
	*it = (struct emu_item){ .seq = c->next_seq, .obj = obj };
	coll_index(c, it);
	json_object_object_add(c->index, id, json_object_new_int64((int64_t)c->next_seq));
	c->next_seq++;
	c->live++;
}

/* Squeezes out removed items, keeping order and sequence numbers. */
static void coll_compact(struct emu_coll *c)
{
	size_t out = 0;

	for (size_t i = 0; i < c->n; i++)
		if (c->items[i].obj)
			c->items[out++] = c->items[i];
	c->n = out;
}

bool emu_coll_remove(struct emu_coll *c, const char *id)
{
	struct emu_item *it = coll_find(c, id);

	if (!it)
		return false;
	json_object_object_del(c->index, id); /* id points into obj: delete first */
	coll_unindex(it);
	json_object_put(it->obj);
	it->obj = NULL;
	c->live--;
	if (c->live < c->n / 2)
		coll_compact(c);
	return true;
}

size_t emu_coll_count(const struct emu_coll *c)
{
	return c->live;
}

/*
 * A walk over a collection's live items in order, from a sequence number
 * on: every item, or only those of one index bucket (none when the key has
 * no bucket). Callers may not remove items while walking.
 */
struct coll_walk {
	struct emu_coll *c;
	bool indexed;
	const struct emu_bucket *b; /* when indexed; NULL: no item has the key */
	size_t i;                   /* into b->seqs, else into c->items */
};

/* ix NULL: every item; else the items of key in ix. */
static struct coll_walk walk_from(struct emu_coll *c, const struct emu_index *ix, const char *key,
				  uint64_t seq)
{
	struct coll_walk w = { .c = c, .indexed = ix != NULL };

	if (!ix)
		w.i = coll_lower_bound(c, seq);
	else if ((w.b = emu_index_find(ix, key)))
		w.i = emu_bucket_lower_bound(w.b, seq);
	return w;
}

/* The next live item, or NULL at the end. */
static struct emu_item *walk_next(struct coll_walk *w)
{
	struct emu_coll *c = w->c;

	if (!w->indexed) {
		while (w->i < c->n && !c->items[w->i].obj)
			w->i++;
		return w->i < c->n ? &c->items[w->i++] : NULL;
	}
	while (w->b && w->i < w->b->n) {
		uint64_t seq = w->b->seqs[w->i++];
		size_t pos = coll_lower_bound(c, seq);
		/* Always found: an item leaves its buckets when it is removed. */
		if (pos < c->n && c->items[pos].seq == seq && c->items[pos].obj)
			return &c->items[pos];
	}
	return NULL;
}

static void walk_each(struct coll_walk w, emu_item_fn fn, void *ctx)
{
	struct emu_item *it;

	while ((it = walk_next(&w)))
		if (!fn(it->obj, ctx))
			return;
}

void emu_coll_each(struct emu_coll *c, emu_item_fn fn, void *ctx)
{
	walk_each(walk_from(c, NULL, NULL, 0), fn, ctx);
}

void emu_coll_each_of_user(struct emu_coll *c, const char *user_id, emu_item_fn fn, void *ctx)
{
	walk_each(walk_from(c, user_id ? &c->users : NULL, user_id, 0), fn, ctx);
}

void emu_coll_each_of_source(struct emu_coll *c, const char *source_id, emu_item_fn fn,
			     void *ctx)
{
	walk_each(walk_from(c, source_id ? &c->sources : NULL, source_id, 0), fn, ctx);
}

json_object *emu_get_or_404(struct emu_response *res, struct emu_coll *c, const char *what,
			    const char *id)
{
	json_object *obj = emu_coll_get(c, id);

	if (!obj)
		emu_not_found(res, what, id);
	return obj;
}

void emu_reply_found(struct emu_response *res, struct emu_coll *c, const char *what,
		     const char *id)
{
	json_object *obj = emu_get_or_404(res, c, what, id);

	if (obj)
		emu_reply(res, 200, emu_json_copy(obj));
}

/* ---- paging ------------------------------------------------------------ */

struct page_query {
	size_t size;
	uint64_t cursor;
	const char *user_id;
	const char *source_id;
	char start[11], end[11]; /* "" when not given */
	emu_filter_fn filter;
	void *ctx;
};

static bool is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	int month, day;

	if (strlen(s) != 10)
		return false;
	for (size_t i = 0; i < 10; i++)
		if (shape[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != '-')
			return false;
	month = atoi(s + 5);
	day = atoi(s + 8);
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

static bool parse_uint(const char *s, uint64_t *out)
{
	char *end;

	if (!*s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno == 0 && *end == '\0';
}

static bool read_date_param(struct emu_response *res, struct emu_request *req, const char *name,
			    char out[11])
{
	const char *v = emu_req_query(req, name);

	out[0] = '\0';
	if (!v)
		return true;
	if (!is_date(v)) {
		emu_bad_param(res, "%s must be a date as YYYY-MM-DD", name);
		return false;
	}
	memcpy(out, v, 11);
	return true;
}

/* Reads the parameters every list takes; answers 400 and returns false on a
 * bad one. max_cursor: the largest cursor that can have been handed out. */
static bool page_query_read(struct emu_response *res, struct emu_request *req,
			    uint64_t max_cursor, struct page_query *q)
{
	const char *size = emu_req_query(req, "size");
	const char *cursor = emu_req_query(req, "cursor");
	uint64_t n;

	q->size = PAGE_SIZE_DEFAULT;
	if (size) {
		if (!parse_uint(size, &n) || n < 1 || n > PAGE_SIZE_MAX) {
			emu_bad_param(res, "size must be an integer between 1 and %d", PAGE_SIZE_MAX);
			return false;
		}
		q->size = (size_t)n;
	}
	q->cursor = 0;
	if (cursor && *cursor) {
		if (!parse_uint(cursor, &q->cursor) || q->cursor > max_cursor) {
			emu_bad_param(res, "cursor '%s' is not valid", cursor);
			return false;
		}
	}
	q->user_id = emu_req_query(req, "userId");
	q->source_id = emu_req_query(req, "accountId");
	if (!q->source_id)
		q->source_id = emu_req_query(req, "sourceId");
	if (!read_date_param(res, req, "startDate", q->start) ||
	    !read_date_param(res, req, "endDate", q->end))
		return false;
	if (q->start[0] && q->end[0] && strcmp(q->start, q->end) > 0) {
		emu_bad_param(res, "startDate must not be after endDate");
		return false;
	}
	return true;
}

static bool matches_common(json_object *item, const struct page_query *q)
{
	if (q->user_id) {
		const char *v = item_user(item);
		if (!v || strcmp(v, q->user_id) != 0)
			return false;
	}
	if (q->source_id) {
		const char *v = item_source(item);
		if (!v || strcmp(v, q->source_id) != 0)
			return false;
	}
	if (q->start[0] || q->end[0]) {
		const char *created = item_field(item, "createdAt");
		if (!created || strlen(created) < 10)
			return false;
		if (q->start[0] && strncmp(created, q->start, 10) < 0)
			return false;
		if (q->end[0] && strncmp(created, q->end, 10) > 0)
			return false;
	}
	return true;
}

static bool page_keeps(json_object *item, const struct page_query *q)
{
	return item && matches_common(item, q) && (!q->filter || q->filter(item, q->ctx));
}

static json_object *page_data(json_object *items, const char *next_cursor)
{
	json_object *data = json_object_new_object();

	/* The spec types nextCursor as a non-nullable string that is not
	 * required, so the last page leaves it out rather than sending null. */
	if (next_cursor)
		json_object_object_add(data, "nextCursor", json_object_new_string(next_cursor));
	json_object_object_add(data, "items", items);
	return data;
}

/* The items a query can keep, from its cursor on: those of its user, else
 * of its account, else all (page_keeps still checks each). */
static struct coll_walk page_walk(struct emu_coll *c, const struct page_query *q)
{
	if (q->user_id)
		return walk_from(c, &c->users, q->user_id, q->cursor);
	if (q->source_id)
		return walk_from(c, &c->sources, q->source_id, q->cursor);
	return walk_from(c, NULL, NULL, q->cursor);
}

/* A page holds the first size kept items at or after the cursor; the next
 * cursor is the sequence number of the kept item after them. */
void emu_list_page(struct emu_response *res, struct emu_coll *c, struct emu_request *req,
		   emu_filter_fn filter, void *ctx)
{
	struct page_query q = { .filter = filter, .ctx = ctx };
	struct coll_walk w;
	struct emu_item *it;
	json_object *items;
	char next[24];
	bool more = false;

	if (!page_query_read(res, req, c->next_seq, &q))
		return;
	items = json_object_new_array();
	w = page_walk(c, &q);
	while ((it = walk_next(&w))) {
		json_object *copy = NULL;
		if (!page_keeps(it->obj, &q))
			continue;
		if (json_object_array_length(items) == q.size) {
			snprintf(next, sizeof(next), "%" PRIu64, it->seq);
			more = true;
			break;
		}
		json_object_deep_copy(it->obj, &copy, NULL);
		json_object_array_add(items, copy);
	}
	emu_reply(res, 200, page_data(items, more ? next : NULL));
}

void emu_list_page_array(struct emu_response *res, json_object *array, struct emu_request *req,
			 emu_filter_fn filter, void *ctx)
{
	size_t n = json_object_array_length(array), pos;
	struct page_query q = { .filter = filter, .ctx = ctx };
	json_object *items;
	char next[24];

	if (!page_query_read(res, req, n, &q))
		return;
	items = json_object_new_array();
	for (pos = q.cursor; pos < n && json_object_array_length(items) < q.size; pos++) {
		json_object *item = json_object_array_get_idx(array, pos);
		if (page_keeps(item, &q))
			json_object_array_add(items, json_object_get(item));
	}
	while (pos < n && !page_keeps(json_object_array_get_idx(array, pos), &q))
		pos++;
	snprintf(next, sizeof(next), "%zu", pos);
	emu_reply(res, 200, page_data(items, pos < n ? next : NULL));
}

/* ---- state dump -------------------------------------------------------- */

json_object *store_dump(struct emu *emu)
{
	json_object *colls = json_object_new_object();

	for (size_t i = 0; i < emu->n_colls; i++) {
		struct emu_coll *c = emu->colls[i];
		json_object *arr = json_object_new_array_ext((int)c->live);
		for (size_t k = 0; k < c->n; k++)
			if (c->items[k].obj)
				json_object_array_add(arr, json_object_get(c->items[k].obj));
		json_object_object_add(colls, c->name, arr);
	}
	return colls;
}

json_object *store_counts(struct emu *emu)
{
	json_object *counts = json_object_new_object();

	for (size_t i = 0; i < emu->n_colls; i++)
		json_object_object_add(counts, emu->colls[i]->name,
				       json_object_new_int64((int64_t)emu->colls[i]->live));
	return counts;
}

static bool dump_is_valid(json_object *dump)
{
	if (!json_object_is_type(dump, json_type_object))
		return false;
	json_object_object_foreach(dump, name, arr) {
		(void)name;
		if (!json_object_is_type(arr, json_type_array))
			return false;
		for (size_t i = 0; i < json_object_array_length(arr); i++)
			if (!emu_json_str(json_object_array_get_idx(arr, i), "id"))
				return false;
	}
	return true;
}

int store_load(struct emu *emu, json_object *dump)
{
	if (!dump_is_valid(dump))
		return -EINVAL;
	store_clear(emu);
	json_object_object_foreach(dump, name, arr) {
		struct emu_coll *c = emu_store(emu, name);
		for (size_t i = 0; i < json_object_array_length(arr); i++)
			emu_coll_put(c, json_object_get(json_object_array_get_idx(arr, i)));
	}
	return 0;
}

/* ---- generic handlers --------------------------------------------------- */

/* "/identities/x" -> "identities" (malloc'd). */
static char *collection_of_path(const char *path)
{
	path += *path == '/';
	return xstrndup(path, strcspn(path, "/"));
}

void emu_handle_list(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	_cleanup_free_ char *name = collection_of_path(emu_req_path(req));

	emu_list_page(res, emu_store(emu, name), req, NULL, NULL);
}

void emu_handle_get(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	_cleanup_free_ char *name = collection_of_path(emu_req_path(req));
	const char *id = emu_req_capture(req, "id");
	json_object *obj = emu_get_or_404(res, emu_store(emu, name), name, id);

	if (obj)
		emu_reply(res, 200, json_object_get(obj));
}
