/* SPDX-License-Identifier: MIT */
/*
 * The config file, kept as a small YAML tree.
 *
 * The file is read into a tree of mappings, sequences and scalars that
 * remembers key order, unknown keys and how each scalar was quoted, so
 * `smile config set` rewrites the file without losing a user's other
 * settings. Comments and flow style are not kept (libyaml does not report
 * them). Aliases are refused: a config file has no need for them, and they
 * would let a small file expand into a huge or cyclic tree.
 *
 * Units in the file: rate is requests per second (0 = unlimited);
 * connect_timeout, timeout and retry_max_time are seconds, decimals allowed
 * ("2.5"), and become milliseconds in struct profile; retries counts the
 * extra attempts after the first (so max_attempts = retries + 1).
 */
#include "core/config/config.h"
#include "core/text.h"
#include "core/yaml_words.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "core/fs.h"
#include "core/util.h"
#include "core/xdg.h"

#define CONFIG_MAX_BYTES (1024 * 1024)
#define CONFIG_MAX_DEPTH 64

#define DEFAULT_RATE 20.0
#define DEFAULT_CONNECT_TIMEOUT_MS 10000L
#define DEFAULT_TIMEOUT_MS 60000L
#define DEFAULT_MAX_ATTEMPTS 4
#define DEFAULT_RETRY_MAX_MS 60000L

const char *const config_profile_keys[] = {
	"api_key", "api_secret", "mode", "base_url", "output", "rate",
	"connect_timeout", "timeout", "retries", "retry_max_time", "wink_sdk_url", NULL,
};

bool config_key_is_secret(const char *key)
{
	return strcmp(key, "api_secret") == 0;
}

bool config_key_is_known(const char *key)
{
	for (size_t i = 0; config_profile_keys[i]; i++)
		if (strcmp(config_profile_keys[i], key) == 0)
			return true;
	return false;
}

/* ---- the tree ---------------------------------------------------------- */

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
};

static void node_free(struct node *n)
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

static struct node *node_new(enum node_kind kind, size_t line)
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

static void node_append(struct node *parent, struct node *key, struct node *value)
{
	parent->entries = xrealloc(parent->entries, (parent->n_entries + 1) * sizeof(*parent->entries));
	parent->entries[parent->n_entries++] = (struct entry){ key, value };
}

/* A plain empty, "~" or "null" scalar: YAML's null, which we read as unset. */
static bool node_is_null(const struct node *n)
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

static struct node *mapping_get(const struct node *map, const char *key)
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

/* ---- paths ------------------------------------------------------------- */

/* The path as messages show it: $HOME abbreviated to ~, as the user would
 * type it. */
char *config_display_path(const char *path)
{
	const char *home = getenv("HOME");
	size_t n = home ? strlen(home) : 0;

	if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/')
		return xasprintf("~%s", path + n);
	return xstrdup(path);
}

char *config_default_path(void)
{
	const char *env = getenv("SMILE_CONFIG");
	if (env && *env)
		return xstrdup(env);
	_cleanup_free_ char *dir = config_directory();
	return xasprintf("%s/config.yaml", dir);
}

/* ---- loading ----------------------------------------------------------- */

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

static bool mapping_has_key(const struct node *map, const char *key)
{
	return mapping_find(map, key) != NULL;
}

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

static const char *permission_problem(mode_t mode)
{
	if (mode & (S_IRGRP | S_IROTH))
		return "readable by others";
	if (mode & (S_IWGRP | S_IWOTH))
		return "writable by others";
	return "accessible by others";
}

/* Reads the file through one descriptor, so the permission check and the
 * contents refer to the same file. */
static int read_private_file(const char *path, char **text, size_t *len, char **err)
{
	_cleanup_free_ char *shown = config_display_path(path);
	struct strbuf sb = STRBUF_INIT;
	struct stat st;
	int r = 0;

	/* O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait
	 * forever. Reads block again, so a pipe that has a writer, as
	 * --config <(command) gives, is read to its end. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		r = -errno;
		if (r != -ENOENT)
			*err = xasprintf("cannot open %s: %s", shown, strerror(-r));
		return r;
	}
	int flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		(void)fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	if (fstat(fd, &st) < 0) {
		r = -errno;
		*err = xasprintf("cannot read %s: %s", shown, strerror(-r));
	} else if (S_ISDIR(st.st_mode)) {
		r = -EISDIR;
		*err = xasprintf("config file %s is a directory", shown);
	} else if (S_ISREG(st.st_mode) && (st.st_mode & 077)) {
		/* Like ssh: a key others can read is a key others have. */
		r = -EPERM;
		*err = xasprintf("config file %s is %s; run: chmod 600 %s",
				 shown, permission_problem(st.st_mode), shown);
	}
	while (r == 0) {
		strbuf_grow(&sb, 8192);
		ssize_t n = read(fd, sb.buf + sb.len, 8192);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			*err = xasprintf("cannot read %s: %s", shown, strerror(-r));
		} else if (n == 0) {
			break;
		} else if ((sb.len += (size_t)n) > CONFIG_MAX_BYTES) {
			r = -EFBIG;
			*err = xasprintf("config file %s is too large (over 1 MiB)", shown);
		}
	}
	close(fd);
	if (r < 0) {
		strbuf_release(&sb);
		return r;
	}
	*len = sb.len;
	*text = strbuf_detach(&sb);
	return 0;
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
	int r = read_private_file(path, &text, &len, err);
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
	return 0;
}

void config_free(struct config *cfg)
{
	if (!cfg)
		return;
	node_free(cfg->root);
	free(cfg->names);
	free(cfg->path);
	free(cfg);
}

/* ---- saving ------------------------------------------------------------ */

static int emit(yaml_emitter_t *e, yaml_event_t *ev)
{
	return yaml_emitter_emit(e, ev) ? 0 : -EINVAL;
}

static int emit_node(yaml_emitter_t *e, const struct node *n)
{
	yaml_char_t *tag = (yaml_char_t *)n->tag;
	int implicit = tag == NULL;
	yaml_event_t ev;
	int r;

	/* libyaml refuses text that is not UTF-8 here; an event it did not
	 * initialise must never reach the emitter (it would free garbage). */
	switch (n->kind) {
	case NODE_SCALAR:
		if (!yaml_scalar_event_initialize(&ev, NULL, tag, (yaml_char_t *)n->value, (int)strlen(n->value),
						  implicit, implicit, n->style))
			return -EILSEQ;
		return emit(e, &ev);
	case NODE_MAPPING:
		if (!yaml_mapping_start_event_initialize(&ev, NULL, tag, implicit, YAML_BLOCK_MAPPING_STYLE))
			return -EILSEQ;
		break;
	case NODE_SEQUENCE:
		if (!yaml_sequence_start_event_initialize(&ev, NULL, tag, implicit, YAML_BLOCK_SEQUENCE_STYLE))
			return -EILSEQ;
		break;
	}
	if ((r = emit(e, &ev)) < 0)
		return r;
	for (size_t i = 0; i < n->n_entries; i++) {
		if (n->entries[i].key && (r = emit_node(e, n->entries[i].key)) < 0)
			return r;
		if ((r = emit_node(e, n->entries[i].value)) < 0)
			return r;
	}
	if (n->kind == NODE_MAPPING)
		yaml_mapping_end_event_initialize(&ev);
	else
		yaml_sequence_end_event_initialize(&ev);
	return emit(e, &ev);
}

static int write_to_strbuf(void *data, unsigned char *buffer, size_t size)
{
	strbuf_add(data, buffer, size);
	return 1;
}

static int emit_document(const struct node *root, struct strbuf *out, char **err)
{
	yaml_emitter_t e;
	yaml_event_t ev;
	int r;

	yaml_emitter_initialize(&e);
	yaml_emitter_set_output(&e, write_to_strbuf, out);
	yaml_emitter_set_unicode(&e, 1);
	yaml_emitter_set_width(&e, -1); /* never fold long keys or URLs */
	yaml_emitter_set_indent(&e, 2);

	yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
	r = emit(&e, &ev);
	if (r >= 0) {
		yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
		r = emit(&e, &ev);
	}
	if (r >= 0)
		r = emit_node(&e, root);
	if (r >= 0) {
		yaml_document_end_event_initialize(&ev, 1);
		r = emit(&e, &ev);
	}
	if (r >= 0) {
		yaml_stream_end_event_initialize(&ev);
		r = emit(&e, &ev);
	}
	if (r == -EILSEQ)
		*err = xstrdup("cannot write the config: a value is not valid UTF-8");
	else if (r < 0)
		*err = xasprintf("cannot write the config: %s", e.problem ? e.problem : "YAML emitter error");
	yaml_emitter_delete(&e);
	return r;
}

/* mkdir -p for the file's directory; what we create is private (0700),
 * what already exists is left alone. */
static int make_parent_dirs(const char *path, char **err)
{
	int r = mkdir_parents(path, 0700);
	if (r < 0) {
		_cleanup_free_ char *dir = xstrdup(path);
		char *slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		_cleanup_free_ char *shown = config_display_path(dir);
		*err = xasprintf("cannot create directory %s: %s", shown, strerror(-r));
	}
	return r;
}

/* Writes through a symlink (dotfile managers use them) instead of
 * replacing the link with a file. */
static char *resolve_link(const char *path)
{
	struct stat st;
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *target = realpath(path, NULL);
		if (target)
			return target;
	}
	return xstrdup(path);
}

int config_save(const struct config *cfg, const char *path, char **err)
{
	_cleanup_free_ char *target = resolve_link(path);
	_cleanup_free_ char *shown = config_display_path(path);
	struct strbuf sb = STRBUF_INIT;

	*err = NULL;
	int r = emit_document(cfg->root, &sb, err);
	/* Never write what config_load would refuse: every later run would fail. */
	if (r >= 0 && sb.len > CONFIG_MAX_BYTES) {
		r = -EFBIG;
		*err = xasprintf("not saving %s: it would be larger than 1 MiB", shown);
	}
	if (r >= 0)
		r = make_parent_dirs(target, err);
	if (r >= 0) {
		r = write_file_atomic(target, sb.buf, sb.len, 0600);
		if (r < 0)
			*err = xasprintf("cannot write %s: %s", shown, strerror(-r));
	}
	strbuf_release(&sb);
	return r;
}

/* ---- access ------------------------------------------------------------ */

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

static struct node *profile_value(const struct config *cfg, const char *profile, const char *key)
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

static bool is_numeric_key(const char *key)
{
	static const char *const numeric[] = {
		"rate", "connect_timeout", "timeout", "retries", "retry_max_time", NULL,
	};
	for (size_t i = 0; numeric[i]; i++)
		if (strcmp(key, numeric[i]) == 0)
			return true;
	return false;
}

static yaml_scalar_style_t style_for(const char *key, const char *value)
{
	if (yaml_string_needs_quotes(value) && !(is_numeric_key(key) && *value))
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

/* ---- values ------------------------------------------------------------ */

/* Digits with an optional fraction: no sign, exponent, hex or "inf", which
 * strtod would otherwise accept. */
static bool parse_decimal(const char *s, double max, double *out)
{
	size_t digits = strspn(s, "0123456789");
	const char *p = s + digits;
	if (*p == '.') {
		size_t frac = strspn(p + 1, "0123456789");
		digits += frac;
		p += 1 + frac;
	}
	if (digits == 0 || *p)
		return false;
	double v = strtod(s, NULL);
	if (!isfinite(v) || v > max)
		return false;
	*out = v;
	return true;
}

static const char not_utf8[] = "is not valid UTF-8";

static const char *value_problem(const char *key, const char *value)
{
	double d;

	/* Typed by the user, so refused rather than repaired (core/text.h):
	 * a key that is not what was typed would fail to authenticate. */
	if (!utf8_is_valid(value, strlen(value)))
		return not_utf8;
	if (strcmp(key, "mode") == 0) {
		if (strcmp(value, "sandbox") && strcmp(value, "production"))
			return "must be sandbox or production";
	} else if (strcmp(key, "base_url") == 0 || strcmp(key, "wink_sdk_url") == 0) {
		if (!str_starts_with(value, "https://") && !str_starts_with(value, "http://"))
			return "must start with https:// or http://";
	} else if (strcmp(key, "rate") == 0) {
		if (!parse_decimal(value, 1e6, &d))
			return "must be a number of requests per second (0 = unlimited)";
	} else if (strcmp(key, "retries") == 0) {
		if (strspn(value, "0123456789") != strlen(value) || !*value || !parse_decimal(value, 100, &d))
			return "must be a whole number of extra attempts, at most 100";
	} else if (is_numeric_key(key)) {
		if (!parse_decimal(value, 1e7, &d))
			return "must be a number of seconds, like 2.5";
	} else if (config_key_is_secret(key) || strcmp(key, "api_key") == 0) {
		if (!*value)
			return "must not be empty";
	}
	return NULL;
}

static char *valid_keys_list(void)
{
	struct strbuf sb = STRBUF_INIT;
	for (size_t i = 0; config_profile_keys[i]; i++)
		strbuf_addf(&sb, "%s%s", i ? ", " : "", config_profile_keys[i]);
	return strbuf_detach(&sb);
}

int config_check_value(const char *key, const char *value, char **err)
{
	*err = NULL;
	struct strbuf shown = STRBUF_INIT;
	if (!config_key_is_known(key)) {
		_cleanup_free_ char *keys = valid_keys_list();
		strbuf_add_printable(&shown, key, strlen(key), 60);
		*err = xasprintf("unknown key '%s'; valid keys: %s", shown.buf, keys);
		strbuf_release(&shown);
		return -ENOENT;
	}
	const char *problem = value_problem(key, value);
	if (!problem)
		return 0;
	if (config_key_is_secret(key) || problem == not_utf8) {
		*err = xasprintf("%s %s", key, problem); /* never a secret */
	} else {
		strbuf_add_printable(&shown, value, strlen(value), 60);
		*err = xasprintf("%s %s, not '%s'", key, problem, shown.buf);
		strbuf_release(&shown);
	}
	return -EINVAL;
}

/* ---- profile resolution ------------------------------------------------ */

static const char *nonempty_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

static char *config_shown_path(const struct config *cfg)
{
	if (cfg)
		return config_display_path(cfg->path);
	_cleanup_free_ char *path = config_default_path();
	return config_display_path(path);
}

/* --profile, else $SMILE_PROFILE, else default:, else a profile named
 * "default" (what `smile config set` creates when nothing names one). */
static int choose_profile(const struct config *cfg, const struct profile_overrides *ov,
			  struct profile *out, char **err)
{
	const char *name = ov ? ov->profile : NULL;
	const char *why = "";

	out->name_from_option = name != NULL;
	if (!name)
		name = nonempty_env("SMILE_PROFILE");
	if (!name && cfg) {
		name = config_default_profile(cfg);
		why = " (the default profile)";
	}
	if (!name) {
		if (cfg && config_has_profile(cfg, "default"))
			out->name = xstrdup("default");
		return 0;
	}
	if (!cfg || !config_has_profile(cfg, name)) {
		_cleanup_free_ char *shown = config_shown_path(cfg);
		*err = xasprintf("profile '%s'%s not found in %s", name, why, shown);
		return -ENOENT;
	}
	out->name = xstrdup(name);
	return 0;
}

/* Validates a value from the file; errors name the file, line and key. */
static int file_value(const struct config *cfg, const char *profile, const char *key,
		      const char **out, char **err)
{
	struct node *v = cfg && profile ? profile_value(cfg, profile, key) : NULL;
	*out = NULL;
	if (!v)
		return 0;
	const char *problem = value_problem(key, v->value);
	if (problem) {
		_cleanup_free_ char *shown = config_display_path(cfg->path);
		if (config_key_is_secret(key))
			*err = xasprintf("%s:%zu: profiles.%s.%s %s", shown, v->line, profile, key, problem);
		else
			*err = xasprintf("%s:%zu: profiles.%s.%s %s, not '%s'", shown, v->line, profile,
					 key, problem, v->value);
		return -EINVAL;
	}
	*out = v->value;
	return 0;
}

static void take_string(char **dst, const char *src)
{
	if (!src)
		return;
	free(*dst);
	*dst = xstrdup(src);
}

static long seconds_to_ms(const char *s)
{
	double d = 0;
	parse_decimal(s, 1e7, &d);
	return lround(d * 1000.0);
}

static int resolve_strings(const struct config *cfg, struct profile *out, char **err)
{
	static const char *const keys[] = { "api_key", "api_secret", "mode", "base_url", "output",
					    "wink_sdk_url" };
	char **fields[] = { &out->api_key, &out->api_secret, &out->mode, &out->base_url, &out->output,
			    &out->wink_sdk_url };

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v;
		int r = file_value(cfg, out->name, keys[i], &v, err);
		if (r < 0)
			return r;
		take_string(fields[i], v);
	}
	return 0;
}

static int resolve_numbers(const struct config *cfg, struct profile *out, char **err)
{
	const char *v;
	int r;

	if ((r = file_value(cfg, out->name, "rate", &v, err)) < 0)
		return r;
	if (v)
		parse_decimal(v, 1e6, &out->rate);
	if ((r = file_value(cfg, out->name, "connect_timeout", &v, err)) < 0)
		return r;
	if (v)
		out->connect_timeout_ms = seconds_to_ms(v);
	if ((r = file_value(cfg, out->name, "timeout", &v, err)) < 0)
		return r;
	if (v)
		out->timeout_ms = seconds_to_ms(v);
	if ((r = file_value(cfg, out->name, "retry_max_time", &v, err)) < 0)
		return r;
	if (v)
		out->retry_max_ms = seconds_to_ms(v);
	if ((r = file_value(cfg, out->name, "retries", &v, err)) < 0)
		return r;
	if (v)
		out->max_attempts = atoi(v) + 1;
	return 0;
}

static int apply_environment(struct profile *out, char **err)
{
	const char *url = nonempty_env("SMILE_BASE_URL");
	if (url && value_problem("base_url", url)) {
		*err = xasprintf("SMILE_BASE_URL %s, not '%s'", value_problem("base_url", url), url);
		return -EINVAL;
	}
	take_string(&out->api_key, nonempty_env("SMILE_API_KEY"));
	take_string(&out->api_secret, nonempty_env("SMILE_API_SECRET"));
	take_string(&out->base_url, url);
	return 0;
}

static int apply_overrides(const struct profile_overrides *ov, struct profile *out, char **err)
{
	if (!ov)
		return 0;
	if (ov->base_url && value_problem("base_url", ov->base_url)) {
		*err = xasprintf("--base-url %s, not '%s'", value_problem("base_url", ov->base_url),
				 ov->base_url);
		return -EINVAL;
	}
	take_string(&out->base_url, ov->base_url);
	if (ov->rate >= 0)
		out->rate = ov->rate;
	if (ov->connect_timeout_ms >= 0)
		out->connect_timeout_ms = ov->connect_timeout_ms;
	if (ov->timeout_ms >= 0)
		out->timeout_ms = ov->timeout_ms;
	if (ov->max_attempts >= 0)
		out->max_attempts = ov->max_attempts;
	if (ov->retry_max_ms >= 0)
		out->retry_max_ms = ov->retry_max_ms;
	return 0;
}

/* base_url beats mode; mode only picks one of the official URLs. A
 * trailing slash is dropped so paths can be appended as "/users". */
static void finish_base_url(struct profile *out)
{
	if (!out->mode)
		out->mode = xstrdup("sandbox");
	if (!out->base_url)
		out->base_url = xstrdup(strcmp(out->mode, "production") == 0 ? SMILE_PRODUCTION_URL
									       : SMILE_SANDBOX_URL);
	size_t n = strlen(out->base_url);
	while (n > 0 && out->base_url[n - 1] == '/' && !str_ends_with(out->base_url, "://"))
		out->base_url[--n] = '\0';
}

int profile_resolve(const struct config *cfg, const struct profile_overrides *ov,
		    struct profile *out, char **err)
{
	*out = (struct profile){
		.rate = DEFAULT_RATE,
		.connect_timeout_ms = DEFAULT_CONNECT_TIMEOUT_MS,
		.timeout_ms = DEFAULT_TIMEOUT_MS,
		.max_attempts = DEFAULT_MAX_ATTEMPTS,
		.retry_max_ms = DEFAULT_RETRY_MAX_MS,
	};
	*err = NULL;

	int r = choose_profile(cfg, ov, out, err);
	if (r >= 0)
		r = resolve_strings(cfg, out, err);
	if (r >= 0)
		r = resolve_numbers(cfg, out, err);
	if (r >= 0)
		r = apply_environment(out, err);
	if (r >= 0)
		r = apply_overrides(ov, out, err);
	if (r < 0) {
		profile_clear(out);
		return r;
	}
	finish_base_url(out);
	return 0;
}

enum profile_credentials profile_credentials(const struct profile *p)
{
	bool has_key = p->api_key && *p->api_key;
	bool has_secret = p->api_secret && *p->api_secret;

	if (has_key && has_secret)
		return CREDENTIALS_COMPLETE;
	if (!has_key && !has_secret)
		return CREDENTIALS_NONE;
	return has_key ? CREDENTIALS_NO_SECRET : CREDENTIALS_NO_KEY;
}

bool profile_is_production(const struct profile *p)
{
	/* Either signal counts: a proxy in front of production is still production. */
	if (p->mode && strcmp(p->mode, "production") == 0)
		return true;
	return p->base_url && str_starts_with(p->base_url, "https://open.smileapi.io");
}

void profile_clear(struct profile *p)
{
	if (!p)
		return;
	free(p->name);
	free(p->api_key);
	if (p->api_secret) /* do not leave the secret lying in freed memory */
		explicit_bzero(p->api_secret, strlen(p->api_secret));
	free(p->api_secret);
	free(p->base_url);
	free(p->mode);
	free(p->output);
	free(p->wink_sdk_url);
	*p = (struct profile){ 0 };
}
