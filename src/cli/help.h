/* SPDX-License-Identifier: MIT */
/*
 * What --help (help.c), the man pages (man.c) and completion (complete.c)
 * share: the tables of exit statuses and environment variables, and how an
 * option or a verb is described.
 */
#pragma once

#include "cli/cmd.h"

#include <stddef.h>

/* {status, meaning} and {variable, meaning} pairs, ending in {NULL, NULL}:
 * --help, smile(1) and README's tables say the same. */
extern const char *const help_exit_statuses[][2];
extern const char *const help_environment[][2];

/* help.c */
/* The number of verbs of g. */
size_t verb_count(const struct group_spec *g);
/* The help line with what the table says about the value. */
char *opt_description(const struct opt_spec *o);
/* "smile users get [options] ID" */
char *verb_synopsis(const struct group_spec *g, const struct verb_spec *v);

/* help_text.c: prints a man page of man.c as plain text. */
void help_roff_to_text(FILE *out, const char *roff);
/* help_topic.c: smile help TOPIC, the man page of smile or a group. */
int help_topic(const char *topic);
