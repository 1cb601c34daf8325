/* SPDX-License-Identifier: MIT */
/*
 * Help text, man pages and shell completion, all generated from the command
 * tables, so that what smile accepts and what it documents cannot drift.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cmd.h"
#include "core/util.h"
#include "cli/dispatch.h"

static const char *const exit_statuses[][2] = {
	{ "0", "success (an empty list is success)" },
	{ "1", "other failure (bad config file, unexpected response, 'no' at a prompt)" },
	{ "2", "usage error: unknown command or option, bad or missing value; nothing was sent" },
	{ "3", "authentication or permission: HTTP 401 or 403, or no credentials configured" },
	{ "4", "not found: HTTP 404" },
	{ "5", "rate-limited: HTTP 429 after all retries" },
	{ "6", "server error: HTTP 5xx after all retries" },
	{ "7", "network or TLS failure, or timeout" },
	{ "8", "partial failure of a bulk command: some items failed" },
	{ "130", "interrupted by Ctrl-C" },
	{ NULL, NULL },
};

static const char *const environment[][2] = {
	{ "SMILE_CONFIG", "path of the config file" },
	{ "XDG_CONFIG_HOME", "the config file is $XDG_CONFIG_HOME/smile/config.yaml when SMILE_CONFIG is unset" },
	{ "SMILE_PROFILE", "profile to use when --profile is not given" },
	{ "XDG_STATE_HOME", "journals of invites send --file and the shell history are under $XDG_STATE_HOME/smile/ (an absolute path), else ~/.local/state/smile/" },
	{ "HOME", "home directory of the default paths (else the one in the password database)" },
	{ "SMILE_API_KEY", "API key; beats the profile" },
	{ "SMILE_API_SECRET", "API secret; beats the profile (never pass it on the command line)" },
	{ "SMILE_BASE_URL", "API base URL; beats the profile, --base-url beats it" },
	{ "NO_COLOR", "when set and not empty, no colour in tables" },
	{ "COLUMNS", "terminal width for tables" },
	{ "http_proxy, https_proxy, no_proxy", "proxies, as libcurl reads them" },
	{ "SSL_CERT_FILE, CURL_CA_BUNDLE", "CA bundle used to verify TLS" },
	{ NULL, NULL },
};

static size_t verb_count(const struct group_spec *g)
{
	size_t n = 0;
	while (g->verbs && g->verbs[n].name)
		n++;
	return n;
}

/* "--name METAVAR" or "-o, --output FORMAT". */
static char *opt_label(const struct opt_spec *o)
{
	const char *mv = opt_takes_value(o) ? opt_metavar(o) : "";
	if (o->short_name)
		return xasprintf("-%c, --%s%s%s", o->short_name, o->name, *mv ? " " : "", mv);
	return xasprintf("    --%s%s%s", o->name, *mv ? " " : "", mv);
}

/* Long lists (countries, currencies) are cut in help; completion and the
 * error message for a wrong value still give all of them. */
#define HELP_MAX_VALUES 12

static void add_allowed_values(struct strbuf *sb, const char *const *values)
{
	size_t n = 0;
	while (values[n])
		n++;
	if (n > HELP_MAX_VALUES)
		strbuf_addf(sb, " (one of %zu values:", n);
	else
		strbuf_addstr(sb, " (one of:");
	for (size_t i = 0; i < n && i < HELP_MAX_VALUES; i++)
		strbuf_addf(sb, "%s %s", i ? "," : "", values[i]);
	strbuf_addstr(sb, n > HELP_MAX_VALUES ? ", ...)" : ")");
}

/* The help line with what the table says about the value. */
static char *opt_description(const struct opt_spec *o)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addstr(&sb, o->help ? o->help : "");
	if ((o->type == OPT_ENUM || o->type == OPT_LIST) && o->values)
		add_allowed_values(&sb, o->values);
	if (o->type == OPT_KEYVALUE && o->max > 0)
		strbuf_addf(&sb, " (repeatable, at most %ld)", o->max);
	else if (o->type == OPT_KEYVALUE || o->type == OPT_LIST)
		strbuf_addstr(&sb, " (repeatable)");
	if (o->flags & OPT_REQUIRED)
		strbuf_addstr(&sb, " [required]");
	return strbuf_detach(&sb);
}

/*
 * Text wrapped at 79 columns between words, as man would. The cursor is at
 * column col when it starts; later lines start with indent spaces (a hanging
 * indent for option descriptions and usage lines). Explicit line breaks are
 * kept. A word longer than the line stands alone on its line.
 */
static void print_wrapped(FILE *out, const char *text, size_t indent, size_t col)
{
	const size_t width = 79;
	size_t start = col;

	for (const char *p = text; *p;) {
		if (*p == '\n' || *p == ' ') {
			if (*p == '\n') {
				fputc('\n', out);
				col = 0; /* a paragraph break restarts at the margin */
				start = 0;
			}
			p++;
			continue;
		}
		size_t len = strcspn(p, " \n");
		if (col > start && col + 1 + len > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = start = indent;
		} else if (col > start) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, len, out);
		col += len;
		p += len;
	}
	fputc('\n', out);
}

static void print_options(FILE *out, const char *title, const struct opt_spec *opts)
{
	bool any = false;
	for (size_t i = 0; opts && opts[i].name; i++) {
		const struct opt_spec *o = &opts[i];
		if (o->flags & OPT_HIDDEN)
			continue;
		if (!any)
			fprintf(out, "\n%s:\n", title);
		any = true;
		char *label = opt_label(o), *desc = opt_description(o);
		if (strlen(label) <= 26)
			fprintf(out, "  %-26s ", label);
		else
			fprintf(out, "  %s\n  %-26s ", label, "");
		print_wrapped(out, desc, 29, 29);
		free(label);
		free(desc);
	}
}

static void print_exit_statuses(FILE *out)
{
	fprintf(out, "\nExit status:\n");
	for (size_t i = 0; exit_statuses[i][0]; i++) {
		fprintf(out, "  %-4s ", exit_statuses[i][0]);
		print_wrapped(out, exit_statuses[i][1], 7, 7);
	}
}

void help_print_main(FILE *out)
{
	fprintf(out, "usage: smile [global options] <group> <verb> [options] [args]\n"
		     "       smile --version\n\n"
		     "smile is a command-line client for the Smile API: users, linked accounts,\n"
		     "invitations and the employment and income data behind them.\n\n"
		     "Commands:\n");
	for (size_t i = 0; smile_groups[i]; i++) {
		fprintf(out, "  %-20s ", smile_groups[i]->name);
		print_wrapped(out, smile_groups[i]->summary, 23, 23);
	}
	print_options(out, "Global options (before the group or after the verb)", global_options);
	print_exit_statuses(out);
	fprintf(out, "\nRun 'smile <group> --help' for the verbs of a group, 'man smile' for more.\n");
}

void help_print_group(FILE *out, const struct group_spec *g)
{
	if (g->command) {
		help_print_verb(out, g, g->command);
		return;
	}
	fprintf(out, "usage: smile %s <verb> [options] [args]\n\n%s\n", g->name, g->summary);
	if (g->description) {
		fputc('\n', out);
		print_wrapped(out, g->description, 0, 0);
	}
	fprintf(out, "\nVerbs:\n");
	for (size_t i = 0; i < verb_count(g); i++) {
		const struct verb_spec *v = &g->verbs[i];
		_cleanup_free_ char *summary = xasprintf("%s%s", v->summary,
							 (v->flags & VERB_EARLY_ACCESS) ? " (early access)" : "");
		fprintf(out, "  %-22s ", v->name);
		print_wrapped(out, summary, 25, 25);
	}
	fprintf(out, "\nRun 'smile %s <verb> --help' for the options of a verb.\n", g->name);
}

/* "smile users get [options] ID" */
static char *verb_synopsis(const struct group_spec *g, const struct verb_spec *v)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "smile %s", g->name);
	if (!g->command)
		strbuf_addf(&sb, " %s", v->name);
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if ((o->flags & OPT_REQUIRED) && !(o->flags & OPT_SECRET))
			strbuf_addf(&sb, " --%s %s", o->name, opt_metavar(o));
	}
	strbuf_addstr(&sb, " [options]");
	if (v->args)
		strbuf_addf(&sb, " %s", v->args);
	return strbuf_detach(&sb);
}

/* Each example is one line to copy, indented under the heading; the man
 * page keeps them unindented in its own no-fill block. */
static void print_example(FILE *out, const char *example)
{
	fputs("\nExample:\n", out);
	while (*example) {
		size_t n = strcspn(example, "\n");
		fprintf(out, "  %.*s\n", (int)n, example);
		example += n + (example[n] == '\n');
	}
}

void help_print_verb(FILE *out, const struct group_spec *g, const struct verb_spec *v)
{
	char *syn = verb_synopsis(g, v);
	fputs("usage: ", out);
	print_wrapped(out, syn, 8, 7);
	_cleanup_free_ char *summary = xasprintf("%s%s", v->summary, (v->flags & VERB_EARLY_ACCESS)
					? " (early access: an /alpha or /beta API operation)" : "");
	fputc('\n', out);
	print_wrapped(out, summary, 0, 0);
	free(syn);
	if (v->method)
		fprintf(out, "API: %s %s\n", v->method, v->path);
	if (v->description) {
		fputc('\n', out);
		print_wrapped(out, v->description, 0, 0);
	}
	print_options(out, "Options", v->opts);
	if (v->flags & VERB_LIST)
		print_options(out, "List options", list_options);
	if (v->flags & VERB_BODY)
		print_options(out, "Body options", body_options);
	if (v->flags & VERB_DESTRUCTIVE)
		fprintf(out, "\nOn a production profile this asks for confirmation; --yes skips it.\n");
	if (v->example)
		print_example(out, v->example);
	fprintf(out, "\nGlobal options: see 'smile --help'.\n");
}

/* --- man pages ------------------------------------------------------------ */

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
	      "for the plugin to honour.\n"
	      ".SH ENVIRONMENT\n", out);
	man_pairs(out, environment, true);
	fputs(".SH EXIT STATUS\n", out);
	man_pairs(out, exit_statuses, true);
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

/* --- completion ----------------------------------------------------------- */

/*
 * `smile __complete WORD... CURRENT` prints the candidates for CURRENT, one
 * per line, given the words before it; ":files" asks the shell to complete
 * file names. The scripts in completions/ are thin wrappers around this.
 */
struct completion_state {
	const struct group_spec *group;
	const struct verb_spec *verb;
	const struct opt_spec *pending; /* option whose value comes next */
	int n_args;                     /* positional arguments of the verb so far */
};

static const struct opt_spec *complete_find_opt(const struct completion_state *st, const char *word)
{
	const struct opt_spec *scopes[4] = { global_options, NULL, NULL, NULL };
	size_t n = 1;
	if (st->verb) {
		scopes[n++] = st->verb->opts;
		if (st->verb->flags & VERB_LIST)
			scopes[n++] = list_options;
		if (st->verb->flags & VERB_BODY)
			scopes[n++] = body_options;
	}
	size_t len = strcspn(word, "=");
	for (size_t s = 0; s < n; s++)
		for (size_t i = 0; scopes[s] && scopes[s][i].name; i++) {
			const struct opt_spec *o = &scopes[s][i];
			if (word[1] == '-' ? (strlen(o->name) == len - 2 && !strncmp(o->name, word + 2, len - 2))
					   : (o->short_name && o->short_name == word[1] && !word[2]))
				return o;
		}
	return NULL;
}

static void complete_word(struct completion_state *st, const char *word)
{
	if (st->pending) {
		st->pending = NULL;
		return;
	}
	if (word[0] == '-') {
		const struct opt_spec *o = complete_find_opt(st, word);
		if (o && opt_takes_value(o) && !strchr(word, '='))
			st->pending = o;
		return;
	}
	if (!st->group) {
		st->group = cmd_find_group(word);
		if (st->group && st->group->command)
			st->verb = st->group->command;
	} else if (!st->verb) {
		st->verb = cmd_find_verb(st->group, word);
	} else {
		st->n_args++;
	}
}

static void print_matching(FILE *out, const char *prefix, const char *candidate, const char *lead)
{
	char *full = xasprintf("%s%s", lead, candidate);
	if (str_starts_with(full, prefix))
		fprintf(out, "%s\n", full);
	free(full);
}

static void complete_options(FILE *out, const struct opt_spec *opts, const char *cur)
{
	for (size_t i = 0; opts && opts[i].name; i++)
		if (!(opts[i].flags & (OPT_HIDDEN | OPT_SECRET)))
			print_matching(out, cur, opts[i].name, "--");
}

/* A comma-separated list completes its last item; the items before it are
 * kept in each candidate, since the shells replace the whole word. */
static void complete_list_item(FILE *out, const struct opt_spec *o, const char *cur, const char *lead)
{
	const char *value = cur + strlen(lead);
	const char *comma = strrchr(value, ',');
	_cleanup_free_ char *kept = xasprintf("%s%.*s", lead, comma ? (int)(comma + 1 - value) : 0, value);
	for (size_t i = 0; o->values[i]; i++)
		print_matching(out, cur, o->values[i], kept);
}

/* Candidates for the value of o, typed as cur: the whole word, which starts
 * with lead ("--output=" when given in one word, else ""). */
static void complete_value(FILE *out, const struct opt_spec *o, const char *cur, const char *lead)
{
	if (o->type == OPT_ENUM)
		for (size_t i = 0; o->values && o->values[i]; i++)
			print_matching(out, cur, o->values[i], lead);
	else if (o->type == OPT_LIST && o->values)
		complete_list_item(out, o, cur, lead);
	else if (o->type == OPT_BOOL)
		print_matching(out, cur, "true", lead), print_matching(out, cur, "false", lead);
	else if (o->type == OPT_PATH)
		fputs(":files\n", out);
}

/* Whether a verb's arguments ("FILE...", "KEY [VALUE]") name files: the
 * word FILE, not a word that merely contains it, like PROFILE. */
static bool args_name_files(const char *args)
{
	while (args && *args) {
		args += strspn(args, " [");
		size_t n = strcspn(args, " ]");
		if (n >= 4 && !strncmp(args, "FILE", 4) && (n == 4 || !strncmp(args + 4, "...", n - 4)))
			return true;
		args += n;
		args += strspn(args, "]");
	}
	return false;
}

/* An option word: "--si" is a name; "--output=nd" is a value after '='. */
static void complete_option_word(FILE *out, const struct completion_state *st, const char *cur)
{
	const struct opt_spec *o = strchr(cur, '=') && cur[1] == '-' ? complete_find_opt(st, cur) : NULL;
	if (o && opt_takes_value(o)) {
		_cleanup_free_ char *lead = xstrndup(cur, strcspn(cur, "=") + 1);
		complete_value(out, o, cur, lead);
		return;
	}
	if (st->verb) {
		complete_options(out, st->verb->opts, cur);
		if (st->verb->flags & VERB_LIST)
			complete_options(out, list_options, cur);
		if (st->verb->flags & VERB_BODY)
			complete_options(out, body_options, cur);
	}
	complete_options(out, global_options, cur);
}

/* A word that is no option: a group, a verb or the verb's argument. */
static void complete_positional(FILE *out, const struct completion_state *st, const char *cur)
{
	if (!st->group) {
		for (size_t i = 0; smile_groups[i]; i++)
			print_matching(out, cur, smile_groups[i]->name, "");
		print_matching(out, cur, "help", "");
	} else if (!st->verb) {
		for (size_t i = 0; i < verb_count(st->group); i++)
			print_matching(out, cur, st->group->verbs[i].name, "");
	} else if (st->verb->arg_values && st->n_args == 0) {
		for (size_t i = 0; st->verb->arg_values[i]; i++)
			print_matching(out, cur, st->verb->arg_values[i], "");
	} else if (args_name_files(st->verb->args)) {
		fputs(":files\n", out);
	}
}

int complete_print(FILE *out, int argc, char **argv)
{
	struct completion_state st = { 0 };
	const char *cur = argc > 0 ? argv[argc - 1] : "";

	for (int i = 0; i < argc - 1; i++)
		complete_word(&st, argv[i]);
	if (st.pending)
		complete_value(out, st.pending, cur, "");
	else if (cur[0] == '-')
		complete_option_word(out, &st, cur);
	else
		complete_positional(out, &st, cur);
	return 0;
}
