/* SPDX-License-Identifier: MIT */
/*
 * User data: identities, employments, incomes, transactions, ratings,
 * documents, contributions, liabilities, eincomes, insights and links.
 *
 * They differ only in their fields, so one table describes them. Items are
 * created by an account link (model/links.c), an analysed payslip
 * (model/archives.c) and seeding, and removed with their source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

const struct userdata_kind userdata_kinds[] = {
	{ "identities", "identity", "i-", "IDENTITIES", "IDENTITY_ADDED", "identityId",
	  "identity", true, 1, gen_identity, NULL },
	{ "employments", "employment", "e-", "EMPLOYMENTS", "EMPLOYMENTS_ADDED", NULL,
	  "employments", false, 2, gen_employment, "startDate" },
	{ "incomes", "income", "inc-", "INCOMES", "INCOMES_ADDED", NULL,
	  "incomes", false, 6, gen_income, "startDate" },
	{ "transactions", "transaction", "t-", "TRANSACTIONS", "TRANSACTIONS_ADDED", NULL,
	  "transactions", false, 12, gen_transaction, "date" },
	{ "ratings", "rating", "r-", "RATINGS", "RATING_ADDED", "ratingId",
	  "rating", true, 1, gen_rating, NULL },
	{ "documents", "document", "d-", "DOCUMENTS", "DOCUMENTS_ADDED", NULL,
	  "documents", false, 2, gen_document, NULL },
	{ "contributions", "contribution", "con-", "CONTRIBUTIONS", "CONTRIBUTIONS_ADDED", NULL,
	  "contributions", false, 6, gen_contribution, "date" },
	{ "liabilities", "liability", "lia-", "LIABILITIES", "LIABILITIES_ADDED", NULL,
	  "liabilities", false, 1, gen_liability, "startDate" },
	{ "eincomes", "eincome", "einc-", "EINCOMES", "EINCOMES_ADDED", NULL,
	  "eincomes", false, 6, gen_eincome, NULL },
	{ "insights", "insight", "insight-", "INSIGHTS", "INSIGHT_ADDED", "id",
	  "insight", true, 1, gen_insight, NULL },
	{ "links", "link", "link-", "LINK", "LINK_ADDED", "id",
	  "links", false, 1, gen_link, NULL },
};
const size_t userdata_kinds_n = sizeof(userdata_kinds) / sizeof(userdata_kinds[0]);

const struct userdata_kind *userdata_kind_find(const char *name)
{
	for (size_t i = 0; i < userdata_kinds_n; i++)
		if (strcmp(userdata_kinds[i].name, name) == 0)
			return &userdata_kinds[i];
	return NULL;
}

/* ---- creation -------------------------------------------------------------- */

json_object *userdata_metadata(const struct gen_ctx *g)
{
	json_object *m = json_object_new_object();

	emu_json_set_str(m, "createdAt", g->now);
	emu_json_set_str(m, "itemCreatedAt", g->now);
	if (strcmp(g->source_type, "ACCOUNT") == 0)
		emu_json_set_str(m, "accountId", g->source_id);
	emu_json_set_str(m, "sourceId", g->source_id);
	emu_json_set_str(m, "sourceType", g->source_type);
	emu_json_set_str(m, "userId", g->user_id);
	emu_json_set_str(m, "providerId", g->provider_id);
	return m;
}

json_object *userdata_create(struct emu *emu, const struct userdata_kind *kind,
			     const struct gen_ctx *g, unsigned i)
{
	json_object *item = json_object_new_object();
	char *id = emu_new_id(emu, kind->prefix);

	json_object_object_add(item, "id", json_object_new_string(id));
	free(id);
	kind->gen(item, g, i);
	json_object_object_add(item, "metadata", userdata_metadata(g));
	emu_coll_put(emu_store(emu, kind->name), item);
	return item;
}

static const char *item_source_id(json_object *item)
{
	json_object *meta;

	return json_object_object_get_ex(item, "metadata", &meta) ? emu_json_str(meta, "sourceId")
								   : NULL;
}

struct source_match {
	const char *source_id;
	struct strbuf ids; /* NUL-separated ids to remove */
	size_t n;
	json_object *into; /* for the payload: copies collected here */
};

static bool collect_source_ids(json_object *item, void *ctx)
{
	struct source_match *m = ctx;
	const char *src = item_source_id(item);

	if (src && strcmp(src, m->source_id) == 0) {
		strbuf_add(&m->ids, emu_json_str(item, "id"), strlen(emu_json_str(item, "id")) + 1);
		m->n++;
	}
	return true;
}

size_t userdata_remove_source(struct emu *emu, const char *source_id)
{
	size_t removed = 0;

	for (size_t k = 0; k < userdata_kinds_n; k++) {
		struct emu_coll *c = emu_store(emu, userdata_kinds[k].name);
		struct source_match m = { .source_id = source_id, .ids = STRBUF_INIT };

		/* Collect first: removing while walking would disturb the walk. */
		emu_coll_each_of_source(c, source_id, collect_source_ids, &m);
		for (size_t off = 0; off < m.ids.len; off += strlen(m.ids.buf + off) + 1)
			removed += emu_coll_remove(c, m.ids.buf + off);
		strbuf_release(&m.ids);
	}
	if (removed)
		emu_state_dirty(emu);
	return removed;
}

static bool collect_source_copies(json_object *item, void *ctx)
{
	struct source_match *m = ctx;
	const char *src = item_source_id(item);
	json_object *copy = NULL;

	if (!src || strcmp(src, m->source_id) != 0)
		return true;
	json_object_deep_copy(item, &copy, NULL);
	json_object_object_del(copy, "metadata"); /* the payload has it once, on top */
	json_object_array_add(m->into, copy);
	return true;
}

json_object *userdata_payload(struct emu *emu, json_object *source, const char *source_type)
{
	const char *source_id = emu_json_str(source, "id");
	json_object *payload = json_object_new_object();
	json_object *meta = json_object_new_object();

	emu_json_set_str(meta, "sourceId", source_id);
	emu_json_set_str(meta, "sourceType", source_type);
	emu_json_set_str(meta, "userId", emu_json_str(source, "userId"));
	emu_json_set_str(meta, "providerId", emu_json_str(source, "providerId"));
	json_object_object_add(payload, "metadata", meta);
	for (size_t k = 0; k < userdata_kinds_n; k++) {
		const struct userdata_kind *kind = &userdata_kinds[k];
		struct source_match m = { .source_id = source_id, .into = json_object_new_array() };

		emu_coll_each_of_source(emu_store(emu, kind->name), source_id, collect_source_copies,
					&m);
		if (!kind->single)
			json_object_object_add(payload, kind->payload_key, m.into);
		else if (json_object_array_length(m.into) > 0)
			json_object_object_add(payload, kind->payload_key,
					       json_object_get(json_object_array_get_idx(m.into, 0)));
		if (kind->single)
			json_object_put(m.into);
	}
	return payload;
}

void userdata_emit_added(struct emu *emu, const struct userdata_kind *kind,
			 const struct gen_ctx *g, json_object *first, unsigned count)
{
	bool account = strcmp(g->source_type, "ACCOUNT") == 0;
	json_object *data = event_data_for(g->user_id, account ? g->source_id : NULL, g->provider_id);

	if (!account) {
		json_object_object_del(data, "accountId");
		emu_json_set_str(data, "archiveId", g->source_id);
	}
	if (kind->event_id_key)
		emu_json_set_str(data, kind->event_id_key, emu_json_str(first, "id"));
	else
		json_object_object_add(data, "count", json_object_new_int((int)count));
	emu_emit(emu, kind->event, data);
	json_object_put(data);
}
