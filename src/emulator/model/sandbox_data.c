/* SPDX-License-Identifier: MIT */
/*
 * The sandbox test identities of the API reference and the generators that
 * derive plausible user data from them: a Filipino identity gets PHP
 * incomes from a Manila employer, and so on. Item dates count back from
 * today so date filters have something to bite on.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "emulator/model/model.h"
#include "emulator/store/clock.h"

static const struct sandbox_person persons[] = {
	{
		.login = "George", .email = "gpalomero1234@smileapi.io", .password = "123456",
		.full_name = "George Palomero Jr.", .first_name = "George",
		.middle_name = "Cimafranca", .last_name = "Palomero", .suffix = "Jr.",
		.gender = "Male", .dob = "1970-08-24", .marital_status = "Married",
		.phone = "+639559991234", .country = "PH", .currency = "PHP",
		.line1 = "1234 Ayala Avenue", .city = "Makati City", .region = "Metro Manila",
		.zip = "1226", .latitude = "14.5547", .longitude = "121.0244",
		.employer = "Manila Logistics Corporation", .job_title = "Delivery Rider",
		.department = "Operations", .ss_number = "3300000008",
		.monthly_salary = 25000.00,
	},
	{
		.login = "Ryan", .email = "ryan1234@smileapi.io", .password = "654321",
		.full_name = "Ryan Lestari", .first_name = "Ryan", .middle_name = NULL,
		.last_name = "Lestari", .suffix = NULL,
		.gender = "Male", .dob = "1988-03-12", .marital_status = "Single",
		.phone = "+628119994321", .country = "ID", .currency = "IDR",
		.line1 = "Jalan Sudirman 45", .city = "Jakarta", .region = "DKI Jakarta",
		.zip = "10220", .latitude = "-6.2088", .longitude = "106.8456",
		.employer = "Nusantara Ride Sdn", .job_title = "Driver Partner",
		.department = "Mobility", .ss_number = NULL,
		.monthly_salary = 6500000.00,
	},
	{
		.login = "Christina", .email = "christina4321@smileapi.io", .password = "YGUS1",
		.full_name = "Christina Tan", .first_name = "Christina", .middle_name = NULL,
		.last_name = "Tan", .suffix = NULL,
		.gender = "Female", .dob = "1992-11-05", .marital_status = "Single",
		.phone = "+6599996789", .country = "SG", .currency = "SGD",
		.line1 = "10 Marina Boulevard", .city = "Singapore", .region = "Central Region",
		.zip = "018983", .latitude = "1.2789", .longitude = "103.8536",
		.employer = "Lion City Design Pte Ltd", .job_title = "Freelance Designer",
		.department = "Creative", .ss_number = NULL,
		.monthly_salary = 5200.00,
	},
	{
		.login = "Anisha", .email = "anisha98765@smileapi.io", .password = "123456",
		.full_name = "Anisha Bhatia", .first_name = "Anisha", .middle_name = NULL,
		.last_name = "Bhatia", .suffix = NULL,
		.gender = "Female", .dob = "1995-06-19", .marital_status = "Married",
		.phone = "+919511198765", .country = "IN", .currency = "INR",
		.line1 = "22 Linking Road, Bandra West", .city = "Mumbai", .region = "Maharashtra",
		.zip = "400050", .latitude = "19.0596", .longitude = "72.8295",
		.employer = "Bharat Home Services Pvt Ltd", .job_title = "Service Professional",
		.department = "Home Services", .ss_number = NULL,
		.monthly_salary = 45000.00,
	},
};

size_t sandbox_person_count(void)
{
	return sizeof(persons) / sizeof(persons[0]);
}

const struct sandbox_person *sandbox_person_at(size_t i)
{
	return &persons[i % sandbox_person_count()];
}

const struct sandbox_person *sandbox_person_find(const char *login)
{
	if (!login)
		return NULL;
	for (size_t i = 0; i < sandbox_person_count(); i++)
		if (strcasecmp(login, persons[i].login) == 0 || strcasecmp(login, persons[i].email) == 0)
			return &persons[i];
	return NULL;
}

/* ---- dates ---------------------------------------------------------------- */

/* Civil date from days since 1970-01-01 (H. Hinnant's algorithm): gmtime
 * would do, but this needs no struct tm juggling for arithmetic. */
static void civil_from_days(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (long)doe - 719468;
}

void format_day(char out[11], long days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
		 (unsigned)d % 100u);
}

void format_month(char out[8], long days)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(out, 8, "%04u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u);
}

long days_since_epoch_now(void)
{
	return (long)(emu_clock_now() / 86400);
}

/* First day of the month `back` months before the month of `days`. */
static long month_start(long days, int back)
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	m -= back;
	while (m < 1) {
		m += 12;
		y--;
	}
	return days_from_civil(y, m, 1);
}

/* ---- json helpers ---------------------------------------------------------- */

static void set_str(json_object *o, const char *key, const char *value)
{
	emu_json_set_str(o, key, value);
}

/* Money with exactly two decimals, as the API prints it. */
static void set_amount(json_object *o, const char *key, double value)
{
	char text[32];

	value = round(value * 100.0) / 100.0;
	snprintf(text, sizeof(text), "%.2f", value);
	json_object_object_add(o, key, json_object_new_double_s(value, text));
}

static void set_int(json_object *o, const char *key, int64_t value)
{
	json_object_object_add(o, key, json_object_new_int64(value));
}

static void set_day(json_object *o, const char *key, long days)
{
	char day[11];

	format_day(day, days);
	set_str(o, key, day);
}

/* The person's pay, varied a little between seeded users. */
static double salary_of(const struct gen_ctx *g)
{
	return g->person->monthly_salary * (1.0 + (double)(g->variety % 21) / 100.0);
}

/* ---- generators ------------------------------------------------------------ */

static json_object *identity_address(const struct sandbox_person *p)
{
	json_object *a = json_object_new_object();
	json_object *tags = json_object_new_array();
	char full[256];

	snprintf(full, sizeof(full), "%s, %s, %s %s", p->line1, p->city, p->region, p->zip);
	set_str(a, "fullAddress", full);
	set_str(a, "line1", p->line1);
	set_str(a, "line2", NULL);
	set_str(a, "city", p->city);
	set_str(a, "region", p->region);
	set_str(a, "zip", p->zip);
	set_str(a, "country", p->country);
	set_str(a, "latitude", p->latitude);
	set_str(a, "longitude", p->longitude);
	set_str(a, "type", "Primary");
	json_object_array_add(tags, json_object_new_string("Home"));
	json_object_object_add(a, "tags", tags);
	return a;
}

static json_object *one_item_array(const char *k1, const char *v1, const char *k2, const char *v2)
{
	json_object *arr = json_object_new_array();
	json_object *o = json_object_new_object();

	set_str(o, k1, v1);
	set_str(o, k2, v2);
	json_object_array_add(arr, o);
	return arr;
}

void gen_identity(json_object *item, const struct gen_ctx *g, unsigned i)
{
	const struct sandbox_person *p = g->person;
	json_object *addresses = json_object_new_array();

	(void)i;
	set_str(item, "fullName", p->full_name);
	set_str(item, "firstName", p->first_name);
	set_str(item, "middleName", p->middle_name);
	set_str(item, "lastName", p->last_name);
	set_str(item, "suffix", p->suffix);
	set_str(item, "gender", p->gender);
	set_str(item, "dob", p->dob);
	set_str(item, "maritalStatus", p->marital_status);
	set_str(item, "countryResidence", p->country);
	set_str(item, "citizenship", "Citizen");
	set_str(item, "photoUrl", NULL);
	set_str(item, "referenceId", p->ss_number);
	set_str(item, "profileUrl", NULL);
	set_str(item, "latestEmployerName", p->employer);
	json_object_object_add(item, "emails", one_item_array("address", p->email, "type", "Primary"));
	json_object_object_add(item, "phones", one_item_array("number", p->phone, "type", "Mobile"));
	json_object_object_add(item, "socialProfiles", json_object_new_array());
	json_object_array_add(addresses, identity_address(p));
	json_object_object_add(item, "addresses", addresses);
}

void gen_employment(json_object *item, const struct gen_ctx *g, unsigned i)
{
	const struct sandbox_person *p = g->person;
	bool current = i % 2 == 0;
	char number[32], previous[96];

	snprintf(previous, sizeof(previous), "%s Trading Corp.", p->city);
	snprintf(number, sizeof(number), "EMP-%04u", 1001 + i);
	set_str(item, "name", current ? p->employer : previous);
	set_str(item, "description", current ? "Current engagement" : "Previous engagement");
	set_str(item, "jobTitle", current ? p->job_title : "Sales Associate");
	set_str(item, "department", current ? p->department : "Sales");
	set_str(item, "employeeNumber", number);
	set_str(item, "employerNumber", current ? "ER-2000451" : "ER-1000877");
	set_str(item, "employer", current ? p->employer : previous);
	set_str(item, "status", current ? "ACTIVE" : "INACTIVE");
	set_day(item, "startDate", g->now_days - (current ? 3 * 365 : 6 * 365) - 17 * i);
	if (current)
		set_str(item, "endDate", NULL);
	else
		set_day(item, "endDate", g->now_days - 3 * 365 - 1);
	set_day(item, "reportedDate", g->now_days);
}

void gen_income(json_object *item, const struct gen_ctx *g, unsigned i)
{
	long start = month_start(g->now_days, (int)i + 1);
	long end = month_start(g->now_days, (int)i) - 1;
	double gross = salary_of(g);

	set_str(item, "workItem", g->person->job_title);
	set_str(item, "employer", g->person->employer);
	set_day(item, "startDate", start);
	set_day(item, "endDate", end);
	set_str(item, "currency", g->person->currency);
	set_str(item, "frequency", "Monthly");
	set_amount(item, "baseAmount", gross);
	set_amount(item, "grossAmount", gross);
	set_amount(item, "netAmount", gross * 0.85);
}

void gen_transaction(json_object *item, const struct gen_ctx *g, unsigned i)
{
	static const char *const descriptions[] = { "Weekly payout", "Incentive bonus",
						    "Platform fee", "Tip received" };
	static const double shares[] = { 0.24, 0.05, -0.02, 0.01 };
	char ref[40];

	snprintf(ref, sizeof(ref), "TX-%08u", 10000000u + i);
	set_day(item, "date", g->now_days - 1 - 3 * (long)i);
	set_str(item, "description", descriptions[i % 4]);
	set_str(item, "currency", g->person->currency);
	set_amount(item, "amount", salary_of(g) * shares[i % 4]);
	set_str(item, "referenceId", ref);
}

void gen_rating(json_object *item, const struct gen_ctx *g, unsigned i)
{
	double current = 4.5 + (double)((g->variety + i) % 5) / 10.0;

	set_amount(item, "currentRating", current);
	set_amount(item, "maxRating", 5);
	set_amount(item, "calculatedPercentage", current * 20.0);
	set_int(item, "reviewsReceived", 120 + (int64_t)(g->variety % 50));
	set_int(item, "likesReceived", 95);
	set_int(item, "jobsCompleted", 340);
}

void gen_document(json_object *item, const struct gen_ctx *g, unsigned i)
{
	const struct sandbox_person *p = g->person;
	bool id_doc = i % 2 == 0;
	char doc_id[32];

	snprintf(doc_id, sizeof(doc_id), "%s", p->ss_number ? p->ss_number : "ID-5560021");
	if (!id_doc)
		snprintf(doc_id, sizeof(doc_id), "PS-%04u", 2001 + i);
	set_str(item, "name", id_doc ? "Government ID" : "Payslip");
	set_str(item, "docId", doc_id);
	set_str(item, "status", "VALID");
	set_str(item, "documentType", id_doc ? "IDENTIFICATION" : "PAYSLIP");
	set_day(item, "issueDate", g->now_days - (id_doc ? 700 : 30));
	if (id_doc)
		set_day(item, "expiryDate", g->now_days + 1125);
	else
		set_str(item, "expiryDate", NULL);
	set_str(item, "fileUrl", NULL);
	set_str(item, "remarks", NULL);
}

void gen_contribution(json_object *item, const struct gen_ctx *g, unsigned i)
{
	char ref[40];

	snprintf(ref, sizeof(ref), "CN-%06u", 500000u + i);
	set_day(item, "date", month_start(g->now_days, (int)i) + 9);
	set_str(item, "currency", g->person->currency);
	set_amount(item, "amount", salary_of(g) * 0.045);
	set_str(item, "referenceId", ref);
}

void gen_liability(json_object *item, const struct gen_ctx *g, unsigned i)
{
	double loan = salary_of(g) * 2.0;
	long start = month_start(g->now_days, 10 + (int)i);
	char ref[40];

	snprintf(ref, sizeof(ref), "LN-%06u", 70000u + i);
	set_str(item, "type", "Personal Loan");
	set_str(item, "referenceId", ref);
	set_day(item, "startDate", start);
	set_day(item, "endDate", start + 730);
	set_day(item, "firstAmortizationDate", start + 30);
	set_str(item, "amortizationFrequency", "Monthly");
	set_str(item, "currency", g->person->currency);
	set_amount(item, "loanAmount", loan);
	set_amount(item, "amortizationAmount", loan / 24.0);
	set_amount(item, "outstandingBalance", loan * 14.0 / 24.0);
	set_amount(item, "nextPaymentAmount", loan / 24.0);
	set_amount(item, "overduePaymentAmount", 0);
}

void gen_eincome(json_object *item, const struct gen_ctx *g, unsigned i)
{
	char month[8];

	format_month(month, month_start(g->now_days, (int)i + 1));
	set_str(item, "month", month);
	set_str(item, "currency", g->person->currency);
	set_amount(item, "baseAmount", salary_of(g));
	set_amount(item, "amount", salary_of(g) * (0.95 + (double)(i % 3) * 0.05));
}

static int age_in_years(const char *dob, long today)
{
	int y, m, d, by = 0, bm = 0, bd = 0;

	if (sscanf(dob, "%d-%d-%d", &by, &bm, &bd) != 3)
		return 0;
	civil_from_days(today, &y, &m, &d);
	return y - by - (m < bm || (m == bm && d < bd));
}

void gen_insight(json_object *item, const struct gen_ctx *g, unsigned i)
{
	json_object *f = json_object_new_object();
	double s = salary_of(g);

	(void)i;
	set_str(item, "cutoffTime", g->now);
	set_int(f, "incomes_count", 6);
	set_int(f, "incomes_first_income_month_range", 6);
	set_int(f, "incomes_missing_month_max", 0);
	set_int(f, "incomes_missing_month_count", 0);
	set_amount(f, "incomes_amount_sum", s * 6);
	set_amount(f, "incomes_amount_average", s);
	set_amount(f, "incomes_amount_min", s);
	set_amount(f, "incomes_amount_max", s);
	set_amount(f, "incomes_last3_months_amount_sum", s * 3);
	set_amount(f, "incomes_last6_months_amount_sum", s * 6);
	set_amount(f, "incomes_current_amount", s);
	set_amount(f, "incomes_latest_growth", 0);
	set_int(f, "liabilities_loan_count", 1);
	set_amount(f, "liabilities_loan_amount_total", s * 2);
	set_int(f, "liabilities_outstanding_loan_count", 1);
	set_int(f, "liabilities_overdue_loan_count", 0);
	set_str(f, "employments_current_status", "ACTIVE");
	set_int(f, "employments_employer_count", 2);
	set_int(f, "employments_current_tenure", 36);
	set_int(f, "identity_age", age_in_years(g->person->dob, g->now_days));
	set_int(f, "link_days_since_first", 0);
	set_int(f, "link_days_since_last", 0);
	set_int(f, "link_day30_count", 1);
	json_object_object_add(item, "features", f);
}

void gen_link(json_object *item, const struct gen_ctx *g, unsigned i)
{
	json_object *records = json_object_new_array();
	json_object *rec = json_object_new_object();
	json_object *at = json_object_new_array();
	char start[EMU_TIME_LEN];

	(void)i;
	emu_time_from_now(start, -30L * 86400);
	set_str(item, "startDate", start);
	set_str(item, "endDate", g->now);
	json_object_array_add(at, json_object_new_string(g->now));
	set_int(rec, "count", 1);
	json_object_object_add(rec, "linkedAt", at);
	json_object_array_add(records, rec);
	json_object_object_add(item, "records", records);
}
