/* SPDX-License-Identifier: MIT */
/*
 * smile auth status: is this setup able to talk to the API, and if not,
 * why. It says which profile (and what chose it), which host, whether the
 * config file is private, and sends one cheap authenticated request
 * (GET /users?size=1) to learn whether the credentials work, as
 * `gh auth status` does.
 *
 * The exit status is that request's: 0 when the credentials work, 3 when
 * they are refused or missing, 7 when the host cannot be reached.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cmd.h"
#include "cli/status.h"
#include "cmd/groups.h"
#include "core/util.h"

/* "(from --profile)", "(from SMILE_BASE_URL)", "": why a value is what it is. */
static char *from(const struct profile *p, const char *key)
{
	enum profile_source s = !strcmp(key, "profile") ? p->name_source : profile_source(p, key);
	if (s == PROFILE_SOURCE_OPTION)
		return xasprintf(" (from --%s)", !strcmp(key, "base_url") ? "base-url" : key);
	if (s == PROFILE_SOURCE_ENV)
		return xasprintf(" (from %s)", !strcmp(key, "profile") ? "SMILE_PROFILE" : config_key_env(key));
	if (s == PROFILE_SOURCE_FILE)
		return xstrdup(!strcmp(key, "profile") ? " (the file's default)" : " (from the config file)");
	return xstrdup(!strcmp(key, "base_url") ? " (the official URL of the mode)" : "");
}

/* The file's mode, or why there is none; sets *ok when it is private. */
static char *file_state(const char *path, bool *ok)
{
	struct stat st;
	*ok = true;
	if (stat(path, &st) < 0)
		return xstrdup("missing, so no profiles");
	*ok = !(st.st_mode & (S_IRWXG | S_IRWXO));
	return xasprintf("mode %04o%s", (unsigned)(st.st_mode & 07777), *ok ? "" : ", readable by others: chmod 600");
}

struct check {
	bool sent;
	long status;
	double elapsed;
	int exit;
	char *problem; /* why it failed, one line, or NULL */
};

/* One cheap authenticated request; the answer says whether the
 * credentials work. Nothing is printed here: status prints it. */
static void check_credentials(struct cmd_ctx *ctx, const struct profile *p, struct check *out)
{
	*out = (struct check){ 0 };
	if (profile_credentials(p) != CREDENTIALS_COMPLETE) {
		out->exit = SMILE_EXIT_AUTH;
		out->problem = xstrdup(profile_credentials(p) == CREDENTIALS_NO_KEY ? "no api_key"
				       : profile_credentials(p) == CREDENTIALS_NO_SECRET ? "no api_secret"
											: "no api_key and no api_secret (smile config set)");
		return;
	}
	struct http_client *http;
	if ((out->exit = cmd_http(ctx, &http)))
		return;
	const struct http_param size = { "size", "1" };
	const struct http_request req = { .method = "GET", .path = "/users", .params = &size, .n_params = 1 };
	struct http_response resp;
	http_send(http, &req, &resp);
	out->sent = !resp.dry_run;
	out->status = resp.status;
	out->elapsed = resp.elapsed;
	out->exit = cli_exit_status(&resp);
	if (out->exit && !resp.dry_run)
		out->problem = xstrdup(resp.error ? resp.error : "the request failed");
	http_response_clear(&resp);
}

static json_object *status_item(const struct cmd_ctx *ctx, const struct profile *p, const struct check *c,
				bool file_ok)
{
	json_object *o = json_object_new_object();
	json_object_object_add(o, "profile", p->name ? json_object_new_string(p->name) : NULL);
	json_object_object_add(o, "configFile", json_object_new_string(ctx->config_path));
	json_object_object_add(o, "configFilePrivate", json_object_new_boolean(file_ok));
	json_object_object_add(o, "baseUrl", json_object_new_string(p->base_url));
	json_object_object_add(o, "mode", json_object_new_string(p->mode));
	json_object_object_add(o, "apiKey", p->api_key ? json_object_new_string(p->api_key) : NULL);
	json_object_object_add(o, "credentialsWork", c->sent ? json_object_new_boolean(c->exit == 0) : NULL);
	json_object_object_add(o, "status", c->sent ? json_object_new_int64(c->status) : NULL);
	json_object_object_add(o, "problem", c->problem ? json_object_new_string(c->problem) : NULL);
	return o;
}

static void print_text(const struct profile *p, const char *config_path, const char *file, const struct check *c)
{
	_cleanup_free_ char *shown = config_display_path(config_path);
	_cleanup_free_ char *why_profile = from(p, "profile"), *why_url = from(p, "base_url");
	_cleanup_free_ char *why_key = from(p, "api_key");

	printf("profile:      %s%s\n", p->name ? p->name : "(none)", why_profile);
	printf("config file:  %s (%s)\n", shown, file);
	printf("API:          %s, %s mode%s\n", p->base_url, p->mode, why_url);
	printf("api_key:      %s%s\n", p->api_key ? p->api_key : "(not set)", p->api_key ? why_key : "");
	if (c->sent && c->exit == 0)
		printf("credentials:  work (GET /users answered %ld in %.0f ms)\n", c->status, c->elapsed * 1000);
	else if (c->problem)
		printf("credentials:  do not work: %s\n", c->problem);
	else
		printf("credentials:  not checked (--dry-run)\n");
}

static int verb_status(struct cmd_ctx *ctx)
{
	const struct profile *p;
	struct config *cfg;
	struct check c;
	bool file_ok;
	int r;

	if ((r = cmd_config(ctx, &cfg)) || (r = cmd_profile(ctx, &p)))
		return r;
	_cleanup_free_ char *file = file_state(ctx->config_path, &file_ok);
	check_credentials(ctx, p, &c);
	if (ctx->g->output) {
		struct output_opts oo;
		cmd_output_opts(ctx, &oo, NULL);
		json_object *item = status_item(ctx, p, &c, file_ok);
		struct output *o = output_begin(&oo, stdout, false);
		int e = output_item(o, item);
		e |= output_end(o);
		json_object_put(item);
		if (e && !c.exit)
			c.exit = SMILE_EXIT_FAILURE;
	} else {
		print_text(p, ctx->config_path, file, &c);
	}
	free(c.problem);
	return c.exit;
}

static const struct verb_spec auth_verbs[] = {
	{
		.name = "status",
		.summary = "which profile and host, and whether the credentials work",
		.run = verb_status,
		/* Setup must not refuse missing credentials: saying so is the point. */
		.flags = VERB_SETUP_GENTLY,
		.example = "smile auth status\nsmile --profile production auth status -o json",
		.description = "Shows the profile in use and what chose it (--profile, SMILE_PROFILE or "
			       "the file's default), the config file and whether it is private (mode 0600), "
			       "the API base URL and mode, and the api_key (never the secret). Then sends one "
			       "cheap authenticated request, GET /users?size=1, and says whether the "
			       "credentials work. -o json or yaml prints the same as one object. Exit status "
			       "0 when they work, 3 when they are refused or missing, 7 when the host cannot "
			       "be reached.",
	},
	{ .name = NULL },
};

const struct group_spec group_auth = {
	.name = "auth",
	.summary = "check the credentials in use",
	.verbs = auth_verbs,
	.description = "smile auth status answers \"why does nothing work?\": which profile, which "
		       "host, whether the config file is private and whether the API accepts the "
		       "credentials. Credentials are set with smile config set.",
};
