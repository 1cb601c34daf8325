/* SPDX-License-Identifier: MIT */
/*
 * smile invites: e-mail invitations to connect accounts. `send` sends one;
 * sending to many people from a file will be a separate verb.
 */
#include "cmd/opts.h"

static const char *const invite_columns[] = {
	"id", "email", "fullName", "status", "templateId", "userId", "createdAt", NULL
};
static const char *const invite_log_columns[] = {
	"id", "inviteId", "inviteStatus", "userId", "createdAt", NULL
};

static const struct opt_spec send_opts[] = {
	B_STR("full-name", "fullName", OPT_REQUIRED, 1, 200, "NAME", "name of the person invited"),
	B_STR("first-name", "firstName", 0, 1, 64, "NAME", "first name, for greetings"),
	B_STR("last-name", "lastName", 0, 1, 64, "NAME", "last name"),
	B_EMAIL("email", "email", OPT_REQUIRED, 200, "address the invitation goes to"),
	B_STR("template-id", "templateId", OPT_REQUIRED, 1, 64, "ID", "invite template to use"),
	B_STR("wink-template-id", "winkTemplateId", 0, 1, 64, "ID", "template of the Wink session the invite opens"),
	OPT_END,
};

static const struct verb_spec invite_verbs[] = {
	{
		.name = "send",
		.summary = "invite one person by e-mail",
		.method = "POST",
		.path = "/invites",
		.opts = send_opts,
		.columns = invite_columns,
		.flags = VERB_BODY,
		.example = "smile invites send --full-name \"Juan Dela Cruz\" --email juan@example.com "
			   "--template-id ivt-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	},
	{
		.name = "list",
		.summary = "list invites",
		.method = "GET",
		.path = "/invites",
		.columns = invite_columns,
		.flags = VERB_LIST,
		.example = "smile invites list --all -o csv",
	},
	VERB_GET("get", "invite", "/invites/{id}", invite_columns, 0,
		 "smile invites get iv-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	{
		.name = "logs",
		.summary = "list the status changes of an invite",
		.method = "GET",
		.path = "/invites/{inviteId}/logs",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = invite_log_columns,
		.flags = VERB_LIST,
		.example = "smile invites logs iv-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	},
	VERB_END,
};

const struct group_spec group_invites = {
	.name = "invites",
	.summary = "e-mail invitations to connect accounts",
	.verbs = invite_verbs,
	.description =
		"An invite e-mails a person a link to a session in which they connect "
		"their accounts; it is laid out by an invite template. Its status and "
		"logs show whether it was sent and whether the person followed it.",
};
