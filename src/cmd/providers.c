/* SPDX-License-Identifier: MIT */
/* smile providers: the data sources (platforms, employers, agencies) users connect. */
#include "cmd/opts.h"

static const char *const provider_columns[] = {
	"id", "name", "type", "subType", "active", "enabled", "accountConnection", NULL
};

static const struct opt_spec list_opts[] = {
	Q_STR("type", "type", "TYPE", "only providers of this type, e.g. GIG"),
	Q_STR("sub-type", "subType", "SUBTYPE", "only providers of this sub-type"),
	Q_BOOL("active", "active", "only providers that are (or are not) active"),
	Q_BOOL("enabled", "enabled", "only providers enabled (or not) for your tenant"),
	Q_BOOL("account-connection", "accountConnection",
	       "only providers that do (or do not) support connecting accounts"),
	Q_STR("name", "name", "NAME", "only providers whose name matches"),
	Q_LIST("ids", "ids", "ID,...", "only these providers"),
	Q_LIST("top-ids", "topIds", "ID,...", "list these providers first"),
	OPT_END,
};

static const struct verb_spec provider_verbs[] = {
	{
		.name = "list",
		.summary = "list providers",
		.method = "GET",
		.path = "/providers",
		.opts = list_opts,
		.columns = provider_columns,
		.flags = VERB_LIST,
		.example = "smile providers list --type GIG --enabled true --all",
	},
	VERB_GET("get", "provider", "/providers/{id}", provider_columns, 0, "smile providers get upwork"),
	VERB_END,
};

const struct group_spec group_providers = {
	.name = "providers",
	.summary = "data sources users can connect",
	.verbs = provider_verbs,
	.description =
		"Providers are the sources Smile collects data from: gig and e-commerce "
		"platforms, payroll systems, government agencies. Each has a type "
		"(e.g. GIG, EMPLOYER) and flags saying whether it is active, "
		"enabled for your tenant and able to connect accounts or be monitored.",
};
