/* SPDX-License-Identifier: MIT */
/*
 * smile invites: e-mail invitations to connect accounts. `send` sends one
 * from flags, or many from --file (src/cmd/invites/bulk.c), with a journal so that
 * a repeated run invites no one twice.
 */
#include <string.h>

#include "cmd/invites/bulk.h"
#include "cmd/opts.h"
#include "core/util.h"

static const char *const invite_columns[] = {
	"id", "email", "fullName", "status", "templateId", "userId", "createdAt", NULL
};
static const char *const invite_log_columns[] = {
	"id", "inviteId", "inviteStatus", "userId", "createdAt", NULL
};

/* Required by the API, but not flags a bulk run takes: run_send checks them
 * when there is no --file, so they are not OPT_REQUIRED in the table. */
static const struct opt_spec send_opts[] = {
	B_STR("full-name", "fullName", 0, 1, 200, "NAME", "name of the person invited (required without --file)"),
	B_STR("first-name", "firstName", 0, 1, 64, "NAME", "first name, for greetings"),
	B_STR("last-name", "lastName", 0, 1, 64, "NAME", "last name"),
	B_EMAIL("email", "email", 0, 200, "address the invitation goes to (required without --file)"),
	B_STR("template-id", "templateId", 0, 1, 64, "ID",
	      "invite template to use (required; with --file, for rows without a templateId)"),
	B_STR("wink-template-id", "winkTemplateId", 0, 1, 64, "ID",
	      "template of the Wink session the invite opens (with --file: for rows without one)"),
	/* The names the bulk issue used; same fields. */
	{ .name = "template", .type = OPT_STRING, .where = OPT_BODY, .field = "templateId", .flags = OPT_HIDDEN,
	  .min = 1, .max = 64, .metavar = "ID", .help = "alias of --template-id" },
	{ .name = "wink-template", .type = OPT_STRING, .where = OPT_BODY, .field = "winkTemplateId",
	  .flags = OPT_HIDDEN, .min = 1, .max = 64, .metavar = "ID", .help = "alias of --wink-template-id" },
	L_PATH("file", "FILE", "invite everyone in FILE (CSV or JSON Lines; - for stdin)"),
	L_PATH("journal", "FILE", "with --file: record what was sent here (default: the tenant's record under "
	       "$XDG_STATE_HOME/smile/)"),
	L_PATH("failed", "FILE", "with --file: write the rows that failed here (default: INPUT.failed.csv)"),
	{ .name = "concurrency", .type = OPT_INT, .where = OPT_LOCAL, .min = 1, .max = 64, .metavar = "N",
	  .help = "with --file: requests in flight at once, 1 to 64 (default 8)" },
	L_FLAG("resend", "with --file: send again to people the journal says were invited"),
	L_FLAG("check-server", "with --file: first skip the people the server has an invite for (sent elsewhere)"),
	{ .name = "shard", .type = OPT_STRING, .where = OPT_LOCAL, .metavar = "K/N",
	  .help = "with --file: send only the K-th of N disjoint slices of the rows, by e-mail (1 <= K <= N <= 1000000)" },
	OPT_END,
};

/* What the API requires of one invitation: smile apply checks its
 * invites against this list as send_one does below. */
const char *const invite_required_fields[] = { "email", "fullName", "templateId", NULL };

static const char *const single_required[][2] = {
	{ "email", "email" },
	{ "full-name", "fullName" },
	{ "template-id", "templateId" },
};

/* All of them at once: one run to learn what is missing, not three. */
static int check_single_required(json_object *body)
{
	struct strbuf missing = STRBUF_INIT;
	size_t n_missing = 0;
	for (size_t i = 0; i < sizeof(single_required) / sizeof(*single_required); i++)
		if (!json_get_path(body, single_required[i][1]))
			strbuf_addf(&missing, "%s--%s (or '%s' in --input)", n_missing++ ? ", " : "",
				    single_required[i][0], single_required[i][1]);
	int r = n_missing ? log_status(SMILE_EXIT_USAGE, "missing required %s %s",
				       n_missing == 1 ? "option" : "options", missing.buf)
			  : 0;
	strbuf_release(&missing);
	return r;
}

/* verb_spec.check, before the credentials: without --file, no bulk-only
 * option, and the one invitation has what the API requires (unless
 * --input - holds it: send_one checks that one). */
static int check_send(struct cmd_ctx *ctx)
{
	const char *bulk_only[] = { "journal", "failed", "concurrency", "resend", "check-server", "shard" };
	json_object *body = NULL;
	int r = 0;

	if (cmd_opt(ctx, "file"))
		return 0;
	for (size_t i = 0; i < sizeof(bulk_only) / sizeof(*bulk_only); i++)
		if (cmd_flag(ctx, bulk_only[i]))
			return log_status(SMILE_EXIT_USAGE, "--%s needs --file", bulk_only[i]);
	if (!(r = cmd_peek_body(ctx, &body)) && body)
		r = check_single_required(body);
	json_object_put(body);
	return r;
}

/* One invitation from the flags and --input, through the generic sender. */
static int send_one(struct cmd_ctx *ctx)
{
	json_object *body = NULL;
	int r;

	if ((r = cmd_build_body(ctx, &body)) || (r = check_single_required(body))) {
		json_object_put(body);
		return r;
	}
	const char *text = json_compact(body);
	r = cmd_request_and_print(ctx, "POST", "/invites", NULL, 0, text, false, ctx->verb->columns);
	json_object_put(body);
	return r;
}

static int run_send(struct cmd_ctx *ctx)
{
	return cmd_opt(ctx, "file") ? invites_send_bulk(ctx) : send_one(ctx);
}

static const struct verb_spec invite_verbs[] = {
	{
		.name = "send",
		.summary = "invite one person by e-mail, or everyone in a file",
		.method = "POST",
		.path = "/invites",
		.run = run_send,
		.check = check_send,
		.opts = send_opts,
		.columns = invite_columns,
		.flags = VERB_BODY,
		.example = "smile invites send --full-name \"Juan Dela Cruz\" --email juan@example.com "
			   "--template-id ivt-ff4723f9af5f4dc5b6a22ea27fb3c8a1\n"
			   "smile invites send --file invites.csv --template-id ivt-ff4723f9af5f4dc5b6a22ea27fb3c8a1\n"
			   "smile invites send --file invites.csv --dry-run\n"
			   "smile invites send --file invites.csv --check-server\n"
			   "smile invites send --file invites.csv --shard 2/3 --journal shard2.jsonl\n"
			   "smile invites send --file - -o csv < invites.jsonl > results.csv",
		.description =
			"Without --file, sends one invitation; --email, --full-name and --template-id are "
			"required (or their fields in --input).\n\n"
			"With --file, invites everyone in FILE: CSV with a header row naming some of the "
			"columns email, fullName, firstName, lastName, templateId, winkTemplateId (RFC 4180 "
			"quoting; empty lines and a byte order mark are fine), or JSON Lines with the same "
			"keys (by the extension .jsonl or .ndjson, or a first character '{'). A row's "
			"templateId beats --template-id. Every row is checked first; all bad rows are "
			"reported with their line numbers and nothing is sent (exit 2). --dry-run stops "
			"after the check and says what would be sent.\n\n"
			"Requests then run --concurrency at a time within the rate limit (--rate). First, "
			"each distinct template id the rows use is looked up (one GET each): a template that "
			"does not exist stops the run with exit 2 before anything is sent (winkTemplateId "
			"cannot be checked: the API has no endpoint to read one).\n\n"
			"Nobody gets the same invitation twice, whatever file sends it: what was sent is "
			"recorded per tenant and per e-mail (compared without case) and template, in a "
			"journal made durable before a row counts as done. The tenant is derived from the "
			"API key (a one-way HMAC-SHA256; the key itself is never stored) and the mode, so "
			"the same account through another URL (localhost or 127.0.0.1, an emulator "
			"restarted with its --state on another port) is the same tenant. By default the "
			"journal is $XDG_STATE_HOME/smile/invites-MODE-TENANT.jsonl (else under "
			"~/.local/state/smile/); --journal FILE keeps it elsewhere. It is locked while a run "
			"uses it (a second run on it stops with exit 1) and compacted when most of its lines "
			"are superseded; journals of the previous per-file format are still read. A row the "
			"journal says was sent is reported as already-invited and not sent again; --resend "
			"sends it again on purpose. --check-server first walks the invite list of the "
			"server and skips the rows it already has an invite for (sent by another machine "
			"or tool), recording them.\n\n"
			"Running the same command again after a crash, kill, Ctrl-C or network loss sends "
			"only the rows without a confirmed outcome. A row whose outcome is unknown (timeout, "
			"dropped connection, HTTP 500 or 504, or in flight when a run died) is looked up "
			"first with one paged scan of the invite list, by e-mail and template, and sent "
			"again only if it is not there.\n\n"
			"--shard K/N sends only the rows whose e-mail falls in slice K of N (by SHA-256 of "
			"the lowercased e-mail): the N slices are disjoint and together hold every row, on "
			"any machine, so N senders (GNU parallel over ssh, a Kubernetes indexed Job with "
			"--shard $((JOB_COMPLETION_INDEX+1))/N, a CI matrix), each with its own journal, "
			"invite everyone exactly once, N times as fast as one rate-limited sender.\n\n"
			"Each row's result (row, email, status, inviteId, error) goes to standard output in "
			"the chosen format, in the order of the input; status is invited, already-invited, "
			"failed or unknown. On a terminal a progress line is redrawn on standard error; "
			"otherwise (CI logs) a progress line is printed every 5 seconds. Then each "
			"distinct reason for failure is told in full on standard error, once for all the "
			"rows it applies to, and a summary line ends the run. Rows that failed are written, "
			"as the file gave them (a value --template-id filled in is left out, so the file "
			"goes back with the right flag) and with their reason in an error column that --file "
			"ignores, to --failed, by default INPUT.failed.csv in the current directory (INPUT "
			"without its .csv, .jsonl or .ndjson; stdin.failed.csv for standard input); rows "
			"still unknown are not in it: run the same command again to resolve them.\n\n"
			"Exit status with --file: 0 when every row is invited (now or before), 8 when some "
			"failed or stayed unknown, 2 when the file has bad rows or names a template that "
			"does not exist, 130 after Ctrl-C (requests in flight finish and are journaled "
			"first; the summary says how many rows are left for the same command to finish).",
	},
	{
		.name = "list",
		.summary = "list invites",
		.method = "GET",
		.path = "/invites",
		.columns = invite_columns,
		.flags = VERB_LIST,
		.example = "smile invites list --all -o csv",
	},
	VERB_GET("get", "invite", "/invites/{id}", invite_columns, 0,
		 "smile invites get iv-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	{
		.name = "logs",
		.summary = "list the status changes of an invite",
		.method = "GET",
		.path = "/invites/{inviteId}/logs",
		.args = "ID",
		.min_args = 1,
		.max_args = 1,
		.columns = invite_log_columns,
		.flags = VERB_LIST,
		.example = "smile invites logs iv-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	},
	VERB_END,
};

const struct group_spec group_invites = {
	.name = "invites",
	.summary = "e-mail invitations to connect accounts",
	.verbs = invite_verbs,
	.description =
		"An invite e-mails a person a link to a session in which they connect "
		"their accounts; it is laid out by an invite template. Its status and "
		"logs show whether it was sent and whether the person followed it.",
};
