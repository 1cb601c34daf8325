/* SPDX-License-Identifier: MIT */
/*
 * smile webhooks verify: checks a saved body against a signature, or every
 * delivery of a --record file against the signature recorded with it, for
 * people debugging their own receiver. Exit 0: it matches; 1: it does not;
 * 2: bad input.
 */
#include <string.h>

#include "cmd/webhooks/webhooks.h"
#include "core/signature.h"
#include "core/util.h"

#define BODY_MAX (16u * 1024 * 1024)

struct verify_run {
	const char *secret;
	bool quiet;
	unsigned long valid, invalid;
};

static int verify_body(struct verify_run *v, const char *path, const char *signature)
{
	char *body = NULL;
	size_t len = 0;
	int r = read_file_all(path, BODY_MAX, &body, &len);
	enum signature_check check;

	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot read '%s': %s", path, strerror(-r));
	check = signature_check(v->secret, strlen(v->secret), body, len, signature);
	free(body);
	if (check == SIGNATURE_MALFORMED)
		return log_status(SMILE_EXIT_USAGE, "--signature is not %d hex digits", SIGNATURE_HEX_LEN);
	if (check == SIGNATURE_INVALID)
		return log_status(SMILE_EXIT_FAILURE, "signature does not match the body (another secret, or "
				  "the body changed)");
	if (!v->quiet)
		printf("valid signature\n");
	return 0;
}

static const char *verdict(enum signature_check c)
{
	return c == SIGNATURE_VALID ? "valid" : c == SIGNATURE_INVALID ? "invalid" : "no valid";
}

static int verify_recorded(void *ctx, const struct recorded *rec, const char *where)
{
	struct verify_run *v = ctx;
	enum signature_check c = signature_check(v->secret, strlen(v->secret), rec->body, rec->body_len,
						 rec->signature);

	if (c == SIGNATURE_VALID)
		v->valid++;
	else
		v->invalid++;
	if (!v->quiet || c != SIGNATURE_VALID) {
		_cleanup_free_ char *type = event_shown(rec->type), *id = event_shown(rec->event_id);
		printf("%s: %s signature: %s %s\n", where, verdict(c), type, id);
	}
	return 0;
}

int webhooks_run_verify(struct cmd_ctx *ctx)
{
	const char *path = ctx->n_args ? ctx->args[0] : "-";
	const char *secret_file = cmd_opt(ctx, "secret-file");
	const char *signature = cmd_opt(ctx, "signature");
	struct verify_run v = { .quiet = ctx->g->quiet };
	char *secret = NULL;
	int r;

	if (!secret_file)
		return log_status(SMILE_EXIT_USAGE, "missing required option --secret-file");
	if (!strcmp(secret_file, "-") && !strcmp(path, "-"))
		return log_status(SMILE_EXIT_USAGE, "the secret and the body cannot both come from stdin");
	if ((r = cmd_read_secret_file(secret_file, &secret)))
		return r;
	v.secret = secret;
	if (signature) {
		r = verify_body(&v, path, signature);
	} else {
		r = recorded_each(path, verify_recorded, &v);
		if (r == 0 && v.invalid)
			r = SMILE_EXIT_FAILURE;
	}
	explicit_bzero(secret, strlen(secret));
	free(secret);
	return r;
}
