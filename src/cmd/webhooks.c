/* SPDX-License-Identifier: MIT */
/* smile webhooks: endpoints Smile notifies of events. */
#include "cmd/opts.h"
#include "cmd/webhooks/webhooks.h"

static const char *const webhook_columns[] = {
	"id", "name", "url", "eventTypes", "active", "includePayload", "createdAt", NULL
};

static const char *const event_types[] = {
	"USER_CREATED", "ACCOUNT_CREATED", "ACCOUNT_CONNECTED", "ACCOUNT_DISCONNECTED",
	"ACCOUNT_FAILED", "TASK_STARTED", "TASK_FINISHED", "ACCOUNT_SYNC_TASK_FINISHED",
	"ARCHIVE_STARTED", "ARCHIVE_ANALYZED", "ARCHIVE_REVOKED", "ARCHIVE_FAILED",
	"INVITE_INVITED", "INVITE_LINKED", "IDENTITY_ADDED", "RATING_ADDED",
	"TRANSACTIONS_ADDED", "DOCUMENTS_ADDED", "DOCUMENTS_UPDATED", "EMPLOYMENTS_ADDED",
	"EMPLOYMENTS_UPDATED", "INCOMES_ADDED", "INCOMES_UPDATED", "CONTRIBUTIONS_ADDED",
	"CONTRIBUTIONS_UPDATED", "EINCOMES_ADDED", "EINCOMES_UPDATED", "LIABILITIES_ADDED",
	"LIABILITIES_UPDATED", "INSIGHT_ADDED", "LINK_ADDED", "VERIFICATION_STARTED",
	"VERIFICATION_COMPLETED", "RECORD_CREATED", "RECORD_COMPLETED",
	"USER_SESSION_COMPLETED", "USER_SESSION_RESET", "ALL_EVENTS", NULL
};

static const struct opt_spec create_opts[] = {
	B_STR("name", "name", OPT_REQUIRED, 1, 200, "NAME", "name to tell the webhook apart"),
	B_URL("url", "url", OPT_REQUIRED, 500, "endpoint the events are posted to"),
	B_LIST("event-types", "eventTypes", OPT_REQUIRED, event_types, "TYPE,...",
	       "events to send, comma-separated; ALL_EVENTS for every one"),
	B_BOOL("active", "active", OPT_REQUIRED, "whether events are sent now"),
	B_BOOL("include-payload", "includePayload", 0, "send the changed data with each event"),
	B_STR("secret", "secret", OPT_REQUIRED | OPT_SECRET, 1, 64, "SECRET",
	      "key that signs each event: read from --secret-file, --input, stdin or a no-echo prompt"),
	L_PATH("secret-file", "FILE", "read the secret from FILE (its one line; - for stdin)"),
	OPT_END,
};

static const struct opt_spec verify_opts[] = {
	L_PATH("secret-file", "FILE", "the webhook's secret, one line (- for stdin)"),
	{ .name = "signature", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 1024, .metavar = "HEX",
	  .help = "the Smile-Signature to check FILE's bytes against (default: FILE is a --record file)" },
	OPT_END,
};

static const struct verb_spec webhook_verbs[] = {
	{
		.name = "list",
		.summary = "list webhooks",
		.method = "GET",
		.path = "/webhooks",
		.columns = webhook_columns,
		.flags = VERB_LIST,
		.example = "smile webhooks list",
	},
	VERB_GET("get", "webhook", "/webhooks/{id}", webhook_columns, 0,
		 "smile webhooks get wh-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	{
		.name = "create",
		.summary = "register a webhook",
		.method = "POST",
		.path = "/webhooks",
		.opts = create_opts,
		.columns = webhook_columns,
		.flags = VERB_BODY,
		.example = "smile webhooks create --name crm --url https://example.com/hooks/smile "
			   "--event-types ACCOUNT_CONNECTED,ARCHIVE_ANALYZED --active true <secret.txt",
	},
	{
		.name = "delete",
		.summary = "delete a webhook",
		.method = "DELETE",
		.path = "/webhooks/{id}",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_DESTRUCTIVE,
		.example = "smile webhooks delete wh-ff4723f9af5f4dc5b6a22ea27fb3c8a1 --yes",
	},
	{
		.name = "verify",
		.summary = "check a webhook body against its signature, offline",
		.run = webhooks_run_verify,
		.opts = verify_opts,
		.args = "[FILE|-]",
		.max_args = 1,
		.flags = VERB_NO_API,
		.example = "smile webhooks verify --secret-file secret.txt --signature 9f2c... body.json\n"
			   "smile webhooks verify --secret-file secret.txt deliveries.jsonl",
		.description =
			"Checks that a body is signed with the webhook's secret: the Smile-Signature "
			"header is the hex HMAC-SHA512 of the raw body, keyed with the secret. With "
			"--signature, FILE (or stdin) holds the raw body as received; without it, FILE is "
			"a file of `smile webhooks listen --record`, and every delivery in it is checked "
			"against the signature recorded with it, one line each. The comparison takes "
			"constant time. Exit status 0 when the signature matches (every one, for a "
			"recording), 1 when one does not, 2 on bad input (a signature that is not 128 hex "
			"digits, an unreadable file or secret, a line that is not a recorded delivery).",
	},
	VERB_END,
};

const struct group_spec group_webhooks = {
	.name = "webhooks",
	.summary = "endpoints notified of events",
	.verbs = webhook_verbs,
	.description =
		"A webhook makes Smile post an event to your URL when something "
		"happens: a user is created, an account connects, an archive is "
		"analysed, new data arrives. Each event is signed with the webhook's "
		"secret so your endpoint can check it came from Smile.",
};
