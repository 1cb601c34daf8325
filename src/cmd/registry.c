/* SPDX-License-Identifier: MIT */
/* The list of command groups, in the order `smile --help` shows them. */
#include "cmd.h"
#include "cmd/groups.h"

const struct group_spec *const smile_groups[] = {
	&group_config,
	&group_api,
	NULL,
};
