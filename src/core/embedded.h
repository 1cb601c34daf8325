/* SPDX-License-Identifier: MIT */
/*
 * Files built into a program: tools/embed.py turns files of the tree (web
 * pages, scripts, styles) into a table of these at build time, so they stay
 * real files that an editor, a linter and a browser can open.
 */
#pragma once

#include <stddef.h>
#include <string.h>

struct embedded_file {
	const char *name;         /* base name: "smile.v2.js" */
	const char *content_type; /* from the extension: "text/javascript; charset=utf-8" */
	const unsigned char *data; /* len bytes, then a NUL */
	size_t len;
};

/* The file called name in a table that ends with a NULL name, or NULL. */
static inline const struct embedded_file *embedded_find(const struct embedded_file *table,
							 const char *name)
{
	for (; table->name; table++)
		if (strcmp(table->name, name) == 0)
			return table;
	return NULL;
}
