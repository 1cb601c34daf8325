/* SPDX-License-Identifier: MIT */
/*
 * smile help TOPIC: the man page of TOPIC (smile, or a group), generated
 * from the tables as meson generates the installed ones, so it works before
 * `meson install`. On a terminal with man it is shown by `man -l`; otherwise
 * it is printed as text.
 */
#include "cli/help.h"
#include "core/util.h"

#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* "smile", or "smile-GROUP" for a group named as such or as smile-GROUP. */
static char *topic_page(const char *topic)
{
	if (!strcmp(topic, "smile"))
		return xstrdup("smile");
	const struct group_spec *g = cmd_find_group(str_starts_with(topic, "smile-") ? topic + 6 : topic);
	return g ? xasprintf("smile-%s", g->name) : NULL;
}

static char *page_roff(const char *page)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return NULL;
	man_print(mem, page);
	if (fclose(mem)) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* Runs `man -l` on the page written to a temporary file. Returns man's exit
 * status, or -1 when man could not be run (then nothing was shown). */
static int show_with_man(const char *roff)
{
	const char *tmp = getenv("TMPDIR");
	_cleanup_free_ char *path = xasprintf("%s/smile-help-XXXXXX.1", tmp && *tmp ? tmp : "/tmp");
	int fd = mkstemps(path, 2);
	if (fd < 0)
		return -1;
	size_t len = strlen(roff);
	bool written = write(fd, roff, len) == (ssize_t)len;
	close(fd);
	int status = -1;
	pid_t pid;
	char *argv[] = { "man", "-l", path, NULL };
	if (written && posix_spawnp(&pid, "man", NULL, NULL, argv, environ) == 0 &&
	    waitpid(pid, &status, 0) == pid)
		status = WIFEXITED(status) && WEXITSTATUS(status) != 127 ? WEXITSTATUS(status) : -1;
	else
		status = -1;
	unlink(path);
	return status;
}

int help_topic(const char *topic)
{
	_cleanup_free_ char *page = topic_page(topic);
	if (!page)
		return log_status(SMILE_EXIT_USAGE, "no help topic '%s'; topics are smile and the groups of 'smile --help'",
				  topic);
	_cleanup_free_ char *roff = page_roff(page);
	if (!roff)
		return log_status(SMILE_EXIT_FAILURE, "cannot make the page %s: %s", page, strerror(errno));
	if (isatty(STDOUT_FILENO)) {
		fflush(stdout);
		int status = show_with_man(roff);
		if (status >= 0)
			return status ? SMILE_EXIT_FAILURE : 0;
	}
	help_roff_to_text(stdout, roff);
	return 0;
}
