/* SPDX-License-Identifier: MIT */
/*
 * smile link: the Wink widget quickstart in one command. link.c is the
 * command (options, SDK URL, token minting, the run); server.c the local
 * web server (libmicrohttpd) the browser talks to; report.c prints the
 * widget's callbacks as they arrive.
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>

#include "cli/cmd.h"
#include "core/output/output.h"

struct link_state {
	/* What the page's widget gets with each token. */
	json_object *providers;     /* array of provider ids */
	json_object *top_providers; /* array of provider ids */
	bool enable_upload;
	const char *template_id;    /* NULL: none */
	const char *api_host;       /* the link API host of the mode */
	char *sdk_url;              /* what the page loads */
	const char *user_id;        /* --user-id: tokens for this user, else a new user each */

	struct http_client *http;   /* the run's client; only the server's thread uses it */

	/* Printing the callbacks. */
	bool quiet, ndjson, once;
	struct output *out;         /* -o ndjson */
	json_object *connected;     /* account ids connected and not removed */
	bool closed;                /* onClose came with --once: the run ends */
	bool woken;                 /* wake_fd was written to */
	int wake_fd;                /* written to when the run should end */
};

/* Mints a fresh link token and answers what /api/create_link_token
 * returns: the token object with topProviders, providers, enableUpload,
 * apiHost (and templateId) added. NULL on failure (message printed). */
json_object *link_create_token(struct link_state *st);

/* check.c: the option values the API can check, checked before serving
 * (under --dry-run only what needs no request). 0 or the exit status. */
int link_check_options(struct link_state *st, bool dry_run);

/* server.c: serves on host:port (0: a free port); NULL on failure (message
 * printed). *bound gets the port. */
struct MHD_Daemon;
struct MHD_Daemon *link_server_start(struct link_state *st, const char *host, unsigned port,
				     unsigned *bound);

/* report.c: one callback the page reported ({callback, args}); false when
 * it is not a callback the SDK has (nothing printed). */
bool link_report(struct link_state *st, json_object *msg);
/* The exit status of --once, and its last words (-q: the ids). */
int link_once_result(struct link_state *st);
