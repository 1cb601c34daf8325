/* SPDX-License-Identifier: MIT */
/*
 * The request path of a verb: its template ("/users/{userId}") with each
 * {...} replaced, in order, by the next argument, URL-encoded. Used by the
 * generic runner, the confirmation prompt and the commands that build
 * their own requests.
 */
#include "cli/cmd.h"
#include "core/util.h"

#include <curl/curl.h>
#include <string.h>

char *cmd_expand_path(const struct cmd_ctx *ctx, const char *tmpl)
{
	struct strbuf sb = STRBUF_INIT;
	int next_arg = 0;
	for (const char *p = tmpl; *p;) {
		const char *close;
		if (*p == '{' && (close = strchr(p, '}'))) {
			const char *arg = next_arg < ctx->n_args ? ctx->args[next_arg++] : "";
			char *escaped = curl_easy_escape(NULL, arg, 0);
			strbuf_addstr(&sb, escaped ? escaped : "");
			curl_free(escaped);
			p = close + 1;
		} else {
			strbuf_addch(&sb, *p++);
		}
	}
	return strbuf_detach(&sb);
}
