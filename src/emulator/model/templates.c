/* SPDX-License-Identifier: MIT */
/*
 * Consent templates and invite templates: stored as the body gave them,
 * with an id and timestamps.
 */
#include "core/util.h"
#include "emulator/model/model.h"

const struct emu_field consent_template_fields[] = {
	{ "consentType", EMU_T_STRING, true, NULL },
	{ "title", EMU_T_STRING, false, NULL },
	{ "version", EMU_T_STRING, true, NULL },
	{ "consentMethod", EMU_T_STRING, false, NULL },
	{ "consentText", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};

const struct emu_field invite_template_fields[] = {
	{ "name", EMU_T_STRING, true, NULL },
	{ "company", EMU_T_OBJECT, true, NULL },
	{ "email", EMU_T_OBJECT, true, NULL },
	{ "landingPage", EMU_T_OBJECT, true, NULL },
	{ "successPage", EMU_T_OBJECT, true, NULL },
	EMU_FIELDS_END,
};

json_object *record_from_body(struct emu *emu, json_object *body, const char *prefix,
			      const struct emu_field *fields)
{
	json_object *o = json_object_new_object(), *v;
	_cleanup_free_ char *id = emu_new_id(emu, prefix);
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(o, "id", id);
	emu_json_set_str(o, "createdAt", now);
	for (const struct emu_field *f = fields; f->name; f++)
		if (json_object_object_get_ex(body, f->name, &v) && v)
			json_object_object_add(o, f->name, emu_json_copy(v));
	return o;
}

static json_object *store_new(struct emu *emu, const char *collection, json_object *obj)
{
	emu_coll_put(emu_store(emu, collection), obj);
	emu_state_dirty(emu);
	return obj;
}

json_object *consent_template_create(struct emu *emu, json_object *body)
{
	return store_new(emu, "consentTemplates",
			 record_from_body(emu, body, "ct-", consent_template_fields));
}

json_object *invite_template_create(struct emu *emu, json_object *body)
{
	json_object *tpl = record_from_body(emu, body, "ivt-", invite_template_fields);

	emu_json_set_str(tpl, "updatedAt", emu_json_str(tpl, "createdAt"));
	return store_new(emu, "inviteTemplates", tpl);
}

json_object *invite_template_replace(struct emu *emu, json_object *old, json_object *body)
{
	json_object *tpl = record_from_body(emu, body, "", invite_template_fields);

	/* PUT replaces the content but keeps the identity and creation time. */
	emu_json_set_str(tpl, "updatedAt", emu_json_str(tpl, "createdAt"));
	emu_json_set_str(tpl, "id", emu_json_str(old, "id"));
	emu_json_set_str(tpl, "createdAt", emu_json_str(old, "createdAt"));
	return store_new(emu, "inviteTemplates", tpl); /* replaces old in place */
}

bool template_delete(struct emu *emu, const char *collection, const char *id)
{
	if (!emu_coll_remove(emu_store(emu, collection), id))
		return false;
	emu_state_dirty(emu);
	return true;
}
