/* SPDX-License-Identifier: MIT */
/* smile file-types: the kinds of documents archives accept. */
#include "cmd/opts.h"

static const char *const file_type_columns[] = {
	"type", "typeLabel", "active", "enabled", "ocr", "supported", NULL
};

static const struct opt_spec list_opts[] = {
	{ .name = "type", .type = OPT_STRING, .where = OPT_QUERY, .field = "type",
	  .values = complete_file_types, .metavar = "TYPE", .help = "only this file type, e.g. PAYSLIP" },
	Q_BOOL("active", "active", "only file types that are (or are not) active"),
	Q_BOOL("enabled", "enabled", "only file types enabled (or not) for your tenant"),
	Q_BOOL("ocr", "ocr", "only file types whose data is (or is not) extracted"),
	OPT_END,
};

static const struct verb_spec file_type_verbs[] = {
	{
		.name = "list",
		.summary = "list the file types archives accept",
		.method = "GET",
		.path = "/fileTypes",
		.opts = list_opts,
		.columns = file_type_columns,
		.flags = VERB_LIST,
		.example = "smile file-types list --ocr true",
	},
	VERB_END,
};

const struct group_spec group_file_types = {
	.name = "file-types",
	.summary = "kinds of documents archives accept",
	.verbs = file_type_verbs,
	.description =
		"File types name the documents a user can upload as an archive "
		"(payslips, tax documents, employment certificates, IDs). Use a type "
		"with `smile archives create --file-type`. Types marked ocr have their "
		"data extracted after upload.",
};
