/* SPDX-License-Identifier: MIT */
/*
 * Link tokens: what POST /tokens, POST /users and invitations hand out, and
 * what the Wink widget authorises its calls with.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

/* "User tokens are temporary (expires in 5 hours)", the docs' guides say. */
#define TOKEN_LIFETIME_S (5 * 3600)

json_object *token_create(struct emu *emu, const char *user_id)
{
	json_object *t = json_object_new_object();
	_cleanup_free_ char *id = emu_new_id(emu, "tok-");
	_cleanup_free_ char *access = emu_new_id(emu, "");
	char expires[EMU_TIME_LEN];

	emu_time_from_now(expires, TOKEN_LIFETIME_S);
	emu_json_set_str(t, "id", id);
	emu_json_set_str(t, "expiresAt", expires);
	emu_json_set_str(t, "mode", "SANDBOX");
	emu_json_set_str(t, "accessToken", access);
	emu_json_set_str(t, "userId", user_id);
	emu_coll_put(emu_store(emu, "tokens"), json_object_get(t));
	emu_state_dirty(emu);
	return t;
}

struct token_find {
	const char *access;
	json_object *found;
};

static bool token_matches(json_object *item, void *ctx)
{
	struct token_find *f = ctx;
	const char *access = emu_json_str(item, "accessToken");

	if (access && strcmp(access, f->access) == 0) {
		f->found = item;
		return false;
	}
	return true;
}

json_object *token_find(struct emu *emu, const char *access)
{
	struct token_find f = { access, NULL };

	emu_coll_each(emu_store(emu, "tokens"), token_matches, &f);
	return f.found;
}

/* RFC 3339 UTC times of one width compare as strings. */
bool token_expired(json_object *token)
{
	const char *expires = emu_json_str(token, "expiresAt");
	char now[EMU_TIME_LEN];

	emu_now(now);
	return !expires || strcmp(expires, now) <= 0;
}
