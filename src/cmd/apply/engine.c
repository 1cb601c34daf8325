/* SPDX-License-Identifier: MIT */
/*
 * Carrying out the plan, exactly once.
 *
 * Objects go out concurrently through the shared HTTP core (its rate
 * limiter, retries and stop flag), at most `concurrency` at a time, each
 * once everything it refers to exists. Before a create goes out, the
 * state file says "creating" (durably); its outcome is written before it
 * counts as done. A create whose outcome is unknown (timeout, dropped
 * connection, 500, 504, or a run killed while it was in flight) is never
 * simply sent again: one paged scan of its type's list looks for all such
 * objects at once (by name, by e-mail and template, or by the marker apply
 * put in a user's externalMetadata), and only those not found are created
 * again. That runs a few rounds; what is still unknown after them is left
 * for the next run.
 */
#include <string.h>

#include "cli/pages.h"
#include "core/json.h"
#include "cli/status.h"
#include "cmd/apply/apply.h"
#include "core/output/output.h"
#include "core/util.h"


static void schedule(struct apply_run *run);

/* ---- what exists ---- */

static char *account_key(const struct apply_instance *in)
{
	return xasprintf("%s/account", in->key);
}

json_object *run_object(struct apply_run *run, const struct apply_instance *in)
{
	const struct state_entry *e = state_get(run->st, in->key);
	return e && e->phase == PHASE_CREATED ? e->object : NULL;
}

static json_object *account_object(struct apply_run *run, const struct apply_instance *in)
{
	char *key = account_key(in);
	const struct state_entry *e = state_get(run->st, key);
	free(key);
	return e && e->phase == PHASE_CREATED ? e->object : NULL;
}

/* ${NAME.path}: from what the API returned for NAME; ${NAME.account...}
 * from the account linked for it. */
static json_object *resolve_ref(void *ctx, const char *name, long index, const char *path, char **err)
{
	struct apply_run *run = ctx;
	struct apply_resource *r = manifest_find(run->m, name);
	struct apply_instance *in = &r->inst[index < 0 ? 0 : index];
	json_object *obj = run_object(run, in);

	if (r->link && path && (!strcmp(path, "account") || str_starts_with(path, "account."))) {
		obj = account_object(run, in);
		path = path[7] ? path + 8 : NULL;
	}
	if (!obj || !path)
		return obj;
	json_object *v = json_get_path(obj, path);
	if (!v)
		*err = xasprintf("%s has no field '%s'", in->key, path);
	return v;
}

static char *marker(const struct apply_run *run, const struct apply_instance *in)
{
	return xasprintf("%s:%s", run->st->id ? run->st->id : "dry-run", in->key);
}

/* The request body: references filled in from the state, and for users
 * the marker that finds them again. NULL with the reason logged. */
static json_object *build_body(struct apply_run *run, struct apply_instance *in, json_object *tmpl)
{
	struct expand_ctx ec = { .index = in->index, .resolve = resolve_ref, .resolve_ctx = run };
	json_object *body = NULL;
	char *err = NULL, *err_ptr = NULL;

	if (expand_json(tmpl, &ec, &body, &err, &err_ptr) < 0) {
		free(in->error);
		in->error = err;
		free(err_ptr);
		return NULL;
	}
	free(err_ptr);
	if (tmpl == in->res->body && in->res->kind.lookup == LOOKUP_MARKER) {
		json_object *meta = NULL;
		if (!json_object_object_get_ex(body, "externalMetadata", &meta) || !meta) {
			meta = json_object_new_object();
			json_object_object_add(body, "externalMetadata", meta);
		}
		char *mk = marker(run, in);
		json_object_object_add(meta, APPLY_MARKER_KEY, json_object_new_string(mk));
		free(mk);
	}
	return body;
}

/* ---- outcomes ---- */

static void count_done(struct apply_run *run, struct apply_instance *in)
{
	in->result = RES_DONE;
	in->res->n_done++;
	if (run->progress) {
		run->progress->sent++;
		progress_update(run->progress, now_monotonic(), false);
	}
}

static void set_error(struct apply_instance *in, const char *error)
{
	free(in->error);
	in->error = error ? xstrdup(error) : NULL;
}

static void mark_failed(struct apply_run *run, struct apply_instance *in, enum inst_result res,
			const char *error)
{
	in->result = res;
	set_error(in, error);
	if (run->progress) {
		run->progress->failed++;
		progress_update(run->progress, now_monotonic(), false);
	}
}

static void exists_now(struct apply_run *run, struct apply_instance *in)
{
	if (in->res->link && !account_object(run, in))
		in->need_link = true;
	else
		count_done(run, in);
}

static bool flush_state(struct apply_run *run)
{
	int r = state_flush(run->st);

	if (r < 0 && !run->fatal) {
		if (run->progress)
			progress_clear(run->progress);
		log_error("cannot write the state file '%s': %s", run->st->path, strerror(-r));
		run->fatal = SMILE_EXIT_FAILURE;
		run->ctx->stop = true;
	}
	return r == 0;
}

static const char *id_of(const struct apply_resource *r, json_object *data, bool account)
{
	json_object *id = data ? json_get_path(data, account ? "id" : r->kind.id_path) : NULL;
	return id && json_object_is_type(id, json_type_string) ? json_object_get_string(id) : NULL;
}

static void on_answer(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct apply_instance *in = ctx;
	struct apply_run *run = in->run;
	struct apply_resource *r = in->res;
	char *akey = in->linking ? account_key(in) : NULL;
	const char *key = akey ? akey : in->key, *type = akey ? "accounts" : r->group->name;
	bool update = !strcmp(req->method, "PUT");

	in->in_flight = false;
	run->in_flight--;
	if (resp->failure == HTTP_OK) {
		/* A create's spec went out with its "creating"; an update's is new. */
		state_record(run->st, key, type, update ? "updated" : "created", id_of(r, resp->data, akey), resp->data,
			     update ? in->spec : NULL);
		if (akey) {
			in->need_link = false;
			count_done(run, in);
		} else {
			if (update)
				in->updated_now = true;
			else
				in->created_now = true;
			exists_now(run, in);
		}
	} else if (resp->outcome_unknown && !update) {
		/* Still "creating" in the state: looked up before it is sent again. */
		mark_failed(run, in, RES_UNKNOWN, resp->error ? resp->error : "outcome unknown");
	} else {
		if (!update)
			state_record(run->st, key, type, "failed", NULL, NULL, NULL);
		mark_failed(run, in, resp->failure == HTTP_FAIL_INTERRUPTED ? RES_PENDING : RES_FAILED,
			    resp->error ? resp->error : "request failed");
		if (resp->failure == HTTP_FAIL_INTERRUPTED)
			in->result = RES_PENDING;
		if (cli_exit_status(resp) == SMILE_EXIT_AUTH && !run->fatal) {
			run->fatal = SMILE_EXIT_AUTH;
			run->ctx->stop = true;
		}
	}
	free(akey);
	free(in->body);
	in->body = NULL;
	free(in->path);
	in->path = NULL;
	free(in->shown_body);
	in->shown_body = NULL;
	/* The outcome rides on the same write and fdatasync as what starts next. */
	schedule(run);
}

/* ---- sending ---- */

/* The link: body, with the user's id; what --dry-run shows hides the
 * password and the code. */
static json_object *link_body(struct apply_run *run, struct apply_instance *in)
{
	json_object *body = build_body(run, in, in->res->link);
	json_object *user = run_object(run, in);
	const char *uid = id_of(in->res, user, false);

	if (body)
		json_object_object_add(body, "userId", json_object_new_string(uid ? uid : ""));
	return body;
}

static char *shown_link(json_object *body)
{
	json_object *copy = NULL;
	json_object_deep_copy(body, &copy, NULL);
	if (json_object_object_get_ex(copy, "password", NULL))
		json_object_object_add(copy, "password", json_object_new_string("***"));
	if (json_object_object_get_ex(copy, "mfaCode", NULL))
		json_object_object_add(copy, "mfaCode", json_object_new_string("***"));
	char *text = json_compact_dup(copy);
	json_object_put(copy);
	return text;
}

/* Queues the instance's next request; false when it could not be built. */
static bool start(struct apply_run *run, struct apply_instance *in)
{
	struct apply_resource *r = in->res;
	json_object *body;
	const char *method = "POST";

	in->linking = in->need_link;
	if (in->linking) {
		body = link_body(run, in);
		in->path = xstrdup(run->link_url);
	} else if (in->action == ACT_UPDATE) {
		const struct state_entry *e = state_get(run->st, in->key);
		body = build_body(run, in, r->body);
		in->path = apply_object_path(apply_kind_verb(r->group, r->kind.update_verb)->path, e->id);
		method = "PUT";
	} else {
		body = build_body(run, in, r->body);
		in->path = xstrdup(r->create->path);
	}
	if (!body) {
		free(in->path);
		in->path = NULL;
		mark_failed(run, in, RES_FAILED, in->error);
		return false;
	}
	in->body = json_compact_dup(body);
	in->shown_body = in->linking ? shown_link(body) : cmd_shown_body(in->body);
	json_object_put(body);
	if (in->linking) {
		char *akey = account_key(in);
		state_record(run->st, akey, "accounts", "creating", NULL, NULL, NULL);
		free(akey);
	} else if (in->action != ACT_UPDATE) {
		state_record(run->st, in->key, r->group->name, "creating", NULL, NULL, in->spec);
	}
	in->req = (struct http_request){ .method = method, .path = in->path, .body = in->body,
					 .shown_body = in->shown_body };
	in->in_flight = true;
	run->in_flight++;
	return true;
}

static bool deps_done(const struct apply_run *run, const struct apply_resource *r)
{
	for (size_t d = 0; d < r->n_deps; d++) {
		const struct apply_resource *dep = &run->m->res[r->deps[d]];
		if (dep->n_done < dep->n_instances)
			return false;
	}
	return true;
}

static bool wants_request(struct apply_run *run, const struct apply_instance *in)
{
	if (in->in_flight || in->result != RES_PENDING)
		return false;
	if (in->need_link) {
		/* A link whose outcome is unknown is looked up first. */
		char *key = account_key(in);
		const struct state_entry *e = state_get(run->st, key);
		free(key);
		return !e || e->phase != PHASE_CREATING;
	}
	return in->action == ACT_CREATE || in->action == ACT_UPDATE;
}

/* Starts what is ready, up to the concurrency. The announcements, and the
 * outcomes recorded since the last call, are made durable in one write
 * and one fdatasync before any of them goes out. */
static void schedule(struct apply_run *run)
{
	struct manifest *m = run->m;
	struct apply_instance **batch = NULL;
	size_t n = 0;

	for (size_t k = 0; k < m->n_res && !run->ctx->stop; k++) {
		struct apply_resource *r = &m->res[m->order[k]];
		if (!deps_done(run, r))
			continue;
		for (size_t i = 0; i < r->n_instances; i++) {
			if (run->in_flight >= (size_t)run->concurrency)
				break;
			struct apply_instance *in = &r->inst[i];
			if (!wants_request(run, in) || !start(run, in))
				continue;
			batch = xrealloc(batch, (n + 1) * sizeof(*batch));
			batch[n++] = in;
		}
	}
	if (flush_state(run))
		for (size_t i = 0; i < n; i++)
			http_submit(run->http, &batch[i]->req, on_answer, batch[i]);
	free(batch);
}

/* ---- looking up unknown outcomes ---- */

struct lookup {
	struct apply_run *run;
	struct apply_instance **wanted;
	json_object **sent;           /* the body each would send */
	size_t n;
	bool accounts;                /* looking up linked accounts */
	struct strset taken;          /* ids the state already names */
};

static bool same_text(json_object *a, json_object *b, bool nocase)
{
	if (!a || !b || !json_object_is_type(a, json_type_string) || !json_object_is_type(b, json_type_string))
		return false;
	return nocase ? !strcasecmp(json_object_get_string(a), json_object_get_string(b))
		      : !strcmp(json_object_get_string(a), json_object_get_string(b));
}

static bool item_matches(const struct lookup *lk, size_t i, json_object *item)
{
	json_object *sent = lk->sent[i];

	if (lk->accounts)
		return same_text(json_get_path(item, "providerId"), json_get_path(sent, "providerId"), false);
	switch (lk->wanted[i]->res->kind.lookup) {
	case LOOKUP_NAME:
		return same_text(json_get_path(item, "name"), json_get_path(sent, "name"), false);
	case LOOKUP_INVITE:
		return same_text(json_get_path(item, "email"), json_get_path(sent, "email"), true) &&
		       same_text(json_get_path(item, "templateId"), json_get_path(sent, "templateId"), false);
	case LOOKUP_MARKER: {
		char *path = xasprintf("externalMetadata.%s", APPLY_MARKER_KEY);
		bool same = same_text(json_get_path(item, path), json_get_path(sent, path), false);
		free(path);
		return same;
	}
	case LOOKUP_NONE:
		break;
	}
	return false;
}

/* A list item as the create would have answered: users answer {user, token}. */
static json_object *as_created(const struct apply_resource *r, json_object *item)
{
	json_object *copy = NULL;
	json_object_deep_copy(item, &copy, NULL);
	const char *dot = strchr(r->kind.id_path, '.');
	if (!dot)
		return copy;
	char *outer = xstrndup(r->kind.id_path, (size_t)(dot - r->kind.id_path));
	json_object *wrapped = json_object_new_object();
	json_object_object_add(wrapped, outer, copy);
	free(outer);
	return wrapped;
}

static void adopt(struct lookup *lk, size_t i, json_object *item)
{
	struct apply_run *run = lk->run;
	struct apply_instance *in = lk->wanted[i];
	json_object *obj = lk->accounts ? json_object_get(item) : as_created(in->res, item);
	char *akey = lk->accounts ? account_key(in) : NULL;
	const char *id = id_of(in->res, obj, lk->accounts);

	strset_add(&lk->taken, id ? id : "");
	state_record(run->st, akey ? akey : in->key, akey ? "accounts" : in->res->group->name, "created", id, obj,
		     akey ? NULL : in->spec);
	json_object_put(obj);
	free(akey);
	json_object_put(lk->sent[i]);
	lk->sent[i] = NULL;
	lk->wanted[i] = NULL;
	in->adopted = true;
	if (!lk->accounts) {
		in->found_now = true;
		in->action = ACT_KEEP;
	}
	in->need_link = false;
	in->result = RES_PENDING;
	set_error(in, NULL);
}

static int match_page(void *ctx, json_object *items, size_t n_take, const struct http_response *resp)
{
	struct lookup *lk = ctx;

	(void)resp;
	for (size_t k = 0; k < n_take; k++) {
		json_object *item = json_object_array_get_idx(items, k);
		json_object *id = json_get_path(item, "id");
		if (!id || strset_contains(&lk->taken, json_object_get_string(id)))
			continue;
		for (size_t i = 0; i < lk->n; i++) {
			if (lk->wanted[i] && item_matches(lk, i, item)) {
				adopt(lk, i, item);
				break;
			}
		}
	}
	return 0;
}

static void collect_taken(struct lookup *lk)
{
	const struct apply_state *st = lk->run->st;
	for (size_t i = 0; i < st->n; i++)
		if (st->entries[i].phase == PHASE_CREATED && st->entries[i].id)
			strset_add(&lk->taken, st->entries[i].id);
}

/* Whether in waits to be looked up: for its account, or for itself. */
static bool wants_lookup(struct apply_run *run, struct apply_instance *in, bool accounts)
{
	if (in->in_flight || !deps_done(run, in->res))
		return false;
	if (accounts) {
		char *key = account_key(in);
		const struct state_entry *e = state_get(run->st, key);
		free(key);
		return in->need_link && e && e->phase == PHASE_CREATING;
	}
	return in->action == ACT_LOOKUP || (in->result == RES_UNKNOWN && !in->need_link);
}

/* One paged scan of list_path for the wanted instances; those not found
 * are certainly not there and are created again. */
static void lookup_list(struct apply_run *run, const char *list_path, const struct http_param *params,
			size_t n_params, struct lookup *lk)
{
	struct page_walk_opts opts = { .http = run->http, .path = list_path, .params = params,
				       .n_params = n_params, .size = PAGE_SIZE_MAX, .all = true, .limit = -1 };
	struct page_walk w;

	page_walk_init(&w, &opts, match_page, lk);
	int r = page_walk_run(&w);
	for (size_t i = 0; i < lk->n; i++) {
		struct apply_instance *in = lk->wanted[i];
		if (!in)
			continue;
		if (r) {
			mark_failed(run, in, RES_UNKNOWN, page_walk_error(&w) ? page_walk_error(&w)
									     : "the look-up failed");
			run->lookup_failed = true;
		} else if (lk->accounts) {
			char *akey = account_key(in);
			state_record(run->st, akey, "accounts", "failed", NULL, NULL, NULL);
			free(akey);
			in->result = RES_PENDING; /* not linked: link it */
		} else if (in->res->kind.lookup == LOOKUP_NONE) {
			mark_failed(run, in, RES_UNKNOWN, "its create may have happened, and it cannot be looked up");
			run->lookup_failed = true;
		} else {
			in->action = ACT_CREATE;
			in->result = RES_PENDING;
			state_record(run->st, in->key, in->res->group->name, "failed", NULL, NULL, NULL);
		}
	}
	page_walk_release(&w);
}

/* A user found by its marker comes from the list, without the token its
 * create answered: CI needs one, so a fresh one is asked for (smile tokens
 * refresh), and kept with the user as the create would have. */
static void give_token(struct apply_run *run, struct apply_instance *in)
{
	const struct group_spec *g = cmd_find_group("tokens");
	const struct verb_spec *v = g ? cmd_find_verb(g, "refresh") : NULL;
	struct state_entry *e = state_get(run->st, in->key);
	const char *uid = e ? id_of(in->res, e->object, false) : NULL;

	if (!v || !v->opts || !uid || strcmp(in->res->kind.id_path, "user.id") || json_get_path(e->object, "token"))
		return;
	struct http_param p = { v->opts[0].field, uid };
	struct http_request req = { .method = v->method, .path = v->path, .params = &p, .n_params = 1 };
	struct http_response resp = { 0 };
	if (http_send(run->http, &req, &resp) == HTTP_OK && resp.data) {
		json_object *obj = NULL;
		json_object_deep_copy(e->object, &obj, NULL);
		json_object_object_add(obj, "token", json_object_get(resp.data));
		state_record(run->st, in->key, in->res->group->name, "created", uid, obj, NULL);
		json_object_put(obj);
	}
	http_response_clear(&resp);
}

static void lookup_resource(struct apply_run *run, struct apply_resource *r, bool accounts)
{
	struct lookup lk = { .run = run, .accounts = accounts, .taken = STRSET_INIT };

	lk.wanted = xcalloc(r->n_instances, sizeof(*lk.wanted));
	lk.sent = xcalloc(r->n_instances, sizeof(*lk.sent));
	for (size_t i = 0; i < r->n_instances; i++) {
		struct apply_instance *in = &r->inst[i];
		if (!wants_lookup(run, in, accounts))
			continue;
		json_object *sent = accounts ? build_body(run, in, r->link) : build_body(run, in, r->body);
		if (!sent) {
			mark_failed(run, in, RES_FAILED, in->error);
			continue;
		}
		lk.wanted[lk.n] = in;
		lk.sent[lk.n++] = sent;
	}
	if (lk.n) {
		collect_taken(&lk);
		if (accounts) {
			/* Accounts are listed per user: one scan each. */
			for (size_t i = 0; i < lk.n; i++) {
				const char *uid = id_of(r, run_object(run, lk.wanted[i]), false);
				struct http_param p = { "userId", uid ? uid : "" };
				struct lookup one = lk;
				one.wanted = &lk.wanted[i];
				one.sent = &lk.sent[i];
				one.n = 1;
				lookup_list(run, "/accounts", &p, 1, &one);
				lk.taken = one.taken;
			}
		} else {
			const struct verb_spec *list = apply_kind_verb(r->group, r->kind.list_verb);
			if (list)
				lookup_list(run, list->path, NULL, 0, &lk);
			else
				for (size_t i = 0; i < lk.n; i++)
					mark_failed(run, lk.wanted[i], RES_UNKNOWN, "it cannot be looked up");
		}
	}
	for (size_t i = 0; i < lk.n; i++)
		json_object_put(lk.sent[i]);
	free(lk.sent);
	free(lk.wanted);
	strset_release(&lk.taken);
	/* Found ones exist now. */
	for (size_t i = 0; i < r->n_instances; i++) {
		struct apply_instance *in = &r->inst[i];
		if (in->adopted) {
			in->adopted = false;
			if (!accounts)
				give_token(run, in);
			exists_now(run, in);
		}
	}
}

static void lookup_round(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res && !run->ctx->stop && !run->lookup_failed; k++) {
		struct apply_resource *r = &run->m->res[run->m->order[k]];
		lookup_resource(run, r, false);
		if (r->link)
			lookup_resource(run, r, true);
	}
	flush_state(run);
}

/* ---- the run ---- */

static void start_kept(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		for (size_t i = 0; i < r->n_instances; i++) {
			struct apply_instance *in = &r->inst[i];
			if (in->action == ACT_KEEP || in->action == ACT_CHANGED)
				exists_now(run, in);
		}
	}
}

/* Unknown ones of this round go to the next round's look-up. */
static bool work_left(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		for (size_t i = 0; i < r->n_instances; i++)
			if (r->inst[i].result == RES_UNKNOWN || r->inst[i].action == ACT_LOOKUP)
				return true;
	}
	return false;
}

static void tally(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res; k++) {
		struct apply_resource *r = &run->m->res[k];
		for (size_t i = 0; i < r->n_instances; i++) {
			struct apply_instance *in = &r->inst[i];
			if (in->result == RES_PENDING && !in->error) {
				in->result = RES_SKIPPED;
				set_error(in, run->ctx->stop ? "interrupted" : "not created: something it refers to failed");
			} else if (in->result == RES_PENDING) {
				in->result = RES_FAILED;
			}
			if (in->result == RES_DONE) {
				if (in->created_now || in->found_now)
					run->n_created++;
				if (in->found_now)
					run->n_found++;
				if (in->updated_now)
					run->n_updated++;
				if (in->action == ACT_KEEP && !in->found_now)
					run->n_kept++;
				if (in->action == ACT_CHANGED)
					run->n_changed++;
			} else if (in->result == RES_UNKNOWN) {
				run->n_unknown++;
			} else {
				run->n_failed++;
			}
		}
	}
}

int engine_run(struct apply_run *run)
{
	start_kept(run);
	size_t rounds = 8 + run->m->n_res;
	for (size_t round = 0; round < rounds && !run->ctx->stop && !run->fatal; round++) {
		lookup_round(run);
		/* Those that failed with an unknown outcome in the last round are looked up. */
		schedule(run);
		if (http_run(run->http, run->concurrency, &run->ctx->stop) < 0 && !run->fatal)
			run->fatal = log_status(SMILE_EXIT_FAILURE, "internal error: the transfers failed");
		if (!work_left(run) || run->lookup_failed)
			break;
	}
	flush_state(run);
	tally(run);
	return run->fatal;
}
