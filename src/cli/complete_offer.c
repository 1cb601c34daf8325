/* SPDX-License-Identifier: MIT */
/*
 * How one candidate is printed, on its own: every part of completion offers
 * candidates, so this sits below them all rather than in the walk over the
 * words (complete.c), which calls those parts.
 */
#include "cli/complete_profiles.h"
#include "core/util.h"

#include <stdio.h>

/* A description is one line: a tab or line break in it (a label from the
 * API) would split the candidate's line, so it becomes a space. */
static void print_description(FILE *out, const char *description)
{
	for (const char *c = description; *c; c++)
		fputc((unsigned char)*c < 0x20 ? ' ' : *c, out);
}

void complete_offer(const struct completion_out *co, const char *cur, const char *lead,
		    const char *candidate, const char *description)
{
	_cleanup_free_ char *full = xasprintf("%s%s", lead, candidate);
	if (!str_starts_with(full, cur))
		return;
	fputs(full, co->out);
	if (co->describe && description && *description) {
		fputc('\t', co->out);
		print_description(co->out, description);
	}
	fputc('\n', co->out);
}
