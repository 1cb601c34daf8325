/* SPDX-License-Identifier: MIT */
/*
 * Invitations: INVITED when made (with a new user and link token behind
 * the landing page), LINKED once the user links an account. Every change
 * of status is logged in "inviteLogs", as GET /invites/{id}/logs shows.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

const struct emu_field invite_fields[] = {
	{ "fullName", EMU_T_STRING, true, NULL },
	{ "firstName", EMU_T_STRING, false, NULL },
	{ "lastName", EMU_T_STRING, false, NULL },
	{ "email", EMU_T_EMAIL, true, NULL },
	{ "templateId", EMU_T_STRING, true, NULL },
	{ "winkTemplateId", EMU_T_STRING, false, NULL },
	EMU_FIELDS_END,
};

static void invite_log_add(struct emu *emu, json_object *invite)
{
	json_object *log = json_object_new_object();
	_cleanup_free_ char *id = emu_new_id(emu, "ivl-");

	emu_json_set_str(log, "id", id);
	emu_json_set_str(log, "inviteId", emu_json_str(invite, "id"));
	emu_json_set_str(log, "userId", emu_json_str(invite, "userId"));
	emu_json_set_str(log, "inviteStatus", emu_json_str(invite, "status"));
	emu_json_set_str(log, "createdAt", emu_json_str(invite, "updatedAt"));
	emu_coll_put(emu_store(emu, "inviteLogs"), log);
}

static void emit_invite_event(struct emu *emu, const char *type, json_object *invite)
{
	emu_emit_owned(emu, type, event_data_of(emu_json_str(invite, "userId"), "inviteId",
						emu_json_str(invite, "id")));
}

static char *landing_page_url(const char *host, const char *invite_id, const char *token)
{
	return xasprintf("http://%s/_emulator/link?inviteId=%s&token=%s",
			 host ? host : "127.0.0.1", invite_id, token);
}

json_object *invite_create(struct emu *emu, json_object *body, json_object *user,
			   const char *host)
{
	json_object *invite = record_from_body(emu, body, "iv-", invite_fields), *token;

	if (!user)
		user = user_create(emu, NULL);
	token = token_create(emu, emu_json_str(user, "id"));
	emu_json_set_str(invite, "userId", emu_json_str(user, "id"));
	emu_json_set_str(invite, "status", "INVITED");
	emu_json_set_str(invite, "updatedAt", emu_json_str(invite, "createdAt"));
	emu_json_set_str(invite, "invitedAt", emu_json_str(invite, "createdAt"));
	/* When the person linked: null until then, as the docs' sample shows
	 * (the spec's schema types it as a date-time that is never null). */
	emu_json_set_str(invite, "linkedAt", NULL);
	_cleanup_free_ char *url = landing_page_url(host, emu_json_str(invite, "id"),
						    emu_json_str(token, "accessToken"));
	emu_json_set_str(invite, "inviteLandingPageUrl", url);
	json_object_put(token);
	emu_coll_put(emu_store(emu, "invites"), invite);
	invite_log_add(emu, invite);
	emit_invite_event(emu, "INVITE_INVITED", invite);
	emu_state_dirty(emu);
	return invite;
}

bool invite_token_matches(json_object *invite, const char *token)
{
	const char *url = emu_json_str(invite, "inviteLandingPageUrl");
	const char *at = url && token ? strstr(url, "token=") : NULL;

	return at && strcmp(at + strlen("token="), token) == 0;
}

struct linked_ctx {
	struct emu *emu;
	const char *user_id;
	char now[EMU_TIME_LEN];
};

static bool mark_linked(json_object *invite, void *data)
{
	struct linked_ctx *ctx = data;
	const char *user = emu_json_str(invite, "userId"), *status = emu_json_str(invite, "status");

	if (!user || strcmp(user, ctx->user_id) || (status && !strcmp(status, "LINKED")))
		return true;
	emu_json_set_str(invite, "status", "LINKED");
	emu_json_set_str(invite, "linkedAt", ctx->now);
	emu_json_set_str(invite, "updatedAt", ctx->now);
	invite_log_add(ctx->emu, invite);
	emit_invite_event(ctx->emu, "INVITE_LINKED", invite);
	return true;
}

void invites_user_linked(struct emu *emu, const char *user_id)
{
	struct linked_ctx ctx = { .emu = emu, .user_id = user_id };

	emu_now(ctx.now);
	emu_coll_each(emu_store(emu, "invites"), mark_linked, &ctx);
	emu_state_dirty(emu);
}
