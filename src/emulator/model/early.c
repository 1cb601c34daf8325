/* SPDX-License-Identifier: MIT */
/*
 * Early-access requests (/alpha, /beta): each is stored finished, with the
 * body it was asked with and a sample result; forms come from two fixed
 * examples.
 */
#include <stdio.h>

#include "core/util.h"
#include "emulator/model/model.h"

json_object *early_record_create(struct emu *emu, const char *collection, const char *prefix,
				 json_object *body, early_fill_fn fill)
{
	json_object *obj = json_object_new_object();
	_cleanup_free_ char *id = emu_new_id(emu, prefix);
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(obj, "id", id);
	emu_json_set_str(obj, "createdAt", now);
	emu_json_set_str(obj, "status", "COMPLETED");
	emu_json_set_str(obj, "resultCode", "SUCCESS");
	emu_json_set_str(obj, "resultMessage", "Success");
	json_object_object_add(obj, "requestMeta", emu_json_copy(body));
	fill(obj, body);
	emu_coll_put(emu_store(emu, collection), obj);
	emu_state_dirty(emu);
	return obj;
}

static json_object *form_answer(const char *label, const char *value)
{
	json_object *o = json_object_new_object();

	emu_json_set_str(o, "label", label);
	emu_json_set_str(o, "value", value);
	return o;
}

void early_forms_ensure(struct emu *emu, const char *collection)
{
	struct emu_coll *c = emu_store(emu, collection);
	char now[EMU_TIME_LEN];

	if (emu_coll_count(c) > 0)
		return;
	emu_now(now);
	for (int i = 0; i < 2; i++) {
		json_object *f = json_object_new_object(), *data = json_object_new_object();
		char id[48], session[48], ref[32];

		snprintf(id, sizeof(id), "form-%032d", i + 1);
		snprintf(session, sizeof(session), "wss-%032d", i + 1);
		snprintf(ref, sizeof(ref), "APP-%04d", 1001 + i);
		emu_json_set_str(f, "id", id);
		emu_json_set_str(f, "createdAt", now);
		emu_json_set_str(f, "name", i == 0 ? "Loan application" : "Employment details");
		emu_json_set_str(f, "userId", EMU_USER_ID_PREFIX "00000000000000000000000000000001");
		emu_json_set_str(f, "winkSiteId", "ws-00000000000000000000000000000001");
		emu_json_set_str(f, "winkSiteSessionId", session);
		emu_json_set_str(f, "reference", ref);
		/* Each answer is an object in the schema: label and value. */
		json_object_object_add(data, "fullName",
				       form_answer("Full name", sandbox_person_at((size_t)i)->full_name));
		json_object_object_add(data, i == 0 ? "loanAmount" : "employer",
				       form_answer(i == 0 ? "Loan amount" : "Employer",
						   i == 0 ? "50000" : sandbox_person_at(0)->employer));
		json_object_object_add(f, "data", data);
		emu_coll_put(c, f);
	}
}
