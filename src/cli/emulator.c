/* SPDX-License-Identifier: MIT */
/* Telling smile-emulator from the Smile API (see emulator.h). */
#include "cli/emulator.h"

#include <string.h>

#include "core/output/output.h"
#include "core/util.h"

#define EMULATOR_NAME "smile-emulator"

char *emulator_control_url(const char *base_url, const char *path)
{
	size_t len = strlen(base_url);

	while (len > 0 && base_url[len - 1] == '/')
		len--;
	if (len >= 3 && !strncmp(base_url + len - 3, "/v1", 3))
		len -= 3;
	return xasprintf("%.*s%s", (int)len, base_url, path);
}

static bool names_emulator(json_object *data)
{
	json_object *server = data ? json_get_path(data, "emulator") : NULL;

	return server && json_object_is_type(server, json_type_string) &&
	       !strcmp(json_object_get_string(server), EMULATOR_NAME);
}

enum emulator_answer emulator_probe(struct http_client *http, const char *base_url, char **why)
{
	char *url = emulator_control_url(base_url, "/_emulator/");
	struct http_request req = { .method = "GET", .path = url };
	struct http_response resp = { 0 };
	enum emulator_answer answer;

	*why = NULL;
	http_send(http, &req, &resp);
	if (resp.dry_run) {
		answer = EMULATOR_DRY_RUN;
		*why = xasprintf("--dry-run cannot ask whether %s is " EMULATOR_NAME, base_url);
	} else if (resp.failure == HTTP_OK && names_emulator(resp.data)) {
		answer = EMULATOR_YES;
	} else if (resp.failure == HTTP_FAIL_NETWORK || resp.failure == HTTP_FAIL_INTERRUPTED) {
		answer = EMULATOR_UNKNOWN;
		*why = xasprintf("cannot ask whether %s is " EMULATOR_NAME ": %s", base_url,
				 resp.error ? resp.error : "no answer");
	} else {
		answer = EMULATOR_NO;
		if (resp.status && resp.status != 200)
			*why = xasprintf("%s is not " EMULATOR_NAME " (GET %s answered HTTP %ld)", base_url, url,
					 resp.status);
		else
			*why = xasprintf("%s is not " EMULATOR_NAME " (GET %s does not name it)", base_url, url);
	}
	http_response_clear(&resp);
	free(url);
	return answer;
}
