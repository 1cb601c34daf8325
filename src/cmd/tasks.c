/* SPDX-License-Identifier: MIT */
/* smile tasks: the data collection runs behind accounts and archives. */
#include "cmd/opts.h"

static const char *const task_columns[] = {
	"id", "type", "status", "startedAt", "finishedAt", "metadata.userId", NULL
};

static const struct opt_spec list_opts[] = {
	Q_USER_ID,
	Q_START_DATE,
	Q_END_DATE,
	Q_SOURCE_ID,
	OPT_END,
};

static const struct verb_spec task_verbs[] = {
	{
		.name = "list",
		.summary = "list data collection tasks",
		.method = "GET",
		.path = "/tasks",
		.opts = list_opts,
		.columns = task_columns,
		.flags = VERB_LIST,
		.example = "smile tasks list --user-id smile1234-a5b39dfe76174defb353d7e97a88a85e",
	},
	VERB_GET("get", "task", "/tasks/{id}", task_columns, 0,
		 "smile tasks get tk-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	VERB_END,
};

const struct group_spec group_tasks = {
	.name = "tasks",
	.summary = "data collection runs",
	.verbs = task_verbs,
	.description =
		"A task is one run that collects data from an account or processes an "
		"archive. Its status tells whether the run is still going, finished or "
		"failed, and its datapoints which kinds of data it produced.",
};
