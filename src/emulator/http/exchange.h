/* SPDX-License-Identifier: MIT */
/*
 * The request and the response as the HTTP layer (router.c, request.c,
 * reply.c) sees them inside. Handlers see them only through emu.h.
 */
#pragma once

#include <json-c/json.h>

#include "emulator/emulator.h"

#define MAX_CAPTURES 4

struct capture {
	const char *name; /* into the route pattern, up to '}' */
	size_t name_len;
	char *value;
};

struct emu_request {
	const struct emu_call *call;
	const char *method;
	const char *path; /* without the /v1 prefix once routed as an API path */
	struct capture captures[MAX_CAPTURES];
	size_t n_captures;
	char *body;       /* call->body with a NUL after it */
	json_object *json;
};

struct emu_response {
	struct emu_answer answer;
	bool replied;
	char request_id[37];
};

void captures_free(struct emu_request *req);
/* Drops the answer prepared so far, for a fault that strikes after. */
void emu_response_clear(struct emu_response *res);
