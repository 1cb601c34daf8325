/* SPDX-License-Identifier: MIT */
/*
 * Shorthands for the API group tables (src/cmd/<group>.c), so that a table
 * row reads like a line of the API reference: the flag, the API field, the
 * type, and a one-line help. Q_* options go to the query string, B_* options
 * into the JSON body (dotted fields nest).
 */
#pragma once

#include "cli/cmd.h"

#define OPT_END { .name = NULL }
#define VERB_END { .name = NULL }

/* Query string parameters. */
#define Q_STR(n, f, mv, h) \
	{ .name = (n), .type = OPT_STRING, .where = OPT_QUERY, .field = (f), .metavar = (mv), .help = (h) }
#define Q_STR_MAX(n, f, fl, mx, mv, h) \
	{ .name = (n), .type = OPT_STRING, .where = OPT_QUERY, .field = (f), .flags = (fl), \
	  .min = 1, .max = (mx), .metavar = (mv), .help = (h) }
#define Q_BOOL(n, f, h) \
	{ .name = (n), .type = OPT_BOOL, .where = OPT_QUERY, .field = (f), .help = (h) }
#define Q_DATE(n, f, h) \
	{ .name = (n), .type = OPT_DATE, .where = OPT_QUERY, .field = (f), .help = (h) }
#define Q_MONTH(n, f, h) \
	{ .name = (n), .type = OPT_MONTH, .where = OPT_QUERY, .field = (f), .help = (h) }
#define Q_ENUM(n, f, vals, h) \
	{ .name = (n), .type = OPT_ENUM, .where = OPT_QUERY, .field = (f), .values = (vals), .help = (h) }
#define Q_LIST(n, f, mv, h) \
	{ .name = (n), .type = OPT_LIST, .where = OPT_QUERY, .field = (f), .metavar = (mv), .help = (h) }

/* JSON body fields. fl: OPT_REQUIRED where the request schema requires the
 * field (the dispatcher also accepts it from --input). mn/mx: length bounds
 * of strings (mx 0: unbounded). */
#define B_STR(n, f, fl, mn, mx, mv, h) \
	{ .name = (n), .type = OPT_STRING, .where = OPT_BODY, .field = (f), .flags = (fl), \
	  .min = (mn), .max = (mx), .metavar = (mv), .help = (h) }
#define B_EMAIL(n, f, fl, mx, h) \
	{ .name = (n), .type = OPT_EMAIL, .where = OPT_BODY, .field = (f), .flags = (fl), \
	  .max = (mx), .help = (h) }
#define B_URL(n, f, fl, mx, h) \
	{ .name = (n), .type = OPT_URL, .where = OPT_BODY, .field = (f), .flags = (fl), \
	  .max = (mx), .help = (h) }
#define B_BOOL(n, f, fl, h) \
	{ .name = (n), .type = OPT_BOOL, .where = OPT_BODY, .field = (f), .flags = (fl), .help = (h) }
#define B_INT(n, f, fl, mn, mx, h) \
	{ .name = (n), .type = OPT_INT, .where = OPT_BODY, .field = (f), .flags = (fl), \
	  .min = (mn), .max = (mx), .help = (h) }
#define B_NUMBER(n, f, fl, h) \
	{ .name = (n), .type = OPT_NUMBER, .where = OPT_BODY, .field = (f), .flags = (fl), .help = (h) }
#define B_DATE(n, f, fl, h) \
	{ .name = (n), .type = OPT_DATE, .where = OPT_BODY, .field = (f), .flags = (fl), .help = (h) }
#define B_DATETIME(n, f, fl, h) \
	{ .name = (n), .type = OPT_DATETIME, .where = OPT_BODY, .field = (f), .flags = (fl), .help = (h) }
#define B_ENUM(n, f, fl, vals, h) \
	{ .name = (n), .type = OPT_ENUM, .where = OPT_BODY, .field = (f), .flags = (fl), \
	  .values = (vals), .help = (h) }
/* An array of strings; vals, when not NULL, lists what each item may be. */
#define B_LIST(n, f, fl, vals, mv, h) \
	{ .name = (n), .type = OPT_LIST, .where = OPT_BODY, .field = (f), .flags = (fl), \
	  .values = (vals), .metavar = (mv), .help = (h) }
/* An object of string values; mx: at most this many keys (0: no limit). */
#define B_KEYVALUE(n, f, fl, mx, h) \
	{ .name = (n), .type = OPT_KEYVALUE, .where = OPT_BODY, .field = (f), .flags = (fl), \
	  .max = (mx), .metavar = "KEY=VALUE", .help = (h) }

/* Used by the verb itself, never sent. */
#define L_FLAG(n, h) { .name = (n), .type = OPT_FLAG, .where = OPT_LOCAL, .help = (h) }
#define L_PATH(n, mv, h) \
	{ .name = (n), .type = OPT_PATH, .where = OPT_LOCAL, .metavar = (mv), .help = (h) }
#define L_ENUM(n, vals, h) \
	{ .name = (n), .type = OPT_ENUM, .where = OPT_LOCAL, .values = (vals), .help = (h) }

/* The list filters most resources share. */
#define Q_USER_ID Q_STR("user-id", "userId", "ID", "only items of this user")
/* The spec deprecates accountId in favour of sourceId; still offered, said so. */
#define Q_ACCOUNT_ID Q_STR("account-id", "accountId", "ID", "only items of this account (deprecated by the API: use --source-id)")
#define Q_SOURCE_ID Q_STR("source-id", "sourceId", "ID", "only items from this source (account or archive)")
#define Q_START_DATE Q_DATE("start-date", "startDate", "only items created on or after this date")
#define Q_END_DATE Q_DATE("end-date", "endDate", "only items created on or before this date")

/*
 * The consent object every early-access check requires: when and how the
 * person agreed. consentedAt and consentedWith are required by the schema.
 */
#define B_CONSENT \
	B_STR("consent-type", "consent.type", 0, 0, 0, "TYPE", "kind of consent given"), \
	B_STR("consent-version", "consent.version", 0, 0, 0, "VERSION", "version of the consent text agreed to"), \
	B_DATETIME("consented-at", "consent.consentedAt", OPT_REQUIRED, "when the person consented"), \
	B_STR("consented-with", "consent.consentedWith", OPT_REQUIRED, 1, 0, "HOW", \
	      "how the person consented, e.g. checkbox"), \
	B_STR("consent-template-id", "consent.consentTemplateId", 0, 0, 0, "ID", \
	      "consent template the person agreed to")

/* A verb that shows one item by its id. */
#define VERB_GET(name_, what, path_, cols, fl, ex) \
	{ .name = (name_), .summary = "show one " what, .method = "GET", .path = (path_), \
	  .args = "ID", .min_args = 1, .max_args = 1, .columns = (cols), .flags = (fl), .example = (ex) }
