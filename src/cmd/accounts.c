/* SPDX-License-Identifier: MIT */
/* smile accounts: the provider accounts users connected. */
#include "cmd/opts.h"

static const char *const account_columns[] = {
	"id", "userId", "providerId", "connectionStatus", "monitorStatus", "createdAt", NULL
};
static const char *const payload_columns[] = {
	"metadata.sourceId", "metadata.userId", "metadata.providerId", "identity.fullName", NULL
};
static const char *const export_columns[] = {
	"id", "accountId", "exportExtensionType", "downloadUrl", "createdAt", NULL
};

static const char *const export_types[] = { "PDF", "CSV", NULL };

static const struct opt_spec list_opts[] = {
	Q_USER_ID,
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct opt_spec export_opts[] = {
	B_ENUM("export-extension-type", "exportExtensionType", OPT_REQUIRED, export_types,
	       "format of the export file"),
	OPT_END,
};

static const struct verb_spec account_verbs[] = {
	{
		.name = "list",
		.summary = "list connected accounts",
		.method = "GET",
		.path = "/accounts",
		.opts = list_opts,
		.columns = account_columns,
		.flags = VERB_LIST,
		.example = "smile accounts list --user-id smile1234-a5b39dfe76174defb353d7e97a88a85e",
	},
	VERB_GET("get", "account", "/accounts/{id}", account_columns, 0,
		 "smile accounts get a-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	{
		.name = "revoke",
		.summary = "disconnect an account and delete its data",
		.method = "DELETE",
		.path = "/accounts/{id}",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_DESTRUCTIVE,
		.example = "smile accounts revoke a-ff4723f9af5f4dc5b6a22ea27fb3c8a1 --yes",
	},
	{
		.name = "payload",
		.summary = "show all data collected from an account",
		.method = "GET",
		.path = "/accounts/{id}/payload",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = payload_columns,
		.example = "smile accounts payload a-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json",
	},
	{
		.name = "export",
		.summary = "generate a PDF or CSV export of an account's data",
		.method = "POST",
		.path = "/accounts/{id}/exports/generate",
		.opts = export_opts,
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = export_columns,
		.flags = VERB_BODY,
		.example = "smile accounts export a-ff4723f9af5f4dc5b6a22ea27fb3c8a1 --export-extension-type PDF",
		.description = "Prints the export with the URL to download it from.",
	},
	{
		.name = "disable-monitor",
		.summary = "stop monitoring an account for new data",
		.method = "POST",
		.path = "/accounts/{accountId}/disableMonitor",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.example = "smile accounts disable-monitor a-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	},
	VERB_END,
};

const struct group_spec group_accounts = {
	.name = "accounts",
	.summary = "provider accounts users connected",
	.verbs = account_verbs,
	.description =
		"An account is one user's login at one provider. Smile collects its "
		"data when it is connected and, when monitored, again as new data "
		"appears. Revoking an account disconnects it and deletes what was "
		"collected; it asks for confirmation on production profiles.",
};
