/* SPDX-License-Identifier: MIT */
/*
 * /invites and their logs, and the landing page an invitation links to.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

static void create_invite(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res);

	if (!body || !emu_validate(res, body, invite_fields))
		return;
	if (!emu_coll_get(emu_store(emu, "inviteTemplates"), emu_json_str(body, "templateId"))) {
		emu_bad_param(res, "templateId '%s' is not an existing invite template",
			      emu_json_str(body, "templateId"));
		return;
	}
	/* Wink templates live in Wink, not in this API: Smile can only refuse
	 * an id that is not one (the spec's ids are wtpl-...). */
	const char *wink = emu_json_str(body, "winkTemplateId");
	if (wink && !str_starts_with(wink, "wtpl-")) {
		emu_bad_param(res, "winkTemplateId '%s' is not an existing Wink template", wink);
		return;
	}
	emu_reply(res, 201,
		  json_object_get(invite_create(emu, body, NULL, emu_req_header(req, "Host"))));
}

static bool log_of_invite(json_object *item, void *invite_id)
{
	const char *id = emu_json_str(item, "inviteId");

	return id && strcmp(id, invite_id) == 0;
}

static void list_invite_logs(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "inviteId");

	if (emu_get_or_404(res, emu_store(emu, "invites"), "invites", id))
		emu_list_page(res, emu_store(emu, "inviteLogs"), req, log_of_invite, (void *)id);
}

const struct emu_route emu_routes_invites[] = {
	{ "GET", "/invites", emu_handle_list },
	{ "POST", "/invites", create_invite },
	{ "GET", "/invites/{id}", emu_handle_get },
	{ "GET", "/invites/{inviteId}/logs", list_invite_logs },
	EMU_ROUTES_END,
};

/* GET /_emulator/link?inviteId=&token=: the page an invitation e-mail links
 * to. It needs no API credentials (an invitee has none), only the invite's
 * token, and tells how to play the linking with POST /_emulator/link. */
static void invite_landing_page(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *invite_id = emu_req_query(req, "inviteId");
	json_object *invite = invite_id ? emu_coll_get(emu_store(emu, "invites"), invite_id) : NULL;

	if (!invite || !invite_token_matches(invite, emu_req_query(req, "token"))) {
		emu_error(res, 404, "MISSING_RESOURCE", "no invitation with that inviteId and token");
		return;
	}
	_cleanup_free_ char *page = xasprintf(
		"<!doctype html><title>Link your work account</title>"
		"<h1>Link your work account</h1>"
		"<p>smile-emulator plays the Wink widget: POST /_emulator/link with "
		"{\"userId\": \"%s\", \"providerId\": \"upwork\", \"username\": \"George\", "
		"\"password\": \"123456\", \"mfaCode\": \"1234\"} marks this invitation LINKED.</p>\n",
		emu_json_str(invite, "userId"));
	emu_reply_bytes(res, 200, "text/html; charset=utf-8", page, strlen(page));
}

const struct emu_route emu_routes_control_invites[] = {
	{ "GET", "/_emulator/link", invite_landing_page },
	EMU_ROUTES_END,
};
