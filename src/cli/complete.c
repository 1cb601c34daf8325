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
 * file names. `smile __complete-described` prints the same candidates, each
 * followed by a tab and its description (the summary or help line of the
 * tables) where there is one. The scripts in completions/ are thin wrappers
 * around these.
 */
struct completion_state {
	const struct group_spec *group;
	const struct verb_spec *verb;
	const struct opt_spec *pending; /* option whose value comes next */
	int n_args;                     /* positional arguments of the verb so far */
	const char *first_arg;          /* the verb's first positional argument */
	struct global_opts g;           /* the global options typed so far */
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

/* Keeps a global option's value where its table row binds it, as dispatch
 * does: the profile, config file and base URL decide what the API is asked. */
static void complete_bind(struct completion_state *st, const struct opt_spec *o, const char *value)
{
	void *slot = (char *)&st->g + o->offset;
	if (o->bind == BIND_STRING && value)
		*(const char **)slot = value;
	else if (o->bind == BIND_FLAG)
		*(bool *)slot = true;
}

static void complete_word(struct completion_state *st, const char *word)
{
	if (st->pending) {
		complete_bind(st, st->pending, word);
		st->pending = NULL;
		return;
	}
	if (word[0] == '-') {
		const struct opt_spec *o = complete_find_opt(st, word);
		const char *eq = strchr(word, '=');
		if (o && opt_takes_value(o) && !eq)
			st->pending = o;
		else if (o)
			complete_bind(st, o, eq ? eq + 1 : NULL);
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

static void complete_options(const struct completion_out *co, const struct opt_spec *opts, const char *cur)
{
	for (size_t i = 0; opts && opts[i].name; i++)
		if (!(opts[i].flags & (OPT_HIDDEN | OPT_SECRET)))
			complete_offer(co, cur, "--", opts[i].name, opts[i].help);
}

/* A comma-separated list completes its last item; the items before it are
 * kept in each candidate, since the shells replace the whole word. */
static void complete_list_item(const struct completion_out *co, const struct opt_spec *o, const char *cur,
			       const char *lead)
{
	const char *value = cur + strlen(lead);
	const char *comma = strrchr(value, ',');
	_cleanup_free_ char *kept = xasprintf("%s%.*s", lead, comma ? (int)(comma + 1 - value) : 0, value);
	for (size_t i = 0; o->values[i]; i++)
		complete_offer(co, cur, kept, o->values[i], NULL);
}

/* Candidates for the value of o, typed as cur: the whole word, which starts
 * with lead ("--output=" when given in one word, else ""). */
static void complete_value(const struct completion_out *co, const struct completion_state *st,
			   const struct opt_spec *o, const char *cur, const char *lead)
{
	if (complete_dynamic(co, o->values, &st->g, cur, lead))
		return;
	if (o->type == OPT_ENUM)
		for (size_t i = 0; o->values && o->values[i]; i++)
			complete_offer(co, cur, lead, o->values[i], NULL);
	else if (o->type == OPT_LIST && o->values)
		complete_list_item(co, o, cur, lead);
	else if (o->type == OPT_BOOL)
		complete_offer(co, cur, lead, "true", NULL), complete_offer(co, cur, lead, "false", NULL);
	else if (o->type == OPT_PATH)
		fputs(":files\n", co->out);
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
static void complete_option_word(const struct completion_out *co, const struct completion_state *st,
				 const char *cur)
{
	const struct opt_spec *o = strchr(cur, '=') && cur[1] == '-' ? complete_find_opt(st, cur) : NULL;
	if (o && opt_takes_value(o)) {
		_cleanup_free_ char *lead = xstrndup(cur, strcspn(cur, "=") + 1);
		complete_value(co, st, o, cur, lead);
		return;
	}
	if (st->verb) {
		complete_options(co, st->verb->opts, cur);
		if (st->verb->flags & VERB_LIST)
			complete_options(co, list_options, cur);
		if (st->verb->flags & VERB_BODY)
			complete_options(co, body_options, cur);
	}
	complete_options(co, global_options, cur);
}

/* A word that is no option: a group, a verb or the verb's argument. */
static void complete_positional(const struct completion_out *co, const struct completion_state *st,
				const char *cur)
{
	if (!st->group) {
		for (size_t i = 0; smile_groups[i]; i++)
			complete_offer(co, cur, "", smile_groups[i]->name, smile_groups[i]->summary);
		complete_offer(co, cur, "", "help", "show the help or man page of a command");
	} else if (!st->verb) {
		for (size_t i = 0; i < verb_count(st->group); i++)
			complete_offer(co, cur, "", st->group->verbs[i].name, st->group->verbs[i].summary);
	} else if (st->verb->arg_values && st->n_args == 0) {
		if (complete_dynamic(co, st->verb->arg_values, &st->g, cur, ""))
			return;
		for (size_t i = 0; st->verb->arg_values[i]; i++)
			complete_offer(co, cur, "", st->verb->arg_values[i], NULL);
	} else if (st->n_args == 1 && complete_second_arg(co, st->verb, st->first_arg, cur)) {
		return;
	} else if (args_name_files(st->verb->args)) {
		fputs(":files\n", co->out);
	}
}

static int complete_run(const struct completion_out *co, int argc, char **argv)
{
	struct completion_state st = { .g = GLOBAL_OPTS_INIT };
	const char *cur = argc > 0 ? argv[argc - 1] : "";

	for (int i = 0; i < argc - 1; i++)
		complete_word(&st, argv[i]);
	if (st.pending)
		complete_value(co, &st, st.pending, cur, "");
	else if (cur[0] == '-')
		complete_option_word(co, &st, cur);
	else
		complete_positional(co, &st, cur);
	return 0;
}

int complete_print(FILE *out, int argc, char **argv)
{
	return complete_run(&(struct completion_out){ .out = out }, argc, argv);
}

int complete_print_described(FILE *out, int argc, char **argv)
{
	return complete_run(&(struct completion_out){ .out = out, .describe = true }, argc, argv);
}
