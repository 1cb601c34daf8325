/* SPDX-License-Identifier: MIT */
/* What the parts of completion share (complete.c is the walk over the words;
 * complete_values.c, complete_profiles.c and complete_remote.c the
 * candidates that depend on a word before, the config file or the API). */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "cli/cmd.h"

/* Where candidates go: bare, one a line (smile __complete, for bash and the
 * smile shell), or each with a tab and its description after it (smile
 * __complete-described, for zsh's _describe and fish). */
struct completion_out {
	FILE *out;
	bool describe;
};

/* Offers lead + candidate when it starts with cur; description (NULL: none)
 * follows it after a tab when co->describe. */
void complete_offer(const struct completion_out *co, const char *cur, const char *lead,
		    const char *candidate, const char *description);

/* When values is complete_profile_names or complete_file_types (cmd.h):
 * offers the profile names of the config file, or the API's file types,
 * that start with cur (each after lead) and returns true. g holds the
 * global options typed so far (--config, --profile, --base-url, --dry-run). */
bool complete_dynamic(const struct completion_out *co, const char *const *values,
		      const struct global_opts *g, const char *cur, const char *lead);

/* complete_remote.c: the file types of the API for the profile in effect,
 * from one short request; nothing, silently, on any failure. */
void complete_file_type_ids(const struct completion_out *co, const struct global_opts *g,
			    const char *cur, const char *lead);

/* complete_values.c: when v's second argument depends on its first
 * (config set KEY VALUE, api METHOD PATH), offers the candidates for it
 * and returns true. */
bool complete_second_arg(const struct completion_out *co, const struct verb_spec *v,
			 const char *first, const char *cur);
