/* SPDX-License-Identifier: MIT */
/* Each src/cmd/<group>.c defines one `group_<name>`; registry.c lists them. */
#pragma once

#include "cli/cmd.h"

extern const struct group_spec group_config;
extern const struct group_spec group_auth;
extern const struct group_spec group_api;
extern const struct group_spec group_apply;

/* General availability (src/cmd/<group>.c). */
extern const struct group_spec group_users;
extern const struct group_spec group_tokens;
extern const struct group_spec group_accounts;
extern const struct group_spec group_providers;
extern const struct group_spec group_file_types;
extern const struct group_spec group_invites;
/* The body fields one invitation requires (NULL-terminated): the table
 * cannot mark them, since --file rows bring their own. */
extern const char *const invite_required_fields[];
extern const struct group_spec group_invite_templates;
extern const struct group_spec group_consent_templates;
extern const struct group_spec group_webhooks;
extern const struct group_spec group_tasks;
extern const struct group_spec group_archives;
extern const struct group_spec group_uploads;

/* User data (src/cmd/userdata.c). */
extern const struct group_spec group_identities;
extern const struct group_spec group_employments;
extern const struct group_spec group_incomes;
extern const struct group_spec group_transactions;
extern const struct group_spec group_ratings;
extern const struct group_spec group_documents;
extern const struct group_spec group_contributions;
extern const struct group_spec group_liabilities;
extern const struct group_spec group_eincomes;
extern const struct group_spec group_insights;
extern const struct group_spec group_links;

/* Early access, /alpha and /beta (src/cmd/early.c). */
extern const struct group_spec group_forms;
extern const struct group_spec group_verifications;
extern const struct group_spec group_signals;
extern const struct group_spec group_footprints;
extern const struct group_spec group_maws;
extern const struct group_spec group_validations;
extern const struct group_spec group_blacklists;
extern const struct group_spec group_social_securities;
extern const struct group_spec group_employers;
extern const struct group_spec group_shell;
extern const struct group_spec group_completion;

/* The end-to-end jobs (src/cmd/<job>/). */
extern const struct group_spec group_link;
extern const struct group_spec group_export;
extern const struct group_spec group_retention;
