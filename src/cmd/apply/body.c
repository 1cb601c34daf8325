/* SPDX-License-Identifier: MIT */
/* What an instance sends: its body with references filled in from the
 * state, the marker that finds a user again, the link: body (engine.h). */
#include <errno.h>
#include <string.h>

#include "cli/pages.h"
#include "cli/status.h"
#include "cmd/apply/apply.h"
#include "cmd/apply/engine.h"
#include "cmd/raw_files.h"
#include "core/json.h"
#include "core/output/output.h"
#include "core/util.h"

/* ---- what exists ---- */

char *inst_account_key(const struct apply_instance *in)
{
	return xasprintf("%s/account", in->key);
}

json_object *run_object(struct apply_run *run, const struct apply_instance *in)
{
	const struct state_entry *e = state_get(run->st, in->key);
	return e && e->phase == PHASE_CREATED ? e->object : NULL;
}

json_object *inst_account_object(struct apply_run *run, const struct apply_instance *in)
{
	char *key = inst_account_key(in);
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
		obj = inst_account_object(run, in);
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

/* rawFiles from an archive's files: (checked when the manifest was
 * loaded), read and encoded as `archives create` does. */
static int add_raw_files(struct apply_instance *in, json_object *body)
{
	json_object *files = json_object_new_array();

	json_object_object_add(body, "rawFiles", files);
	for (size_t i = 0; i < in->res->n_files; i++) {
		json_object *item = NULL;
		if (raw_file_item(in->res->files[i], NULL, &item)) {
			inst_set_error(in, "a file of files: could not be read");
			return -EIO;
		}
		json_object_array_add(files, item);
	}
	return 0;
}

/* The request body: references filled in from the state, for users the
 * marker that finds them again, for archives their files. NULL with the
 * reason logged. */
json_object *inst_build_body(struct apply_run *run, struct apply_instance *in, json_object *tmpl)
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
	if (tmpl == in->res->body && in->res->n_files && add_raw_files(in, body) < 0) {
		json_object_put(body);
		return NULL;
	}
	return body;
}

const char *inst_id_of(const struct apply_resource *r, json_object *data, bool account)
{
	json_object *id = data ? json_get_path(data, account ? "id" : r->kind.id_path) : NULL;
	return id && json_object_is_type(id, json_type_string) ? json_object_get_string(id) : NULL;
}

/* ---- sending ---- */

/* The link: body, with the user's id; what --dry-run shows hides the
 * password and the code. */
json_object *inst_link_body(struct apply_run *run, struct apply_instance *in)
{
	json_object *body = inst_build_body(run, in, in->res->link);
	json_object *user = run_object(run, in);
	const char *uid = inst_id_of(in->res, user, false);

	if (body)
		json_object_object_add(body, "userId", json_object_new_string(uid ? uid : ""));
	return body;
}

char *shown_link_body(json_object *body)
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
