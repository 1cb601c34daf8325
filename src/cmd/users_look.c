/* SPDX-License-Identifier: MIT */
/*
 * Finding a person: `users find --email E` looks through the invites (the
 * one place the API keeps an e-mail) with the shared page walker, and
 * `users show ID` puts the user, its accounts and what data exists for it
 * on one screen.
 */
#include "cmd/users_look.h"

#include "cli/pages.h"
#include "cli/status.h"
#include "core/json.h"
#include "core/util.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- find ---------------------------------------------------------------- */

struct find_state {
	const char *email;
	struct output *out;
	size_t found;
	int status;
};

static int match_invites(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct find_state *f = ctx;
	(void)resp;

	for (size_t i = 0; i < n_take; i++) {
		json_object *item = json_object_array_get_idx(items, i);
		const char *email = json_string_member(item, "email");
		if (!email || strcasecmp(email, f->email))
			continue;
		f->found++;
		if (output_item(f->out, item) < 0)
			return SMILE_EXIT_FAILURE;
	}
	return 0;
}

int users_find(struct cmd_ctx *ctx, const char *const *columns)
{
	struct http_client *http;
	struct output_opts oo;
	int r = cmd_http(ctx, &http);

	if (r)
		return r;
	cmd_output_opts(ctx, &oo, columns);
	struct find_state f = { .email = cmd_opt(ctx, "email"), .out = output_begin(&oo, stdout, true) };
	struct page_walk_opts opts = { .http = http, .path = "/invites", .size = PAGE_SIZE_MAX,
				       .all = true, .limit = -1 };
	struct page_walk w;
	page_walk_init(&w, &opts, match_invites, &f);
	r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	int e = output_end(f.out);
	if (!r && e)
		r = SMILE_EXIT_FAILURE;
	if (!r && !f.found && !ctx->g->dry_run)
		r = log_status(SMILE_EXIT_NOT_FOUND, "no invite for '%s'", f.email);
	return r;
}

/* ---- show ---------------------------------------------------------------- */

/* The user data a person may have, each listed by GET PATH?userId=ID. */
static const char *const data_paths[] = {
	"identities", "employments", "incomes", "transactions", "ratings", "documents",
	"contributions", "liabilities", "eincomes", "archives", "uploads", NULL
};

struct first_page {
	json_object *items;  /* owned copy of the first page's items */
	bool more;           /* a next page exists */
};

static int keep_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct first_page *p = ctx;
	json_object *next = json_get_path(resp->data, "nextCursor");

	(void)n_take;
	p->items = json_object_get(items);
	p->more = next && json_object_is_type(next, json_type_string) && *json_object_get_string(next);
	return 0;
}

/* The first page (150 items, the most the API serves) of path for user id:
 * a count that is exact below 150, "150+" beyond, for one request each. */
static int first_page(struct http_client *http, const char *path, const char *id, struct first_page *out)
{
	_cleanup_free_ char *slash_path = xasprintf("/%s", path);
	struct http_param param = { "userId", id };
	struct page_walk_opts opts = { .http = http, .path = slash_path, .params = &param, .n_params = 1,
				       .size = PAGE_SIZE_MAX, .limit = -1 };
	struct page_walk w;

	*out = (struct first_page){ 0 };
	page_walk_init(&w, &opts, keep_page, out);
	int r = page_walk_run(&w);
	if (r && page_walk_error(&w))
		log_error("%s", page_walk_error(&w));
	page_walk_release(&w);
	return r;
}

static json_object *count_of(const struct first_page *p)
{
	size_t n = p->items ? json_object_array_length(p->items) : 0;
	char text[32];

	if (!p->more)
		return json_object_new_int64((int64_t)n);
	snprintf(text, sizeof(text), "%zu+", n);
	return json_object_new_string(text);
}

/* {user, accounts, data: {incomes: 3, transactions: "150+", ...}}. */
static int gather(struct http_client *http, const char *id, json_object **out)
{
	_cleanup_free_ char *user_path = xasprintf("/users/%s", id);
	struct http_request req = { .method = "GET", .path = user_path };
	struct http_response resp = { 0 };
	struct first_page accounts;
	int r = cli_send(http, &req, &resp);

	if (r || resp.dry_run) {
		http_response_clear(&resp);
		return r;
	}
	json_object *all = json_object_new_object();
	json_object_object_add(all, "user", json_object_get(resp.data));
	http_response_clear(&resp);
	if ((r = first_page(http, "accounts", id, &accounts)) == 0) {
		json_object_object_add(all, "accounts", accounts.items ? accounts.items : json_object_new_array());
		json_object *data = json_object_new_object();
		json_object_object_add(all, "data", data);
		for (size_t i = 0; data_paths[i] && !r; i++) {
			struct first_page p;
			if ((r = first_page(http, data_paths[i], id, &p)) == 0)
				json_object_object_add(data, data_paths[i], count_of(&p));
			json_object_put(p.items);
		}
	}
	if (r)
		json_object_put(all);
	else
		*out = all;
	return r;
}

static void print_field(const char *label, json_object *v)
{
	const char *text = v ? json_object_get_string(v) : "-";
	printf("%-10s %s\n", label, text);
}

/* The screen: the user, one line per account, then the data there is. */
static void print_screen(json_object *all)
{
	json_object *user = json_get_path(all, "user"), *accounts = json_get_path(all, "accounts");
	json_object *data = json_get_path(all, "data");
	size_t n = json_object_array_length(accounts);

	print_field("user", json_get_path(user, "id"));
	print_field("created", json_get_path(user, "createdAt"));
	print_field("session", json_get_path(user, "session.status"));
	print_field("metadata", json_get_path(user, "externalMetadata"));
	printf("%-10s %zu%s\n", "accounts", n, n ? ":" : "");
	for (size_t i = 0; i < n; i++) {
		json_object *a = json_object_array_get_idx(accounts, i);
		printf("  %s  %s  %s\n", json_object_get_string(json_get_path(a, "id")),
		       json_object_get_string(json_get_path(a, "providerId")),
		       json_object_get_string(json_get_path(a, "status")));
	}
	printf("%-10s", "data");
	bool any = false;
	json_object_object_foreach(data, kind, count) {
		if (json_object_is_type(count, json_type_int) && json_object_get_int64(count) == 0)
			continue;
		printf("%s %s %s", any ? "," : "", kind, json_object_get_string(count));
		any = true;
	}
	printf("%s\n", any ? "" : " none yet");
}

int users_show(struct cmd_ctx *ctx)
{
	struct http_client *http;
	struct output_opts oo;
	json_object *all = NULL;
	int r = cmd_http(ctx, &http);

	if (r || (r = gather(http, ctx->args[0], &all)) || !all)
		return r;
	cmd_output_opts(ctx, &oo, NULL);
	if (oo.format == OUTPUT_TABLE && !oo.fields && !oo.jq && !oo.quiet && !oo.list_fields) {
		print_screen(all);
	} else {
		struct output *o = output_begin(&oo, stdout, false);
		int e = output_item(o, all);
		if (output_end(o) < 0 || e < 0)
			r = SMILE_EXIT_FAILURE;
	}
	json_object_put(all);
	return r;
}
