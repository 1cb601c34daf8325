/* SPDX-License-Identifier: MIT */
/*
 * GET /providers, /providers/{id} and /fileTypes: the catalogues of
 * model/catalogue.c, filtered by the query as the spec describes.
 */
#include <string.h>
#include <strings.h>

#include "core/util.h"
#include "emulator/model/model.h"

enum query_match { MATCH_EXACT, MATCH_BOOL, MATCH_NAME, MATCH_ID_LIST };

struct query_filter {
	const char *param;
	enum query_match match;
	const char *field;
};

#define MAX_QUERY_FILTERS 8

struct filter_ctx {
	const struct query_filter *filters;
	const char *values[MAX_QUERY_FILTERS];
};

static const struct query_filter provider_filters[] = {
	{ "type", MATCH_EXACT, "type" }, { "subType", MATCH_EXACT, "subType" },
	{ "active", MATCH_BOOL, "active" }, { "enabled", MATCH_BOOL, "enabled" },
	{ "accountConnection", MATCH_BOOL, "accountConnection" },
	{ "name", MATCH_NAME, "name" }, { "ids", MATCH_ID_LIST, "id" }, { NULL, MATCH_EXACT, NULL },
};

static const struct query_filter file_type_filters[] = {
	{ "type", MATCH_EXACT, "type" }, { "active", MATCH_BOOL, "active" },
	{ "enabled", MATCH_BOOL, "enabled" }, { "ocr", MATCH_BOOL, "ocr" },
	{ NULL, MATCH_EXACT, NULL },
};

/* Reads the filters' parameters; answers 400 on a bad boolean. */
static bool filter_ctx_read(struct filter_ctx *ctx, const struct query_filter *filters,
			    struct emu_request *req, struct emu_response *res)
{
	ctx->filters = filters;
	for (size_t i = 0; filters[i].param; i++) {
		const char *v = emu_req_query(req, filters[i].param);
		if (v && filters[i].match == MATCH_BOOL && strcmp(v, "true") && strcmp(v, "false")) {
			emu_bad_param(res, "%s must be true or false", filters[i].param);
			return false;
		}
		ctx->values[i] = v;
	}
	return true;
}

/* Whether id is one of the comma-separated list. */
static bool in_comma_list(const char *list, const char *id)
{
	size_t n = strlen(id);

	while (*list) {
		size_t len = strcspn(list, ",");
		if (len == n && strncmp(list, id, n) == 0)
			return true;
		list += len + (list[len] == ',');
	}
	return false;
}

static bool filter_matches(const struct query_filter *f, const char *want, json_object *item)
{
	json_object *v = NULL;
	const char *s;

	json_object_object_get_ex(item, f->field, &v);
	switch (f->match) {
	case MATCH_BOOL:
		return json_object_get_boolean(v) == (strcmp(want, "true") == 0);
	case MATCH_NAME:
		/* Users type part of a name; match it in either name field. */
		s = json_object_get_string(v);
		return (s && strcasestr(s, want)) ||
		       ((s = emu_json_str(item, "longName")) && strcasestr(s, want));
	case MATCH_ID_LIST:
		return (s = json_object_get_string(v)) && in_comma_list(want, s);
	case MATCH_EXACT:
		break;
	}
	return (s = json_object_get_string(v)) && strcasecmp(s, want) == 0;
}

static bool catalogue_filter(json_object *item, void *data)
{
	struct filter_ctx *ctx = data;

	for (size_t i = 0; ctx->filters[i].param; i++)
		if (ctx->values[i] && !filter_matches(&ctx->filters[i], ctx->values[i], item))
			return false;
	return true;
}

/* The catalogue with the topIds providers moved to the front, in their order. */
static json_object *providers_top_first(json_object *all, const char *top_ids)
{
	json_object *out = json_object_new_array();
	size_t n = json_object_array_length(all);

	while (*top_ids) {
		size_t len = strcspn(top_ids, ",");
		for (size_t i = 0; i < n; i++) {
			const char *id = emu_json_str(json_object_array_get_idx(all, i), "id");
			if (strlen(id) == len && strncmp(id, top_ids, len) == 0)
				json_object_array_add(out, json_object_get(json_object_array_get_idx(all, i)));
		}
		top_ids += len + (top_ids[len] == ',');
	}
	for (size_t i = 0; i < n; i++) {
		json_object *p = json_object_array_get_idx(all, i);
		bool seen = false;
		for (size_t k = 0; k < json_object_array_length(out); k++)
			seen |= json_object_array_get_idx(out, k) == p;
		if (!seen)
			json_object_array_add(out, json_object_get(p));
	}
	return out;
}

static void list_providers(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	struct filter_ctx ctx = { 0 };
	const char *top = emu_req_query(req, "topIds");
	json_object *all;

	(void)emu;
	if (!filter_ctx_read(&ctx, provider_filters, req, res))
		return;
	all = top && *top ? providers_top_first(emu_provider_catalogue(), top)
			  : json_object_get(emu_provider_catalogue());
	emu_list_page_array(res, all, req, catalogue_filter, &ctx);
	json_object_put(all);
}

static void get_provider(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *id = emu_req_capture(req, "id");
	json_object *p = emu_provider_get(id);

	(void)emu;
	if (p)
		emu_reply(res, 200, json_object_get(p));
	else
		emu_not_found(res, "provider", id);
}

static void list_file_types(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	struct filter_ctx ctx = { 0 };

	(void)emu;
	if (filter_ctx_read(&ctx, file_type_filters, req, res))
		emu_list_page_array(res, emu_file_type_catalogue(), req, catalogue_filter, &ctx);
}

const struct emu_route emu_routes_catalogue[] = {
	{ "GET", "/providers", list_providers },
	{ "GET", "/providers/{id}", get_provider },
	{ "GET", "/fileTypes", list_file_types },
	EMU_ROUTES_END,
};
