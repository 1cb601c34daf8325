/* SPDX-License-Identifier: MIT */
/*
 * State kept across restarts (--state FILE): the store and the clock's
 * offset, loaded at start and saved (atomically, 0600) soon after changes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/util.h"
#include "emulator/store/clock.h"
#include "emulator/server.h"

#define STATE_VERSION 1
#define STATE_MAX_BYTES (1024u * 1024 * 1024)
/* Request bodies may nest JSON_TOKENER_DEFAULT_DEPTH deep, and the file wraps
 * stored objects in {collections: {name: [...]}}: reading it back with the
 * default depth would refuse a state this emulator wrote itself. */
#define STATE_MAX_DEPTH (JSON_TOKENER_DEFAULT_DEPTH + 16)
/* Seconds between attempts to save after a failed one. */
#define STATE_RETRY_S 5.0

/* ---- state file --------------------------------------------------------- */

void emu_state_dirty(struct emu *emu)
{
	emu->dirty = true;
}

/* Saving writes a temporary file next to path and renames it: find out now,
 * not at the first change, when the directory does not allow that. */
static int state_dir_writable(const char *path)
{
	const char *slash = strrchr(path, '/');
	_cleanup_free_ char *dir = slash ? xstrndup(path, slash == path ? 1 : (size_t)(slash - path))
					 : xstrdup(".");

	if (access(dir, W_OK | X_OK) < 0)
		return log_status(-1, "cannot save state to '%s': %s", path, strerror(errno));
	return 0;
}

int state_load(struct emu *emu)
{
	_cleanup_free_ char *text = NULL;
	json_object *root, *colls, *version, *offset;
	size_t len;
	int r;

	r = read_file_all(emu->opt.state_path, STATE_MAX_BYTES, &text, &len);
	if (r == -ENOENT) /* first run: the file appears on the first change */
		return state_dir_writable(emu->opt.state_path);
	if (r < 0)
		return log_status(-1, "cannot read state file '%s': %s", emu->opt.state_path,
				  strerror(-r));
	struct json_tokener *tok = json_tokener_new_ex(STATE_MAX_DEPTH);
	/* A truncated file ends the parse unfinished: root stays NULL. */
	root = tok ? json_tokener_parse_ex(tok, text, (int)len) : NULL;
	json_tokener_free(tok);
	r = -1;
	if (!json_object_object_get_ex(root, "version", &version) ||
	    json_object_get_int(version) != STATE_VERSION ||
	    !json_object_object_get_ex(root, "collections", &colls))
		log_error("state file '%s' is not a smile-emulator state file", emu->opt.state_path);
	else if (store_load(emu, colls) < 0)
		log_error("state file '%s' is malformed", emu->opt.state_path);
	else
		r = 0;
	/* The clock runs on from where it was moved to, so what aged stays aged. */
	if (r == 0 && json_object_object_get_ex(root, "clockOffsetSeconds", &offset))
		emu_clock_set_offset((long)json_object_get_int64(offset));
	json_object_put(root);
	return r;
}

/* Serialises the store if it changed; NULL when it did not. */
static char *state_snapshot(struct emu *emu, size_t *len)
{
	json_object *root;
	char *text = NULL;
	const char *s;

	pthread_mutex_lock(&emu->lock);
	if (emu->dirty) {
		root = json_object_new_object();
		json_object_object_add(root, "version", json_object_new_int(STATE_VERSION));
		json_object_object_add(root, "collections", store_dump(emu));
		json_object_object_add(root, "clockOffsetSeconds",
				       json_object_new_int64(emu_clock_offset()));
		s = json_object_to_json_string_length(root, JSON_C_TO_STRING_PLAIN, len);
		text = xstrndup(s, *len);
		json_object_put(root);
		emu->dirty = false;
	}
	pthread_mutex_unlock(&emu->lock);
	return text;
}

int state_save_if_dirty(struct emu *emu, bool final)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r;

	if (!emu->opt.state_path)
		return 0;
	/* Serialising a big store under the lock every tick while the disk
	 * refuses would slow every request down: back off after a failure. */
	if (!final && emu->save_failed_at > 0 &&
	    now_monotonic() - emu->save_failed_at < STATE_RETRY_S)
		return 0;
	if (!(text = state_snapshot(emu, &len)))
		return 0;
	r = write_file_atomic(emu->opt.state_path, text, len, 0600);
	if (r < 0) {
		/* Once per failing streak, not every retry. */
		if (emu->save_failed_at == 0 || final)
			log_error("cannot save state to '%s': %s", emu->opt.state_path,
				  strerror(-r));
		emu->save_failed_at = now_monotonic();
		/* The change is still unsaved: keep it dirty, so it is retried and
		 * the exit status says the state was lost. */
		pthread_mutex_lock(&emu->lock);
		emu->dirty = true;
		pthread_mutex_unlock(&emu->lock);
		return r;
	}
	emu->save_failed_at = 0;
	return 0;
}
