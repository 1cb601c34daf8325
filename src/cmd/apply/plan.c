/* SPDX-License-Identifier: MIT */
/*
 * What apply would do with each object, from the manifest and the state:
 *   +  create        (not in the state, or certainly not created)
 *   ?  look up        (its create may have happened unseen: found, or created)
 *   ~  update        (body changed, and the API can update it)
 *   !  changed       (body changed, and the API cannot update it)
 *   =  keep
 *   -  delete        (no longer in the manifest, with --prune)
 */
#include <stdio.h>
#include <string.h>

#include "cmd/apply/apply.h"
#include "core/json.h"
#include "core/util.h"


static char *instance_key(const struct apply_resource *r, size_t i)
{
	return r->count ? xasprintf("%s[%zu]", r->name, i) : xstrdup(r->name);
}

/* The body with env and index filled in and references as written: what
 * the state compares to tell a changed body. */
static int instance_spec(const struct apply_run *run, struct apply_resource *r, struct apply_instance *in)
{
	struct expand_ctx ec = { .index = in->index };
	json_object *body = NULL;
	char *err = NULL, *err_ptr = NULL;

	if (expand_json(r->body, &ec, &body, &err, &err_ptr) < 0) {
		/* Checked by manifest_load: only an environment changed since. */
		log_error("%s: %s: %s", run->m->path, r->name, err);
		free(err);
		free(err_ptr);
		return SMILE_EXIT_USAGE;
	}
	in->spec = apply_spec_text(run->st, r, body);
	json_object_put(body);
	return 0;
}

static enum inst_action decide(const struct apply_run *run, const struct apply_resource *r,
			       const struct apply_instance *in, const struct state_entry *e)
{
	if (!e || e->phase == PHASE_NONE || e->phase == PHASE_DELETED)
		return ACT_CREATE;
	if (e->phase == PHASE_CREATING)
		return ACT_LOOKUP;
	if (e->spec && apply_spec_same(run->st, r, e->spec, in->spec))
		return ACT_KEEP;
	return r->kind.update_verb ? ACT_UPDATE : ACT_CHANGED;
}

int plan_compute(struct apply_run *run)
{
	struct manifest *m = run->m;

	for (size_t k = 0; k < m->n_res; k++) {
		struct apply_resource *r = &m->res[k];
		r->inst = xcalloc(r->n_instances, sizeof(*r->inst));
		for (size_t i = 0; i < r->n_instances; i++) {
			struct apply_instance *in = &r->inst[i];
			in->res = r;
			in->run = run;
			in->index = r->count ? (long)i : -1;
			in->key = instance_key(r, i);
			int e = instance_spec(run, r, in);
			if (e)
				return e;
			in->action = decide(run, r, in, state_get(run->st, in->key));
		}
	}
	return 0;
}

static bool is_current_key(struct apply_run *run, const char *key)
{
	struct manifest *m = run->m;
	char *base = xstrdup(key), *slash = strchr(base, '/');
	bool found = false;

	if (slash) /* "george/account" belongs to george */
		*slash = '\0';
	for (size_t k = 0; k < m->n_res && !found; k++) {
		struct apply_resource *r = &m->res[k];
		for (size_t i = 0; i < r->n_instances && !found; i++)
			found = !strcmp(r->inst[i].key, base) && (!slash || r->link);
	}
	free(base);
	return found;
}

static int by_seq_desc(const void *a, const void *b)
{
	const struct state_entry *x = *(const struct state_entry *const *)a, *y = *(const struct state_entry *const *)b;
	return x->seq < y->seq ? 1 : x->seq > y->seq ? -1 : 0;
}

struct state_entry **plan_orphans(struct apply_run *run, size_t *n)
{
	struct state_entry **out = xcalloc(run->st->n + 1, sizeof(*out));

	*n = 0;
	for (size_t i = 0; i < run->st->n; i++) {
		struct state_entry *e = &run->st->entries[i];
		if ((e->phase == PHASE_CREATED || e->phase == PHASE_CREATING) && !is_current_key(run, e->key))
			out[(*n)++] = e;
	}
	qsort(out, *n, sizeof(*out), by_seq_desc);
	return out;
}

struct plan_counts {
	size_t create, update, destroy, keep, changed, orphans;
};

static void print_instance(const struct apply_run *run, const struct apply_instance *in, struct plan_counts *c)
{
	const struct state_entry *e = state_get(run->st, in->key);
	const char *type = in->res->group->name, *id = e && e->id ? e->id : "";

	switch (in->action) {
	case ACT_CREATE:
		printf("+ %s (%s)\n", in->key, type);
		c->create++;
		break;
	case ACT_LOOKUP:
		printf("? %s (%s): its create may have happened; looked up first, created if missing\n", in->key,
		       type);
		c->create++;
		break;
	case ACT_UPDATE:
		printf("~ %s (%s) %s\n", in->key, type, id);
		c->update++;
		break;
	case ACT_CHANGED:
		printf("! %s (%s) %s: body changed, and the API cannot update %s: to replace it, rename it in "
		       "the manifest and apply with --prune\n", in->key, type, id, type);
		c->changed++;
		break;
	default:
		printf("= %s (%s) %s\n", in->key, type, id);
		c->keep++;
	}
	if (in->res->link) {
		char *akey = xasprintf("%s/account", in->key);
		const struct state_entry *a = state_get(run->st, akey);
		if (a && a->phase == PHASE_CREATED) {
			printf("= %s (accounts) %s\n", akey, a->id ? a->id : "");
			c->keep++;
		} else {
			printf("+ %s (accounts, linked in the emulator)\n", akey);
			c->create++;
		}
		free(akey);
	}
}

int plan_print(struct apply_run *run, bool prune)
{
	struct manifest *m = run->m;
	struct plan_counts c = { 0 };
	size_t n_orphans;

	for (size_t k = 0; k < m->n_res; k++) {
		struct apply_resource *r = &m->res[m->order[k]];
		for (size_t i = 0; i < r->n_instances; i++)
			print_instance(run, &r->inst[i], &c);
	}
	struct state_entry **orphans = plan_orphans(run, &n_orphans);
	for (size_t i = 0; i < n_orphans; i++) {
		const struct state_entry *e = orphans[i];
		const char *type = e->type ? e->type : "?";
		if (!apply_delete_verb(e->type)) {
			printf("  %s (%s) %s: no longer in the manifest; the API cannot delete %s\n", e->key, type,
			       e->id ? e->id : "", type);
		} else if (prune) {
			printf("- %s (%s) %s\n", e->key, type, e->id ? e->id : "");
			c.destroy++;
		} else {
			printf("  %s (%s) %s: no longer in the manifest; --prune deletes it\n", e->key, type,
			       e->id ? e->id : "");
			c.orphans++;
		}
	}
	free(orphans);
	printf("Plan: %zu to create, %zu to update, %zu to delete, %zu unchanged", c.create, c.update, c.destroy,
	       c.keep);
	if (c.changed)
		printf(", %zu changed that cannot be updated", c.changed);
	printf(".\n");
	return fflush(stdout) == 0 ? 0 : SMILE_EXIT_FAILURE;
}
