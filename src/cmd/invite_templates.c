/* SPDX-License-Identifier: MIT */
/* smile invite-templates: how invitation e-mails and pages look. */
#include "cmd/opts.h"

static const char *const template_columns[] = {
	"id", "name", "company.name", "email.subject", "email.sendEmail", NULL
};

/* create and update take the same, wholly required, body. */
static const struct opt_spec template_opts[] = {
	B_STR("name", "name", OPT_REQUIRED, 1, 64, "NAME", "name to tell the template apart"),
	B_STR("company-name", "company.name", OPT_REQUIRED, 1, 200, "NAME", "your company's name"),
	B_STR("company-logo-url", "company.logoUrl", OPT_REQUIRED, 1, 200, "URL", "your company's logo"),
	B_BOOL("send-email", "email.sendEmail", OPT_REQUIRED, "whether Smile sends the e-mail"),
	B_STR("sender-name", "email.senderName", OPT_REQUIRED, 1, 200, "NAME", "sender shown in the e-mail"),
	B_EMAIL("reply-address", "email.replyAddress", OPT_REQUIRED, 200, "address replies go to"),
	B_STR("subject", "email.subject", OPT_REQUIRED, 1, 200, "TEXT", "e-mail subject"),
	B_STR("body", "email.body", OPT_REQUIRED, 1, 5000, "TEXT", "e-mail text"),
	B_STR("landing-header", "landingPage.header", OPT_REQUIRED, 1, 200, "TEXT",
	      "heading of the page the link opens"),
	B_STR("landing-description", "landingPage.description", OPT_REQUIRED, 1, 5000, "TEXT",
	      "text of the page the link opens"),
	B_STR("landing-button", "landingPage.button", OPT_REQUIRED, 1, 200, "TEXT",
	      "button label of the page the link opens"),
	B_STR("success-header", "successPage.header", OPT_REQUIRED, 1, 200, "TEXT",
	      "heading of the page shown when done"),
	B_STR("success-description", "successPage.description", OPT_REQUIRED, 1, 5000, "TEXT",
	      "text of the page shown when done"),
	B_STR("success-button", "successPage.button", OPT_REQUIRED, 1, 200, "TEXT",
	      "button label of the page shown when done"),
	OPT_END,
};

static const struct verb_spec template_verbs[] = {
	{
		.name = "list",
		.summary = "list invite templates",
		.method = "GET",
		.path = "/inviteTemplates",
		.columns = template_columns,
		.flags = VERB_LIST,
		.example = "smile invite-templates list",
	},
	VERB_GET("get", "invite template", "/inviteTemplates/{id}", template_columns, 0,
		 "smile invite-templates get ivt-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o yaml"),
	{
		.name = "create",
		.summary = "create an invite template",
		.method = "POST",
		.path = "/inviteTemplates",
		.opts = template_opts,
		.columns = template_columns,
		.flags = VERB_BODY,
		.example = "smile invite-templates create --input template.yaml",
	},
	{
		.name = "update",
		.summary = "replace an invite template",
		.method = "PUT",
		.path = "/inviteTemplates/{id}",
		.opts = template_opts,
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = template_columns,
		.flags = VERB_BODY,
		.example = "smile invite-templates update ivt-ff4723f9af5f4dc5b6a22ea27fb3c8a1 "
			   "--input template.yaml --subject \"Connect your payroll\"",
		.description =
			"The whole template is replaced, so every field is required: "
			"start from `smile invite-templates get ID -o yaml` as --input "
			"and override fields with flags.",
	},
	{
		.name = "delete",
		.summary = "delete an invite template",
		.method = "DELETE",
		.path = "/inviteTemplates/{id}",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_DESTRUCTIVE,
		.example = "smile invite-templates delete ivt-ff4723f9af5f4dc5b6a22ea27fb3c8a1 --yes",
	},
	VERB_END,
};

const struct group_spec group_invite_templates = {
	.name = "invite-templates",
	.summary = "how invitation e-mails and pages look",
	.verbs = template_verbs,
	.description =
		"An invite template sets the company branding, the e-mail, the landing "
		"page the invitation link opens and the page shown when the person is "
		"done. The body is large; write it once as a YAML or JSON file and pass "
		"it with --input, overriding single fields with flags.",
};
