/* SPDX-License-Identifier: MIT */
/*
 * smile shell: an interactive prompt for exploring the API by hand. Each
 * line is a smile command line without the leading "smile"; completion
 * comes from the same tables as the shell scripts' (complete_print), and
 * history is kept only for terminals, in a 0600 file, without any line that
 * mentions a secret.
 */
#include <errno.h>
#include <fcntl.h>
#include <readline/history.h>
#include <readline/readline.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/dispatch.h"
#include "cmd/groups.h"
#include "core/fs.h"
#include "core/util.h"
#include "core/xdg.h"

#define MAX_WORDS 256
#define HISTORY_LINES 1000

/* --- words ---------------------------------------------------------------- */

/* Splits a line the way a POSIX shell would for simple commands: blanks
 * separate words, '...' is literal, "..." allows \" and \\, and a backslash
 * escapes the next character. Returns the word count, -1 for an
 * unterminated quote, or SPLIT_PIPE for a '|' outside quotes, which a
 * shell would take for a pipe. Words point into buf (a copy of the line). */
#define SPLIT_PIPE (-2)
static int split_words(char *buf, char **words, int max)
{
	int n = 0;
	char *in = buf, *out = buf;

	for (;;) {
		while (*in == ' ' || *in == '\t')
			in++;
		if (!*in || *in == '#')
			return n;
		if (n == max)
			return -1;
		words[n++] = out;
		while (*in && *in != ' ' && *in != '\t') {
			if (*in == '\'') {
				char *end = strchr(++in, '\'');
				if (!end)
					return -1;
				memmove(out, in, (size_t)(end - in));
				out += end - in;
				in = end + 1;
			} else if (*in == '"') {
				for (in++; *in && *in != '"'; in++) {
					if (*in == '\\' && (in[1] == '"' || in[1] == '\\'))
						in++;
					*out++ = *in;
				}
				if (*in++ != '"')
					return -1;
			} else {
				if (*in == '|')
					return SPLIT_PIPE;
				if (*in == '\\' && in[1])
					in++;
				*out++ = *in++;
			}
		}
		bool end_of_line = !*in;
		*out++ = '\0';
		if (end_of_line)
			return n;
		in++;
	}
}

/* --- history -------------------------------------------------------------- */

static char *history_path(void)
{
	_cleanup_free_ char *dir = state_directory();
	return xasprintf("%s/history", dir);
}

/* Creates the directory (0700) and the file (0600) before readline writes it. */
static void history_prepare(const char *path)
{
	(void)mkdir_parents(path, 0700); /* no history is no error */
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0) {
		fchmod(fd, 0600);
		close(fd);
	}
}

/* A line is kept out of history when it could carry a secret, even though
 * smile never takes secrets from argv: a user may still type one. */
static bool line_may_hold_secret(const char *line)
{
	static const char *const words[] = { "secret", "password", "token", "authorization", NULL };
	char *lower = xstrdup(line);
	for (char *p = lower; *p; p++)
		*p = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	bool hit = false;
	for (size_t i = 0; words[i] && !hit; i++)
		hit = strstr(lower, words[i]) != NULL;
	free(lower);
	return hit;
}

/* --- completion ----------------------------------------------------------- */

static char **candidates;
static size_t n_candidates, next_candidate;

static void candidates_clear(void)
{
	for (size_t i = 0; i < n_candidates; i++)
		free(candidates[i]);
	free(candidates);
	candidates = NULL;
	n_candidates = next_candidate = 0;
}

static char *candidate_generator(const char *text, int state)
{
	(void)text;
	if (!state)
		next_candidate = 0;
	return next_candidate < n_candidates ? xstrdup(candidates[next_candidate++]) : NULL;
}

/* Runs complete_print on words and keeps its candidates, each without its
 * first lead bytes; ":files" lets readline complete file names instead. */
static void collect_candidates(char **words, int n, size_t lead)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return;
	complete_print(mem, n, words);
	fclose(mem);
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strcmp(line, ":files")) {
			rl_attempted_completion_over = 0; /* readline completes file names */
			continue;
		}
		if (strlen(line) < lead)
			continue;
		candidates = xrealloc(candidates, (n_candidates + 1) * sizeof(*candidates));
		candidates[n_candidates++] = xstrdup(line + lead);
	}
	free(buf);
}

/* Asks complete_print about the words before the cursor, as the shell
 * completion scripts do, and hands the answer to readline. Readline breaks
 * words at '=', as bash does: "--output=nd" comes as "--output=" and "nd",
 * so the two are joined for complete_print, and readline gets back only
 * what follows the '='. */
static char **shell_complete(const char *text, int start, int end)
{
	(void)end;
	char *before = xstrndup(rl_line_buffer, (size_t)start);
	char *words[MAX_WORDS + 1];
	int n = split_words(before, words, MAX_WORDS);
	char **matches = NULL;
	char *joined = NULL;
	size_t lead = 0;

	candidates_clear();
	rl_attempted_completion_over = 1;
	if (n >= 0) {
		if (n > 0 && start > 0 && rl_line_buffer[start - 1] == '=' && str_starts_with(words[n - 1], "--")) {
			lead = strlen(words[n - 1]);
			joined = xasprintf("%s%s", words[n - 1], text);
			words[n - 1] = joined;
		} else {
			words[n++] = (char *)text;
		}
		collect_candidates(words, n, lead);
		if (n_candidates)
			matches = rl_completion_matches(text, candidate_generator);
	}
	free(joined);
	free(before);
	return matches;
}

/* --- the loop ------------------------------------------------------------- */

/* The shell's own global options (every one given, from the option table:
 * --dry-run above all) go before each line's words, so that `smile
 * --dry-run shell` sends nothing and `smile --profile local shell` keeps
 * that profile; options typed on the line come later and win. */
static int run_words(const struct cmd_ctx *ctx, char **words, int n)
{
	size_t n_given;
	struct global_given *given = cli_globals_given(ctx, &n_given);
	size_t n_words = 0;
	for (size_t i = 0; i < n_given; i++)
		n_words += given[i].value ? 1 : given[i].times; /* -vv stays -v -v */
	char **argv = xcalloc(n_words + (size_t)n + 2, sizeof(*argv));
	size_t argc = 0;

	argv[argc++] = xstrdup("smile");
	for (size_t i = 0; i < n_given; i++) {
		if (given[i].value)
			argv[argc++] = xasprintf("--%s=%s", given[i].name, given[i].value);
		for (size_t k = 0; !given[i].value && k < given[i].times; k++)
			argv[argc++] = xasprintf("--%s", given[i].name);
	}
	size_t n_owned = argc;
	for (int i = 0; i < n; i++)
		argv[argc++] = words[i];
	int r = smile_run((int)argc, argv, NULL);
	fflush(stdout);
	for (size_t i = 0; i < n_owned; i++)
		free(argv[i]);
	free(argv);
	free(given);
	return r;
}

/* --- Ctrl-C ---------------------------------------------------------------- */

/* At the prompt, Ctrl-C drops what was typed and shows a fresh prompt; while
 * a command runs, it reaches the command (its own process, so whatever the
 * command does with it, the shell stays), and the prompt comes back. */
static volatile sig_atomic_t interrupted;

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

static void catch_interrupt(struct sigaction *old)
{
	/* No SA_RESTART: select() returns EINTR, so the prompt can react. */
	struct sigaction sa = { .sa_handler = on_interrupt };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, old);
}

static char *typed_line;
static bool line_done;

static void on_line(char *line)
{
	typed_line = line;
	line_done = true;
	rl_callback_handler_remove();
}

static void drop_typed_line(void)
{
	rl_replace_line("", 0);
	rl_crlf();
	rl_on_new_line();
	rl_redisplay();
}

/* One line through readline's callback interface, which lets the loop see
 * Ctrl-C between keys; NULL at the end of input (Ctrl-D). */
static char *read_line(const char *prompt)
{
	sigset_t block, unblocked;

	typed_line = NULL;
	line_done = false;
	interrupted = 0;
	/* SIGINT is let through only inside pselect(), so one that comes
	 * between two keys is seen there, never lost before the wait. */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGINT);
	rl_callback_handler_install(prompt, on_line);
	while (!line_done) {
		fd_set in;
		FD_ZERO(&in);
		FD_SET(STDIN_FILENO, &in);
		int n = pselect(STDIN_FILENO + 1, &in, NULL, NULL, NULL, &unblocked);
		if (n < 0 && errno == EINTR) {
			if (interrupted)
				drop_typed_line();
			interrupted = 0;
			continue;
		}
		if (n < 0) {
			rl_callback_handler_remove();
			break;
		}
		rl_callback_read_char();
	}
	sigprocmask(SIG_UNBLOCK, &block, NULL);
	return typed_line;
}

/* Runs one command line in a child process, as a shell does: Ctrl-C ends
 * it (or lets it end itself, as a bulk send does), never the shell. */
static int run_words_isolated(const struct cmd_ctx *ctx, char **words, int n)
{
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot start the command: %s", strerror(errno));
	if (pid == 0) {
		signal(SIGINT, SIG_DFL); /* the command's Ctrl-C, as from any shell */
		int r = run_words(ctx, words, n);
		fflush(stdout);
		exit(r);
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		; /* Ctrl-C went to the command too: wait for it to end */
	interrupted = 0;
	if (WIFSIGNALED(status)) {
		putchar('\n');
		return WTERMSIG(status) == SIGINT ? SMILE_EXIT_INTERRUPTED : SMILE_EXIT_FAILURE;
	}
	return WEXITSTATUS(status);
}

static void clear_screen(void)
{
	if (isatty(STDOUT_FILENO))
		fputs("\033[H\033[2J", stdout); /* home, erase the screen */
	fflush(stdout);
}

/* isolate: run the command in a child process (at a terminal). */
static int run_line(const struct cmd_ctx *ctx, const char *line, bool isolate, bool *quit)
{
	char *buf = xstrdup(line);
	char *words[MAX_WORDS + 1];
	int n = split_words(buf, words, MAX_WORDS), r = 0;

	if (n == SPLIT_PIPE)
		r = log_status(SMILE_EXIT_USAGE, "pipes are not supported here; run 'smile ...' from your shell to pipe its output");
	else if (n < 0)
		r = log_status(SMILE_EXIT_USAGE, "unterminated quote or too many words");
	else if (n > 0 && (!strcmp(words[0], "exit") || !strcmp(words[0], "quit")))
		*quit = true;
	else if (n == 1 && !strcmp(words[0], "clear"))
		clear_screen();
	else if (n > 0 && !strcmp(words[0], "shell"))
		r = log_status(SMILE_EXIT_USAGE, "already in the smile shell");
	else if (n > 0)
		r = isolate ? run_words_isolated(ctx, words, n) : run_words(ctx, words, n);
	free(buf);
	return r;
}

static int loop_terminal(const struct cmd_ctx *ctx)
{
	char *hist = history_path();
	int last = 0;
	bool quit = false;
	struct sigaction old;

	rl_readline_name = "smile";
	rl_catch_signals = 0; /* Ctrl-C is the loop's (catch_interrupt) */
	catch_interrupt(&old);
	rl_attempted_completion_function = shell_complete;
	if (hist) {
		history_prepare(hist);
		read_history(hist);
	}
	printf("smile %s shell: commands without 'smile'; Tab completes, 'help' lists commands, 'exit' leaves\n",
	       SMILE_VERSION);
	while (!quit) {
		char *line = read_line("smile> ");
		if (!line)
			break;
		if (*line && !line_may_hold_secret(line)) {
			add_history(line);
			if (hist)
				append_history(1, hist);
		}
		last = run_line(ctx, line, true, &quit);
		free(line);
	}
	sigaction(SIGINT, &old, NULL);
	if (hist)
		history_truncate_file(hist, HISTORY_LINES);
	free(hist);
	candidates_clear();
	putchar('\n');
	return last;
}

/* Without a terminal (smile shell < commands), lines run in order with no
 * prompt and no history; the status is that of the last failing line. */
static int loop_script(const struct cmd_ctx *ctx)
{
	char *line = NULL;
	size_t cap = 0;
	int status = 0;
	bool quit = false;
	ssize_t len;

	while (!quit && (len = getline(&line, &cap, stdin)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		int r = run_line(ctx, line, false, &quit);
		if (r)
			status = r;
	}
	free(line);
	return status;
}

static int run_shell(struct cmd_ctx *ctx)
{
	return isatty(STDIN_FILENO) ? loop_terminal(ctx) : loop_script(ctx);
}

static const struct verb_spec shell_command = {
	.name = "shell",
	.summary = "an interactive prompt with completion and history",
	.run = run_shell,
	.flags = VERB_NO_API | VERB_NO_CONFIG,
	.example = "smile --profile local shell",
	.description = "Each line is a smile command without the leading 'smile' (users list --size 5). "
		       "Tab completes groups, verbs, options and their values. History is kept in "
		       "$XDG_STATE_HOME/smile/history (mode 0600) only when the input is a terminal, and "
		       "lines that mention a secret, password or token are never written to it. "
		       "At the prompt, Ctrl-C drops the line typed so far; while a command runs, it stops "
		       "the command and the prompt comes back (Ctrl-D or exit leaves). clear clears the "
		       "screen, help lists the commands (help GROUP, a group's verbs). Pipes are not "
		       "supported here: run smile from your own shell to pipe its output. "
		       "Without a terminal, lines are read from standard input and run in order.",
};

const struct group_spec group_shell = {
	.name = "shell",
	.summary = "an interactive prompt with completion and history",
	.description = "smile shell runs smile commands typed at a prompt, with completion from "
		       "the command tables and a private history.",
	.command = &shell_command,
};
