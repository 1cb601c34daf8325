/* SPDX-License-Identifier: MIT */
/*
 * smile archives: documents sent to Smile for analysis, and the payslip
 * predictions made from them.
 *
 * Most verbs are table rows. Three are written by hand because the API
 * wants file contents inside the JSON body (create, classify,
 * upload-payslip) and one writes the archive's files to disk (download).
 */
#include "cli/download.h"
#include "cmd/archive_files.h"
#include "cmd/raw_files.h"
#include "cli/status.h"
#include "cmd/opts.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/util.h"

static const char *const archive_columns[] = {
	"id", "userId", "type", "state.status", "classification.fileType", "createdAt", NULL
};
static const char *const prediction_columns[] = {
	"metadata.sourceId", "employeeName", "employerName", "payDate", "currency",
	"grossAmount", "netAmount", NULL
};
static const char *const download_columns[] = { "name", "path", "bytes", NULL };

static const char *const file_subtypes[] = {
	"PAYSLIP", "PERSONAL_INFORMATION", "EMPLOYMENT_INFORMATION", "TAX_PAYMENT",
	"COMPANY_ID_FRONT", "COMPANY_ID_BACK", "CARD_FRONT", "CARD_BACK", NULL
};

static const char *const currencies[] = {
	"AFN", "DZD", "ARS", "AMD", "AWG", "AUD", "AZN", "BSD", "BHD", "THB", "PAB", "BBD",
	"BYN", "BZD", "BMD", "VES", "BOB", "BRL", "BND", "BGN", "BIF", "CAD", "CVE", "KYD",
	"GHS", "XOF", "XAF", "XPF", "CLP", "COP", "KMF", "CDF", "BAM", "NIO", "CRC", "HRK",
	"CZK", "GMD", "DKK", "MKD", "DJF", "STD", "DOP", "VND", "XCD", "EGP", "SVC", "ETB",
	"EUR", "FKP", "FJD", "HUF", "GIP", "HTG", "PYG", "GNF", "GYD", "HKD", "UAH", "ISK",
	"INR", "IRR", "IQD", "JMD", "JOD", "KES", "PGK", "LAK", "EEK", "KWD", "MWK", "AOA",
	"MMK", "GEL", "LVL", "LBP", "ALL", "HNL", "SLL", "LRD", "LYD", "SZL", "LTL", "LSL",
	"MGA", "MYR", "TMT", "MUR", "MZN", "MXN", "MDL", "MAD", "NGN", "ERN", "NAD", "NPR",
	"ANG", "ILS", "RON", "TWD", "NZD", "BTN", "KPW", "NOK", "PEN", "MRO", "TOP", "PKR",
	"MOP", "UYU", "PHP", "GBP", "BWP", "QAR", "GTQ", "ZAR", "OMR", "KHR", "MVR", "IDR",
	"RUB", "RWF", "SHP", "SAR", "RSD", "SCR", "SGD", "SBD", "KGS", "SOS", "TJS", "LKR",
	"SDG", "SRD", "SEK", "CHF", "SYP", "BDT", "WST", "TZS", "KZT", "TTD", "MNT", "TND",
	"TRY", "AED", "UGX", "CLF", "USD", "UZS", "VUV", "KRW", "YER", "JPY", "CNY", "ZMW",
	"ZWL", "PLN", NULL
};

/* ---- files into the body ------------------------------------------------ */

/* Checks every FILE argument has a type the API takes, before anything is read. */
static int check_file_types(const struct cmd_ctx *ctx)
{
	for (int i = 0; i < ctx->n_args; i++) {
		_cleanup_free_ char *why = raw_file_type_problem(ctx->args[i]);
		if (why)
			return log_status(SMILE_EXIT_USAGE, "%s", why);
	}
	return 0;
}

/* Before the credentials are looked at (verb_spec.check): every FILE has a
 * type the API takes, is there, and is within the API's size limit. */
static int check_archive_files(struct cmd_ctx *ctx)
{
	int r = check_file_types(ctx);

	for (int i = 0; i < ctx->n_args && !r; i++) {
		_cleanup_free_ char *why = raw_file_problem(ctx->args[i], &r);
		r = why ? log_status(r, "%s", why) : 0;
	}
	return r;
}

static int send_body(struct cmd_ctx *ctx, json_object *body)
{
	const char *text = json_compact(body);

	return cmd_request_and_print(ctx, ctx->verb->method, ctx->verb->path, NULL, 0, text,
				     false, ctx->verb->columns);
}

/*
 * The verbs that send files inside the body: the body from --input and the
 * flags, add_files puts the FILE arguments in (or checks --input has
 * them), then one POST.
 */
static int run_with_files(struct cmd_ctx *ctx, int (*add_files)(struct cmd_ctx *ctx, json_object *body))
{
	json_object *body = NULL;
	/* The FILE arguments were checked by check_archive_files. */
	int r = cmd_build_body(ctx, &body);
	if (r)
		return r;
	r = add_files(ctx, body);
	if (r == 0)
		r = send_body(ctx, body);
	json_object_put(body);
	return r;
}

/* create and classify: rawFiles made from the FILE arguments (which
 * replace any rawFiles in --input). */
static int add_raw_files(struct cmd_ctx *ctx, json_object *body)
{
	int r = 0;

	if (ctx->n_args == 0)
		return json_object_object_get_ex(body, "rawFiles", NULL)
			       ? 0
			       : log_status(SMILE_EXIT_USAGE, "give at least one FILE (or rawFiles in --input)");
	json_object *files = json_object_new_array();
	json_object_object_add(body, "rawFiles", files);
	for (int i = 0; i < ctx->n_args && r == 0; i++) {
		json_object *item = NULL;
		r = raw_file_item(ctx->args[i], cmd_opt(ctx, "sub-type"), &item);
		if (r == 0)
			json_object_array_add(files, item);
	}
	return r;
}

static int run_archive_with_files(struct cmd_ctx *ctx)
{
	return run_with_files(ctx, add_raw_files);
}

/* upload-payslip: one file as {userId, fileExtensionType, fileContent}.
 * The FILE fills fileExtensionType and fileContent; without one, --input
 * must hold them, as any body may come whole from --input. */
static int add_payslip_file(struct cmd_ctx *ctx, json_object *body)
{
	const char *path = ctx->n_args ? ctx->args[0] : NULL;
	char *content = NULL;
	int r;

	if (!path)
		return json_object_object_get_ex(body, "fileContent", NULL)
			       ? 0
			       : log_status(SMILE_EXIT_USAGE, "give a FILE (or fileContent in --input)");
	if ((r = raw_file_base64(path, &content)))
		return r;
	json_object_object_add(body, "fileExtensionType", json_object_new_string(archive_file_type(path)));
	json_object_object_add(body, "fileContent", json_object_new_string(content));
	free(content);
	return 0;
}

static int run_upload_payslip(struct cmd_ctx *ctx)
{
	return run_with_files(ctx, add_payslip_file);
}

/* ---- download ------------------------------------------------------------ */

/* Streams one file into place (cli/download.h). */
static int download_one(struct http_client *http, struct planned_file *d, bool clobber)
{
	struct download_check check = { .replace = clobber };

	if (d->kept)
		return 0;
	struct digest_hex hex;
	int r = download_file(http, d->url, d->path, &check, &hex);

	if (r == 0)
		d->bytes = hex.bytes;
	return r;
}

/* Plain output is one path per line; any other format chosen (-o or the
 * profile's output key) gets {name, path, bytes}. */
static int print_downloads(struct cmd_ctx *ctx, const struct planned_file *plan, size_t n)
{
	struct output_opts oo;
	int r = 0;

	cmd_output_opts(ctx, &oo, download_columns);
	if (!ctx->output_chosen || oo.format == OUTPUT_TABLE) {
		for (size_t i = 0; i < n; i++)
			if (plan[i].written)
				printf("%s\n", plan[i].path);
		return 0;
	}
	struct output *o = output_begin(&oo, stdout, true);
	for (size_t i = 0; i < n && r == 0; i++) {
		if (!plan[i].written)
			continue;
		json_object *item = json_object_new_object();
		json_object_object_add(item, "name", json_object_new_string(plan[i].name));
		json_object_object_add(item, "path", json_object_new_string(plan[i].path));
		json_object_object_add(item, "bytes", json_object_new_int64(plan[i].bytes));
		r = output_item(o, item);
		json_object_put(item);
	}
	int e = output_end(o);
	return r || e ? SMILE_EXIT_FAILURE : 0;
}

/*
 * One file failing (a dropped connection, a 404 from the file host) does not
 * stop the others: a user who lost files wants every one still there. Exit 8
 * when some were written and some not, as for any partial bulk result.
 */
static int download_all(struct cmd_ctx *ctx, struct http_client *http, bool clobber, struct planned_file *plan, size_t n)
{
	size_t written = 0, kept = 0;
	int failure = 0;

	for (size_t i = 0; i < n; i++) {
		int r = download_one(http, &plan[i], clobber);
		if (r) {
			failure = r;
			continue;
		}
		kept += plan[i].kept;
		plan[i].written = !plan[i].kept;
		written += !plan[i].kept;
	}
	if (kept)
		fprintf(stderr, "smile: kept %zu file%s already there (--skip-existing)\n", kept, kept == 1 ? "" : "s");
	int p = print_downloads(ctx, plan, n); /* what was written, even if others failed */
	if (failure && written > 0) {
		log_error("downloaded %zu of %zu files", written, n);
		return SMILE_EXIT_PARTIAL;
	}
	return failure ? failure : p;
}

static int check_download_options(struct cmd_ctx *ctx)
{
	if (cmd_flag(ctx, "clobber") && cmd_flag(ctx, "skip-existing"))
		return log_status(SMILE_EXIT_USAGE, "--clobber and --skip-existing cannot be used together");
	return 0;
}

static int run_archive_download(struct cmd_ctx *ctx)
{
	const char *dir = cmd_opt(ctx, "output-dir") ? cmd_opt(ctx, "output-dir") : ".";
	bool clobber = cmd_flag(ctx, "clobber");
	enum plan_existing existing = clobber ? PLAN_REPLACE
				      : cmd_flag(ctx, "skip-existing") ? PLAN_SKIP_EXISTING : PLAN_REFUSE;
	_cleanup_free_ char *path = NULL;
	struct http_response resp = { 0 };
	struct http_client *http;
	json_object *files;
	struct planned_file *plan = NULL;
	size_t n = 0;
	int r = cmd_http(ctx, &http);

	if (r)
		return r;
	path = cmd_expand_path(ctx, ctx->verb->path);
	struct http_request req = { .method = "GET", .path = path };
	r = cli_send(http, &req, &resp);
	if (r)
		goto out;
	if (ctx->g->dry_run)
		goto out; /* the archive was not fetched, so there is nothing to plan */
	if (!json_object_object_get_ex(resp.data, "rawFiles", &files) ||
	    !json_object_is_type(files, json_type_array)) {
		r = log_status(SMILE_EXIT_FAILURE, "archive %s lists no files", ctx->args[0]);
		goto out;
	}
	n = json_object_array_length(files);
	plan = xcalloc(n ? n : 1, sizeof(*plan));
	r = archive_plan_files(files, dir, existing, plan, n);
	if (r == 0)
		r = download_dir_ready(dir);
	if (r == 0)
		r = download_all(ctx, http, clobber, plan, n);
out:
	archive_plan_release(plan, n);
	http_response_clear(&resp);
	return r;
}

/* ---- the table ----------------------------------------------------------- */

static const struct opt_spec list_opts[] = {
	Q_USER_ID,
	{ .name = "file-type", .type = OPT_STRING, .where = OPT_QUERY, .field = "fileType",
	  .values = complete_file_types, .metavar = "TYPE",
	  .help = "only archives of this file type (see smile file-types list)" },
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct opt_spec create_opts[] = {
	B_STR("user-id", "userId", 0, 0, 0, "ID", "user the documents belong to"),
	{ .name = "file-type", .type = OPT_STRING, .where = OPT_BODY, .field = "fileType",
	  .values = complete_file_types, .metavar = "TYPE",
	  .help = "what the documents are (see smile file-types list)" },
	L_ENUM("sub-type", file_subtypes, "what part of the document each file shows"),
	OPT_END,
};

static const struct opt_spec classify_opts[] = {
	B_STR("user-id", "userId", 0, 0, 0, "ID", "user the documents belong to"),
	L_ENUM("sub-type", file_subtypes, "what part of the document each file shows"),
	OPT_END,
};

static const struct opt_spec download_opts[] = {
	L_PATH("output-dir", "DIR", "directory to write the files to (default: the current one)"),
	L_FLAG("clobber", "overwrite files that already exist"),
	L_FLAG("skip-existing", "keep files already there with the archive's size (a re-run completes a partial download)"),
	OPT_END,
};

static const struct opt_spec upload_payslip_opts[] = {
	B_STR("user-id", "userId", OPT_REQUIRED, 1, 0, "ID", "user the payslip belongs to"),
	OPT_END,
};

static const struct opt_spec prediction_opts[] = {
	Q_STR_MAX("archive-id", "archiveId", OPT_REQUIRED, 0, "ID", "archive of the payslip"),
	OPT_END,
};

static const struct opt_spec list_predictions_opts[] = {
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct opt_spec manual_result_opts[] = {
	B_STR("archive-id", "archiveId", OPT_REQUIRED, 1, 0, "ID", "archive the result is for"),
	B_BOOL("valid-file", "validFile", OPT_REQUIRED, "whether the file is a genuine payslip"),
	B_LIST("checked-fields", "checkedFields", 0, NULL, "FIELD,...", "fields a person checked"),
	B_DATE("start-date", "data.startDate", 0, "first day of the pay period"),
	B_DATE("end-date", "data.endDate", 0, "last day of the pay period"),
	B_DATE("pay-date", "data.payDate", 0, "day the pay was paid"),
	B_ENUM("currency", "data.currency", 0, currencies, "currency of the amounts (ISO 4217)"),
	B_NUMBER("gross-amount", "data.grossAmount", 0, "pay before deductions"),
	B_NUMBER("net-amount", "data.netAmount", 0, "pay after deductions"),
	B_STR("employer-name", "data.employerName", 0, 0, 0, "NAME", "employer on the payslip"),
	B_STR("employee-name", "data.employeeName", 0, 0, 0, "NAME", "employee on the payslip"),
	B_STR("ss-number", "data.ssNumber", 0, 0, 0, "NUMBER", "social security number"),
	B_STR("phil-health-number", "data.philHealthNumber", 0, 0, 0, "NUMBER", "the employee's PhilHealth number"),
	B_STR("tax-number", "data.taxNumber", 0, 0, 0, "NUMBER", "tax identification number"),
	B_STR("pag-ibig-number", "data.pagIbigNumber", 0, 0, 0, "NUMBER", "the employee's Pag-IBIG number"),
	OPT_END,
};

#define EXAMPLE_ARCHIVE "u-ff4723f9af5f4dc5b6a22ea27fb3c8a1"
#define EXAMPLE_USER "smile1234-a5b39dfe76174defb353d7e97a88a85e"

static const struct verb_spec archive_verbs[] = {
	{
		.name = "list",
		.summary = "list archives",
		.method = "GET",
		.path = "/archives",
		.opts = list_opts,
		.columns = archive_columns,
		.flags = VERB_LIST,
		.example = "smile archives list --user-id " EXAMPLE_USER " --file-type PAYSLIP",
	},
	VERB_GET("get", "archive", "/archives/{id}", archive_columns, 0,
		 "smile archives get " EXAMPLE_ARCHIVE),
	{
		.name = "create",
		.summary = "upload documents of a known type for analysis",
		.method = "POST",
		.path = "/archives",
		.run = run_archive_with_files,
		.check = check_archive_files,
		.opts = create_opts,
		.args = "FILE...",
		.min_args = 0,
		.max_args = -1,
		.columns = archive_columns,
		.flags = VERB_BODY,
		.example = "smile archives create --user-id " EXAMPLE_USER
			   " --file-type PAYSLIP march.pdf april.pdf",
		.description =
			"Each FILE (.pdf, .png, .jpg or .jpeg, at most the API's 15 MB, refused before anything is sent) is sent "
			"base64-encoded as one of the archive's raw files.",
	},
	{
		.name = "classify",
		.summary = "upload documents and let Smile tell their type",
		.method = "POST",
		.path = "/archives/classify",
		.run = run_archive_with_files,
		.check = check_archive_files,
		.opts = classify_opts,
		.args = "FILE...",
		.min_args = 0,
		.max_args = -1,
		.columns = archive_columns,
		.flags = VERB_BODY,
		.example = "smile archives classify --user-id " EXAMPLE_USER " scan.jpg",
		.description =
			"Like create, without a file type: the archive's classification "
			"says what the documents are.",
	},
	{
		.name = "revoke",
		.summary = "delete an archive and the data taken from it",
		.method = "DELETE",
		.path = "/archives/{id}",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_DESTRUCTIVE,
		.example = "smile archives revoke " EXAMPLE_ARCHIVE " --yes",
	},
	{
		.name = "download",
		.summary = "save an archive's files",
		.method = "GET",
		.path = "/archives/{id}",
		.run = run_archive_download,
		.check = check_download_options,
		.opts = download_opts,
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = download_columns,
		.example = "smile archives download " EXAMPLE_ARCHIVE " --output-dir payslips/",
		.description =
			"Writes each raw file of the archive into the output directory "
			"under the name the server gives it and prints the paths written "
			"(with -o json: name, path and bytes of each). Names that would "
			"leave the directory are refused. The output directory is made "
			"with its parents if missing. An existing file stops the command "
			"before anything is written, unless --clobber (overwrite it) or "
			"--skip-existing (keep it when its size is the archive's, so a "
			"re-run completes a partial download) is given. Files are fetched without your API "
			"credentials unless they are on the API host itself. A file that "
			"cannot be fetched does not stop the others; the exit status is "
			"then 8 if any file was written.",
	},
	{
		.name = "upload-payslip",
		.summary = "upload one payslip for prediction",
		.method = "POST",
		.path = "/archives/-/payslips/uploadRawFile",
		.run = run_upload_payslip,
		.check = check_archive_files,
		.opts = upload_payslip_opts,
		.args = "[FILE]",
		.min_args = 0,
		.max_args = 1,
		.columns = archive_columns,
		.flags = VERB_BODY,
		.example = "smile archives upload-payslip --user-id " EXAMPLE_USER " payslip.pdf",
		.description =
			"FILE (.pdf, .png, .jpg or .jpeg, at most the API's 15 MB, refused before anything is sent) is sent base64-encoded as "
			"fileContent, its type as fileExtensionType. Without FILE, the whole body "
			"(userId, fileExtensionType, fileContent) comes from --input.",
	},
	{
		.name = "payslip-prediction",
		.summary = "show the data predicted from an uploaded payslip",
		.method = "GET",
		.path = "/archives/-/payslips/queryPrediction",
		.opts = prediction_opts,
		.columns = prediction_columns,
		.example = "smile archives payslip-prediction --archive-id " EXAMPLE_ARCHIVE,
	},
	{
		.name = "list-predictions",
		.summary = "list payslip predictions",
		.method = "GET",
		.path = "/archives/-/payslips/listPredictions",
		.opts = list_predictions_opts,
		.columns = prediction_columns,
		.flags = VERB_LIST,
		.example = "smile archives list-predictions --start-date 2024-01-01 --all",
	},
	{
		.name = "send-manual-result",
		.summary = "send a person's review of a payslip prediction",
		.method = "POST",
		.path = "/archives/-/payslips/sendManualResult",
		.opts = manual_result_opts,
		.flags = VERB_BODY,
		.example = "smile archives send-manual-result --archive-id " EXAMPLE_ARCHIVE
			   " --valid-file true --net-amount 25000 --currency PHP",
	},
	VERB_END,
};

const struct group_spec group_archives = {
	.name = "archives",
	.summary = "documents sent for analysis",
	.verbs = archive_verbs,
	.description =
		"An archive is a set of documents (payslips, certificates, IDs) you "
		"send for a user, which Smile classifies and extracts data from. "
		"create sends files of a known type, classify lets Smile tell the "
		"type, download saves the files again. The payslip verbs "
		"(upload-payslip, payslip-prediction, list-predictions, "
		"send-manual-result) use /archives/-/payslips to predict payslip data "
		"and take a person's review of it.",
};
