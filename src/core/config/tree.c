/* SPDX-License-Identifier: MIT */
/*
 * The config file, kept as a small YAML tree.
 *
 * The file is read into a tree of mappings, sequences and scalars that
 * remembers key order, unknown keys and how each scalar was quoted, so
 * `smile config set` rewrites the file without losing a user's other
 * settings. Profiles are mappings under "profiles"; this file reads and
 * changes them.
 */
#include "core/config/internal.h"
#include "core/text.h"

#include "core/util.h"
#include "core/yaml_words.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void node_free(struct node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_entries; i++) {
		node_free(n->entries[i].key);
		node_free(n->entries[i].value);
	}
	free(n->entries);
	free(n->value);
	free(n->tag);
	free(n);
}

struct node *node_new(enum node_kind kind, size_t line)
{
	struct node *n = xcalloc(1, sizeof(*n));
	n->kind = kind;
	n->line = line;
	return n;
}

static struct node *scalar_new(const char *value, yaml_scalar_style_t style)
{
	struct node *n = node_new(NODE_SCALAR, 0);
	n->value = xstrdup(value);
	n->style = style;
	return n;
}

void node_append(struct node *parent, struct node *key, struct node *value)
{
	parent->entries = xrealloc(parent->entries, (parent->n_entries + 1) * sizeof(*parent->entries));
	parent->entries[parent->n_entries++] = (struct entry){ key, value };
}

/* A plain empty, "~" or "null" scalar: YAML's null, which we read as unset. */
bool node_is_null(const struct node *n)
{
	return n && n->kind == NODE_SCALAR && n->style == YAML_PLAIN_SCALAR_STYLE && !n->tag &&
	       yaml_null_word(n->value);
}

static struct entry *mapping_find(const struct node *map, const char *key)
{
	if (!map || map->kind != NODE_MAPPING)
		return NULL;
	for (size_t i = 0; i < map->n_entries; i++)
		if (strcmp(map->entries[i].key->value, key) == 0)
			return &map->entries[i];
	return NULL;
}

struct node *mapping_get(const struct node *map, const char *key)
{
	struct entry *e = mapping_find(map, key);
	return e ? e->value : NULL;
}

/* A string that must read back as that string: quoted when a YAML reader
 * would take it for something else (a profile named "~" is no null). */
static struct node *string_new(const char *s)
{
	return scalar_new(s, yaml_string_needs_quotes(s) ? YAML_SINGLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE);
}

/* Replaces the value of key in place (keeping its position), or appends. */
static void mapping_put(struct node *map, const char *key, struct node *value)
{
	struct entry *e = mapping_find(map, key);
	if (e) {
		node_free(e->value);
		e->value = value;
		return;
	}
	node_append(map, string_new(key), value);
}

static bool mapping_remove(struct node *map, const char *key)
{
	struct entry *e = mapping_find(map, key);
	if (!e)
		return false;
	node_free(e->key);
	node_free(e->value);
	size_t i = (size_t)(e - map->entries);
	memmove(e, e + 1, (map->n_entries - i - 1) * sizeof(*e));
	map->n_entries--;
	return true;
}

/* Turns a null placeholder (`profiles:` with nothing under it) into an
 * empty mapping, so it can take keys. */
static struct node *mapping_get_or_create(struct node *map, const char *key)
{
	struct node *n = mapping_get(map, key);
	if (n && n->kind == NODE_MAPPING)
		return n;
	n = node_new(NODE_MAPPING, 0);
	mapping_put(map, key, n);
	return n;
}

bool mapping_has_key(const struct node *map, const char *key)
{
	return mapping_find(map, key) != NULL;
}

static struct node *profiles_node(const struct config *cfg)
{
	struct node *p = mapping_get(cfg->root, "profiles");
	return p && p->kind == NODE_MAPPING ? p : NULL;
}

static struct entry *profile_entry(const struct config *cfg, const char *name)
{
	return mapping_find(profiles_node(cfg), name);
}

const char *config_default_profile(const struct config *cfg)
{
	struct node *def = mapping_get(cfg->root, "default");
	if (!def || def->kind != NODE_SCALAR || node_is_null(def))
		return NULL;
	return def->value;
}

bool config_has_profile(const struct config *cfg, const char *name)
{
	return profile_entry(cfg, name) != NULL;
}

int config_set_default_profile(struct config *cfg, const char *name)
{
	if (!config_has_profile(cfg, name))
		return -ENOENT;
	struct node *value = string_new(name);
	if (mapping_find(cfg->root, "default")) {
		mapping_put(cfg->root, "default", value);
		return 0;
	}
	/* A new default: goes first, where a reader looks for it. */
	node_append(cfg->root, scalar_new("default", YAML_ANY_SCALAR_STYLE), value);
	struct entry added = cfg->root->entries[cfg->root->n_entries - 1];
	memmove(cfg->root->entries + 1, cfg->root->entries,
		(cfg->root->n_entries - 1) * sizeof(*cfg->root->entries));
	cfg->root->entries[0] = added;
	return 0;
}

size_t config_profile_names(const struct config *cfg, const char ***names)
{
	struct config *mut = (struct config *)cfg; /* the cache is not observable state */
	struct node *profiles = profiles_node(cfg);
	size_t n = profiles ? profiles->n_entries : 0;

	free(mut->names);
	mut->names = xcalloc(n + 1, sizeof(*mut->names));
	for (size_t i = 0; i < n; i++)
		mut->names[i] = profiles->entries[i].key->value;
	*names = mut->names;
	return n;
}

struct node *profile_value(const struct config *cfg, const char *profile, const char *key)
{
	struct entry *e = profile_entry(cfg, profile);
	if (!e)
		return NULL;
	struct node *v = mapping_get(e->value, key);
	return v && v->kind == NODE_SCALAR && !node_is_null(v) ? v : NULL;
}

const char *config_get(const struct config *cfg, const char *profile, const char *key)
{
	struct node *v = profile_value(cfg, profile, key);
	return v ? v->value : NULL;
}

static yaml_scalar_style_t style_for(const char *key, const char *value)
{
	if (yaml_string_needs_quotes(value) && !(config_is_numeric_key(key) && *value))
		return YAML_SINGLE_QUOTED_SCALAR_STYLE;
	return YAML_ANY_SCALAR_STYLE; /* plain when libyaml can, quoted when it must */
}

int config_set(struct config *cfg, const char *profile, const char *key, const char *value)
{
	if (!*profile || !*key)
		return -EINVAL;
	/* The file is YAML, which is UTF-8: anything else could not be saved. */
	if (!utf8_is_valid(profile, strlen(profile)) || !utf8_is_valid(key, strlen(key)) ||
	    !utf8_is_valid(value, strlen(value)))
		return -EILSEQ;
	struct node *profiles = mapping_get_or_create(cfg->root, "profiles");
	struct node *prof = mapping_get_or_create(profiles, profile);
	mapping_put(prof, key, scalar_new(value, style_for(key, value)));
	return 0;
}

int config_unset(struct config *cfg, const char *profile, const char *key)
{
	struct entry *e = profile_entry(cfg, profile);
	if (!e || e->value->kind != NODE_MAPPING)
		return -ENOENT;
	return mapping_remove(e->value, key) ? 0 : -ENOENT;
}

size_t config_profile_file_keys(const struct config *cfg, const char *profile, const char ***keys)
{
	struct config *mut = (struct config *)cfg; /* the cache is not observable state */
	struct entry *e = profile_entry(cfg, profile);
	const struct node *prof = e && e->value->kind == NODE_MAPPING ? e->value : NULL;
	size_t n = prof ? prof->n_entries : 0;

	free(mut->keys);
	mut->keys = xcalloc(n + 1, sizeof(*mut->keys));
	for (size_t i = 0; i < n; i++)
		mut->keys[i] = prof->entries[i].key->value;
	*keys = mut->keys;
	return n;
}

size_t config_line(const struct config *cfg, const char *profile, const char *key)
{
	const struct node *v = profile ? profile_value(cfg, profile, key) : mapping_get(cfg->root, key);
	return v ? v->line : 0;
}

int config_delete_profile(struct config *cfg, const char *name)
{
	const char *def = config_default_profile(cfg);
	bool was_default = def && strcmp(def, name) == 0;

	if (!mapping_remove(profiles_node(cfg), name))
		return -ENOENT;
	if (was_default)
		mapping_remove(cfg->root, "default");
	return 0;
}

int config_rename_profile(struct config *cfg, const char *from, const char *to)
{
	struct entry *e = profile_entry(cfg, from);
	if (!e)
		return -ENOENT;
	if (!*to)
		return -EINVAL;
	if (!utf8_is_valid(to, strlen(to)))
		return -EILSEQ;
	if (strcmp(from, to) && config_has_profile(cfg, to))
		return -EEXIST;
	const char *def = config_default_profile(cfg);
	bool was_default = def && strcmp(def, from) == 0;
	node_free(e->key);
	e->key = string_new(to);
	if (was_default)
		config_set_default_profile(cfg, to);
	return 0;
}
