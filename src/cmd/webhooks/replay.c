/* SPDX-License-Identifier: MIT */
/*
 * smile webhooks replay: sends the deliveries of a --record file again,
 * in order, to an endpoint: the same raw bytes and Smile headers, the
 * signature made anew with --secret-file when given (an endpoint with
 * another secret), else as recorded. One line per delivery with the
 * endpoint's status; exit 8 when some did not get a 2xx.
 */
#include <string.h>

#include "cmd/webhooks/forward.h"
#include "cmd/webhooks/webhooks.h"
#include "core/signature.h"
#include "core/util.h"

#define REPLAY_TIMEOUT_MS 30000L

struct replay_run {
	struct cmd_ctx *ctx;
	struct http_client *http;
	const char *url;
	const char *secret;  /* NULL: keep the recorded signatures */
	const struct opt_value *events;
	unsigned long sent, failed, matched;
	int status;          /* the first network failure's, for the exit */
};

static bool wanted(const struct replay_run *run, const char *id)
{
	if (!run->events || !run->events->given)
		return true;
	for (size_t i = 0; id && i < run->events->n; i++)
		if (!strcmp(run->events->values[i], id))
			return true;
	return false;
}

/* The recorded headers to relay, with the signature made anew if asked. */
static char **headers_of(const struct replay_run *run, const struct recorded *rec)
{
	json_object *headers;
	char **out = xcalloc(json_object_object_length(
				     json_object_object_get_ex(rec->line, "headers", &headers) ? headers : NULL) + 3,
			     sizeof(*out));
	size_t n = 0;

	json_object_object_foreach(headers, key, value) {
		if (!forward_relays_header(key) || (run->secret && !strcasecmp(key, "Smile-Signature")))
			continue;
		out[n++] = xasprintf("%s: %s", key, json_object_get_string(value));
	}
	if (run->secret) {
		char sig[SIGNATURE_HEX_LEN + 1];
		signature_sign(run->secret, strlen(run->secret), rec->body, rec->body_len, sig);
		out[n++] = xasprintf("Smile-Signature: %s", sig);
	}
	out[n] = NULL;
	return out;
}

static int replay_one(void *ctx, const struct recorded *rec, const char *where)
{
	struct replay_run *run = ctx;
	struct forward_result res;
	char **headers, *line;
	int r;

	(void)where;
	if (!wanted(run, rec->event_id))
		return 0;
	run->matched++;
	headers = headers_of(run, rec);
	r = forward_send(run->http, run->url, (const char *const *)headers, rec->body, rec->body_len, &res);
	if (!run->ctx->g->dry_run) {
		line = forward_line(run->url, rec->event_id, &res);
		if (!run->ctx->g->quiet)
			printf("%s\n", line);
		free(line);
		run->sent++;
		if (res.status < 200 || res.status >= 300)
			run->failed++;
		if (r && !run->status)
			run->status = r;
	}
	for (size_t i = 0; headers[i]; i++)
		free(headers[i]);
	free(headers);
	return run->ctx->stop ? SMILE_EXIT_INTERRUPTED : 0;
}

int webhooks_run_replay(struct cmd_ctx *ctx)
{
	struct replay_run run = { .ctx = ctx, .url = cmd_opt(ctx, "forward-to"),
				  .events = cmd_opt_all(ctx, "event") };
	const char *secret_file = cmd_opt(ctx, "secret-file");
	char *secret = NULL;
	int r;

	if (!run.url)
		return log_status(SMILE_EXIT_USAGE, "missing required option --forward-to");
	if (secret_file && !strcmp(secret_file, "-") && !strcmp(ctx->args[0], "-"))
		return log_status(SMILE_EXIT_USAGE, "the secret and the recording cannot both come from stdin");
	if (secret_file && (r = cmd_read_secret_file(secret_file, &secret)))
		return r;
	run.secret = secret;
	run.http = cmd_http_for(ctx, run.url, ctx->g->timeout_ms > 0 ? ctx->g->timeout_ms : REPLAY_TIMEOUT_MS);
	r = run.http ? recorded_each(ctx->args[0], replay_one, &run) : SMILE_EXIT_FAILURE;
	if (r == 0 && run.matched == 0)
		r = log_status(SMILE_EXIT_USAGE, "no recorded delivery has the --event ids given");
	if (r == 0 && run.failed)
		r = run.failed == run.sent && run.status ? run.status : SMILE_EXIT_PARTIAL;
	if (r == 0 && run.failed == 0 && !ctx->g->quiet && !ctx->g->dry_run)
		fprintf(stderr, "smile: %lu deliveries replayed, all answered 2xx\n", run.sent);
	http_client_free(run.http);
	if (secret) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
	return r;
}
