/* SPDX-License-Identifier: MIT */
/*
 * A fresh link token for each widget launch: POST /users (or POST /tokens
 * for --user-id) through the CLI's cli_send, with what the official
 * quickstart server adds for the page. The server (server.c) calls it.
 */
#include "cli/status.h"
#include "cmd/link/link.h"
#include "core/http/client.h"
#include "core/util.h"

static json_object *mint(struct link_state *st)
{
	struct http_param param = { "userId", st->user_id };
	struct http_request req = { .method = "POST", .path = st->user_id ? "/tokens" : "/users",
				    .params = st->user_id ? &param : NULL, .n_params = st->user_id ? 1 : 0,
				    .body = st->user_id ? NULL : "{}" };
	struct http_response resp = { 0 };
	json_object *token = NULL, *data = NULL;

	if (cli_send(st->http, &req, &resp) == 0 && !resp.dry_run) {
		data = st->user_id ? resp.data : NULL;
		if (!st->user_id && resp.data)
			json_object_object_get_ex(resp.data, "token", &data);
		if (data && json_object_is_type(data, json_type_object))
			token = json_object_get(data);
		else
			log_error("HTTP %ld: the answer holds no token", resp.status);
	}
	http_response_clear(&resp);
	return token;
}

json_object *link_create_token(struct link_state *st)
{
	json_object *token = mint(st);

	if (!token)
		return NULL;
	/* As the official quickstart server adds them, for the page. */
	json_object_object_add(token, "apiHost", json_object_new_string(st->api_host));
	json_object_object_add(token, "topProviders", json_object_get(st->top_providers));
	json_object_object_add(token, "providers", json_object_get(st->providers));
	json_object_object_add(token, "enableUpload", json_object_new_boolean(st->enable_upload));
	if (st->template_id)
		json_object_object_add(token, "templateId", json_object_new_string(st->template_id));
	return token;
}
