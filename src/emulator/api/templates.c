/* SPDX-License-Identifier: MIT */
/*
 * /consentTemplates and /inviteTemplates.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

static void create_consent_template(struct emu *emu, struct emu_request *req,
				    struct emu_response *res)
{
	json_object *body = emu_req_json(req, res);

	if (body && emu_validate(res, body, consent_template_fields))
		emu_reply(res, 201, json_object_get(consent_template_create(emu, body)));
}

/* DELETE of a template: the collection is the first path segment. */
static void delete_template(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *path = emu_req_path(req) + 1, *id = emu_req_capture(req, "id");
	_cleanup_free_ char *name = xstrndup(path, strcspn(path, "/"));

	if (template_delete(emu, name, id))
		emu_reply(res, 200, NULL);
	else
		emu_not_found(res, name, id);
}

static const struct emu_field company_fields[] = {
	{ "name", EMU_T_STRING, true, NULL }, { "logoUrl", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};
static const struct emu_field email_fields[] = {
	{ "sendEmail", EMU_T_BOOL, true, NULL }, { "senderName", EMU_T_STRING, true, NULL },
	{ "replyAddress", EMU_T_EMAIL, true, NULL }, { "subject", EMU_T_STRING, true, NULL },
	{ "body", EMU_T_STRING, true, NULL }, EMU_FIELDS_END,
};
static const struct emu_field page_fields[] = {
	{ "header", EMU_T_STRING, true, NULL }, { "description", EMU_T_STRING, true, NULL },
	{ "button", EMU_T_STRING, true, NULL }, EMU_FIELDS_END,
};

static const struct {
	const char *member;
	const struct emu_field *fields;
} invite_template_parts[] = {
	{ "company", company_fields }, { "email", email_fields },
	{ "landingPage", page_fields }, { "successPage", page_fields },
};

static bool invite_template_valid(struct emu_response *res, json_object *body)
{
	json_object *part;

	if (!emu_validate(res, body, invite_template_fields))
		return false;
	for (size_t i = 0; i < sizeof(invite_template_parts) / sizeof(*invite_template_parts); i++) {
		json_object_object_get_ex(body, invite_template_parts[i].member, &part);
		if (!emu_validate_at(res, part, invite_template_parts[i].member,
				     invite_template_parts[i].fields))
			return false;
	}
	return true;
}


static void create_invite_template(struct emu *emu, struct emu_request *req,
				   struct emu_response *res)
{
	json_object *body = emu_req_json(req, res);

	if (body && invite_template_valid(res, body))
		emu_reply(res, 201, json_object_get(invite_template_create(emu, body)));
}

static void update_invite_template(struct emu *emu, struct emu_request *req,
				   struct emu_response *res)
{
	json_object *old = emu_get_or_404(res, emu_store(emu, "inviteTemplates"), "inviteTemplates",
					  emu_req_capture(req, "id"));
	json_object *body;

	if (old && (body = emu_req_json(req, res)) && invite_template_valid(res, body))
		emu_reply(res, 200, json_object_get(invite_template_replace(emu, old, body)));
}

const struct emu_route emu_routes_templates[] = {
	{ "GET", "/consentTemplates", emu_handle_list },
	{ "POST", "/consentTemplates", create_consent_template },
	{ "DELETE", "/consentTemplates/{id}", delete_template },
	{ "GET", "/inviteTemplates", emu_handle_list },
	{ "POST", "/inviteTemplates", create_invite_template },
	{ "GET", "/inviteTemplates/{id}", emu_handle_get },
	{ "PUT", "/inviteTemplates/{id}", update_invite_template },
	{ "DELETE", "/inviteTemplates/{id}", delete_template },
	EMU_ROUTES_END,
};
