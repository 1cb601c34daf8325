/* SPDX-License-Identifier: MIT */
/* smile uploads: the raw files users uploaded. */
#include "cmd/opts.h"

static const char *const upload_columns[] = {
	"id", "userId", "type", "state.status", "createdAt", NULL
};

static const struct opt_spec list_opts[] = {
	Q_USER_ID,
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct verb_spec upload_verbs[] = {
	{
		.name = "list",
		.summary = "list uploads",
		.method = "GET",
		.path = "/uploads",
		.opts = list_opts,
		.columns = upload_columns,
		.flags = VERB_LIST,
		.example = "smile uploads list --user-id smile1234-a5b39dfe76174defb353d7e97a88a85e",
	},
	VERB_GET("get", "upload", "/uploads/{id}", upload_columns, 0,
		 "smile uploads get u-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	VERB_END,
};

const struct group_spec group_uploads = {
	.name = "uploads",
	.summary = "files users uploaded",
	.verbs = upload_verbs,
	.description =
		"Uploads are the files users sent through their sessions, with their "
		"processing state. Files you send yourself are archives (see "
		"smile-archives(1)).",
};
