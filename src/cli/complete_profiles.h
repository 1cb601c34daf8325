/* SPDX-License-Identifier: MIT */
/* Completion candidates that come from outside the tables (complete_profiles.c). */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* When values is complete_profile_names (cmd.h): prints the config file's
 * profile names that start with cur (each after lead) and returns true. */
bool complete_dynamic(FILE *out, const char *const *values, const char *cur, const char *lead);

#include "cli/cmd.h"

/* complete_values.c: when v's second argument depends on its first
 * (config set KEY VALUE, api METHOD PATH), prints the candidates for it
 * and returns true. */
bool complete_second_arg(FILE *out, const struct verb_spec *v, const char *first, const char *cur);
