/* SPDX-License-Identifier: MIT */
/*
 * The list of command groups, in the order `smile --help` shows them: setup
 * first, then the API resources as a person meets them (users, their
 * accounts and documents, the data collected), early access, and the raw
 * `smile api` last.
 */
#include "cli/cmd.h"
#include "cmd/groups.h"

const struct group_spec *const smile_groups[] = {
	&group_config,
	&group_auth,
	&group_users,
	&group_tokens,
	&group_link,
	&group_export,
	&group_retention,
	&group_providers,
	&group_accounts,
	&group_invites,
	&group_invite_templates,
	&group_consent_templates,
	&group_archives,
	&group_file_types,
	&group_uploads,
	&group_tasks,
	&group_webhooks,
	&group_identities,
	&group_employments,
	&group_incomes,
	&group_transactions,
	&group_ratings,
	&group_documents,
	&group_contributions,
	&group_liabilities,
	&group_eincomes,
	&group_insights,
	&group_links,
	&group_forms,
	&group_verifications,
	&group_signals,
	&group_footprints,
	&group_maws,
	&group_validations,
	&group_blacklists,
	&group_social_securities,
	&group_employers,
	&group_apply,
	&group_api,
	&group_shell,
	&group_completion,
	NULL,
};
