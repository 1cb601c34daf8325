/* SPDX-License-Identifier: MIT */
/*
 * smile: a command-line client for the Smile API.
 *
 * main() only sets up the process (signals, locale, libcurl), hands argv to
 * smile_run (src/cli/run.c) with the way to run plugins, and makes a failed
 * write of stdout an error; commands live in src/cmd/.
 */
#include <curl/curl.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cmd.h"
#include "cli/dispatch.h"
#include "core/util.h"

/* Like git, an unknown command `smile foo` runs `smile-foo` from PATH, with
 * the global options given before it and the settings in effect in the
 * environment (see cli_export_plugin_env). Returns only when there is no
 * such program. */
static void run_plugin(struct cmd_ctx *ctx, char **argv, int argi)
{
	char *word = argv[argi];
	cli_export_plugin_env(ctx);
	char *name = xasprintf("smile-%s", word);
	argv[argi] = name;
	execvp(name, argv + argi);
	argv[argi] = word;
	free(name);
}

int main(int argc, char **argv)
{
	/* A closed pipe (smile ... | head) is an ordinary end, not a crash. */
	signal(SIGPIPE, SIG_IGN);
	setlocale(LC_CTYPE, "");
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		log_error("cannot initialise libcurl");
		return SMILE_EXIT_FAILURE;
	}
	int r = smile_run(argc, argv, run_plugin);
	/* ferror too: a write that failed inside an earlier fflush (--dry-run,
	 * help) leaves nothing to flush now, only the error flag. */
	errno = 0;
	if ((fflush(stdout) != 0 || ferror(stdout)) && !r) {
		if (errno && errno != EPIPE)
			log_error("cannot write output: %s", strerror(errno));
		r = SMILE_EXIT_FAILURE;
	}
	curl_global_cleanup();
	return r;
}
