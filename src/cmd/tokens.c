/* SPDX-License-Identifier: MIT */
/* smile tokens: session tokens for existing users. */
#include "cmd/opts.h"

static const char *const token_columns[] = {
	"id", "accessToken", "expiresAt", "mode", NULL
};

static const struct opt_spec refresh_opts[] = {
	Q_STR_MAX("user-id", "userId", OPT_REQUIRED, 200, "ID", "user the token is for"),
	OPT_END,
};

static const struct verb_spec token_verbs[] = {
	{
		.name = "refresh",
		.summary = "issue a fresh token for a user",
		.method = "POST",
		.path = "/tokens",
		.opts = refresh_opts,
		.columns = token_columns,
		.example = "smile tokens refresh --user-id smile1234-a5b39dfe76174defb353d7e97a88a85e",
	},
	VERB_END,
};

const struct group_spec group_tokens = {
	.name = "tokens",
	.summary = "session tokens for users",
	.verbs = token_verbs,
	.description =
		"A token lets one user's session (Smile Link or Wink) act for that "
		"user. `smile users create` already returns one; when it has expired, "
		"`smile tokens refresh` issues a new one for the same user.",
};
