/* SPDX-License-Identifier: MIT */
/* smile accounts: the provider accounts users connected. */
#include "cmd/opts.h"
#include "core/json.h"

#include <string.h>

#include "cli/download.h"
#include "cli/status.h"
#include "core/util.h"

static const char *const account_columns[] = {
	"id", "userId", "providerId", "connectionStatus", "connection.errorCode", "monitorStatus", "createdAt", NULL
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
	B_ENUM("export-extension-type", "exportExtensionType", OPT_REQUIRED | OPT_CASELESS, export_types,
	       "format of the export file (any case)"),
	L_PATH("download", "DIR", "save the generated file into DIR, its md5 checked"),
	OPT_END,
};

/* Saves the generated export into dir under the name its URL ends in,
 * kept only when its md5 is the one the API reported. */
static int download_export(struct http_client *http, json_object *exp, const char *dir)
{
	const char *url = json_string_member(exp, "downloadUrl"), *md5 = json_string_member(exp, "md5");

	if (!url || !(str_starts_with(url, "https://") || str_starts_with(url, "http://")))
		return log_status(SMILE_EXIT_FAILURE, "the export has no download URL");
	if (!md5 || strlen(md5) != 32 || strspn(md5, "0123456789abcdefABCDEF") != 32)
		return log_status(SMILE_EXIT_FAILURE, "the export has no md5 to check the file against; not downloaded");
	_cleanup_free_ char *name = url_last_segment(url);
	if (!download_name_is_safe(name))
		return log_status(SMILE_EXIT_FAILURE, "refusing to write the export: unsafe name from the server");
	_cleanup_free_ char *path = xasprintf("%s%s%s", dir, str_ends_with(dir, "/") ? "" : "/", name);
	struct download_check check = { .expect_md5 = md5 };
	int r = download_file(http, url, path, &check, NULL);
	if (r == 0)
		printf("%s\n", path);
	return r;
}

/*
 * export: generates the file; with --download, also saves it, checked
 * against the md5 the API reports (a damaged file is not kept).
 */
static int run_account_export(struct cmd_ctx *ctx)
{
	const char *dir = cmd_opt(ctx, "download");
	_cleanup_free_ char *path = NULL;
	struct http_response resp = { 0 };
	struct http_client *http;
	json_object *body = NULL;
	int r;

	if (!dir)
		return cmd_run_api(ctx);
	if ((!ctx->g->dry_run && (r = download_dir_ready(dir))) || (r = cmd_http(ctx, &http)) ||
	    (r = cmd_build_body(ctx, &body)))
		return r;
	path = cmd_expand_path(ctx, ctx->verb->path);
	struct http_request req = {
		.method = "POST",
		.path = path,
		.body = json_compact(body),
	};
	r = cli_send(http, &req, &resp);
	if (r == 0 && !resp.dry_run)
		r = download_export(http, resp.data, dir);
	http_response_clear(&resp);
	json_object_put(body);
	return r;
}

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
		.run = run_account_export,
		.opts = export_opts,
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = export_columns,
		.flags = VERB_BODY,
		.example = "smile accounts export a-ff4723f9af5f4dc5b6a22ea27fb3c8a1 --export-extension-type PDF\n"
			   "smile accounts export a-ff4723f9af5f4dc5b6a22ea27fb3c8a1 --export-extension-type csv --download exports/",
		.description =
			"Prints the export with the URL to download it from. With --download "
			"DIR, saves the file into DIR instead (made if missing) under the "
			"name its URL ends in, and prints the path written; the file is kept "
			"only when its md5 is the one the API reports, else the command fails "
			"and leaves nothing behind. An existing file of that name is kept and "
			"the command fails.",
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
