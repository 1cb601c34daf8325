/* SPDX-License-Identifier: MIT */
/*
 * --help text, generated from the command tables, so that what smile
 * accepts and what it documents cannot drift. man.c and complete.c read
 * the same tables.
 */
#include "cli/help.h"
#include "cli/dispatch.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

const char *const help_exit_statuses[][2] = {
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

const char *const help_environment[][2] = {
	{ "SMILE_CONFIG", "path of the config file" },
	{ "XDG_CONFIG_HOME", "the config file is $XDG_CONFIG_HOME/smile/config.yaml when SMILE_CONFIG is unset" },
	{ "SMILE_PROFILE", "profile to use when --profile is not given" },
	{ "XDG_STATE_HOME", "journals of invites send --file and the shell history are under $XDG_STATE_HOME/smile/ (an absolute path), else ~/.local/state/smile/" },
	{ "HOME", "home directory of the default paths (else the one in the password database)" },
	{ "SMILE_API_KEY", "API key; beats the profile" },
	{ "SMILE_API_SECRET", "API secret; beats the profile (never pass it on the command line)" },
	{ "SMILE_BASE_URL", "API base URL; beats the profile, --base-url beats it" },
	{ "PATH", "where smile NAME looks for a smile-NAME plugin, and the plugins a mistyped command may be" },
	{ "NO_COLOR", "when set and not empty, no colour in tables" },
	{ "COLUMNS", "terminal width for tables" },
	{ "TMPDIR", "where smile help writes the page it shows with man -l (else /tmp)" },
	{ "http_proxy, https_proxy, no_proxy", "proxies, as libcurl reads them" },
	{ "SSL_CERT_FILE, CURL_CA_BUNDLE", "CA bundle used to verify TLS" },
	{ NULL, NULL },
};

size_t verb_count(const struct group_spec *g)
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
char *opt_description(const struct opt_spec *o)
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
	for (size_t i = 0; help_exit_statuses[i][0]; i++) {
		fprintf(out, "  %-4s ", help_exit_statuses[i][0]);
		print_wrapped(out, help_exit_statuses[i][1], 7, 7);
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
	fprintf(out, "\nRun 'smile <group> --help' for the verbs of a group, 'smile help smile' or\n"
		     "'smile help <group>' for the manual pages (also before meson install).\n");
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

/* A required secret never comes from argv: the synopsis shows its
 * NAME-file option (its other source, stdin or a prompt, is in its help). */
static void add_secret_synopsis(struct strbuf *sb, const struct verb_spec *v, const struct opt_spec *secret)
{
	_cleanup_free_ char *file_opt = xasprintf("%s-file", secret->name);
	for (size_t i = 0; v->opts[i].name; i++)
		if (!strcmp(v->opts[i].name, file_opt))
			strbuf_addf(sb, " [--%s %s]", file_opt, opt_metavar(&v->opts[i]));
}

/* "smile users get [options] ID" */
char *verb_synopsis(const struct group_spec *g, const struct verb_spec *v)
{
	struct strbuf sb = STRBUF_INIT;
	strbuf_addf(&sb, "smile %s", g->name);
	if (!g->command)
		strbuf_addf(&sb, " %s", v->name);
	for (size_t i = 0; v->opts && v->opts[i].name; i++) {
		const struct opt_spec *o = &v->opts[i];
		if ((o->flags & OPT_REQUIRED) && !(o->flags & OPT_SECRET))
			strbuf_addf(&sb, " --%s %s", o->name, opt_metavar(o));
		else if ((o->flags & OPT_REQUIRED))
			add_secret_synopsis(&sb, v, o);
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
