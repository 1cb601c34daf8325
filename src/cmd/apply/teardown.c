/* SPDX-License-Identifier: MIT */
/*
 * smile apply --delete: everything the state says this manifest created,
 * newest first (so what refers to something goes before it): templates,
 * webhooks and consent templates deleted, archives and linked accounts
 * revoked. An object already gone counts as deleted. What the API cannot
 * delete (users, invites) is listed at the end, so nobody thinks it was
 * removed. --prune does the same for the objects the manifest no longer
 * names.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/apply/apply.h"
#include "cli/status.h"
#include "core/util.h"

struct teardown {
	bool plan;              /* --plan: say what would be deleted */
	size_t deleted, failed, kept;
	struct strbuf kept_types;
};

static void note_kept(struct teardown *t, const struct state_entry *e, const char *why)
{
	printf("  %s (%s) %s: %s\n", e->key, e->type ? e->type : "?", e->id ? e->id : "", why);
	t->kept++;
	if (e->type && !strstr(t->kept_types.buf ? t->kept_types.buf : "", e->type))
		strbuf_addf(&t->kept_types, "%s%s", t->kept_types.len ? ", " : "", e->type);
}

static int delete_one(struct apply_run *run, struct state_entry *e, struct teardown *t)
{
	const struct verb_spec *v = apply_delete_verb(e->type);

	if (!v) {
		char *why = xasprintf("not deleted: the API cannot delete %s", e->type ? e->type : "it");
		note_kept(t, e, why);
		free(why);
		return 0;
	}
	if (e->phase == PHASE_CREATING || !e->id) {
		note_kept(t, e, "not deleted: its create may or may not have happened (apply again, then delete)");
		return 0;
	}
	if (t->plan) {
		printf("- %s (%s) %s\n", e->key, e->type, e->id);
		t->deleted++;
		return 0;
	}
	char *path = apply_object_path(v->path, e->id);
	struct http_request req = { .method = v->method, .path = path };
	struct http_response resp = { 0 };
	http_send(run->http, &req, &resp);
	int r = 0;
	if (resp.dry_run) {
		/* shown, not sent */
	} else if (resp.failure == HTTP_OK || resp.status == 404) {
		state_record(run->st, e->key, e->type, "deleted", e->id, NULL, NULL);
		if (state_flush(run->st) < 0)
			r = log_status(SMILE_EXIT_FAILURE, "cannot write the state file '%s'", run->st->path);
		printf("- %s (%s) %s\n", e->key, e->type, e->id);
		t->deleted++;
	} else {
		log_error("cannot delete %s (%s) %s: %s", e->key, e->type, e->id, resp.error ? resp.error : "failed");
		t->failed++;
		if (cli_exit_status(&resp) == SMILE_EXIT_AUTH || resp.failure == HTTP_FAIL_INTERRUPTED)
			r = cli_exit_status(&resp);
	}
	http_response_clear(&resp);
	free(path);
	return r;
}

static int by_seq_desc(const void *a, const void *b)
{
	const struct state_entry *x = *(const struct state_entry *const *)a, *y = *(const struct state_entry *const *)b;
	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

static int delete_entries(struct apply_run *run, struct state_entry **list, size_t n, const char *what,
			  bool plan)
{
	struct teardown t = { .plan = plan, .kept_types = STRBUF_INIT };
	int r = 0;
	size_t n_deletable = 0;
	bool *deletable = xcalloc(n + 1, sizeof(*deletable));

	for (size_t i = 0; i < n; i++) {
		deletable[i] = apply_delete_verb(list[i]->type) != NULL;
		n_deletable += deletable[i];
	}
	if (n_deletable && !plan) {
		char *q = xasprintf("delete %zu objects of %s", n_deletable, run->st->path);
		r = cmd_confirm(run->ctx, q);
		free(q);
	}
	/* Deletable ones first, newest first; then the list of the others. */
	for (size_t i = 0; i < n && !r && !run->ctx->stop; i++)
		if (deletable[i])
			r = delete_one(run, list[i], &t);
	for (size_t i = 0; i < n && !r; i++)
		if (!deletable[i])
			delete_one(run, list[i], &t);
	free(deletable);
	if (plan)
		printf("Plan: 0 to create, 0 to update, %zu to delete, %zu kept (the API cannot delete them).\n",
		       t.deleted, t.kept);
	fflush(stdout);
	if (!run->ctx->g->dry_run && !plan) {
		fprintf(stderr, "%s: %zu deleted, %zu failed", what, t.deleted, t.failed);
		if (t.kept)
			fprintf(stderr, "; %zu not deleted (%s): the API cannot delete them", t.kept, t.kept_types.buf);
		fprintf(stderr, "\n");
	}
	strbuf_release(&t.kept_types);
	if (r)
		return r;
	if (run->ctx->stop)
		return SMILE_EXIT_INTERRUPTED;
	return t.failed ? SMILE_EXIT_PARTIAL : 0;
}

static int delete_all(struct apply_run *run, bool plan)
{
	struct apply_state *st = run->st;
	struct state_entry **list = xcalloc(st->n + 1, sizeof(*list));
	size_t n = 0;

	for (size_t i = 0; i < st->n; i++)
		if (st->entries[i].phase == PHASE_CREATED || st->entries[i].phase == PHASE_CREATING)
			list[n++] = &st->entries[i];
	qsort(list, n, sizeof(*list), by_seq_desc);
	int r = delete_entries(run, list, n, "apply --delete", plan);
	free(list);
	return r;
}

int teardown_delete(struct apply_run *run)
{
	return delete_all(run, false);
}

int plan_print_delete(struct apply_run *run)
{
	return delete_all(run, true);
}

int teardown_prune(struct apply_run *run)
{
	size_t n;
	struct state_entry **orphans = plan_orphans(run, &n);
	int r = n ? delete_entries(run, orphans, n, "apply --prune", false) : 0;
	free(orphans);
	return r;
}
