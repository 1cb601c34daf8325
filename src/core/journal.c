/* SPDX-License-Identifier: MIT */
/* The journal of bulk commands (see journal.h). */
#include "core/journal.h"
#include "core/json.h"
#include "core/fs.h"
#include "core/util.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* A journal holds a few lines per row; a gigabyte is millions of rows. */
#define JOURNAL_MAX_BYTES (1024u * 1024 * 1024)

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

static void entry_set(struct journal_entry *e, enum journal_state state, const char *email, const char *id)
{
	e->state = state;
	if (email && (!e->email || strcmp(e->email, email))) {
		free(e->email);
		e->email = xstrdup(email);
	}
	/* A sent row keeps the id it was sent with; other states have none. */
	free(e->id);
	e->id = id ? xstrdup(id) : NULL;
}

/* One complete line; false when it is not an event of this journal. */
static bool load_line(struct journal *j, const char *line, size_t len)
{
	json_tokener *tok = json_tokener_new();
	json_object *obj = json_tokener_parse_ex(tok, line, (int)len);
	bool ok = false;

	if (json_tokener_get_error(tok) != json_tokener_success) {
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);

	if (obj && json_object_is_type(obj, json_type_object)) {
		json_object *row;
		const char *state = json_string_member(obj, "state");
		enum journal_state s = state ? parse_state(state) : JOURNAL_NONE;
		if (s != JOURNAL_NONE && json_object_object_get_ex(obj, "row", &row) &&
		    json_object_is_type(row, json_type_int)) {
			int64_t n = json_object_get_int64(row);
			ok = true;
			if (n >= 1 && (uint64_t)n <= j->n_rows)
				entry_set(&j->rows[n], s, json_string_member(obj, "email"), json_string_member(obj, "inviteId"));
		}
	}
	json_object_put(obj);
	return ok;
}

/* Reads every complete line; returns the length up to the last line break,
 * which is where appending must continue (a torn tail is cut off). */
static size_t load_text(struct journal *j, const char *text, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i < len; i++) {
		if (text[i] != '\n')
			continue;
		if (i > start && !load_line(j, text + start, i - start))
			j->ignored_lines++;
		start = i + 1;
	}
	if (start < len)
		j->ignored_lines++;
	return start;
}

/*
 * Every journal this code writes starts with an event, and events start with
 * the row. A file that does not (a CSV given to --journal by mistake) is
 * somebody else's: appending to it, or cutting its last line as a torn
 * event, would damage it. A first line torn short is still ours.
 */
static bool looks_like_journal(const char *text, size_t len)
{
	static const char start[] = "{\"row\":";
	size_t n = len < sizeof(start) - 1 ? len : sizeof(start) - 1;

	return memcmp(text, start, n) == 0;
}

static int load_file(struct journal *j, size_t *good_len)
{
	char *text = NULL;
	size_t len = 0;
	int r = read_file_all(j->path, JOURNAL_MAX_BYTES, &text, &len);

	*good_len = 0;
	if (r == -ENOENT)
		return 0;
	if (r < 0)
		return r;
	if (looks_like_journal(text, len))
		*good_len = load_text(j, text, len);
	else
		r = JOURNAL_ERR_FOREIGN;
	free(text);
	return r;
}

/* Locks, then loads (what an earlier holder of the lock wrote counts). */
static int open_for_append(struct journal *j)
{
	size_t good_len;
	int r = mkdir_parents(j->path, 0700);
	if (r < 0)
		return r;
	j->fd = open(j->path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (j->fd < 0)
		return -errno;
	/* Two runs on one journal would each send what the other is sending. */
	if (flock(j->fd, LOCK_EX | LOCK_NB) < 0)
		return errno == EWOULDBLOCK ? -EBUSY : -errno;
	if ((r = load_file(j, &good_len)) < 0)
		return r;
	/* Cut a torn last line, or the next event would be glued to it. */
	struct stat st;
	if (fstat(j->fd, &st) < 0 || (st.st_size != (off_t)good_len && ftruncate(j->fd, (off_t)good_len) < 0))
		return -errno;
	if (lseek(j->fd, 0, SEEK_END) < 0)
		return -errno;
	return 0;
}

int journal_open(const char *path, size_t n_rows, bool read_only, struct journal **out)
{
	struct journal *j = xcalloc(1, sizeof(*j));
	size_t good_len;
	int r;

	j->path = xstrdup(path);
	j->fd = -1;
	j->n_rows = n_rows;
	j->rows = xcalloc(n_rows + 1, sizeof(*j->rows));
	if (!read_only)
		r = open_for_append(j);
	else
		r = load_file(j, &good_len);
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
	for (size_t i = 0; i <= j->n_rows; i++) {
		free(j->rows[i].email);
		free(j->rows[i].id);
	}
	free(j->rows);
	free(j->path);
	free(j);
}

static void add_event_line(struct strbuf *sb, const struct journal_event *ev)
{
	json_object *obj = json_object_new_object();

	json_object_object_add(obj, "row", json_object_new_int64((int64_t)ev->row));
	if (ev->email)
		json_object_object_add(obj, "email", json_object_new_string(ev->email));
	json_object_object_add(obj, "state", json_object_new_string(journal_state_name(ev->state)));
	if (ev->id)
		json_object_object_add(obj, "inviteId", json_object_new_string(ev->id));
	if (ev->error)
		json_object_object_add(obj, "error", json_object_new_string(ev->error));
	strbuf_addstr(sb, json_compact(obj));
	strbuf_addch(sb, '\n');
	json_object_put(obj);
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
		add_event_line(&sb, &events[i]);
	r = write_full(j->fd, sb.buf, sb.len);
	strbuf_release(&sb);
	if (!r && fdatasync(j->fd) < 0)
		r = -errno;
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (events[i].row >= 1 && events[i].row <= j->n_rows)
			entry_set(&j->rows[events[i].row], events[i].state, events[i].email, events[i].id);
	return 0;
}
