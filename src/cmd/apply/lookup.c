/* SPDX-License-Identifier: MIT */
/* Looking up objects whose create had an unknown outcome: one paged scan
 * of the type's list finds all of them (engine.h). */
#include <string.h>

#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/apply/apply.h"
#include "cmd/apply/engine.h"
#include "core/json.h"
#include "core/output/output.h"
#include "core/util.h"

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

/* Every field the same text, or absent from both. */
static bool same_fields(const char *const *fields, json_object *item, json_object *sent)
{
	for (size_t f = 0; fields[f]; f++) {
		json_object *a = json_get_path(item, fields[f]), *b = json_get_path(sent, fields[f]);
		if ((a || b) && !same_text(a, b, false))
			return false;
	}
	return true;
}

static bool item_matches(const struct lookup *lk, size_t i, json_object *item)
{
	json_object *sent = lk->sent[i];

	if (lk->accounts)
		return same_text(json_get_path(item, "providerId"), json_get_path(sent, "providerId"), false);
	switch (lk->wanted[i]->res->kind.lookup) {
	case LOOKUP_FIELDS:
		return same_fields(lk->wanted[i]->res->kind.match, item, sent);
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
	char *akey = lk->accounts ? inst_account_key(in) : NULL;
	const char *id = inst_id_of(in->res, obj, lk->accounts);

	strset_add(&lk->taken, id ? id : "");
	state_record(run->st, akey ? akey : in->key, akey ? "accounts" : in->res->group->name, "created", id, obj,
		     akey ? NULL : in->spec);
	if (!lk->accounts) {
		apply_record_begin(run, in, lk->sent[i]);
		apply_record_event(run, in, JOURNAL_SENT, id);
	}
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
	inst_set_error(in, NULL);
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
	if (in->in_flight || !run_deps_done(run, in->res))
		return false;
	if (accounts) {
		char *key = inst_account_key(in);
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
			inst_mark_failed(run, in, RES_UNKNOWN, page_walk_error(&w) ? page_walk_error(&w)
									     : "the look-up failed");
			run->lookup_failed = true;
		} else if (lk->accounts) {
			char *akey = inst_account_key(in);
			state_record(run->st, akey, "accounts", "failed", NULL, NULL, NULL);
			free(akey);
			in->result = RES_PENDING; /* not linked: link it */
		} else if (in->res->kind.lookup == LOOKUP_NONE) {
			inst_mark_failed(run, in, RES_UNKNOWN, "its create may have happened, and it cannot be looked up");
			run->lookup_failed = true;
		} else {
			in->action = ACT_CREATE;
			in->result = RES_PENDING;
			/* Certainly not there: safe to send, for either command. */
			apply_record_begin(run, in, lk->sent[i]);
			apply_record_event(run, in, JOURNAL_FAILED, NULL);
			state_record(run->st, in->key, in->res->group->name, "failed", NULL, NULL, NULL);
		}
	}
	page_walk_release(&w);
}

/* A user found by its marker comes from the list, without the token its
 * create answered, and one kept from an earlier run has none either (the
 * state file keeps no secrets): CI needs one, so a fresh one is asked for
 * (smile tokens refresh), and kept with the user, in memory, as the
 * create would have. */
static void give_token(struct apply_run *run, struct apply_instance *in)
{
	const struct group_spec *g = cmd_find_group("tokens");
	const struct verb_spec *v = g ? cmd_find_verb(g, "refresh") : NULL;
	struct state_entry *e = state_get(run->st, in->key);
	const char *uid = e ? inst_id_of(in->res, e->object, false) : NULL;

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
		json_object *sent = accounts ? inst_build_body(run, in, r->link) : inst_build_body(run, in, r->body);
		if (!sent) {
			inst_mark_failed(run, in, RES_FAILED, in->error);
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
				const char *uid = inst_id_of(r, run_object(run, lk.wanted[i]), false);
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
					inst_mark_failed(run, lk.wanted[i], RES_UNKNOWN, "it cannot be looked up");
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
			inst_exists_now(run, in);
		}
	}
}

void run_lookup_round(struct apply_run *run)
{
	for (size_t k = 0; k < run->m->n_res && !run->ctx->stop && !run->lookup_failed; k++) {
		struct apply_resource *r = &run->m->res[run->m->order[k]];
		lookup_resource(run, r, false);
		if (r->link)
			lookup_resource(run, r, true);
	}
	run_flush_state(run);
}

/* Whether a resource that still has objects to make refers to r. */
static bool needed_by_pending(const struct apply_run *run, const struct apply_resource *r)
{
	size_t self = (size_t)(r - run->m->res);

	for (size_t k = 0; k < run->m->n_res; k++) {
		const struct apply_resource *o = &run->m->res[k];
		bool pending = false, refers = false;
		for (size_t i = 0; i < o->n_instances && !pending; i++)
			pending = o->inst[i].action != ACT_KEEP || o->inst[i].need_link;
		for (size_t d = 0; d < o->n_deps && !refers; d++)
			refers = o->deps[d] == self;
		if (pending && refers)
			return true;
	}
	return false;
}

void run_give_tokens(struct apply_run *run, bool for_results)
{
	for (size_t k = 0; k < run->m->n_res && !run->ctx->stop; k++) {
		struct apply_resource *r = &run->m->res[k];
		if (strcmp(r->kind.id_path, "user.id") || (!for_results && !needed_by_pending(run, r)))
			continue;
		for (size_t i = 0; i < r->n_instances; i++)
			if (run_object(run, &r->inst[i]))
				give_token(run, &r->inst[i]);
	}
}
