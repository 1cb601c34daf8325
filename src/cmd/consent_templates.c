/* SPDX-License-Identifier: MIT */
/* smile consent-templates: the consent texts people agree to. */
#include "cmd/opts.h"

static const char *const consent_template_columns[] = {
	"id", "consentType", "title", "version", "createdAt", NULL
};

static const struct opt_spec create_opts[] = {
	B_STR("consent-type", "consentType", OPT_REQUIRED, 1, 200, "TYPE", "kind of consent"),
	B_STR("title", "title", 0, 1, 200, "TITLE", "title shown above the text"),
	B_STR("version", "version", OPT_REQUIRED, 1, 64, "VERSION", "version of the text"),
	B_STR("consent-method", "consentMethod", 0, 0, 200, "METHOD", "how consent is given, e.g. checkbox"),
	B_STR("consent-text", "consentText", OPT_REQUIRED, 1, 65535, "TEXT", "the text people agree to"),
	OPT_END,
};

static const struct verb_spec consent_template_verbs[] = {
	{
		.name = "list",
		.summary = "list consent templates",
		.method = "GET",
		.path = "/consentTemplates",
		.columns = consent_template_columns,
		.flags = VERB_LIST,
		.example = "smile consent-templates list",
	},
	{
		.name = "create",
		.summary = "create a consent template",
		.method = "POST",
		.path = "/consentTemplates",
		.opts = create_opts,
		.columns = consent_template_columns,
		.flags = VERB_BODY,
		.example = "smile consent-templates create --consent-type DATA_SHARING --version 1.0 "
			   "--consent-text \"I agree that ...\"",
	},
	{
		.name = "delete",
		.summary = "delete a consent template",
		.method = "DELETE",
		.path = "/consentTemplates/{id}",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_DESTRUCTIVE,
		.example = "smile consent-templates delete ct-ff4723f9af5f4dc5b6a22ea27fb3c8a1 --yes",
	},
	VERB_END,
};

const struct group_spec group_consent_templates = {
	.name = "consent-templates",
	.summary = "consent texts people agree to",
	.verbs = consent_template_verbs,
	.description =
		"A consent template holds a versioned consent text. Early-access checks "
		"(signals, footprints, maws and others) record which template a person "
		"agreed to with --consent-template-id.",
};
