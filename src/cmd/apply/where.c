/* SPDX-License-Identifier: MIT */
/*
 * FILE:LINE:COLUMN of a place in the manifest, by its JSON pointer: the
 * nearest node the reader kept a location for, and a problem reported
 * there. Used by the manifest's, its files' and the schema's checks alike.
 */
#include "cmd/apply/apply.h"
#include "core/util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

char *manifest_where(const struct manifest *m, const char *pointer)
{
	char *p = xstrdup(pointer);
	unsigned line = 0, col = 0;

	for (;;) {
		if (yaml_locate(&m->locs, p, &line, &col))
			break;
		char *slash = strrchr(p, '/');
		if (!slash) {
			line = col = 1;
			break;
		}
		*slash = '\0';
	}
	free(p);
	return xasprintf("%s:%u:%u", m->path, line, col);
}

void manifest_problem(const struct manifest *m, const char *pointer, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;
	char *where = manifest_where(m, pointer);

	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	log_error("%s: %s", where, sb.buf);
	strbuf_release(&sb);
	free(where);
}
