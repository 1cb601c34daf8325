/* SPDX-License-Identifier: MIT */
/*
 * The early-access groups: operations under /alpha and /beta, which Smile
 * may still change. Every verb is flagged VERB_EARLY_ACCESS, so help marks
 * it.
 *
 * Versions: each resource is one group. Its plain verbs (list, get, create)
 * use the newest version the API offers (/beta where there is one); the
 * older /alpha operation of the same resource is the same verb with an
 * "-alpha" suffix (signals list-alpha). Numbered beta variants are
 * "-v2"/"-v3" (signals create-v3 is POST /beta/signals/createSignal3).
 * So one verb is always one operation, and no path has to be guessed.
 */
#include "cmd/opts.h"

#define EXAMPLE_USER "smile1234-a5b39dfe76174defb353d7e97a88a85e"
#define EXAMPLE_CONSENT "--consented-at 2024-05-01T09:30:00Z --consented-with checkbox"

/* Most checks answer with the same envelope: an id, a status and a result code. */
static const char *const check_columns[] = {
	"id", "status", "resultCode", "createdAt", NULL
};

/* ISO 3166 alpha-2 codes, as the API lists them. */
static const char *const country_codes[] = {
	"AF", "AX", "AL", "DZ", "AS", "AD", "AO", "AI", "AQ", "AG", "AR", "AM", "AW", "AU", "AT",
	"AZ", "BS", "BH", "BD", "BB", "BY", "BE", "BZ", "BJ", "BM", "BT", "BO", "BQ", "BA", "BW",
	"BV", "BR", "IO", "BN", "BG", "BF", "BI", "KH", "CM", "CA", "CV", "KY", "CF", "TD", "CL",
	"CN", "CX", "CC", "CO", "KM", "CG", "CD", "CK", "CR", "CI", "HR", "CU", "CW", "CY", "CZ",
	"DK", "DJ", "DM", "DO", "EC", "EG", "SV", "GQ", "ER", "EE", "ET", "FK", "FO", "FJ", "FI",
	"FR", "GF", "PF", "TF", "GA", "GM", "GE", "DE", "GH", "GI", "GR", "GL", "GD", "GP", "GU",
	"GT", "GG", "GN", "GW", "GY", "HT", "HM", "VA", "HN", "HK", "HU", "IS", "IN", "ID", "IR",
	"IQ", "IE", "IM", "IL", "IT", "JM", "JP", "JE", "JO", "KZ", "KE", "KI", "KP", "KR", "XK",
	"KW", "KG", "LA", "LV", "LB", "LS", "LR", "LY", "LI", "LT", "LU", "MO", "MK", "MG", "MW",
	"MY", "MV", "ML", "MT", "MH", "MQ", "MR", "MU", "YT", "MX", "FM", "MD", "MC", "MN", "ME",
	"MS", "MA", "MZ", "MM", "NA", "NR", "NP", "NL", "AN", "NC", "NZ", "NI", "NE", "NG", "NU",
	"NF", "MP", "NO", "OM", "PK", "PW", "PS", "PA", "PG", "PY", "PE", "PH", "PN", "PL", "PT",
	"PR", "QA", "RS", "RE", "RO", "RU", "RW", "BL", "SH", "KN", "LC", "MF", "PM", "VC", "WS",
	"SM", "ST", "SA", "SN", "CS", "SC", "SL", "SG", "SX", "SK", "SI", "SB", "SO", "ZA", "GS",
	"SS", "ES", "LK", "SD", "SR", "SJ", "SZ", "SE", "CH", "SY", "TW", "TJ", "TZ", "TH", "TL",
	"TG", "TK", "TO", "TT", "TN", "TR", "XT", "TM", "TC", "TV", "UG", "UA", "AE", "GB", "US",
	"UM", "UY", "UZ", "VU", "VE", "VN", "VG", "VI", "WF", "EH", "YE", "ZM", "ZW", NULL
};

#define B_COUNTRY(fl) \
	{ .name = "country-code", .type = OPT_ENUM, .where = OPT_BODY, .field = "countryCode", \
	  .flags = (fl), .values = country_codes, .metavar = "CC", \
	  .help = "country of the number or person (ISO 3166 alpha-2)" }
#define B_TEMPLATE_ID(fl) B_STR("template-id", "templateId", (fl), 1, 0, "ID", \
				"template that decides what is checked")

/* A paged list of an early-access resource. */
#define EARLY_LIST(name_, what, path_, filters, cols, ex) \
	{ .name = (name_), .summary = "list " what, .method = "GET", .path = (path_), \
	  .opts = (filters), .columns = (cols), .flags = VERB_LIST | VERB_EARLY_ACCESS, .example = (ex) }
#define EARLY_GET(name_, what, path_, cols, ex) \
	VERB_GET(name_, what, path_, cols, VERB_EARLY_ACCESS, ex)
/* A create that takes a JSON body. */
#define EARLY_CREATE(name_, summary_, path_, options, cols, ex) \
	{ .name = (name_), .summary = (summary_), .method = "POST", .path = (path_), \
	  .opts = (options), .columns = (cols), .flags = VERB_BODY | VERB_EARLY_ACCESS, .example = (ex) }

/* ---- forms (alpha) ------------------------------------------------------- */

static const char *const form_columns[] = {
	"id", "name", "userId", "winkSiteId", "reference", "createdAt", NULL
};

static const struct opt_spec form_filters[] = {
	Q_USER_ID,
	Q_STR("wink-site-id", "winkSiteId", "ID", "only forms of this Wink site"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct verb_spec form_verbs[] = {
	EARLY_LIST("list", "forms", "/alpha/forms", form_filters, form_columns,
		   "smile forms list --user-id " EXAMPLE_USER),
	EARLY_GET("get", "form", "/alpha/forms/{id}", form_columns,
		  "smile forms get f-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	VERB_END,
};

const struct group_spec group_forms = {
	.name = "forms",
	.summary = "forms people filled in (early access)",
	.verbs = form_verbs,
	.description =
		"Forms are the answers people gave in Wink site forms. Early access: "
		"these are /alpha operations.",
};

/* ---- verifications (alpha) ----------------------------------------------- */

static const char *const verification_columns[] = {
	"id", "status", "result.finalMatches", "createdAt", "updatedAt", NULL
};

static const char *const genders[] = { "Male", "Female", "Non-binary", NULL };
static const char *const employment_statuses[] = {
	"EMPLOYED", "UNEMPLOYED", "SELF-EMPLOYED", "GIG", "RETIRED", NULL
};

static const struct opt_spec verification_filters[] = {
	Q_STR("verification-id", "verificationId", "ID", "only this verification"),
	Q_BOOL("final-matches", "finalMatches", "only verifications that did (or did not) match"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct opt_spec verification_create_opts[] = {
	B_STR("first-name", "firstName", 0, 0, 0, "NAME", "first name to verify"),
	B_STR("middle-name", "middleName", 0, 0, 0, "NAME", "middle name to verify"),
	B_STR("last-name", "lastName", 0, 0, 0, "NAME", "last name to verify"),
	B_STR("suffix", "suffix", 0, 0, 0, "SUFFIX", "name suffix such as Jr or III"),
	B_STR("full-name", "fullName", 0, 0, 0, "NAME", "full name to verify"),
	B_STR("email", "additionalData.email", 0, 0, 0, "EMAIL", "e-mail address to verify"),
	B_STR("phone", "additionalData.phone", 0, 0, 0, "PHONE", "phone number to verify (E.164)"),
	B_DATE("dob", "additionalData.dob", 0, "date of birth to verify"),
	B_ENUM("gender", "additionalData.gender", 0, genders, "gender to verify"),
	B_STR("address", "additionalData.address", 0, 0, 0, "ADDRESS", "address to verify"),
	B_STR("employer", "additionalData.employer", 0, 0, 0, "NAME", "employer to verify"),
	B_ENUM("employment-status", "additionalData.employmentStatus", 0, employment_statuses,
	       "employment status to verify"),
	B_CONSENT,
	OPT_END,
};

static const struct verb_spec verification_verbs[] = {
	EARLY_LIST("list", "verifications", "/alpha/verifications", verification_filters,
		   verification_columns, "smile verifications list --final-matches true"),
	EARLY_CREATE("create", "verify a person's details against collected data",
		     "/alpha/verifications", verification_create_opts, verification_columns,
		     "smile verifications create --full-name \"Juan Dela Cruz\" --dob 1990-02-14 "
		     EXAMPLE_CONSENT),
	EARLY_GET("get", "verification", "/alpha/verifications/{id}", verification_columns,
		  "smile verifications get v-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	VERB_END,
};

const struct group_spec group_verifications = {
	.name = "verifications",
	.summary = "check details a person gave (early access)",
	.verbs = verification_verbs,
	.description =
		"A verification compares the name and details a person gave you (date "
		"of birth, employer, e-mail, IDs) with what Smile collected, and says "
		"which match. IDs go in the body with --input. Early access: these are "
		"/alpha operations.",
};

/* ---- signals (beta; alpha with -alpha) ------------------------------------ */

static const char *const signal_columns[] = {
	"id", "signalType", "status", "resultCode", "createdAt", NULL
};
static const char *const signal_types[] = { "Signal1", "Signal2", "Signal3", NULL };
static const char *const signal3_id_types[] = { "PID", NULL };

static const struct opt_spec signal_filters[] = {
	Q_STR("signal-id", "signalId", "ID", "only this signal"),
	Q_ENUM("signal-type", "signalType", signal_types, "only signals of this type"),
	Q_STR("phone", "phone", "PHONE", "only signals for this phone number"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};
static const struct opt_spec signal_alpha_filters[] = {
	Q_STR("signal-id", "signalId", "ID", "only this signal"),
	Q_STR("phone", "phone", "PHONE", "only signals for this phone number"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

/* create and create-v2 take the same body. */
static const struct opt_spec signal_create_opts[] = {
	B_STR("phone", "phone", OPT_REQUIRED, 1, 0, "PHONE", "phone number to check (E.164)"),
	B_TEMPLATE_ID(OPT_REQUIRED),
	B_COUNTRY(0),
	B_CONSENT,
	OPT_END,
};
/* createSignal3 has two templates with different required fields; only
 * what both require is marked required here. */
static const struct opt_spec signal3_create_opts[] = {
	B_STR("full-name", "fullName", OPT_REQUIRED, 1, 0, "NAME", "full name of the person"),
	B_STR("phone", "phone", 0, 0, 0, "PHONE", "phone number (E.164; first template)"),
	B_EMAIL("email-address", "emailAddress", 0, 0, "e-mail address (first template)"),
	B_STR("curp", "curp", 0, 0, 0, "CURP", "the person's CURP, Mexican population registry code (first template)"),
	B_STR("nss", "nss", 0, 0, 0, "NSS", "the person's NSS, Mexican social security number (first template)"),
	B_STR("mobile-number", "mobileNumber", 0, 0, 0, "PHONE", "mobile number (second template)"),
	B_ENUM("id-type", "idType", 0, signal3_id_types, "kind of ID number (second template)"),
	B_STR("id-number", "idNumber", 0, 0, 0, "NUMBER", "number of the ID (second template)"),
	B_TEMPLATE_ID(OPT_REQUIRED),
	B_CONSENT,
	OPT_END,
};
static const struct opt_spec signal_alpha_create_opts[] = {
	B_STR("phone", "phone", OPT_REQUIRED, 1, 0, "PHONE", "phone number to check (E.164)"),
	B_CONSENT,
	OPT_END,
};

static const struct verb_spec signal_verbs[] = {
	EARLY_CREATE("create", "request signals for a phone number", "/beta/signals",
		     signal_create_opts, signal_columns,
		     "smile signals create --phone +639171234567 --template-id tpl-1 " EXAMPLE_CONSENT),
	EARLY_CREATE("create-v2", "request second-generation signals for a phone number",
		     "/beta/signals/createSignal2", signal_create_opts, signal_columns,
		     "smile signals create-v2 --phone +639171234567 --template-id tpl-1 " EXAMPLE_CONSENT),
	EARLY_CREATE("create-v3", "request third-generation signals for a person",
		     "/beta/signals/createSignal3", signal3_create_opts, signal_columns,
		     "smile signals create-v3 --full-name \"Juan Dela Cruz\" --mobile-number +639171234567 "
		     "--id-type PID --id-number 1234-5678 --template-id tpl-1 " EXAMPLE_CONSENT),
	EARLY_LIST("list", "signals", "/beta/signals", signal_filters, signal_columns,
		   "smile signals list --signal-type Signal2 --start-date 2024-05-01"),
	EARLY_GET("get", "signal", "/beta/signals/{id}", signal_columns,
		  "smile signals get sig-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	EARLY_CREATE("create-alpha", "request signals for a phone number (alpha version)",
		     "/alpha/signals", signal_alpha_create_opts, check_columns,
		     "smile signals create-alpha --phone +639171234567 " EXAMPLE_CONSENT),
	EARLY_LIST("list-alpha", "signals made with the alpha version", "/alpha/signals",
		   signal_alpha_filters, check_columns, "smile signals list-alpha --phone +639171234567"),
	EARLY_GET("get-alpha", "signal made with the alpha version", "/alpha/signals/{id}",
		  check_columns, "smile signals get-alpha sig-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	VERB_END,
};

const struct group_spec group_signals = {
	.name = "signals",
	.summary = "credit signals for a phone number (early access)",
	.verbs = signal_verbs,
	.description =
		"Signals are indicators (activity, applications, loans) Smile finds "
		"for a phone number or person, given their consent. create, list and "
		"get use the beta API; create-v2 and create-v3 request its second and "
		"third generation of signals; create-alpha, list-alpha and get-alpha "
		"use the older alpha API. Early access: all are /alpha or /beta "
		"operations.",
};

/* ---- footprints (alpha) -------------------------------------------------- */

static const struct opt_spec footprint_filters[] = {
	Q_STR("footprint-id", "footprintId", "ID", "only this footprint"),
	Q_STR("email-address", "emailAddress", "EMAIL", "only footprints for this e-mail address"),
	Q_STR("mobile-number", "mobileNumber", "PHONE", "only footprints for this mobile number"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

/* The templates want an e-mail address, a mobile number, or both. */
static const struct opt_spec footprint_create_opts[] = {
	B_STR("email-address", "emailAddress", 0, 0, 0, "EMAIL", "e-mail address to look up"),
	B_STR("mobile-number", "mobileNumber", 0, 0, 0, "PHONE", "mobile number to look up (E.164)"),
	B_COUNTRY(0),
	B_TEMPLATE_ID(OPT_REQUIRED),
	B_INT("footprint-items-timeout", "footprintItemsTimeout", 0, 0, 0,
	      "seconds to wait for the look-ups"),
	B_CONSENT,
	OPT_END,
};

static const struct verb_spec footprint_verbs[] = {
	EARLY_CREATE("create", "look up the online footprint of an e-mail address or number",
		     "/alpha/footprints", footprint_create_opts, check_columns,
		     "smile footprints create --email-address juan@example.com --template-id tpl-1 "
		     EXAMPLE_CONSENT),
	EARLY_LIST("list", "footprints", "/alpha/footprints", footprint_filters, check_columns,
		   "smile footprints list --email-address juan@example.com"),
	EARLY_GET("get", "footprint", "/alpha/footprints/{id}", check_columns,
		  "smile footprints get fp-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	VERB_END,
};

const struct group_spec group_footprints = {
	.name = "footprints",
	.summary = "online footprint of an e-mail or number (early access)",
	.verbs = footprint_verbs,
	.description =
		"A footprint tells where an e-mail address or mobile number is "
		"registered online, as a sign the person is real. Early access: these "
		"are /alpha operations.",
};

/* ---- maws (beta; alpha with -alpha) --------------------------------------- */

static const char *const maw_columns[] = {
	"id", "type", "status", "resultCode", "createdAt", NULL
};
static const char *const maw_types[] = { "MAW2", "MAW3", NULL };
static const char *const maw3_id_types[] = {
	"NATIONAL_ID", "SSS", "UMID", "TIN", "PRC", "PHILHEALTH", "PASSPORT", "DRIVER_LICENSE",
	"PHILSYS", NULL
};

static const struct opt_spec maw_filters[] = {
	Q_STR("maw-id", "mawId", "ID", "only this request"),
	Q_ENUM("maw-type", "mawType", maw_types, "only requests of this type"),
	Q_STR("mobile-number", "mobileNumber", "PHONE", "only requests for this mobile number"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};
static const struct opt_spec maw_alpha_filters[] = {
	Q_STR("maw-id", "mawId", "ID", "only this request"),
	Q_STR("mobile-number", "mobileNumber", "PHONE", "only requests for this mobile number"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

/* requestMaw2 and the alpha create take the same body. */
static const struct opt_spec maw_create_opts[] = {
	B_STR("mobile-number", "mobileNumber", OPT_REQUIRED, 1, 0, "PHONE", "mobile number to check (E.164)"),
	B_COUNTRY(OPT_REQUIRED),
	B_TEMPLATE_ID(OPT_REQUIRED),
	B_CONSENT,
	OPT_END,
};
/* requestMaw3's templates ask for either the person's details or a gaid. */
static const struct opt_spec maw3_create_opts[] = {
	B_STR("mobile-number", "mobileNumber", 0, 0, 0, "PHONE", "mobile number to check (E.164)"),
	B_STR("full-name", "fullName", 0, 0, 0, "NAME", "full name of the person"),
	B_STR("id-number", "idNumber", 0, 0, 0, "NUMBER", "number of the person's ID"),
	B_ENUM("id-type", "idType", 0, maw3_id_types, "kind of ID"),
	B_STR("gaid", "gaid", 0, 0, 0, "GAID", "advertising id (GAID) of the person's Android device"),
	B_COUNTRY(0),
	B_TEMPLATE_ID(OPT_REQUIRED),
	B_CONSENT,
	OPT_END,
};

static const struct verb_spec maw_verbs[] = {
	EARLY_CREATE("create-v2", "request mobile app activity for a number (MAW2)",
		     "/beta/maws/requestMaw2", maw_create_opts, maw_columns,
		     "smile maws create-v2 --mobile-number +639171234567 --country-code PH "
		     "--template-id tpl-1 " EXAMPLE_CONSENT),
	EARLY_CREATE("create-v3", "request mobile app activity for a person (MAW3)",
		     "/beta/maws/requestMaw3", maw3_create_opts, maw_columns,
		     "smile maws create-v3 --mobile-number +639171234567 --full-name \"Juan Dela Cruz\" "
		     "--id-type SSS --id-number 34-1234567-8 --country-code PH --template-id tpl-1 "
		     EXAMPLE_CONSENT),
	EARLY_LIST("list", "mobile app activity requests", "/beta/maws", maw_filters, maw_columns,
		   "smile maws list --maw-type MAW3"),
	EARLY_GET("get", "mobile app activity request", "/beta/maws/{id}", maw_columns,
		  "smile maws get maw-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	EARLY_CREATE("create-alpha", "request mobile app activity (alpha version)", "/alpha/maws",
		     maw_create_opts, check_columns,
		     "smile maws create-alpha --mobile-number +639171234567 --country-code PH "
		     "--template-id tpl-1 " EXAMPLE_CONSENT),
	EARLY_LIST("list-alpha", "mobile app activity requests made with the alpha version",
		   "/alpha/maws", maw_alpha_filters, check_columns,
		   "smile maws list-alpha --mobile-number +639171234567"),
	EARLY_GET("get-alpha", "mobile app activity request made with the alpha version",
		  "/alpha/maws/{id}", check_columns,
		  "smile maws get-alpha maw-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	VERB_END,
};

const struct group_spec group_maws = {
	.name = "maws",
	.summary = "mobile app activity of a number (early access)",
	.verbs = maw_verbs,
	.description =
		"MAW (mobile app web) requests report the app activity seen for a "
		"mobile number or device. The beta API has two kinds: create-v2 "
		"(requestMaw2) and create-v3 (requestMaw3); list and get cover both. "
		"create-alpha, list-alpha and get-alpha use the older alpha API. "
		"Early access: all are /alpha or /beta operations.",
};

/* ---- validations (alpha) ------------------------------------------------- */

static const char *const validation_columns[] = {
	"id", "status", "result.type", "result.matchScore", "resultCode", "createdAt", NULL
};
static const char *const bank_id_types[] = { "NATIONAL_ID", "REGISTRATION_ID", NULL };

static const struct opt_spec validation_filters[] = {
	Q_USER_ID,
	Q_START_DATE,
	Q_END_DATE,
	Q_STR("type", "type", "TYPE", "only validations of this type"),
	OPT_END,
};

static const struct opt_spec bank_account_opts[] = {
	B_STR("name", "name", OPT_REQUIRED, 1, 0, "NAME", "name of the account holder"),
	B_ENUM("id-type", "idType", 0, bank_id_types, "kind of ID of the account holder"),
	B_STR("id-number", "idNumber", 0, 0, 0, "NUMBER", "number of the account holder's ID"),
	B_COUNTRY(0),
	B_STR("bic", "bic", 0, 0, 0, "BIC", "bank identifier code"),
	B_STR("iban", "iban", 0, 0, 0, "IBAN", "international bank account number"),
	B_STR("account-number", "accountNumber", 0, 0, 0, "NUMBER", "bank account number"),
	B_TEMPLATE_ID(0),
	B_CONSENT,
	OPT_END,
};

static const struct verb_spec validation_verbs[] = {
	EARLY_LIST("list", "validations", "/alpha/validations", validation_filters, validation_columns,
		   "smile validations list --user-id " EXAMPLE_USER),
	EARLY_GET("get", "validation", "/alpha/validations/{id}", validation_columns,
		  "smile validations get val-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	EARLY_CREATE("validate-bank-account", "check that a bank account belongs to a person",
		     "/alpha/validations/validateBankAccount", bank_account_opts, validation_columns,
		     "smile validations validate-bank-account --name \"Jan de Vries\" "
		     "--iban NL91ABNA0417164300 --country-code NL " EXAMPLE_CONSENT),
	VERB_END,
};

const struct group_spec group_validations = {
	.name = "validations",
	.summary = "bank account ownership checks (early access)",
	.verbs = validation_verbs,
	.description =
		"A validation checks that a bank account (IBAN, or BIC with account "
		"number) belongs to the named person and scores the match. Early "
		"access: these are /alpha operations.",
};

/* ---- blacklists (alpha) -------------------------------------------------- */

static const char *const blacklist_columns[] = {
	"id", "status", "result.hit", "resultCode", "createdAt", NULL
};

static const struct opt_spec blacklist_filters[] = {
	Q_STR("blacklist-id", "blacklistId", "ID", "only this check"),
	Q_STR("mobile-number", "mobileNumber", "PHONE", "only checks of this mobile number"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct opt_spec blacklist_create_opts[] = {
	B_STR("mobile-number", "mobileNumber", OPT_REQUIRED, 1, 0, "PHONE", "mobile number to check (E.164)"),
	B_COUNTRY(0),
	B_TEMPLATE_ID(0),
	B_DATE("application-date", "applicationDate", 0, "date of the application being checked"),
	B_CONSENT,
	OPT_END,
};

static const struct verb_spec blacklist_verbs[] = {
	EARLY_CREATE("create", "check a mobile number against blacklists", "/alpha/blacklists",
		     blacklist_create_opts, blacklist_columns,
		     "smile blacklists create --mobile-number +639171234567 --country-code PH "
		     EXAMPLE_CONSENT),
	EARLY_LIST("list", "blacklist checks", "/alpha/blacklists", blacklist_filters,
		   blacklist_columns, "smile blacklists list --mobile-number +639171234567"),
	EARLY_GET("get", "blacklist check", "/alpha/blacklists/{id}", blacklist_columns,
		  "smile blacklists get bl-ff4723f9af5f4dc5b6a22ea27fb3c8a1"),
	VERB_END,
};

const struct group_spec group_blacklists = {
	.name = "blacklists",
	.summary = "mobile number blacklist checks (early access)",
	.verbs = blacklist_verbs,
	.description =
		"A blacklist check tells whether a mobile number appears on fraud or "
		"default lists, and since when. Early access: these are /alpha "
		"operations.",
};

/* ---- social securities (beta; alpha with -alpha) -------------------------- */

static const char *const social_security_columns[] = {
	"id", "status", "result.fullName", "result.nss", "resultCode", "createdAt", NULL
};

static const struct opt_spec social_security_filters[] = {
	Q_STR("social-security-id", "socialSecurityId", "ID", "only this check"),
	Q_START_DATE,
	Q_END_DATE,
	OPT_END,
};

static const struct opt_spec social_security_create_opts[] = {
	B_EMAIL("email-address", "emailAddress", 0, 0, "e-mail address of the person"),
	B_STR("full-name", "fullName", OPT_REQUIRED, 1, 0, "NAME", "full name of the person"),
	B_STR("mobile-number", "mobileNumber", OPT_REQUIRED, 1, 0, "PHONE", "mobile number (E.164)"),
	B_STR("curp", "curp", OPT_REQUIRED, 1, 0, "CURP", "the person's CURP, Mexican population registry code"),
	B_STR("nss", "nss", 0, 0, 0, "NSS", "the person's NSS, Mexican social security number, when known"),
	B_TEMPLATE_ID(OPT_REQUIRED),
	B_CONSENT,
	OPT_END,
};
static const struct opt_spec social_security_alpha_create_opts[] = {
	B_EMAIL("email-address", "emailAddress", OPT_REQUIRED, 0, "e-mail address of the person"),
	B_STR("full-name", "fullName", OPT_REQUIRED, 1, 0, "NAME", "full name of the person"),
	B_STR("mobile-number", "mobileNumber", OPT_REQUIRED, 1, 0, "PHONE", "mobile number (E.164)"),
	B_STR("curp", "curp", OPT_REQUIRED, 1, 0, "CURP", "the person's CURP, Mexican population registry code"),
	B_TEMPLATE_ID(OPT_REQUIRED),
	B_CONSENT,
	OPT_END,
};

#define SS_EXAMPLE "--full-name \"Juan Perez\" --mobile-number +525512345678 " \
	"--curp PEPJ900214HDFRRN09 --template-id tpl-1 " EXAMPLE_CONSENT

static const struct verb_spec social_security_verbs[] = {
	EARLY_CREATE("create", "look up a person's social security record", "/beta/socialSecurities",
		     social_security_create_opts, social_security_columns,
		     "smile social-securities create " SS_EXAMPLE),
	EARLY_LIST("list", "social security look-ups", "/beta/socialSecurities",
		   social_security_filters, social_security_columns,
		   "smile social-securities list --start-date 2024-05-01"),
	EARLY_GET("get", "social security look-up", "/beta/socialSecurities/{id}",
		  social_security_columns,
		  "smile social-securities get ss-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	EARLY_CREATE("create-alpha", "look up a social security record (alpha version)",
		     "/alpha/socialSecurities", social_security_alpha_create_opts,
		     social_security_columns,
		     "smile social-securities create-alpha --email-address juan@example.com " SS_EXAMPLE),
	EARLY_LIST("list-alpha", "social security look-ups made with the alpha version",
		   "/alpha/socialSecurities", social_security_filters, social_security_columns,
		   "smile social-securities list-alpha"),
	EARLY_GET("get-alpha", "social security look-up made with the alpha version",
		  "/alpha/socialSecurities/{id}", social_security_columns,
		  "smile social-securities get-alpha ss-ff4723f9af5f4dc5b6a22ea27fb3c8a1 -o json"),
	VERB_END,
};

const struct group_spec group_social_securities = {
	.name = "social-securities",
	.summary = "Mexican social security records (early access)",
	.verbs = social_security_verbs,
	.description =
		"A social security look-up finds a person's Mexican social security "
		"record (NSS, employer, contributions) from their CURP. create, list "
		"and get use the beta API; create-alpha, list-alpha and get-alpha the "
		"older alpha API. Early access: all are /alpha or /beta operations.",
};

/* ---- employers (alpha) --------------------------------------------------- */

static const char *const employer_basic_columns[] = {
	"businessName", "matchPercentage", "verificationStatus", NULL
};
static const char *const employer_columns[] = {
	"businessName", "shortName", "isicSector", "psicIndustry", NULL
};

static const struct opt_spec employer_basics_opts[] = {
	Q_STR_MAX("keyword", "keyword", 0, 255, "WORDS", "words of the employer's name"),
	OPT_END,
};
static const struct opt_spec employer_search_opts[] = {
	Q_STR_MAX("business-name", "businessName", 0, 255, "NAME", "registered name of the employer"),
	OPT_END,
};

static const struct verb_spec employer_verbs[] = {
	{
		.name = "search-basics",
		.summary = "find employers by keyword, with match scores",
		.method = "GET",
		.path = "/alpha/employerBasics/query",
		.opts = employer_basics_opts,
		.columns = employer_basic_columns,
		.flags = VERB_EARLY_ACCESS,
		.example = "smile employers search-basics --keyword \"jollibee foods\"",
	},
	{
		.name = "search",
		.summary = "find employers by name, with their registrations",
		.method = "GET",
		.path = "/alpha/employers/query",
		.opts = employer_search_opts,
		.columns = employer_columns,
		.flags = VERB_EARLY_ACCESS,
		.example = "smile employers search --business-name \"Jollibee Foods Corporation\" -o json",
	},
	VERB_END,
};

const struct group_spec group_employers = {
	.name = "employers",
	.summary = "look up employers (early access)",
	.verbs = employer_verbs,
	.description =
		"Employer look-ups search company registries: search-basics matches "
		"keywords and scores each match, search returns the full record "
		"(registrations, address, industry codes, licences). Early access: "
		"these are /alpha operations.",
};
