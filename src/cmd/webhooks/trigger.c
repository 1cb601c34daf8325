/* SPDX-License-Identifier: MIT */
/*
 * smile webhooks trigger: makes smile-emulator emit one event of any type
 * the docs list (POST /_emulator/trigger), with its data shaped as the
 * docs' example payload, to every webhook subscribed to it. The real API
 * has no such thing (events happen when users do things), so anything but
 * the emulator is refused before the event is asked for.
 */
#include <string.h>

#include "cli/emulator.h"
#include "cli/status.h"
#include "cmd/webhooks/webhooks.h"
#include "core/json.h"
#include "core/util.h"

static int check_emulator(struct http_client *http, const char *base_url)
{
	char *why = NULL;
	enum emulator_answer a = emulator_probe(http, base_url, &why);
	int r = 0;

	if (a == EMULATOR_NO)
		r = log_status(SMILE_EXIT_USAGE, "webhooks trigger needs smile-emulator, refused: %s; at the "
				  "Smile API events happen only when users act", why);
	else if (a == EMULATOR_UNKNOWN)
		r = log_status(SMILE_EXIT_NETWORK, "webhooks trigger: %s", why);
	free(why);
	return r;
}

static int print_answer(struct cmd_ctx *ctx, json_object *data)
{
	static const char *const columns[] = { "eventType", "data", NULL };
	struct output_opts oo;
	struct output *out;

	cmd_output_opts(ctx, &oo, columns);
	out = output_begin(&oo, stdout, false);
	output_item(out, data);
	return output_end(out) ? SMILE_EXIT_FAILURE : 0;
}

int webhooks_run_trigger(struct cmd_ctx *ctx)
{
	const struct profile *p;
	struct http_client *http;
	struct http_response resp;
	json_object *body;
	char *url, *text;
	int r;

	if ((r = cmd_profile(ctx, &p)) || (r = cmd_http(ctx, &http)) || (r = check_emulator(http, p->base_url)))
		return r;
	body = json_object_new_object();
	json_object_object_add(body, "eventType", json_object_new_string(ctx->args[0]));
	if (cmd_opt(ctx, "user-id"))
		json_object_object_add(body, "userId", json_object_new_string(cmd_opt(ctx, "user-id")));
	text = json_compact_dup(body);
	url = emulator_control_url(p->base_url, "/_emulator/trigger");
	struct http_request req = { .method = "POST", .path = url, .body = text };
	r = cli_send(http, &req, &resp);
	if (r == 0 && !resp.dry_run)
		r = ctx->g->quiet ? 0 : print_answer(ctx, resp.data);
	http_response_clear(&resp);
	json_object_put(body);
	free(text);
	free(url);
	return r;
}
