/* SPDX-License-Identifier: MIT */
/*
 * The man pages (smile(1), smile-GROUP(1)) in roff, from the command
 * tables: meson writes them into man/ at build time.
 */
#include "cli/help.h"
#include "cli/dispatch.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

/* Escapes text for roff: backslashes, leading dots and quotes, hyphens. */
static void roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else if (*s == '\n' && (s[1] == '.' || s[1] == '\''))
			fputs("\n\\&", out);
		else
			fputc(*s, out);
	}
}

static void man_header(FILE *out, const char *name, const char *summary)
{
	fprintf(out, ".TH \"%s\" 1 \"%s\" \"smile %s\" \"smile manual\"\n.SH NAME\n", name,
		SMILE_RELEASE_DATE, SMILE_VERSION);
	roff_text(out, name);
	fputs(" \\- ", out);
	roff_text(out, summary);
	fputc('\n', out);
}

static void man_options(FILE *out, const struct opt_spec *opts)
{
	for (size_t i = 0; opts && opts[i].name; i++) {
		const struct opt_spec *o = &opts[i];
		if (o->flags & OPT_HIDDEN)
			continue;
		fputs(".TP\n", out);
		if (o->short_name)
			fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
		fputs("\\fB\\-\\-", out);
		roff_text(out, o->name);
		fputs("\\fR", out);
		if (opt_takes_value(o)) {
			fputs(" \\fI", out);
			roff_text(out, opt_metavar(o));
			fputs("\\fR", out);
		}
		fputc('\n', out);
		char *desc = opt_description(o);
		roff_text(out, desc);
		fputc('\n', out);
		free(desc);
	}
}

static void man_pairs(FILE *out, const char *const (*pairs)[2], bool bold)
{
	for (size_t i = 0; pairs[i][0]; i++) {
		fprintf(out, ".TP\n%s", bold ? "\\fB" : "");
		roff_text(out, pairs[i][0]);
		fprintf(out, "%s\n", bold ? "\\fR" : "");
		roff_text(out, pairs[i][1]);
		fputc('\n', out);
	}
}

static void man_main(FILE *out)
{
	man_header(out, "smile", "command-line client for the Smile API");
	fputs(".SH SYNOPSIS\n\\fBsmile\\fR [\\fIglobal options\\fR] \\fIgroup\\fR \\fIverb\\fR "
	      "[\\fIoptions\\fR] [\\fIargs\\fR]\n.br\n\\fBsmile \\-\\-version\\fR\n.SH DESCRIPTION\n"
	      "\\fBsmile\\fR sends requests to the Smile API (employment and income data) with the "
	      "credentials of a profile, and prints the results as JSON, tables, CSV or YAML. "
	      "Every API operation is a named command; \\fBsmile api\\fR sends any request.\n"
	      ".PP\nGlobal options may stand before the group or after the verb. "
	      "Lists are paged with \\fB\\-\\-size\\fR and \\fB\\-\\-cursor\\fR; "
	      "\\fB\\-\\-all\\fR follows every page and streams the items.\n"
	      ".PP\n\\fBsmile help\\fR \\fITOPIC\\fR shows this page (\\fITOPIC\\fR \\fBsmile\\fR) or a "
	      "group's (\\fBsmile help users\\fR) also where the pages are not installed: with "
	      "\\fBman \\-l\\fR on a terminal, else as plain text. \\fBsmile completion\\fR "
	      "\\fISHELL\\fR prints the completion script for bash, zsh or fish.\n"
	      ".SH COMMANDS\n", out);
	for (size_t i = 0; smile_groups[i]; i++) {
		fputs(".TP\n\\fB", out);
		roff_text(out, smile_groups[i]->name);
		fputs("\\fR\n", out);
		roff_text(out, smile_groups[i]->summary);
		fprintf(out, "; see \\fBsmile\\-%s\\fR(1).\n", smile_groups[i]->name);
	}
	fputs(".SH GLOBAL OPTIONS\n", out);
	man_options(out, global_options);
	fputs(".SH CONFIGURATION\nProfiles live in a YAML file, "
	      "\\fI$SMILE_CONFIG\\fR, else \\fI$XDG_CONFIG_HOME/smile/config.yaml\\fR, else "
	      "\\fI~/.config/smile/config.yaml\\fR, which must be mode 0600:\n"
	      ".PP\n.nf\n.RS\ndefault: sandbox\nprofiles:\n  sandbox:\n    api_key: KEY\n"
	      "    api_secret: SECRET\n    mode: sandbox\n  local:\n    api_key: emulator\\-key\n"
	      "    api_secret: emulator\\-secret\n    base_url: http://127.0.0.1:8080/v1\n"
	      "    output: table\n.RE\n.fi\n.PP\n"
	      "The profile is chosen by \\fB\\-\\-profile\\fR, else \\fBSMILE_PROFILE\\fR, else "
	      "\\fBdefault\\fR. A profile may also set \\fBrate\\fR (requests per second, 0 for no "
	      "limit, default 20), \\fBconnect_timeout\\fR and \\fBtimeout\\fR (seconds), "
	      "\\fBretries\\fR and \\fBretry_max_time\\fR, \\fBwink_sdk_url\\fR (the Wink SDK that "
	      "\\fBsmile link\\fR loads), and \\fBaccount_retention_days\\fR (default 60) and "
	      "\\fBupload_retention_days\\fR (default 7), the policy \\fBsmile retention\\fR "
	      "judges by. \\fBmode: production\\fR makes destructive "
	      "commands ask for confirmation. Edit the file with \\fBsmile config\\fR; "
	      "\\fBsmile config set api_secret\\fR reads the secret from standard input.\n"
	      ".PP\nA profile's \\fBoutput\\fR is the default format on a terminal only; when "
	      "standard output is not a terminal the default is JSON, or the profile's "
	      "\\fBpipe_output\\fR, so \\fBsmile users list | jq\\fR works whatever the "
	      "profile shows people. \\fB\\-o\\fR beats both. \\fBsmile config list\\fR shows every "
	      "setting in effect with its source (flag, env, file or default) and where exactly; "
	      "\\fBsmile config get\\fR \\fIKEY\\fR prints one. \\fBsmile auth status\\fR says "
	      "which profile and host are in use and whether the credentials work. A key the "
	      "file holds that smile does not know is kept and warned about (with a did\\-you\\-mean); "
	      "a \\fB\\-\\-config\\fR \\fIFILE\\fR that does not exist is an error, except for "
	      "\\fBsmile config set\\fR, which creates it.\n"
	      ".SH OUTPUT\nWhat a server sends is printed as received, with one rule for text that "
	      "is not UTF\\-8: every writer (json, ndjson, table, csv, yaml, \\-q, \\-\\-jq, "
	      "\\fBsmile api\\fR) replaces each invalid sequence with U+FFFD, so the output is "
	      "always valid UTF\\-8 and valid JSON. In table and csv cells a NUL shows as \\e0. "
	      "Numbers keep the digits they were sent with, also beyond 64 bits (\\-\\-jq computes "
	      "in doubles, as jq does). A response whose object holds a key twice is refused as "
	      "malformed, naming the key (exit 1). Option values sent to the API, invite file "
	      "rows, config values and profile names must be valid UTF\\-8 (exit 2 otherwise).\n"
	      ".PP\n\\fB\\-\\-jq\\fR \\fIEXPR\\fR runs a jq program over a get's object, and over a "
	      "list page by page: the program sees each page's items as an array, so memory stays that "
	      "of one page however long \\fB\\-\\-all\\fR runs. \\fB\\-\\-slurp\\fR gives it every "
	      "item as one array instead (kept in memory): \\fB\\-\\-jq \\(aq.[].id\\(aq\\fR prints "
	      "the same either way, \\fB\\-\\-jq length\\fR one count per page, or with "
	      "\\fB\\-\\-slurp\\fR one in all. \\fBsmile api \\-\\-all \\-\\-jq\\fR runs over each "
	      "page's envelope, or with \\fB\\-\\-slurp\\fR over the array of them. Results print as "
	      "JSON lines (pretty with \\fB\\-o json\\fR); \\fB\\-r\\fR prints strings without quotes, "
	      "as jq \\-r; with \\fB\\-o table\\fR, csv or yaml the results are the rows (the "
	      "command's columns when the first result has them all, else its own keys).\n"
	      ".PP\nTables never shorten ids; other columns give way first. An empty list in table "
	      "or csv mode prints the header. \\fB\\-o csv\\fR without \\fB\\-\\-fields\\fR writes every "
	      "field, the command's columns first, then the first item's other fields by dot path. "
	      "\\fB\\-\\-fields\\fR with a field no item has warns on stderr. A list without "
	      "\\fB\\-\\-all\\fR or \\fB\\-\\-limit\\fR shows its first page; when more exist, smile "
	      "says so on stderr if that is a terminal, and \\fB\\-\\-print\\-cursor\\fR prints the next "
	      "page's cursor alone on a line of stderr for scripts (none after the last page).\n"
	      ".SH RETRIES\nRequests are retried on HTTP 429, 502, 503 and 504 and on connection "
	      "failures, with exponential backoff and full jitter, honouring Retry\\-After. "
	      "Reads (GET, HEAD) are retried on HTTP 500 too; with \\fB\\-\\-all\\fR the failed page "
	      "is asked for again, not the whole list. "
	      "The Smile API has no idempotency keys, so a POST or PUT is retried only when it "
	      "certainly was not processed: after a 429 or 503, or when no connection was made.\n"
	      ".SH PLUGINS\nAn unknown command \\fBsmile\\fR \\fIfoo\\fR runs \\fBsmile\\-foo\\fR from "
	      "\\fBPATH\\fR with the words after \\fIfoo\\fR. Every global option given before "
	      "\\fIfoo\\fR reaches it in the environment as \\fBSMILE_\\fR\\fINAME\\fR (upper case, "
	      "\\- as _; \\fB1\\fR for a flag): \\fBSMILE_PROFILE\\fR, \\fBSMILE_BASE_URL\\fR and "
	      "\\fBSMILE_CONFIG\\fR, which smile reads back when the plugin runs it, and "
	      "\\fBSMILE_OUTPUT\\fR, \\fBSMILE_DRY_RUN\\fR, \\fBSMILE_QUIET\\fR and the others, "
	      "for the plugin to honour. The settings in effect reach it too where no option "
	      "gave them, as any command would resolve them: \\fBSMILE_CONFIG\\fR (the file's path), "
	      "\\fBSMILE_PROFILE\\fR (the profile chosen, also the file's default), "
	      "\\fBSMILE_BASE_URL\\fR, \\fBSMILE_MODE\\fR, \\fBSMILE_OUTPUT\\fR (the profile's "
	      "output for a terminal, pipe_output otherwise), \\fBSMILE_RATE\\fR, "
	      "\\fBSMILE_TIMEOUT\\fR, \\fBSMILE_CONNECT_TIMEOUT\\fR, \\fBSMILE_RETRIES\\fR and "
	      "\\fBSMILE_RETRY_MAX_TIME\\fR (seconds). The credentials are not put there: "
	      "\\fBsmile\\fR run by the plugin reads them from that file and profile (or from "
	      "\\fBSMILE_API_KEY\\fR and \\fBSMILE_API_SECRET\\fR when you set them). A mistyped "
	      "command suggests the plugins on \\fBPATH\\fR as it suggests smile's own.\n"
	      ".SH ENVIRONMENT\n", out);
	man_pairs(out, help_environment, true);
	fputs(".SH FILES\n"
	      ".TP\n\\fI~/.config/smile/config.yaml\\fR\nThe profiles (\\fI$XDG_CONFIG_HOME/smile/config.yaml\\fR "
	      "when that is set, \\fI$SMILE_CONFIG\\fR or \\fB\\-\\-config\\fR beat both); mode 0600, "
	      "its directory 0700, written atomically by \\fBsmile config\\fR.\n"
	      ".TP\n\\fI~/.local/state/smile/history\\fR\nThe history of \\fBsmile shell\\fR "
	      "(\\fI$XDG_STATE_HOME/smile/history\\fR), mode 0600; a line that mentions a secret, "
	      "password or token is never kept.\n", out);
	fputs(".SH EXIT STATUS\n", out);
	man_pairs(out, help_exit_statuses, true);
	fputs(".SH EXAMPLES\n.nf\n.RS\n"
	      "smile users create \\-\\-metadata crm=42\n"
	      "smile providers list \\-o table\n"
	      "smile accounts list \\-\\-user\\-id ID \\-\\-all \\-o ndjson\n"
	      "smile api GET /users \\-f size=5\n"
	      ".RE\n.fi\n.SH SEE ALSO\n", out);
	for (size_t i = 0; smile_groups[i]; i++)
		fprintf(out, "\\fBsmile\\-%s\\fR(1)%s", smile_groups[i]->name, smile_groups[i + 1] ? ", " : ",\n");
	fputs("\\fBsmile\\-emulator\\fR(1)\n", out);
}

static void man_verb(FILE *out, const struct group_spec *g, const struct verb_spec *v)
{
	char *syn = verb_synopsis(g, v);
	fputs(g->command ? ".SH OPTIONS\n" : ".SS ", out);
	if (!g->command) {
		roff_text(out, v->name);
		fputc('\n', out);
	}
	fputs(".B ", out);
	roff_text(out, syn);
	fputs("\n.PP\n", out);
	free(syn);
	roff_text(out, v->summary);
	fputs(v->flags & VERB_EARLY_ACCESS ? " (early access).\n" : ".\n", out);
	if (v->method)
		fprintf(out, "API: \\fB%s\\fR \\fI", v->method), roff_text(out, v->path), fputs("\\fR.\n", out);
	if (v->description) {
		fputs(".PP\n", out);
		roff_text(out, v->description);
		fputc('\n', out);
	}
	man_options(out, v->opts);
	if (v->flags & VERB_LIST)
		man_options(out, list_options);
	if (v->flags & VERB_BODY)
		man_options(out, body_options);
	if (v->example) {
		fputs(".PP\nExample:\n.PP\n.RS\n.nf\n", out);
		roff_text(out, v->example);
		fputs("\n.fi\n.RE\n", out);
	}
}

static void man_group(FILE *out, const struct group_spec *g)
{
	char *name = xasprintf("smile-%s", g->name);
	man_header(out, name, g->summary);
	free(name);
	fputs(".SH SYNOPSIS\n", out);
	if (g->command) {
		char *syn = verb_synopsis(g, g->command);
		fputs(".B ", out);
		roff_text(out, syn);
		fputc('\n', out);
		free(syn);
	}
	for (size_t i = 0; !g->command && i < verb_count(g); i++) {
		char *syn = verb_synopsis(g, &g->verbs[i]);
		fputs(i ? ".br\n.B " : ".B ", out);
		roff_text(out, syn);
		fputc('\n', out);
		free(syn);
	}
	fputs(".SH DESCRIPTION\n", out);
	roff_text(out, g->description ? g->description : g->summary);
	fputs("\n.PP\nGlobal options, configuration, environment and exit statuses are described "
	      "in \\fBsmile\\fR(1).\n", out);
	if (g->command) {
		man_verb(out, g, g->command);
	} else {
		fputs(".SH VERBS\n", out);
		for (size_t i = 0; i < verb_count(g); i++)
			man_verb(out, g, &g->verbs[i]);
	}
	fputs(".SH SEE ALSO\n\\fBsmile\\fR(1)\n", out);
}

int man_print(FILE *out, const char *page)
{
	if (!strcmp(page, "--list")) {
		for (size_t i = 0; smile_groups[i]; i++)
			fprintf(out, "smile-%s\n", smile_groups[i]->name);
		return 0;
	}
	if (!strcmp(page, "smile")) {
		man_main(out);
		return 0;
	}
	const struct group_spec *g = cmd_find_group(str_starts_with(page, "smile-") ? page + 6 : page);
	if (!g)
		return log_status(SMILE_EXIT_USAGE, "no man page '%s'", page);
	man_group(out, g);
	return 0;
}
