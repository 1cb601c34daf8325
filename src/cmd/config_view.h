/* SPDX-License-Identifier: MIT */
/* smile config's views (config_view.c): list and get show the settings in
 * effect with their sources, profiles lists the file's profiles. */
#pragma once

struct cmd_ctx;

int config_verb_list(struct cmd_ctx *ctx);
int config_verb_get(struct cmd_ctx *ctx);
int config_verb_profiles(struct cmd_ctx *ctx);
extern const char *const config_profiles_columns[];
