/* SPDX-License-Identifier: MIT */
/*
 * What an HTTP outcome means for smile's exit status (README "Exit status",
 * smile(1) EXIT STATUS). The core reports what happened; this is the one
 * place that turns it into a status.
 */
#pragma once

#include "core/http/client.h"

/* 0 for a success (and for a dry run, which sent nothing), else SMILE_EXIT_*:
 * HTTP_FAIL_STATUS by the status (401/403 auth, 404 not found, 429 rate
 * limited, 5xx server, others failure), HTTP_FAIL_NETWORK network,
 * HTTP_FAIL_INTERRUPTED 130, a bad response or a local failure 1. */
int cli_exit_status(const struct http_response *r);
/* An HTTP status as an exit status (2xx: 0; 0, no answer: network). */
int cli_status_exit(long status);

/* Sends one request (http_send); on failure logs its one-line error
 * (http_report_error). Returns the exit status. */
int cli_send(struct http_client *c, const struct http_request *req, struct http_response *r);

struct profile;
/* 0, or logs how to add the missing credentials (never a secret; the hint
 * repeats --profile when that chose the profile) and returns
 * SMILE_EXIT_AUTH. */
int cli_require_credentials(const struct profile *p);
