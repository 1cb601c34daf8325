/* SPDX-License-Identifier: MIT */
/* smile webhooks: endpoints Smile notifies of events. */
#include "cmd/opts.h"
#include "cmd/webhooks/webhooks.h"
#include "core/webhook_events.h"

static const char *const webhook_columns[] = {
	"id", "name", "url", "eventTypes", "active", "includePayload", "createdAt", NULL
};

static const struct opt_spec create_opts[] = {
	B_STR("name", "name", OPT_REQUIRED, 1, 200, "NAME", "name to tell the webhook apart"),
	B_URL("url", "url", OPT_REQUIRED, 500, "endpoint the events are posted to"),
	B_LIST("event-types", "eventTypes", OPT_REQUIRED, webhook_event_types, "TYPE,...",
	       "events to send, comma-separated; ALL_EVENTS for every one"),
	B_BOOL("active", "active", OPT_REQUIRED, "whether events are sent now"),
	B_BOOL("include-payload", "includePayload", 0, "send the changed data with each event"),
	B_STR("secret", "secret", OPT_REQUIRED | OPT_SECRET, 1, 64, "SECRET",
	      "key that signs each event: read from --secret-file, --input, stdin or a no-echo prompt"),
	L_PATH("secret-file", "FILE", "read the secret from FILE (its one line; - for stdin)"),
	OPT_END,
};

static const struct opt_spec listen_opts[] = {
	{ .name = "port", .type = OPT_INT, .where = OPT_LOCAL, .min = 0, .max = 65535, .metavar = "N",
	  .help = "port to receive on (default 0: a free one)" },
	{ .name = "host", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 63, .metavar = "ADDRESS",
	  .help = "address to receive on (default 127.0.0.1)" },
	{ .name = "public-url", .type = OPT_URL, .where = OPT_LOCAL, .max = 500, .metavar = "URL",
	  .help = "the URL the API posts to (your tunnel to the port); default: the local address, "
		  "for smile-emulator on this machine" },
	{ .name = "webhook-id", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 200, .metavar = "ID",
	  .help = "receive for this existing webhook instead of registering a temporary one" },
	{ .name = "events", .type = OPT_LIST, .where = OPT_LOCAL, .values = webhook_event_types, .metavar = "TYPE,...",
	  .help = "event types the temporary webhook gets (default ALL_EVENTS)" },
	L_FLAG("include-payload", "the temporary webhook gets the data with TASK_FINISHED events"),
	L_PATH("secret-file", "FILE", "the webhook's secret, one line (default: a random one)"),
	L_FLAG("skip-verify", "accept deliveries without checking their signature"),
	{ .name = "count", .type = OPT_INT, .where = OPT_LOCAL, .min = 1, .max = 1000000000, .metavar = "N",
	  .help = "stop after N accepted deliveries (a retried one counts again)" },
	{ .name = "timeout", .type = OPT_NUMBER, .where = OPT_LOCAL, .min = 0, .max = 10000000,
	  .metavar = "SECONDS", .help = "stop after this long (with --count: exit 1 if fewer came)" },
	L_PATH("record", "FILE", "append every delivery (headers and raw body) to FILE, one JSON line each"),
	{ .name = "forward-to", .type = OPT_URL, .where = OPT_LOCAL, .max = 2000, .metavar = "URL",
	  .help = "relay each accepted delivery to URL and answer with its status (5xx or none: 502)" },
	OPT_END,
};

static const struct opt_spec replay_opts[] = {
	{ .name = "forward-to", .type = OPT_URL, .where = OPT_LOCAL, .max = 2000, .metavar = "URL",
	  .help = "the endpoint to send the recorded deliveries to (required)" },
	{ .name = "event", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 200, .metavar = "ID",
	  .help = "only the deliveries of this event id (repeatable)" },
	L_PATH("secret-file", "FILE", "sign anew with this secret (default: the recorded signatures)"),
	OPT_END,
};

static const struct opt_spec trigger_opts[] = {
	{ .name = "user-id", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 200, .metavar = "ID",
	  .help = "the event is about this user (and its first account); default: new ids" },
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
		.name = "listen",
		.summary = "receive, check and print webhook events on this machine",
		.run = webhooks_run_listen,
		.opts = listen_opts,
		.max_args = 0,
		.example = "smile --profile local webhooks listen\n"
			   "smile webhooks listen --public-url https://abc.example-tunnel.dev/ --port 4000\n"
			   "smile --profile local webhooks listen --count 1 -o ndjson | jq .type",
		.description =
			"Runs a local receiver and prints \"listening on http://HOST:PORT/\" first, then "
			"registers a temporary webhook for it (named smile-listen:HOST:PID, with a random "
			"secret unless --secret-file): at the local address when the API is "
			"smile-emulator on this machine, at --public-url for the real API. Each delivery's "
			"Smile-Signature is checked in constant time; each event is printed as it arrives, "
			"one line (time, --> type [event id] and the ids it refers to), or whole with "
			"-o ndjson. A delivery with a bad or missing signature is shown and answered 401, "
			"a body that is not JSON 400, a body over 8 MiB 413, a request that is not a POST "
			"405. --forward-to URL relays each accepted delivery, raw body and Smile headers "
			"unchanged and without credentials, to your endpoint, 8 at a time so that a slow "
			"one holds up nothing else, and prints its status and time (\"<-- [200] POST URL "
			"[id] 12 ms\"); the receiver answers Smile with that status, but 502 for a 5xx, "
			"a refused connection or no answer within 4 s, so Smile's retries show. The run ends at Ctrl-C (exit 130), after --count events or --timeout "
			"seconds, and the temporary webhook is deleted; a webhook that a crashed listener "
			"left is recognised by its name and removed by the next listen.",
	},
	{
		.name = "replay",
		.summary = "send recorded deliveries again to an endpoint",
		.run = webhooks_run_replay,
		.opts = replay_opts,
		.args = "FILE|-",
		.min_args = 1,
		.max_args = 1,
		.flags = VERB_NO_API,
		.example = "smile webhooks replay deliveries.jsonl --forward-to http://localhost:3000/hooks\n"
			   "smile webhooks replay deliveries.jsonl --forward-to http://localhost:3000/hooks "
			   "--event et-8f3a... --secret-file dev-secret.txt",
		.description =
			"Sends the deliveries of a `smile webhooks listen --record` file to --forward-to "
			"URL, in order, one at a time: the same raw body and Smile headers, with the "
			"recorded Smile-Signature, or one made anew with --secret-file (for an endpoint "
			"that has another secret). --event ID (repeatable) picks deliveries by event id. "
			"Each delivery gets one line with the endpoint's status and time. Exit status 0 "
			"when every one was answered 2xx, 8 when some were not, 2 for a file that is not "
			"a recording or --event ids that match none.",
	},
	{
		.name = "trigger",
		.summary = "make smile-emulator emit one event of any type",
		.run = webhooks_run_trigger,
		.opts = trigger_opts,
		.args = "TYPE",
		.min_args = 1,
		.max_args = 1,
		.arg_values = webhook_event_types + 1,
		.example = "smile --profile local webhooks trigger ACCOUNT_CONNECTED\n"
			   "smile --profile local webhooks trigger INCOMES_ADDED --user-id emulator-9c1d...",
		.description =
			"Makes smile-emulator emit one event of TYPE, any type the webhook documentation "
			"lists, to every active webhook subscribed to it (signed and retried like every "
			"delivery), with its data shaped as the documentation's example payload: about "
			"--user-id's user and first account, or new ids. Prints the event type and data "
			"it emitted. Anything but smile-emulator (asked at GET /_emulator/) is refused "
			"before the event is asked for: at the Smile API events happen only when users act.",
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
		"secret so your endpoint can check it came from Smile. For developing your "
		"endpoint: listen receives events on this machine (and forwards them to it), "
		"verify checks a signature offline, replay sends recorded deliveries again and "
		"trigger makes smile-emulator emit any event.",
};
