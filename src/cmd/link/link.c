/* SPDX-License-Identifier: MIT */
/*
 * smile link: Smile's Wink quickstart (a token server, a page, the SDK) in
 * one command. It serves the quickstart page on a local port, mints a fresh
 * link token with the profile's credentials each time the page launches
 * the widget (the secret stays here), and prints every callback the widget
 * fires as the page reports it. Against smile-emulator the page loads the
 * emulator's stand-in SDK, so the whole flow runs offline.
 */
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/apihost.h"
#include "cli/emulator.h"
#include "cli/httpd.h"
#include "cli/status.h"
#include "cmd/link/link.h"
#include "cmd/opts.h"
#include "core/config/config.h"
#include "core/http/client.h"
#include "core/util.h"

#define OFFICIAL_SDK_URL "https://web.smileapi.io/v2/smile.v2.js"
#define SANDBOX_LINK_HOST "https://link-sandbox.smileapi.io/v1"
#define PRODUCTION_LINK_HOST "https://link.smileapi.io/v1"
#define EMULATOR_SDK_PATH "/_emulator/wink/v2/smile.v2.js"
#define DEFAULT_PORT "8000" /* the official quickstart's */

extern char **environ;

/* ---- where the SDK comes from -------------------------------------------- */

/* --sdk-url, else the profile's wink_sdk_url, else the official SDK for the
 * official API, else the stand-in of the emulator at the base URL. */
static char *sdk_url_for(struct cmd_ctx *ctx, const struct profile *p)
{
	if (cmd_opt(ctx, "sdk-url"))
		return xstrdup(cmd_opt(ctx, "sdk-url"));
	if (p->wink_sdk_url)
		return xstrdup(p->wink_sdk_url);
	if (api_is_official(p->base_url))
		return xstrdup(OFFICIAL_SDK_URL);
	return emulator_control_url(p->base_url, EMULATOR_SDK_PATH);
}

/* ---- the run ------------------------------------------------------------- */

static int wake_pipe[2] = { -1, -1 };
static volatile bool *interrupt_flag;

static void on_signal(int sig)
{
	int saved = errno;

	(void)sig;
	if (interrupt_flag)
		*interrupt_flag = true;
	if (write(wake_pipe[1], "i", 1) < 0) {
		/* nothing to do in a signal handler */
	}
	errno = saved;
}

/* Waits until Ctrl-C, SIGTERM or (--once) the widget's onClose. */
static char wait_for_end(void)
{
	struct pollfd pfd = { .fd = wake_pipe[0], .events = POLLIN };
	char why = 0;

	while (poll(&pfd, 1, -1) < 0 && errno == EINTR)
		;
	if (read(wake_pipe[0], &why, 1) < 0)
		why = 'i';
	return why;
}

static void open_browser(const char *url)
{
	char *argv[] = { "xdg-open", (char *)url, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	if (posix_spawnp(&pid, "xdg-open", &fa, NULL, argv, environ) != 0)
		log_error("cannot start xdg-open: open %s yourself", url);
	posix_spawn_file_actions_destroy(&fa);
}

static int serve(struct cmd_ctx *ctx, struct link_state *st, const char *host, unsigned port)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	struct MHD_Daemon *d;
	unsigned bound;
	char why;

	if (pipe2(wake_pipe, O_CLOEXEC) < 0)
		return log_status(SMILE_EXIT_FAILURE, "cannot make a pipe: %s", strerror(errno));
	st->wake_fd = wake_pipe[1];
	interrupt_flag = &ctx->stop; /* the client's: requests in flight give up */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	d = link_server_start(st, host, port, &bound);
	if (d) {
		_cleanup_free_ char *origin = httpd_origin(host, bound);
		_cleanup_free_ char *url = xasprintf("%s/", origin);
		printf("listening on %s\n", url);
		fflush(stdout);
		if (!st->quiet)
			fprintf(stderr, "smile: open %s to link an account; Ctrl-C stops\n", url);
		if (cmd_flag(ctx, "open"))
			open_browser(url);
		why = wait_for_end();
		MHD_stop_daemon(d);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	interrupt_flag = NULL;
	close(wake_pipe[0]);
	close(wake_pipe[1]);
	if (!d)
		return SMILE_EXIT_FAILURE;
	if (why == 'i')
		return SMILE_EXIT_INTERRUPTED;
	return link_once_result(st);
}

static json_object *list_option(struct cmd_ctx *ctx, const char *name)
{
	json_object *list = cmd_opt_list(ctx, name);

	return list ? list : json_object_new_array();
}

static int check_output(struct cmd_ctx *ctx, struct link_state *st)
{
	struct output_opts oo;
	const char *fmt = ctx->g->output;

	if (!fmt || !strcmp(fmt, "table"))
		return 0;
	if (strcmp(fmt, "ndjson") && strcmp(fmt, "json"))
		return log_status(SMILE_EXIT_USAGE, "smile link prints callbacks as lines or -o ndjson, not -o %s",
				  fmt);
	cmd_output_opts(ctx, &oo, NULL);
	oo.format = OUTPUT_NDJSON;
	st->ndjson = true;
	st->out = output_begin(&oo, stdout, true);
	return 0;
}

static int run_link(struct cmd_ctx *ctx)
{
	const char *port_text = cmd_opt(ctx, "port") ? cmd_opt(ctx, "port") : DEFAULT_PORT;
	const char *host = cmd_opt(ctx, "host") ? cmd_opt(ctx, "host") : "127.0.0.1";
	struct link_state st = {
		.enable_upload = cmd_flag(ctx, "enable-upload"), .template_id = cmd_opt(ctx, "template-id"),
		.user_id = cmd_opt(ctx, "user-id"), .quiet = ctx->g->quiet, .once = cmd_flag(ctx, "once"),
		.wake_fd = -1,
	};
	const struct profile *p;
	int r;

	if ((r = cmd_profile(ctx, &p)) || (r = cmd_http(ctx, &st.http)))
		return r;
	if ((r = check_output(ctx, &st)))
		return r;
	st.providers = list_option(ctx, "providers");
	st.top_providers = list_option(ctx, "top-providers");
	st.connected = json_object_new_array();
	st.sdk_url = sdk_url_for(ctx, p);
	st.api_host = api_is_official(p->base_url) ? (profile_is_production(p) ? PRODUCTION_LINK_HOST : SANDBOX_LINK_HOST)
				      : p->base_url;
	if ((r = link_check_options(&st, ctx->g->dry_run))) {
		/* nothing to serve */
	} else if (ctx->g->dry_run) {
		/* Shows the request each launch would send, and sends nothing. */
		printf("would serve http://%s:%s/ with the Wink SDK %s; each widget launch sends:\n", host,
		       port_text, st.sdk_url);
		json_object_put(link_create_token(&st));
		r = 0;
	} else {
		r = serve(ctx, &st, host, (unsigned)atoi(port_text));
	}
	if (st.out)
		output_end(st.out);
	json_object_put(st.providers);
	json_object_put(st.top_providers);
	json_object_put(st.connected);
	free(st.sdk_url);
	return r;
}

static const struct opt_spec link_options[] = {
	{ .name = "port", .type = OPT_INT, .where = OPT_LOCAL, .min = 0, .max = 65535, .metavar = "N",
	  .help = "port to serve the page on (default 8000, as the official quickstart; 0: a free one)" },
	{ .name = "host", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 63, .metavar = "ADDRESS",
	  .help = "address to listen on (default 127.0.0.1)" },
	{ .name = "user-id", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 200, .metavar = "ID",
	  .help = "link accounts of this user (POST /tokens), instead of a new user per launch" },
	{ .name = "template-id", .type = OPT_STRING, .where = OPT_LOCAL, .min = 1, .max = 64, .metavar = "ID",
	  .help = "the Wink template the widget uses" },
	{ .name = "providers", .type = OPT_LIST, .where = OPT_LOCAL, .metavar = "ID,...",
	  .help = "show only these providers (one: straight to its login)" },
	{ .name = "top-providers", .type = OPT_LIST, .where = OPT_LOCAL, .metavar = "ID,...",
	  .help = "list these providers first (at most 10)" },
	L_FLAG("enable-upload", "offer the document upload"),
	{ .name = "sdk-url", .type = OPT_URL, .where = OPT_LOCAL, .metavar = "URL",
	  .help = "the Wink SDK the page loads (default: the official one, or the emulator's stand-in)" },
	L_FLAG("open", "open the page in the browser (xdg-open)"),
	L_FLAG("once", "stop when the widget closes: exit 0 if an account connected, else 1"),
	OPT_END,
};

static const struct verb_spec link_command = {
	.name = "link",
	.summary = "link an account through the Wink widget, served on a local page",
	.run = run_link,
	.opts = link_options,
	.max_args = 0,
	.example = "smile link --open\n"
		   "smile --profile local link --port 0 --once -q",
	.description =
		"Serves Smile's Wink quickstart on http://HOST:PORT/ and prints \"listening on URL\" "
		"first. The page loads the Wink SDK and opens the widget with a fresh link token at "
		"every launch; GET /api/create_link_token answers as the official quickstart server "
		"does (the token object with topProviders, providers and enableUpload added), with a "
		"new user (POST /users) or, with --user-id, a new token of that user (POST /tokens). "
		"The API secret never reaches the browser. The page reports every widget callback, "
		"which smile prints as it happens, one line each (\"onClose reason=exit\"), or one "
		"JSON object {callback, args} per line with -o ndjson; -q prints only the ids of "
		"accounts that connect. --once ends at the widget's onClose: exit 0 when an account "
		"connected (-q: its id), 1 otherwise, so a script can take the id with "
		"acc=$(smile link --once -q). The SDK is the official one for the official "
		"API; for any other base URL, smile-emulator's stand-in at that address, which plays "
		"the widget offline with the sandbox identities (George 123456, code 1234); "
		"--sdk-url or the profile's wink_sdk_url beat both. The page is examples/wink/index.html.",
};

const struct group_spec group_link = {
	.name = "link",
	.summary = "link an account through the Wink widget on a local page",
	.description = "smile link replaces Smile's Wink quickstart (a Node.js token server, a .env "
		       "file and an HTML page) with one command, and plays it offline against "
		       "smile-emulator.",
	.command = &link_command,
};
