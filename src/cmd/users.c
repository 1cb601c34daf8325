/* SPDX-License-Identifier: MIT */
/* smile users: the people whose data you collect, and their sessions. */
#include "cmd/opts.h"
#include "cmd/users_look.h"

static const char *const user_columns[] = {
	"id", "createdAt", "session.status", "session.channel", NULL
};
/* One user: also what people look for on it, their own reference data and
 * the providers they connected. */
static const char *const user_get_columns[] = {
	"id", "createdAt", "session.status", "externalMetadata", "providers", NULL
};
/* What a new user is for: its id and the token its session needs. */
static const char *const created_user_columns[] = {
	"user.id", "token.accessToken", "token.expiresAt", NULL
};
static const char *const payload_columns[] = {
	"metadata.userId", "metadata.channel", "metadata.status", NULL
};

static const char *const found_columns[] = {
	"userId", "email", "fullName", "status", "id", "createdAt", NULL
};

static const struct opt_spec find_opts[] = {
	{ .name = "email", .type = OPT_EMAIL, .where = OPT_LOCAL, .flags = OPT_REQUIRED, .metavar = "EMAIL",
	  .help = "the e-mail address invited (any case)" },
	OPT_END,
};

static int run_find(struct cmd_ctx *ctx)
{
	return users_find(ctx, found_columns);
}

static const struct opt_spec list_opts[] = {
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct opt_spec create_opts[] = {
	B_KEYVALUE("metadata", "externalMetadata", 0, 5,
		   "your own reference data to keep with the user"),
	OPT_END,
};

static const struct verb_spec user_verbs[] = {
	{
		.name = "create",
		.summary = "create a user and a token for its session",
		.method = "POST",
		.path = "/users",
		.opts = create_opts,
		.columns = created_user_columns,
		.flags = VERB_BODY,
		.example = "smile users create --metadata crmId=42 --metadata branch=north",
		.description =
			"Prints the new user's id with the access token (and its expiry) "
			"to hand to the Smile Link or Wink session of that user.",
	},
	{
		.name = "list",
		.summary = "list users",
		.method = "GET",
		.path = "/users",
		.opts = list_opts,
		.columns = user_columns,
		.flags = VERB_LIST,
		.example = "smile users list --start-date 2024-01-01 --all -o csv",
	},
	VERB_GET("get", "user", "/users/{id}", user_get_columns, 0,
		 "smile users get smile1234-a5b39dfe76174defb353d7e97a88a85e"),
	{
		.name = "find",
		.summary = "find the users invited with an e-mail address",
		.method = "GET",
		.path = "/invites",
		.run = run_find,
		.opts = find_opts,
		.columns = found_columns,
		.example = "smile users find --email ana@example.com",
		.description =
			"Users carry no e-mail; invites do. Walks every page of the invites "
			"and prints each one sent to EMAIL (any case) with the user it made "
			"(userId). Exit 4 when there is none.",
	},
	{
		.name = "show",
		.summary = "one screen of a user: its accounts and the data there is",
		.method = "GET",
		.path = "/users/{id}",
		.run = users_show,
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.example = "smile users show smile1234-a5b39dfe76174defb353d7e97a88a85e",
		.description =
			"The user, its connected accounts (id, provider, status) and how many "
			"items of each kind of data exist for it (identities, employments, "
			"incomes, transactions, ... archives, uploads): one request each, the "
			"first page of 150, so a count of 150 or more shows as 150+. Kinds with "
			"none are left out of the screen; -o json gives {user, accounts, data}.",
	},
	{
		.name = "payload",
		.summary = "show everything collected for a user's session",
		.method = "GET",
		.path = "/users/{id}/payload",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = payload_columns,
		.example = "smile users payload smile1234-a5b39dfe76174defb353d7e97a88a85e -o json",
	},
	{
		.name = "reset-session",
		.summary = "reset a user's session so they can go through it again",
		.method = "POST",
		.path = "/users/{id}/resetSession",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.example = "smile users reset-session smile1234-a5b39dfe76174defb353d7e97a88a85e",
	},
	VERB_END,
};

const struct group_spec group_users = {
	.name = "users",
	.summary = "users and their sessions",
	.verbs = user_verbs,
	.description =
		"A user stands for one person whose employment and income data you "
		"collect. Create one per person, keep your own reference in its "
		"external metadata, and give the returned token to the session in "
		"which the person connects accounts or uploads documents. The payload "
		"gathers what that session collected.",
};
