/* SPDX-License-Identifier: MIT */
/*
 * What smile apply knows of each type beyond its command table. The table
 * gives the create, update, delete and list operations and the body's
 * schema; this says only where the new object's id is, which verbs play
 * which part, and how an object whose create may have happened unseen is
 * found again. Every other group with a create verb is a type as well,
 * with the defaults (id at "id", delete or revoke when the group has it,
 * not found again).
 */
#include <string.h>

#include "cmd/apply/apply.h"
#include "cmd/groups.h"
#include "core/util.h"

static const char *const by_name[] = { "name", NULL };
/* A consent template has no name: its type, version and text tell it. */
static const char *const consent_fields[] = { "consentType", "version", "title", "consentText", NULL };

/* An archive's files: made from files: (or given whole, as --input can). */
static const char *const archive_body_fields[] = { "rawFiles", NULL };

static const struct apply_kind kinds[] = {
	{ .type = "users", .create_verb = "create", .id_path = "user.id", .list_verb = "list",
	  .lookup = LOOKUP_MARKER },
	{ .type = "invite-templates", .create_verb = "create", .id_path = "id", .update_verb = "update",
	  .delete_verb = "delete", .list_verb = "list", .lookup = LOOKUP_FIELDS,
	  .match = by_name },
	{ .type = "webhooks", .create_verb = "create", .id_path = "id", .delete_verb = "delete",
	  .list_verb = "list", .lookup = LOOKUP_FIELDS,
	  .match = by_name },
	{ .type = "consent-templates", .create_verb = "create", .id_path = "id", .delete_verb = "delete",
	  .list_verb = "list", .lookup = LOOKUP_FIELDS,
	  .match = consent_fields },
	{ .type = "invites", .create_verb = "send", .id_path = "id", .list_verb = "list",
	  .lookup = LOOKUP_INVITE, .required = invite_required_fields },
	{ .type = "archives", .create_verb = "create", .id_path = "id", .delete_verb = "revoke",
	  .list_verb = "list", .lookup = LOOKUP_NONE, .also = archive_body_fields },
};

const struct verb_spec *apply_kind_verb(const struct group_spec *g, const char *name)
{
	return name ? cmd_find_verb(g, name) : NULL;
}

static void generic_kind(const struct group_spec *g, struct apply_kind *k)
{
	*k = (struct apply_kind){ .type = g->name, .create_verb = "create", .id_path = "id" };
	if (cmd_find_verb(g, "delete"))
		k->delete_verb = "delete";
	else if (cmd_find_verb(g, "revoke"))
		k->delete_verb = "revoke";
}

static bool creates(const struct verb_spec *v)
{
	return v && v->method && !strcmp(v->method, "POST") && v->path && !strchr(v->path, '{');
}

bool apply_kind_find(const char *type, struct apply_kind *kind, const struct group_spec **group,
		     const struct verb_spec **create)
{
	const struct group_spec *g = cmd_find_group(type);

	if (!g || g->command)
		return false;
	*group = g;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		if (strcmp(kinds[i].type, type))
			continue;
		*kind = kinds[i];
		*create = cmd_find_verb(g, kinds[i].create_verb);
		return *create != NULL;
	}
	*create = cmd_find_verb(g, "create");
	generic_kind(g, kind);
	return creates(*create);
}

char *apply_kind_names(void)
{
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; smile_groups[i]; i++) {
		struct apply_kind k;
		const struct group_spec *g;
		const struct verb_spec *v;
		if (!apply_kind_find(smile_groups[i]->name, &k, &g, &v))
			continue;
		strbuf_addf(&sb, "%s%s", sb.len ? ", " : "", smile_groups[i]->name);
	}
	return strbuf_detach(&sb);
}

const struct verb_spec *apply_delete_verb(const char *type)
{
	struct apply_kind k;
	const struct group_spec *g = type ? cmd_find_group(type) : NULL;
	const struct verb_spec *v;

	/* A linked account (NAME/account in the state) is revoked. */
	if (g && !strcmp(type, "accounts"))
		return cmd_find_verb(g, "revoke");
	if (!g || !apply_kind_find(type, &k, &g, &v) || !k.delete_verb)
		return NULL;
	return cmd_find_verb(g, k.delete_verb);
}

char *apply_object_path(const char *tmpl, const char *id)
{
	const char *open = strchr(tmpl, '{'), *close = open ? strchr(open, '}') : NULL;
	if (!close)
		return xstrdup(tmpl);
	return xasprintf("%.*s%s%s", (int)(open - tmpl), tmpl, id, close + 1);
}
