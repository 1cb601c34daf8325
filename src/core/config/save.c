/* SPDX-License-Identifier: MIT */
/*
 * Saving the tree: libyaml's emitter into memory, then one atomic write
 * (core/util.h's write_file_atomic), mode 0600.
 */
#include "core/config/internal.h"
#include "core/util.h"

#include <errno.h>
#include <string.h>

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

int config_save(const struct config *cfg, const char *path, char **err)
{
	_cleanup_free_ char *target = config_resolve_link(path);
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
		r = config_make_parent_dirs(target, err);
	if (r >= 0) {
		r = write_file_atomic(target, sb.buf, sb.len, 0600);
		if (r < 0)
			*err = xasprintf("cannot write %s: %s", shown, strerror(-r));
	}
	strbuf_release(&sb);
	return r;
}
