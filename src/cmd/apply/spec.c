/* SPDX-License-Identifier: MIT */
/*
 * What the state file keeps of an object, and nothing more: the body it
 * was made from (its "spec", compared on the next run to tell a changed
 * body) and what the API returned, both without secrets. A secret in a
 * body (a webhook's secret: an OPT_SECRET option of the create verb) is
 * kept as an HMAC-SHA256 keyed by the state's id, so a changed secret
 * still shows as a changed body; one the API returns (the webhook's
 * secret again, a user's token) is not kept at all: a token is asked for
 * again when a run needs it. An archive's files are kept as their names
 * and SHA-256, so a changed file shows as a changed body.
 */
#include <string.h>

#include "cmd/apply/apply.h"
#include "core/digest.h"
#include "core/hash.h"
#include "core/json.h"
#include "core/util.h"

#define HASHED_PREFIX "hmac-sha256:"

/* The object holding a dotted field, and the field's last name. */
static json_object *parent_of(json_object *obj, const char *field, const char **last)
{
	const char *dot = strrchr(field, '.');

	*last = dot ? dot + 1 : field;
	if (!dot)
		return obj;
	char *outer = xstrndup(field, (size_t)(dot - field));
	json_object *p = json_get_path(obj, outer);
	free(outer);
	return json_object_is_type(p, json_type_object) ? p : NULL;
}

/* Calls fn for each secret body field of the type's create verb. */
static void for_each_secret(const struct verb_spec *create, json_object *obj,
			    void (*fn)(json_object *parent, const char *name, const char *key), const char *key)
{
	for (const struct opt_spec *o = create ? create->opts : NULL; o && o->name; o++) {
		const char *last;
		json_object *parent;
		if (o->where != OPT_BODY || !(o->flags & OPT_SECRET) || !o->field ||
		    !(parent = parent_of(obj, o->field, &last)) || !json_object_object_get_ex(parent, last, NULL))
			continue;
		fn(parent, last, key);
	}
}

static void hash_one(json_object *parent, const char *name, const char *key)
{
	json_object *v = NULL;
	char hex[65];

	json_object_object_get_ex(parent, name, &v);
	const char *text = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : json_compact(v);
	if (str_starts_with(text, HASHED_PREFIX))
		return;
	hash_hmac_sha256_hex(key, strlen(key), text, hex);
	char *hashed = xasprintf(HASHED_PREFIX "%s", hex);
	json_object_object_add(parent, name, json_object_new_string(hashed));
	free(hashed);
}

static void drop_one(json_object *parent, const char *name, const char *key)
{
	(void)key;
	json_object_object_del(parent, name);
}

/* files: as [{fileName, sha256}]: what was read, not where from. */
static void add_file_digests(const struct apply_resource *r, json_object *body)
{
	json_object *files = json_object_new_array();

	for (size_t i = 0; i < r->n_files; i++) {
		struct digest_hex d = { 0 };
		const char *slash = strrchr(r->files[i], '/');
		json_object *f = json_object_new_object();
		json_object_object_add(f, "fileName", json_object_new_string(slash ? slash + 1 : r->files[i]));
		json_object_object_add(f, "sha256", json_object_new_string(digest_file(r->files[i], &d) ? "" : d.sha256));
		json_object_array_add(files, f);
	}
	json_object_object_add(body, "files", files);
}

char *apply_spec_text(const struct apply_state *st, const struct apply_resource *r, json_object *body)
{
	const char *key = st && st->id ? st->id : "";

	for_each_secret(r->create, body, hash_one, key);
	if (r->n_files)
		add_file_digests(r, body);
	return json_compact_dup(body);
}

bool apply_spec_same(const struct apply_state *st, const struct apply_resource *r, const char *stored,
		     const char *spec)
{
	if (!strcmp(stored, spec))
		return true;
	/* A state written before secrets were hashed holds them as written
	 * (and its files: digests as they were then). */
	json_object *old = json_tokener_parse(stored);
	if (!old)
		return false;
	for_each_secret(r->create, old, hash_one, st && st->id ? st->id : "");
	char *text = json_compact_dup(old);
	bool same = !strcmp(text, spec);
	free(text);
	json_object_put(old);
	return same;
}

json_object *apply_object_for_disk(const char *type, json_object *obj)
{
	struct apply_kind k;
	const struct group_spec *g;
	const struct verb_spec *create = NULL;
	json_object *copy = NULL;

	if (!obj || !type || !apply_kind_find(type, &k, &g, &create) || json_object_deep_copy(obj, &copy, NULL) < 0)
		return obj ? json_object_get(obj) : NULL;
	for_each_secret(create, copy, drop_one, NULL);
	if (!strcmp(k.id_path, "user.id"))
		json_object_object_del(copy, "token");
	return copy;
}
