/* SPDX-License-Identifier: MIT */
/*
 * The user data groups: what Smile collected from accounts and archives
 * (identities, employments, incomes, ...). Each is a list with filters and
 * a get by id, so they are declared by one macro from a row of data: the
 * resource, its filters, its columns and its text.
 */
#include "cmd/opts.h"

/* The filter sets, by which parameters the API takes for each resource. */
static const struct opt_spec filters_user_account_source[] = {
	Q_USER_ID, Q_ACCOUNT_ID, Q_SOURCE_ID, OPT_END,
};
static const struct opt_spec filters_user_account_source_dates[] = {
	Q_USER_ID, Q_ACCOUNT_ID, Q_SOURCE_ID, Q_START_DATE, Q_END_DATE, OPT_END,
};
static const struct opt_spec filters_user_source_dates[] = {
	Q_USER_ID, Q_SOURCE_ID, Q_START_DATE, Q_END_DATE, OPT_END,
};
static const struct opt_spec filters_user_source[] = {
	Q_USER_ID, Q_SOURCE_ID, OPT_END,
};
static const struct opt_spec filters_user_source_months[] = {
	Q_USER_ID,
	Q_SOURCE_ID,
	Q_MONTH("start-month", "startMonth", "only estimates for this month (YYYY-MM) or later"),
	Q_MONTH("end-month", "endMonth", "only estimates for this month (YYYY-MM) or earlier"),
	OPT_END,
};

/* A NULL-terminated column list, usable as one macro argument. */
#define COLUMNS(...) ((const char *const[]){ __VA_ARGS__, NULL })

#define EXAMPLE_USER "smile1234-a5b39dfe76174defb353d7e97a88a85e"

/*
 * Defines group_<ident>: `smile <name> list` (GET <path>) and
 * `smile <name> get ID` (GET <path>/{id}).
 */
#define USERDATA_GROUP(ident, name_, path_, noun, nouns, filters, cols, example_id, summary_, desc) \
	static const struct verb_spec ident##_verbs[] = { \
		{ \
			.name = "list", \
			.summary = "list " nouns, \
			.method = "GET", \
			.path = path_, \
			.opts = (filters), \
			.columns = (cols), \
			.flags = VERB_LIST, \
			.example = "smile " name_ " list --user-id " EXAMPLE_USER " --all", \
		}, \
		VERB_GET("get", noun, path_ "/{id}", (cols), 0, \
			 "smile " name_ " get " example_id), \
		VERB_END, \
	}; \
	const struct group_spec group_##ident = { \
		.name = name_, \
		.summary = summary_, \
		.verbs = ident##_verbs, \
		.description = desc, \
	}

USERDATA_GROUP(identities, "identities", "/identities", "identity", "identities",
	       filters_user_account_source,
	       COLUMNS("id", "fullName", "dob", "gender", "citizenship", "metadata.sourceId"),
	       "i-45567e7689be49d5bc052a6e4a3805e6",
	       "personal details from accounts",
	       "Identities hold who the person is according to a source: names, date "
	       "of birth, gender, citizenship, addresses, phones and e-mails.");

USERDATA_GROUP(employments, "employments", "/employments", "employment", "employments",
	       filters_user_account_source_dates,
	       COLUMNS("id", "employer", "jobTitle", "status", "startDate", "endDate"),
	       "e-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "jobs and engagements",
	       "Employments are jobs, contracts and gig engagements: employer, job "
	       "title, status and the dates they started and ended.");

USERDATA_GROUP(incomes, "incomes", "/incomes", "income", "incomes",
	       filters_user_account_source_dates,
	       COLUMNS("id", "employer", "startDate", "endDate", "currency", "grossAmount", "netAmount",
		       "metadata.sourceId", "metadata.providerId"),
	       "inc-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "earnings per pay period",
	       "Incomes are earnings for a period: employer or work item, currency, "
	       "frequency and the base, gross and net amounts.");

USERDATA_GROUP(transactions, "transactions", "/transactions", "transaction", "transactions",
	       filters_user_account_source_dates,
	       COLUMNS("id", "date", "description", "currency", "amount", "metadata.sourceId",
		       "metadata.providerId"),
	       "t-11de60721342404daa35f60d2875f37b",
	       "money movements in accounts",
	       "Transactions are single payments in or out of an account, with date, "
	       "description, currency and amount.");

USERDATA_GROUP(ratings, "ratings", "/ratings", "rating", "ratings",
	       filters_user_account_source,
	       COLUMNS("id", "currentRating", "maxRating", "calculatedPercentage", "jobsCompleted"),
	       "r-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "reputation on gig platforms",
	       "Ratings are the reputation a person earned on a platform: current "
	       "and maximum rating, reviews, likes and jobs completed.");

USERDATA_GROUP(documents, "documents", "/documents", "document", "documents",
	       filters_user_account_source,
	       COLUMNS("id", "name", "documentType", "status", "issueDate", "expiryDate"),
	       "d-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "documents held at providers",
	       "Documents are certificates, licences and similar papers a provider "
	       "holds for the person, with their status and validity dates.");

USERDATA_GROUP(contributions, "contributions", "/contributions", "contribution", "contributions",
	       filters_user_account_source_dates,
	       COLUMNS("id", "date", "currency", "amount", "referenceId"),
	       "con-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "social security and pension contributions",
	       "Contributions are payments into social security, pension or health "
	       "funds, with date, currency and amount.");

USERDATA_GROUP(liabilities, "liabilities", "/liabilities", "liability", "liabilities",
	       filters_user_source_dates,
	       COLUMNS("id", "type", "currency", "loanAmount", "outstandingBalance", "startDate", "endDate"),
	       "l-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "loans and their balances",
	       "Liabilities are loans held with a provider: amount, amortisation, "
	       "outstanding and overdue balances.");

USERDATA_GROUP(eincomes, "eincomes", "/eincomes", "estimated income", "estimated incomes",
	       filters_user_source_months,
	       COLUMNS("id", "month", "currency", "baseAmount", "amount"),
	       "einc-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "estimated monthly incomes",
	       "Estimated incomes are Smile's monthly income estimates for a person, "
	       "one per month (YYYY-MM), with currency and amount.");

USERDATA_GROUP(insights, "insights", "/insights", "insight", "insights",
	       filters_user_source,
	       COLUMNS("id", "cutoffTime", "metadata.userId", "metadata.sourceId"),
	       "ins-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "features computed from a person's data",
	       "Insights are features Smile computes from the collected data (income "
	       "counts, averages, gaps) up to a cutoff time; use -o json to see them all.");

USERDATA_GROUP(links, "links", "/links", "link", "links",
	       filters_user_source,
	       COLUMNS("id", "startDate", "endDate", "metadata.userId"),
	       "lnk-ff4723f9af5f4dc5b6a22ea27fb3c8a1",
	       "records linked across sources",
	       "Links group records from different sources that belong together, for "
	       "a period between a start and an end date.");
