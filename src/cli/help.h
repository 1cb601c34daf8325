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
