/* SPDX-License-Identifier: MIT */
#include "cli/status.h"

int cli_exit_status(const struct http_response *r)
{
	return r->exit_status;
}
