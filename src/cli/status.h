/* SPDX-License-Identifier: MIT */
/*
 * What an HTTP outcome means for smile's exit status (README "Exit status",
 * smile(1) EXIT STATUS). The core reports what happened; this is the one
 * place that turns it into a status.
 */
#pragma once

#include "core/http/client.h"

/* 0 for a success (and for a dry run, which sent nothing), else SMILE_EXIT_*. */
int cli_exit_status(const struct http_response *r);
