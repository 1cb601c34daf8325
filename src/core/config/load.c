/* SPDX-License-Identifier: MIT */
/*
 * Reading the config file into the tree (tree.c) with libyaml's event
 * parser. Comments and flow style are not kept (libyaml does not report
 * them). Aliases are refused: a config file has no need for them, and they
 * would let a small file expand into a huge or cyclic tree.
 */
#include "core/config/internal.h"
#include "core/util.h"

#include <errno.h>
#include <stdlib.h>

struct loader {
	yaml_parser_t parser;
	char *shown_path;
	char *err;
	int depth;
};

static int loader_fail(struct loader *l, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int loader_fail(struct loader *l, size_t line, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (l->err) /* the first error is the one worth reporting */
		return -EINVAL;
	if (line)
		strbuf_addf(&sb, "%s:%zu: ", l->shown_path, line);
	else
		strbuf_addf(&sb, "%s: ", l->shown_path);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	l->err = strbuf_detach(&sb);
	return -EINVAL;
}

static int next_event(struct loader *l, yaml_event_t *ev)
{
	if (yaml_parser_parse(&l->parser, ev))
		return 0;

	const yaml_parser_t *p = &l->parser;
	const char *problem = p->problem ? p->problem : "cannot parse the file";
	if (p->error == YAML_READER_ERROR)
		return loader_fail(l, 0, "%s at byte %zu", problem, p->problem_offset);
	if (p->context)
		return loader_fail(l, p->problem_mark.line + 1, "%s %s", problem, p->context);
	return loader_fail(l, p->problem_mark.line + 1, "%s", problem);
}

static size_t event_line(const yaml_event_t *ev)
{
	return ev->start_mark.line + 1;
}

static char *dup_tag(const yaml_char_t *tag)
{
	return tag ? xstrdup((const char *)tag) : NULL;
}

static int load_node(struct loader *l, yaml_event_t *ev, struct node **out);

static int load_mapping(struct loader *l, struct node *map)
{
	for (;;) {
		yaml_event_t ev;
		struct node *key = NULL, *value = NULL;
		int r = next_event(l, &ev);
		if (r < 0)
			return r;
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		size_t line = event_line(&ev);
		if (ev.type != YAML_SCALAR_EVENT) {
			yaml_event_delete(&ev);
			return loader_fail(l, line, "mapping keys must be plain strings");
		}
		r = load_node(l, &ev, &key);
		if (r < 0)
			return r;
		if (mapping_has_key(map, key->value)) {
			r = loader_fail(l, line, "duplicate key '%s'", key->value);
			node_free(key);
			return r;
		}
		r = next_event(l, &ev);
		if (r >= 0)
			r = load_node(l, &ev, &value);
		if (r < 0) {
			node_free(key);
			return r;
		}
		node_append(map, key, value);
	}
}

static int load_sequence(struct loader *l, struct node *seq)
{
	for (;;) {
		yaml_event_t ev;
		struct node *value = NULL;
		int r = next_event(l, &ev);
		if (r < 0)
			return r;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			return 0;
		}
		r = load_node(l, &ev, &value);
		if (r < 0)
			return r;
		node_append(seq, NULL, value);
	}
}

/* Builds one node from ev (which it consumes) and, for collections, the
 * events that follow up to the matching end. */
static int load_node(struct loader *l, yaml_event_t *ev, struct node **out)
{
	size_t line = event_line(ev);
	struct node *n = NULL;
	int r = 0;

	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		n = node_new(NODE_SCALAR, line);
		n->value = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->style = ev->data.scalar.style;
		/* A tag the parser would have implied anyway is not worth keeping. */
		if (!ev->data.scalar.plain_implicit && !ev->data.scalar.quoted_implicit)
			n->tag = dup_tag(ev->data.scalar.tag);
		break;
	case YAML_MAPPING_START_EVENT:
	case YAML_SEQUENCE_START_EVENT:
		if (l->depth >= CONFIG_MAX_DEPTH) {
			r = loader_fail(l, line, "too deeply nested");
			break;
		}
		bool is_map = ev->type == YAML_MAPPING_START_EVENT;
		n = node_new(is_map ? NODE_MAPPING : NODE_SEQUENCE, line);
		if (is_map ? !ev->data.mapping_start.implicit : !ev->data.sequence_start.implicit)
			n->tag = dup_tag(is_map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag);
		l->depth++;
		r = is_map ? load_mapping(l, n) : load_sequence(l, n);
		l->depth--;
		break;
	case YAML_ALIAS_EVENT:
		r = loader_fail(l, line, "aliases (*%s) are not supported", (const char *)ev->data.alias.anchor);
		break;
	default:
		r = loader_fail(l, line, "unexpected YAML event");
		break;
	}
	yaml_event_delete(ev);
	if (r < 0) {
		node_free(n);
		return r;
	}
	*out = n;
	return 0;
}

/* Reads the stream: nothing (empty config) or exactly one document. */
static int load_stream(struct loader *l, struct node **root)
{
	yaml_event_t ev;
	int r;

	*root = NULL;
	if ((r = next_event(l, &ev)) < 0)
		return r;
	yaml_event_delete(&ev); /* STREAM-START */
	if ((r = next_event(l, &ev)) < 0)
		return r;
	if (ev.type == YAML_STREAM_END_EVENT) {
		yaml_event_delete(&ev);
		return 0;
	}
	yaml_event_delete(&ev); /* DOCUMENT-START */
	if ((r = next_event(l, &ev)) < 0)
		return r;
	if ((r = load_node(l, &ev, root)) < 0)
		return r;
	if ((r = next_event(l, &ev)) < 0)
		return r;
	yaml_event_delete(&ev); /* DOCUMENT-END */
	if ((r = next_event(l, &ev)) < 0)
		return r;
	bool more = ev.type != YAML_STREAM_END_EVENT;
	size_t line = event_line(&ev);
	yaml_event_delete(&ev);
	if (more)
		return loader_fail(l, line, "only one YAML document is allowed");
	return 0;
}

/* Checks the parts smile reads; everything else is kept as it is. */
static int validate_shape(struct loader *l, struct node *root)
{
	struct node *def = mapping_get(root, "default");
	if (def && def->kind != NODE_SCALAR)
		return loader_fail(l, def->line, "default must be a profile name");

	struct node *profiles = mapping_get(root, "profiles");
	if (!profiles || node_is_null(profiles))
		return 0;
	if (profiles->kind != NODE_MAPPING)
		return loader_fail(l, profiles->line, "profiles must be a mapping");
	for (size_t i = 0; i < profiles->n_entries; i++) {
		const char *name = profiles->entries[i].key->value;
		struct node *prof = profiles->entries[i].value;
		if (node_is_null(prof))
			continue;
		if (prof->kind != NODE_MAPPING)
			return loader_fail(l, prof->line, "profiles.%s must be a mapping", name);
		for (size_t j = 0; j < prof->n_entries; j++) {
			struct node *v = prof->entries[j].value;
			if (v->kind != NODE_SCALAR)
				return loader_fail(l, v->line, "profiles.%s.%s must be a single value",
						   name, prof->entries[j].key->value);
		}
	}
	return 0;
}

static int parse_text(const char *text, size_t len, const char *path, struct node **root, char **err)
{
	struct loader l = { .shown_path = config_display_path(path) };
	int r;

	yaml_parser_initialize(&l.parser);
	yaml_parser_set_input_string(&l.parser, (const unsigned char *)text, len);
	r = load_stream(&l, root);
	yaml_parser_delete(&l.parser);

	if (r >= 0 && (!*root || node_is_null(*root))) {
		node_free(*root);
		*root = node_new(NODE_MAPPING, 0);
	} else if (r >= 0 && (*root)->kind != NODE_MAPPING) {
		r = loader_fail(&l, (*root)->line, "the top level must be a mapping (default:, profiles:)");
	}
	if (r >= 0)
		r = validate_shape(&l, *root);
	if (r < 0) {
		node_free(*root);
		*root = NULL;
		*err = l.err ? TAKE_PTR(l.err) : xasprintf("%s: cannot parse the file", l.shown_path);
	}
	free(l.err);
	free(l.shown_path);
	return r;
}

static struct config *config_new(const char *path, struct node *root)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));
	cfg->root = root ? root : node_new(NODE_MAPPING, 0);
	cfg->path = xstrdup(path);
	return cfg;
}

int config_load(const char *path, struct config **out, char **err)
{
	_cleanup_free_ char *text = NULL;
	struct node *root = NULL;
	size_t len = 0;

	*out = NULL;
	*err = NULL;
	int r = config_read_private_file(path, &text, &len, err);
	if (r == -ENOENT) {
		*out = config_new(path, NULL);
		return 0;
	}
	if (r < 0)
		return r;
	r = parse_text(text, len, path, &root, err);
	if (r < 0)
		return r;
	*out = config_new(path, root);
	(*out)->exists = true;
	return 0;
}

bool config_file_exists(const struct config *cfg)
{
	return cfg->exists;
}

const char *config_path(const struct config *cfg)
{
	return cfg->path;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	node_free(cfg->root);
	free(cfg->names);
	free(cfg->keys);
	free(cfg->path);
	free(cfg);
}
