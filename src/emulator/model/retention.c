/* SPDX-License-Identifier: MIT */
/*
 * The retention sweep. A CONNECTED account expires its retention days after
 * it was connected (its connection's updatedAt); an upload that is not
 * REVOKED expires its retention days after its createdAt. What expires is
 * deleted outright, record and data: GET answers 404 for it afterwards, and
 * its raw files are gone. Accounts revoked earlier (DISCONNECTED, no data
 * left) and revoked uploads stay as revoking leaves them.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/store/clock.h"
#include "emulator/model/model.h"
#include "emulator/model/retention.h"
#include "emulator/server.h"

/* Ids to delete once the walk over the collection is over. */
struct expiry_walk {
	time_t now;
	long limit_s;
	bool accounts; /* else uploads */
	char **ids;
	size_t n, cap;
};

/* When the item's retention started, or false when it holds none. */
static bool retention_start(json_object *item, bool account, time_t *start)
{
	json_object *sub = NULL;

	if (account) {
		const char *status = emu_json_str(item, "connectionStatus");
		if (!status || strcmp(status, "CONNECTED") != 0 ||
		    !json_object_object_get_ex(item, "connection", &sub))
			return false;
		return emu_clock_parse(emu_json_str(sub, "updatedAt"), start);
	}
	if (json_object_object_get_ex(item, "state", &sub) &&
	    strcmp(emu_json_str(sub, "status") ? emu_json_str(sub, "status") : "", "REVOKED") == 0)
		return false;
	return emu_clock_parse(emu_json_str(item, "createdAt"), start);
}

static bool note_if_expired(json_object *item, void *ctx)
{
	struct expiry_walk *w = ctx;
	time_t start;

	if (!retention_start(item, w->accounts, &start) || w->now - start < w->limit_s)
		return true;
	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 16;
		w->ids = xrealloc(w->ids, w->cap * sizeof(*w->ids));
	}
	w->ids[w->n++] = xstrdup(emu_json_str(item, "id"));
	return true;
}

static void forget(struct emu *emu, struct emu_coll *coll, bool account, const char *id)
{
	json_object *item = emu_coll_get(coll, id);

	if (!item)
		return;
	if (account)
		userdata_remove_source(emu, id);
	else
		archive_forget_data(emu, item);
	emu_coll_remove(coll, id);
	emu_state_dirty(emu);
}

static void sweep(struct emu *emu, const char *collection, bool account, long days)
{
	struct emu_coll *coll = emu_store(emu, collection);
	struct expiry_walk w = { .now = emu_clock_now(), .limit_s = days * 86400, .accounts = account };

	emu_coll_each(coll, note_if_expired, &w);
	for (size_t i = 0; i < w.n; i++) {
		forget(emu, coll, account, w.ids[i]);
		free(w.ids[i]);
	}
	free(w.ids);
}

void retention_sweep(struct emu *emu)
{
	sweep(emu, "accounts", true, emu->opt.account_retention_days);
	sweep(emu, "archives", false, emu->opt.upload_retention_days);
	emu->retention_checked = emu_clock_now();
}

void retention_sweep_lazily(struct emu *emu)
{
	if (emu_clock_now() != emu->retention_checked)
		retention_sweep(emu);
}
