/* SPDX-License-Identifier: MIT */
/*
 * The state file of smile apply: what each name of a manifest became.
 *
 * JSON Lines, appended and fdatasync'ed before an outcome counts as done.
 * The first line says whose state it is; then one event per line:
 *   {"smileApplyState":1,"id":"3f2a...","baseUrl":"http://127.0.0.1:8080/v1"}
 *   {"key":"hr","type":"invite-templates","event":"creating","spec":"{...}"}
 *   {"key":"hr","event":"created","id":"ivt-...","object":{...},"spec":"{...}"}
 * events: creating (written before the request goes out), created (and
 * updated: what the API returned), failed (certainly not created),
 * deleted. The last event of a key wins; a key whose last event is
 * "creating" may or may not exist, and is looked up before it is created
 * again. A torn last line (kill -9 in the middle of a write) is ignored.
 *
 * The file holds what the API returned, without the secrets it answered
 * (spec.c: a webhook's secret, a user's token), and bodies with their
 * secrets HMAC'ed; it is created with mode 0600, and locked against a
 * second run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/apply/apply.h"
#include "core/json.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/json_parse.h"
#include "core/util.h"

#define STATE_VERSION 1
#define MAX_STATE_BYTES (1024u * 1024 * 1024)

/* The index: open addressing over entry numbers + 1 (0: free), a power of
 * two at most half full, so that finding a key costs the same with a
 * thousand entries as with one. */
static size_t *index_slot(const struct apply_state *st, const char *key)
{
	size_t mask = st->index_cap - 1;

	for (size_t h = (size_t)fnv1a_str(key) & mask;; h = (h + 1) & mask) {
		size_t at = st->index[h];
		if (!at || !strcmp(st->entries[at - 1].key, key))
			return &st->index[h];
	}
}

static void index_grow(struct apply_state *st)
{
	free(st->index);
	st->index_cap = st->index_cap ? 2 * st->index_cap : 128;
	st->index = xcalloc(st->index_cap, sizeof(*st->index));
	for (size_t i = 0; i < st->n; i++)
		*index_slot(st, st->entries[i].key) = i + 1;
}

struct state_entry *state_get(struct apply_state *st, const char *key)
{
	if (!st->index_cap)
		return NULL;
	size_t at = *index_slot(st, key);
	return at ? &st->entries[at - 1] : NULL;
}

static struct state_entry *entry_for(struct apply_state *st, const char *key)
{
	struct state_entry *e = state_get(st, key);

	if (e)
		return e;
	if (st->n == st->cap) {
		st->cap = st->cap ? 2 * st->cap : 64;
		st->entries = xrealloc(st->entries, st->cap * sizeof(*st->entries));
	}
	if (2 * (st->n + 1) > st->index_cap)
		index_grow(st);
	e = &st->entries[st->n++];
	*e = (struct state_entry){ .key = xstrdup(key), .seq = st->next_seq++ };
	*index_slot(st, key) = st->n;
	return e;
}

static void replace(char **dst, const char *src)
{
	if (!src || src == *dst)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

static void apply_event(struct apply_state *st, const char *key, const char *type, const char *event,
			const char *id, json_object *object, const char *spec)
{
	struct state_entry *e = entry_for(st, key);

	replace(&e->type, type);
	if (!strcmp(event, "creating")) {
		e->phase = PHASE_CREATING;
		replace(&e->spec, spec);
	} else if (!strcmp(event, "created") || !strcmp(event, "updated")) {
		e->phase = PHASE_CREATED;
		replace(&e->id, id);
		replace(&e->spec, spec);
		if (object) {
			json_object_put(e->object);
			e->object = NULL; /* deep_copy refuses to overwrite */
			json_object_deep_copy(object, &e->object, NULL);
		}
	} else if (!strcmp(event, "failed")) {
		if (e->phase == PHASE_CREATING)
			e->phase = PHASE_NONE;
	} else if (!strcmp(event, "deleted")) {
		e->phase = PHASE_DELETED;
	}
}

/* One line: an event applied, the header read, or (torn, foreign) ignored. */
static int load_line(struct apply_state *st, const char *line, size_t len, bool first)
{
	/* Objects as the API returned them: big numbers keep their digits. */
	json_object *o = NULL;
	char *err = NULL;
	bool ok = json_parse(line, len, 256, &o, &err) == 0 && json_object_is_type(o, json_type_object);
	int r = 0;

	free(err);
	if (first) {
		json_object *v = NULL;
		if (!ok || !json_object_object_get_ex(o, "smileApplyState", &v) || !json_string_member(o, "id"))
			r = -EPROTO;
		else {
			st->id = xstrdup(json_string_member(o, "id"));
			st->base_url = json_string_member(o, "baseUrl") ? xstrdup(json_string_member(o, "baseUrl")) : NULL;
		}
	} else if (ok && json_string_member(o, "key") && json_string_member(o, "event")) {
		json_object *object = NULL;
		json_object_object_get_ex(o, "object", &object);
		apply_event(st, json_string_member(o, "key"), json_string_member(o, "type"), json_string_member(o, "event"), json_string_member(o, "id"), object,
			    json_string_member(o, "spec"));
	}
	json_object_put(o);
	return r;
}

static int load(struct apply_state *st, const char *text, size_t len)
{
	bool first = true;

	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		/* A line without its newline was cut by a crash mid-write. */
		if (!nl)
			break;
		if (end > pos) {
			int r = load_line(st, text + pos, end - pos, first);
			if (r)
				return r;
			first = false;
		}
		pos = end + 1;
	}
	return 0;
}

/* Written whole, then made durable. */
static int write_durably(int fd, const char *buf, size_t len)
{
	int r = write_full(fd, buf, len);
	return r ? r : fdatasync(fd) < 0 ? -errno : 0;
}

static int write_header(struct apply_state *st, const char *base_url)
{
	unsigned char raw[8];
	char hex[17];

	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
		return -EIO;
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	json_object *h = json_object_new_object();
	json_object_object_add(h, "smileApplyState", json_object_new_int(STATE_VERSION));
	json_object_object_add(h, "id", json_object_new_string(hex));
	json_object_object_add(h, "baseUrl", json_object_new_string(base_url));
	char *line = xasprintf("%s\n", json_compact(h));
	int r = write_durably(st->fd, line, strlen(line));
	free(line);
	json_object_put(h);
	if (!r) {
		st->id = xstrdup(hex);
		st->base_url = xstrdup(base_url);
	}
	return r;
}

static int open_locked(const char *path, bool read_only, int *fd_out)
{
	int fd, r = read_only ? 0 : mkdir_parents(path, 0700);

	if (r < 0)
		return r;
	fd = read_only ? open(path, O_RDONLY | O_CLOEXEC)
		       : open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	if (flock(fd, (read_only ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
		int e = errno == EWOULDBLOCK ? -EBUSY : -errno;
		close(fd);
		return e;
	}
	*fd_out = fd;
	return 0;
}

int state_open(const char *path, const char *base_url, bool read_only, struct apply_state *st)
{
	int fd = -1, r;
	char *text = NULL;
	size_t len = 0;

	*st = (struct apply_state){ .path = xstrdup(path), .fd = -1 };
	r = open_locked(path, read_only, &fd);
	if (r == -ENOENT && read_only)
		return 0; /* nothing applied yet */
	if (r == -EBUSY)
		return log_status(SMILE_EXIT_FAILURE, "the state file '%s' is in use by another smile apply", path);
	if (r < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot open the state file '%s': %s", path, strerror(-r));
	r = read_file_all(path, MAX_STATE_BYTES, &text, &len);
	if (r == 0)
		r = load(st, text, len);
	free(text);
	if (r == -EPROTO) {
		close(fd);
		return log_status(SMILE_EXIT_FAILURE, "'%s' is not a smile apply state file; it is left as it is",
				  path);
	}
	if (r < 0) {
		close(fd);
		return log_status(SMILE_EXIT_FAILURE, "cannot read the state file '%s': %s", path, strerror(-r));
	}
	struct stat sb;
	if (fstat(fd, &sb) == 0)
		st->written = sb.st_mtim;
	if (read_only)
		close(fd);
	else
		st->fd = fd;
	if (st->base_url && strcmp(st->base_url, base_url))
		return log_status(SMILE_EXIT_FAILURE,
				  "the state file '%s' holds objects of %s, not of %s: use --state for another",
				  path, st->base_url, base_url);
	if (!st->id && !read_only && (r = write_header(st, base_url)) < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot write the state file '%s': %s", path, strerror(-r));
	return 0;
}

void state_close(struct apply_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		struct state_entry *e = &st->entries[i];
		free(e->key);
		free(e->type);
		free(e->id);
		free(e->spec);
		json_object_put(e->object);
	}
	free(st->entries);
	free(st->index);
	strbuf_release(&st->pending);
	if (st->fd >= 0)
		close(st->fd);
	free(st->path);
	free(st->id);
	free(st->base_url);
	*st = (struct apply_state){ .fd = -1 };
}

/* The type of a key already in the state (events after the first may not say). */
static const char *state_type(struct apply_state *st, const char *key)
{
	const struct state_entry *e = state_get(st, key);
	return e ? e->type : NULL;
}

int state_record(struct apply_state *st, const char *key, const char *type, const char *event,
		 const char *id, json_object *object, const char *spec)
{
	json_object *ev = json_object_new_object();

	json_object_object_add(ev, "key", json_object_new_string(key));
	if (type)
		json_object_object_add(ev, "type", json_object_new_string(type));
	json_object_object_add(ev, "event", json_object_new_string(event));
	if (id)
		json_object_object_add(ev, "id", json_object_new_string(id));
	if (object)
		json_object_object_add(ev, "object", apply_object_for_disk(type ? type : state_type(st, key), object));
	if (spec)
		json_object_object_add(ev, "spec", json_object_new_string(spec));
	strbuf_addf(&st->pending, "%s\n", json_compact(ev));
	json_object_put(ev);
	apply_event(st, key, type, event, id, object, spec);
	return 0;
}

int state_flush(struct apply_state *st)
{
	int r = 0;

	if (st->pending.len && st->fd >= 0)
		r = write_durably(st->fd, st->pending.buf, st->pending.len);
	strbuf_reset(&st->pending);
	return r;
}
