/* SPDX-License-Identifier: MIT */
/*
 * Shell completion (smile __complete WORDS...), from the command tables:
 * the bash, zsh and fish scripts ask smile for the candidates of the word
 * being typed.
 */
#include "cli/complete_profiles.h"
#include "cli/help.h"
#include "cli/dispatch.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>

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
	const char *first_arg;          /* the verb's first positional argument */
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
		if (st->n_args++ == 0)
			st->first_arg = word;
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
	if (complete_dynamic(out, o->values, cur, lead))
		return;
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
		if (complete_dynamic(out, st->verb->arg_values, cur, ""))
			return;
		for (size_t i = 0; st->verb->arg_values[i]; i++)
			print_matching(out, cur, st->verb->arg_values[i], "");
	} else if (st->n_args == 1 && complete_second_arg(out, st->verb, st->first_arg, cur)) {
		return;
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
