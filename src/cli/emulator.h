/* SPDX-License-Identifier: MIT */
/*
 * Is the API smile talks to smile-emulator? Some things exist only there:
 * its control API (/_emulator/link plays a person linking an account,
 * which the real API does only through the Wink widget). Whoever needs them
 * (smile apply's link:, webhooks trigger) asks here, once, and refuses
 * before sending anything else when the answer is no.
 *
 * The answer comes from the server itself, never from the host name: the
 * emulator answers GET /_emulator/ with {"emulator": "smile-emulator", ...}
 * (smile-emulator(1)); the Smile API has no such path.
 */
#pragma once

#include "core/http/client.h"

enum emulator_answer {
	EMULATOR_YES,      /* smile-emulator answered */
	EMULATOR_NO,       /* something else answered */
	EMULATOR_UNKNOWN,  /* no answer: network failure, interrupted */
	EMULATOR_DRY_RUN,  /* --dry-run: the probe was shown, not sent */
};

/* The URL of a control path ("/_emulator/link") or of the stand-in Wink
 * SDK (smile link) of the emulator behind
 * base_url: base_url without its trailing "/v1", then path. Allocated. */
char *emulator_control_url(const char *base_url, const char *path);

/* Asks GET /_emulator/ through the client (so --dry-run, --verbose and the
 * retries hold). On any answer but EMULATOR_YES, *why (allocated) says
 * what answered, for a message like "link: needs smile-emulator: ...". */
enum emulator_answer emulator_probe(struct http_client *http, const char *base_url, char **why);
