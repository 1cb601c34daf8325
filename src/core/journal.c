/* SPDX-License-Identifier: MIT */
/* The journal of invitations (see journal.h). */
#include "core/journal.h"
#include "core/json.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/text.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* A journal holds about 100 bytes per invitation once compacted: a
 * gigabyte is ten million of them. */
#define JOURNAL_MAX_BYTES (1024u * 1024 * 1024)
/* Compact when at least a third of the lines are superseded (a sent
 * invitation leaves two: started, sent), and the file is worth it. */
#define COMPACT_MIN_LINES 1024

static const char *const state_names[] = {
	[JOURNAL_NONE] = "none",
	[JOURNAL_STARTED] = "started",
	[JOURNAL_SENT] = "sent",
	[JOURNAL_FAILED] = "failed",
	[JOURNAL_UNKNOWN] = "unknown",
};

const char *journal_state_name(enum journal_state s)
{
	return s <= JOURNAL_UNKNOWN ? state_names[s] : "none";
}

static enum journal_state parse_state(const char *s)
{
	for (size_t i = JOURNAL_STARTED; i <= JOURNAL_UNKNOWN; i++)
		if (!strcmp(s, state_names[i]))
			return (enum journal_state)i;
	return JOURNAL_NONE;
}

/* ---- the table of keys ---- */

static struct journal_entry *slot_of(const struct journal *j, const char *key)
{
	size_t mask = j->cap - 1;
	for (size_t i = fnv1a_str(key) & mask;; i = (i + 1) & mask)
		if (!j->slots[i].key || !strcmp(j->slots[i].key, key))
			return &j->slots[i];
}

static void grow(struct journal *j)
{
	struct journal_entry *old = j->slots;
	size_t old_cap = j->cap;

	j->cap = old_cap ? old_cap * 2 : 256;
	j->slots = xcalloc(j->cap, sizeof(*j->slots));
	for (size_t i = 0; i < old_cap; i++)
		if (old[i].key)
			*slot_of(j, old[i].key) = old[i];
	free(old);
}

static void replace_str(char **dst, const char *src)
{
	if (*dst && src && !strcmp(*dst, src))
		return;
	free(*dst);
	*dst = src ? xstrdup(src) : NULL;
}

static void record(struct journal *j, const struct journal_event *ev)
{
	_cleanup_free_ char *key = invite_key(ev->email, ev->template_id);

	if ((j->n + 1) * 2 > j->cap)
		grow(j);
	struct journal_entry *e = slot_of(j, key);
	if (!e->key) {
		e->key = TAKE_PTR(key);
		j->n++;
	}
	e->state = ev->state;
	/* A sent key keeps the id it was sent with; other states have none. */
	replace_str(&e->id, ev->id);
}

const struct journal_entry *journal_find(const struct journal *j, const char *email, const char *template_id)
{
	if (!j->n)
		return NULL;
	_cleanup_free_ char *key = invite_key(email, template_id);
	const struct journal_entry *e = slot_of(j, key);
	return e->key ? e : NULL;
}

static int compare_rows(const void *a, const void *b)
{
	const struct journal_legacy_row *x = a, *y = b;
	if (x->row != y->row)
		return (x->row > y->row) - (x->row < y->row);
	return (x->seq > y->seq) - (x->seq < y->seq);
}

const struct journal_legacy_row *journal_legacy_row(const struct journal *j, size_t row)
{
	size_t lo = 0, hi = j->n_legacy;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (j->legacy[mid].row < row)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < j->n_legacy && j->legacy[lo].row == row ? &j->legacy[lo] : NULL;
}

/* Kept as they come (a hostile row number costs one entry, not an array
 * that long); settled once the file is read. */
static void record_legacy(struct journal *j, int64_t row, enum journal_state s, const char *email, const char *id)
{
	if (row < 1)
		return;
	if (j->n_legacy == j->legacy_cap) {
		j->legacy_cap = j->legacy_cap ? 2 * j->legacy_cap : 16;
		j->legacy = xrealloc(j->legacy, j->legacy_cap * sizeof(*j->legacy));
	}
	j->legacy[j->n_legacy] = (struct journal_legacy_row){
		.row = (size_t)row, .seq = j->n_legacy, .state = s,
		.email = email ? xstrdup(email) : NULL, .id = id ? xstrdup(id) : NULL,
	};
	j->n_legacy++;
}

static void free_legacy(struct journal_legacy_row *l)
{
	free(l->email);
	free(l->id);
}

/* Sorted by row, one entry per row: its last event. */
static void settle_legacy(struct journal *j)
{
	size_t n = 0;

	if (!j->n_legacy)
		return;
	qsort(j->legacy, j->n_legacy, sizeof(*j->legacy), compare_rows);
	for (size_t i = 0; i < j->n_legacy; i++) {
		if (i + 1 < j->n_legacy && j->legacy[i + 1].row == j->legacy[i].row) {
			free_legacy(&j->legacy[i]);
			continue;
		}
		j->legacy[n++] = j->legacy[i];
	}
	j->n_legacy = n;
}

/* ---- reading ---- */

/* An event of either format into the tables; false when obj is none. */
static bool load_event(struct journal *j, json_object *obj)
{
	const char *state = json_string_member(obj, "state");
	enum journal_state s = state ? parse_state(state) : JOURNAL_NONE;
	const char *email = json_string_member(obj, "email"), *tpl = json_string_member(obj, "templateId");
	json_object *row;

	if (s == JOURNAL_NONE)
		return false;
	if (email && tpl) {
		record(j, &(struct journal_event){ .email = email, .template_id = tpl, .state = s,
						   .id = json_string_member(obj, "inviteId") });
		return true;
	}
	if (!json_object_object_get_ex(obj, "row", &row) || !json_object_is_type(row, json_type_int))
		return false;
	record_legacy(j, json_object_get_int64(row), s, email, json_string_member(obj, "inviteId"));
	return true;
}

/* The string that starts after `prefix` at *p, up to the next quote, when
 * the text there is prefix; moves *p past the closing quote. */
static bool take_string(const char **p, const char *end, const char *prefix, char *out, size_t size)
{
	size_t n = strlen(prefix);
	if ((size_t)(end - *p) < n || memcmp(*p, prefix, n))
		return false;
	const char *s = *p + n, *q = memchr(s, '"', (size_t)(end - s));
	if (!q || (size_t)(q - s) >= size)
		return false;
	memcpy(out, s, (size_t)(q - s));
	out[q - s] = '\0';
	*p = q + 1;
	return true;
}

/* The lines this code writes, without a backslash (nothing escaped), are
 * read without building JSON objects: a million of them in a second
 * rather than several. Anything else goes to the JSON parser. */
static bool load_plain_line(struct journal *j, const char *line, size_t len, bool *ok)
{
	const char *p = line, *end = line + len;
	char email[256], tpl[128], state[16], id[128];

	if (memchr(line, '\\', len) || !take_string(&p, end, "{\"email\":\"", email, sizeof(email)) ||
	    !take_string(&p, end, ",\"templateId\":\"", tpl, sizeof(tpl)) ||
	    !take_string(&p, end, ",\"state\":\"", state, sizeof(state)))
		return false;
	static const char id_key[] = ",\"inviteId\":\"";
	bool have_id = take_string(&p, end, id_key, id, sizeof(id));
	/* An id too long for the buffer: the parser below takes it whole. */
	if (!have_id && (size_t)(end - p) >= sizeof(id_key) - 1 && !memcmp(p, id_key, sizeof(id_key) - 1))
		return false;
	/* What follows (an error text) is for people; the object must end. */
	if (end[-1] != '}')
		return false;
	enum journal_state s = parse_state(state);
	*ok = s != JOURNAL_NONE;
	if (*ok)
		record(j, &(struct journal_event){ .email = email, .template_id = tpl, .state = s,
						   .id = have_id ? id : NULL });
	return true;
}

static bool load_line(struct journal *j, const char *line, size_t len)
{
	bool plain_ok;
	if (load_plain_line(j, line, len, &plain_ok))
		return plain_ok;

	/* A tokener of its own: json-c's reset forgets a half-read surrogate
	 * pair of the line before only in some versions. Rare lines, so cheap. */
	json_tokener *tok = json_tokener_new();
	json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
	bool ok = json_tokener_get_error(tok) == json_tokener_success && json_object_is_type(obj, json_type_object) &&
		  load_event(j, obj);

	json_object_put(obj);
	json_tokener_free(tok);
	return ok;
}

/*
 * Every journal this code writes starts with an event, and events start
 * with the e-mail (or, in the previous format, the row). A file that does
 * not (a CSV given to --journal by mistake) is somebody else's: appending
 * to it, or cutting its last line as a torn event, would damage it. A first
 * line torn short is still ours.
 */
static bool looks_like_journal(const char *text, size_t len)
{
	static const char *const starts[] = { "{\"email\":", "{\"row\":" };

	for (size_t k = 0; k < 2; k++) {
		size_t n = strlen(starts[k]);
		if (!memcmp(text, starts[k], len < n ? len : n))
			return true;
	}
	return false;
}

/* Reads the file line by line (a journal of millions is not held whole);
 * *good_len is the length up to the last line break, which is where
 * appending must continue (a torn tail is cut off). */
static int load_file(struct journal *j, size_t *good_len)
{
	FILE *f = fopen(j->path, "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;

	*good_len = 0;
	if (!f)
		return errno == ENOENT ? 0 : -errno;
	for (bool first = true; (n = getline(&line, &cap, f)) > 0; first = false) {
		bool whole = line[n - 1] == '\n';
		if (first && !looks_like_journal(line, (size_t)n)) {
			r = JOURNAL_ERR_FOREIGN;
			break;
		}
		if (*good_len + (size_t)n > JOURNAL_MAX_BYTES) {
			r = -EFBIG;
			break;
		}
		if (!whole) {
			j->ignored_lines++;
			break;
		}
		*good_len += (size_t)n;
		if (n == 1)
			continue;
		if (load_line(j, line, (size_t)n - 1))
			j->n_lines++;
		else
			j->ignored_lines++;
	}
	if (!r && ferror(f))
		r = -EIO;
	settle_legacy(j);
	free(line);
	fclose(f);
	return r;
}

/* ---- writing ---- */

static void add_line(struct strbuf *sb, const struct journal_event *ev)
{
	json_object *obj = json_object_new_object();

	json_object_object_add(obj, "email", json_object_new_string(ev->email));
	json_object_object_add(obj, "templateId", json_object_new_string(ev->template_id));
	json_object_object_add(obj, "state", json_object_new_string(journal_state_name(ev->state)));
	if (ev->id)
		json_object_object_add(obj, "inviteId", json_object_new_string(ev->id));
	if (ev->error)
		json_object_object_add(obj, "error", json_object_new_string(ev->error));
	strbuf_addstr(sb, json_compact(obj));
	strbuf_addch(sb, '\n');
	json_object_put(obj);
}

static void add_legacy_line(struct strbuf *sb, size_t row, const struct journal_legacy_row *l)
{
	json_object *obj = json_object_new_object();

	json_object_object_add(obj, "row", json_object_new_int64((int64_t)row));
	if (l->email)
		json_object_object_add(obj, "email", json_object_new_string(l->email));
	json_object_object_add(obj, "state", json_object_new_string(journal_state_name(l->state)));
	if (l->id)
		json_object_object_add(obj, "inviteId", json_object_new_string(l->id));
	strbuf_addstr(sb, json_compact(obj));
	strbuf_addch(sb, '\n');
	json_object_put(obj);
}

/* One line per key (a started key stays started: it is still to be looked
 * up), legacy rows after them, in place of the file. */
static int compact(struct journal *j)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; i < j->cap; i++) {
		const struct journal_entry *e = &j->slots[i];
		if (!e->key)
			continue;
		const char *tab = strchr(e->key, '\t');
		_cleanup_free_ char *email = xstrndup(e->key, (size_t)(tab - e->key));
		add_line(&sb, &(struct journal_event){ .email = email, .template_id = tab + 1, .state = e->state,
						       .id = e->id });
	}
	for (size_t i = 0; i < j->n_legacy; i++)
		add_legacy_line(&sb, j->legacy[i].row, &j->legacy[i]);
	int r = write_file_atomic(j->path, sb.buf ? sb.buf : "", sb.len, 0600);
	strbuf_release(&sb);
	if (!r) {
		j->n_lines = j->n;
		j->compacted = true;
	}
	return r;
}

static size_t n_live(const struct journal *j)
{
	return j->n + j->n_legacy;
}

static int lock(struct journal *j)
{
	_cleanup_free_ char *lock_path = xasprintf("%s.lock", j->path);

	j->lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (j->lock_fd < 0)
		return -errno;
	/* Two runs on one journal would each send what the other is sending. */
	if (flock(j->lock_fd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? -EBUSY : -errno;
	return 0;
}

/* Locks, then loads (what an earlier holder of the lock wrote counts). */
static int open_for_append(struct journal *j)
{
	size_t good_len;
	struct stat st;
	int r = mkdir_parents(j->path, 0700);

	if (r < 0 || (r = lock(j)) < 0 || (r = load_file(j, &good_len)) < 0)
		return r;
	if (j->n_lines >= COMPACT_MIN_LINES && 2 * j->n_lines > 3 * n_live(j) && (r = compact(j)) < 0)
		return r;
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd < 0)
		return -errno;
	if (fstat(j->fd, &st) < 0)
		return -errno;
	/* Cut a torn last line, or the next event would be glued to it. */
	if (!j->compacted && st.st_size != (off_t)good_len && ftruncate(j->fd, (off_t)good_len) < 0)
		return -errno;
	if (lseek(j->fd, 0, SEEK_END) < 0)
		return -errno;
	return 0;
}

int journal_open(const char *path, bool read_only, struct journal **out)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	size_t good_len;
	int r;

	j->path = xstrdup(path);
	j->fd = j->lock_fd = -1;
	grow(j);
	r = read_only ? load_file(j, &good_len) : open_for_append(j);
	if (r < 0) {
		journal_close(j);
		return r;
	}
	*out = j;
	return 0;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	for (size_t i = 0; i < j->cap; i++) {
		free(j->slots[i].key);
		free(j->slots[i].id);
	}
	for (size_t i = 0; i < j->n_legacy; i++)
		free_legacy(&j->legacy[i]);
	free(j->legacy);
	free(j->slots);
	free(j->path);
	free(j);
}

static bool str_is_utf8(const char *s)
{
	return !s || utf8_is_valid(s, strlen(s));
}

/* A line that is not UTF-8 would not read back as JSON: the event would
 * be lost on the next run, so it is refused before anything is written. */
static bool event_is_utf8(const struct journal_event *ev)
{
	return str_is_utf8(ev->email) && str_is_utf8(ev->template_id) && str_is_utf8(ev->id) && str_is_utf8(ev->error);
}

int journal_append(struct journal *j, const struct journal_event *events, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	int r;

	if (j->fd < 0)
		return -EBADF;
	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!event_is_utf8(&events[i]))
			return -EILSEQ;
	for (size_t i = 0; i < n; i++)
		add_line(&sb, &events[i]);
	r = write_full(j->fd, sb.buf, sb.len);
	strbuf_release(&sb);
	if (!r && fdatasync(j->fd) < 0)
		r = -errno;
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		record(j, &events[i]);
	j->n_lines += n;
	return 0;
}
