/* SPDX-License-Identifier: MIT */
/*
 * smile completion bash|zsh|fish: prints the completion script that meson
 * installs, for users who did not install smile. The scripts stay files of
 * completions/ and are built in by tools/embed.py, so both are the same bytes.
 */
#include "cli/cmd.h"
#include "core/embedded.h"
#include "core/util.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

extern const struct embedded_file completion_scripts[];

static const char *const completion_shells[] = { "bash", "zsh", "fish", NULL };

/* The file of completions/ that a shell reads. */
static const char *script_name(const char *shell)
{
	if (!strcmp(shell, "bash"))
		return "smile.bash";
	if (!strcmp(shell, "zsh"))
		return "_smile";
	if (!strcmp(shell, "fish"))
		return "smile.fish";
	return NULL;
}

static int run_completion(struct cmd_ctx *ctx)
{
	const char *shell = ctx->args[0];
	const char *name = script_name(shell);
	const struct embedded_file *f = name ? embedded_find(completion_scripts, name) : NULL;
	if (!f)
		return log_status(SMILE_EXIT_USAGE, "no completion for '%s' (bash, zsh or fish)", shell);
	if (fwrite(f->data, 1, f->len, stdout) != f->len || fflush(stdout))
		return log_status(SMILE_EXIT_FAILURE, "cannot write the script: %s", strerror(errno));
	return 0;
}

static const struct verb_spec completion_command = {
	.name = "completion",
	.summary = "print the shell completion script for bash, zsh or fish",
	.run = run_completion,
	.args = "SHELL",
	.min_args = 1,
	.max_args = 1,
	.flags = VERB_NO_API | VERB_NO_CONFIG,
	.arg_values = completion_shells,
	.example = "smile completion bash > ~/.local/share/bash-completion/completions/smile\n"
		   "smile completion zsh > \"${fpath[1]}/_smile\"\n"
		   "smile completion fish > ~/.config/fish/completions/smile.fish",
	.description = "The scripts are the ones meson install puts in place (bash-completion, "
		       "zsh site-functions, fish vendor_completions.d); print one when smile was not "
		       "installed that way. They ask smile itself for the candidates, so they follow "
		       "the command tables of the smile found on PATH; zsh and fish show the "
		       "description of each candidate. --file-type asks the API for the file types "
		       "(one request of at most 2 s; nothing when it fails or under --dry-run). In bash, "
		       "source <(smile completion bash) enables it for the running shell.",
};

const struct group_spec group_completion = {
	.name = "completion",
	.summary = "print the shell completion script for bash, zsh or fish",
	.description = "smile completion SHELL prints the completion script for SHELL (bash, zsh "
		       "or fish) on standard output.",
	.command = &completion_command,
};
