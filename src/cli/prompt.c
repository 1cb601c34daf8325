/* SPDX-License-Identifier: MIT */
/*
 * Questions on the terminal: y/N confirmations and secrets read without
 * echo. Both read /dev/tty, so an answer never comes from piped data.
 */
#include "cli/prompt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "core/util.h"

static int read_tty_line(FILE *tty, char **out)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, tty);
	if (n < 0) {
		free(line);
		return -EIO;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	*out = line;
	return 0;
}

int prompt_yes(const char *question)
{
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return -ENXIO;
	fprintf(tty, "%s [y/N] ", question);
	fflush(tty);
	char *answer = NULL;
	bool yes = read_tty_line(tty, &answer) == 0 && (!strcmp(answer, "y") || !strcmp(answer, "yes"));
	free(answer);
	fclose(tty);
	return yes;
}

int cmd_read_secret(const char *prompt, char **out)
{
	if (!isatty(STDIN_FILENO))
		return read_tty_line(stdin, out) == 0 ? 0 : log_status(SMILE_EXIT_USAGE, "no secret on stdin");
	FILE *tty = fopen("/dev/tty", "r+");
	if (!tty)
		return log_status(SMILE_EXIT_FAILURE, "cannot open the terminal to read the secret");
	struct termios old, quiet;
	int fd = fileno(tty);
	bool restore = tcgetattr(fd, &old) == 0;
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fprintf(tty, "%s", prompt);
	fflush(tty);
	int r = read_tty_line(tty, out);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "no secret given");
	return 0;
}

#define SECRET_FILE_MAX 4096

int cmd_read_secret_file(const char *path, char **out)
{
	const char *name = strcmp(path, "-") ? path : "stdin";
	char *text = NULL;
	size_t len = 0;
	int r = read_file_all(path, SECRET_FILE_MAX + 2, &text, &len);

	if (r < 0)
		return log_status(SMILE_EXIT_USAGE, "cannot read secret file '%s': %s", name, strerror(-r));
	if (len > 0 && text[len - 1] == '\n')
		len--;
	if (len > 0 && text[len - 1] == '\r')
		len--;
	text[len] = '\0';
	if (len == 0 || len > SECRET_FILE_MAX || memchr(text, '\0', len) || memchr(text, '\n', len)) {
		const char *why = len == 0 ? "is empty" : len > SECRET_FILE_MAX ? "holds more than 4096 bytes"
										  : "holds more than one line";
		explicit_bzero(text, len);
		free(text);
		return log_status(SMILE_EXIT_USAGE, "secret file '%s' %s", name, why);
	}
	*out = text;
	return 0;
}
