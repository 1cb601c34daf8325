/* SPDX-License-Identifier: MIT */
/*
 * What the files of src/core/config/ share and nothing else includes: the
 * YAML tree and the calls one file makes into another. The interface is
 * config.h.
 */
#pragma once

#include "core/config/config.h"

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#define CONFIG_MAX_BYTES (1024 * 1024)
#define CONFIG_MAX_DEPTH 64

enum node_kind { NODE_SCALAR, NODE_MAPPING, NODE_SEQUENCE };

struct entry;

struct node {
	enum node_kind kind;
	size_t line;              /* 1-based, 0 for nodes made by config_set */
	char *tag;                /* explicit tag, kept for the round trip */
	char *value;              /* NODE_SCALAR */
	yaml_scalar_style_t style; /* NODE_SCALAR: as read, or chosen on set */
	struct entry *entries;    /* mapping: key/value; sequence: value only */
	size_t n_entries;
};

struct entry {
	struct node *key;         /* NULL in a sequence */
	struct node *value;
};

struct config {
	struct node *root;        /* always a mapping */
	char *path;               /* for messages */
	const char **names;       /* cache behind config_profile_names() */
	const char **keys;        /* cache behind config_profile_file_keys() */
	bool exists;              /* the file was there when loaded */
};

/* keys.c */
/* rate, timeouts, retries: keys whose values are numbers, written plain. */
bool config_is_numeric_key(const char *key);
/* account_retention_days, upload_retention_days: whole days. */
bool config_is_days_key(const char *key);
/* Digits with an optional fraction: no sign, exponent, hex or "inf", which
 * strtod would otherwise accept. */
bool config_parse_decimal(const char *s, double max, double *out);
/* What is wrong with value for key ("is not valid UTF-8", ...), or NULL. */
const char *config_value_problem(const char *key, const char *value);

/* tree.c */
/* The tree's nodes: made, appended to a mapping or sequence, freed. */
void node_free(struct node *n);
struct node *node_new(enum node_kind kind, size_t line);
void node_append(struct node *parent, struct node *key, struct node *value);
/* A plain empty, "~" or "null" scalar: YAML's null, which we read as unset. */
bool node_is_null(const struct node *n);
/* The value of key in a mapping, or NULL. */
struct node *mapping_get(const struct node *map, const char *key);
/* Whether the mapping has key already (the loader refuses duplicates). */
bool mapping_has_key(const struct node *map, const char *key);
/* The node of key in profile, or NULL when either is absent. */
struct node *profile_value(const struct config *cfg, const char *profile, const char *key);

/* file.c */
/* Reads the file through one descriptor, so the permission check and the
 * contents refer to the same file. */
int config_read_private_file(const char *path, char **text, size_t *len, char **err);
/* mkdir -p for the file's directory; what we create is private (0700),
 * what already exists is left alone. */
int config_make_parent_dirs(const char *path, char **err);
/* Writes through a symlink (dotfile managers use them) instead of
 * replacing the link with a file. */
char *config_resolve_link(const char *path);
