/* SPDX-License-Identifier: MIT */
/*
 * POST /_emulator/seed: bulk data for paging and load tests, e.g.
 *
 *   {"users": 1000, "accounts": 1000, "invites": 500, "transactionsPerUser": 100}
 *
 * Every count is optional and defaults to 0. "<kind>PerUser" works for each
 * user-data kind (identitiesPerUser, incomesPerUser, ...). Accounts go to
 * the seeded users in turn; when data is asked for, every seeded user gets
 * at least one account to be its source. Items go through the same store
 * as everything else, made by the same model functions as the API's, but
 * no webhook event is sent per item (events are held while seeding): one
 * SEED_FINISHED-like answer with the counts is all.
 *
 *   {"linkedUsers": 1000}
 *
 * is the export benchmark's shorthand: that many users, each with one
 * CONNECTED account holding what a link brings of every kind (unless a
 * <kind>PerUser says otherwise) and one upload (uploadsPerUser, default 1
 * there) with a raw PDF file. "uploadsPerUser" works with "users" too.
 *
 * At most SEED_MAX_ITEMS items a call (an upload counts as two: the
 * archive and its file). The work is done user by user, with
 * a pause every SEED_ITEMS_PER_PAUSE items that lets other requests in.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

/* A bound on one call: an item takes about 3 KiB of memory, so one request
 * stays under half a GiB. More goes in several calls. */
#define SEED_MAX_ITEMS 150000L
/* Items made between two pauses in which other requests may run, so that
 * a big seed never holds the lock for more than a few milliseconds. */
#define SEED_ITEMS_PER_PAUSE 1000

static const char *const seed_providers[] = { "upwork", "grab", "freelancer" };
#define N_SEED_PROVIDERS (sizeof(seed_providers) / sizeof(seed_providers[0]))

struct seed_plan {
	long users, accounts, invites, uploads_per_user;
	long per_user[32]; /* by index of userdata_kinds */
};

/* One call's work: what to make and what every item shares. */
struct seed_run {
	struct emu *emu;
	const struct seed_plan *plan;
	const char *template_id; /* of the seeded invites, or NULL */
	const char *host;        /* for the invites' landing pages */
	char now[EMU_TIME_LEN];
};

/* Reads a count: absent is 0; anything but a non-negative integer is 400. */
static bool read_count(struct emu_response *res, json_object *body, const char *key, long *out)
{
	json_object *v;

	*out = 0;
	if (!json_object_object_get_ex(body, key, &v) || !v)
		return true;
	if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
	    json_object_get_int64(v) > SEED_MAX_ITEMS) {
		emu_bad_param(res, "%s must be an integer between 0 and %ld", key, SEED_MAX_ITEMS);
		return false;
	}
	*out = (long)json_object_get_int64(v);
	return true;
}

static bool known_key(const char *key)
{
	char name[64];

	if (strcmp(key, "users") == 0 || strcmp(key, "accounts") == 0 || strcmp(key, "invites") == 0 ||
	    strcmp(key, "linkedUsers") == 0 || strcmp(key, "uploadsPerUser") == 0)
		return true;
	for (size_t k = 0; k < userdata_kinds_n; k++) {
		snprintf(name, sizeof(name), "%sPerUser", userdata_kinds[k].name);
		if (strcmp(key, name) == 0)
			return true;
	}
	return false;
}

/* linkedUsers: users with an account, a link's worth of data and uploads. */
static bool plan_read_linked(struct emu_response *res, json_object *body, struct seed_plan *p)
{
	long linked;
	char name[64];

	if (!read_count(res, body, "linkedUsers", &linked))
		return false;
	if (linked == 0)
		return true;
	if (p->users > 0) {
		emu_bad_param(res, "give linkedUsers or users, not both");
		return false;
	}
	p->users = linked;
	if (!json_object_object_get_ex(body, "uploadsPerUser", NULL))
		p->uploads_per_user = 1;
	for (size_t k = 0; k < userdata_kinds_n; k++) {
		snprintf(name, sizeof(name), "%sPerUser", userdata_kinds[k].name);
		if (!json_object_object_get_ex(body, name, NULL))
			p->per_user[k] = userdata_kinds[k].per_link;
	}
	if (p->accounts < p->users)
		p->accounts = p->users;
	return true;
}

static bool plan_read(struct emu_response *res, json_object *body, struct seed_plan *p)
{
	long total, data_per_user = 0;
	char name[64];

	json_object_object_foreach(body, key, val) {
		(void)val;
		if (!known_key(key)) {
			emu_bad_param(res, "%s is not a seed count (users, linkedUsers, accounts, "
					   "invites, uploadsPerUser, <kind>PerUser)", key);
			return false;
		}
	}
	if (!read_count(res, body, "users", &p->users) ||
	    !read_count(res, body, "accounts", &p->accounts) ||
	    !read_count(res, body, "invites", &p->invites) ||
	    !read_count(res, body, "uploadsPerUser", &p->uploads_per_user))
		return false;
	for (size_t k = 0; k < userdata_kinds_n; k++) {
		snprintf(name, sizeof(name), "%sPerUser", userdata_kinds[k].name);
		if (!read_count(res, body, name, &p->per_user[k]))
			return false;
	}
	if (!plan_read_linked(res, body, p))
		return false;
	for (size_t k = 0; k < userdata_kinds_n; k++)
		data_per_user += p->per_user[k];
	/* An upload is two items: the archive and its raw file. */
	data_per_user += 2 * p->uploads_per_user;
	if ((p->accounts > 0 || p->invites > 0 || data_per_user > 0) && p->users == 0) {
		emu_bad_param(res, "users must be at least 1 to seed accounts, invites, uploads or data");
		return false;
	}
	if (data_per_user > 0 && p->accounts < p->users)
		p->accounts = p->users;
	total = p->users + p->accounts + p->invites;
	if (data_per_user > SEED_MAX_ITEMS / (p->users ? p->users : 1) ||
	    total + data_per_user * p->users > SEED_MAX_ITEMS) {
		emu_bad_param(res, "at most %ld items can be seeded at once", SEED_MAX_ITEMS);
		return false;
	}
	return true;
}

static json_object *text_object(const char *const *pairs)
{
	json_object *o = json_object_new_object();

	for (; pairs[0]; pairs += 2)
		emu_json_set_str(o, pairs[0], pairs[1]);
	return o;
}

/* The invite template the seeded invites point at. */
static json_object *seed_invite_template(struct emu *emu)
{
	static const char *const company[] = { "name", "Emulator Lending",
					       "logoUrl", "https://example.com/logo.png", NULL };
	static const char *const page[] = { "header", "Share your income data",
					    "description", "Link your work accounts to apply.",
					    "button", "Continue", NULL };
	static const char *const done[] = { "header", "Thank you",
					    "description", "Your data has been shared.",
					    "button", "Close", NULL };
	static const char *const email_text[] = { "senderName", "Emulator Lending",
						  "replyAddress", "support@example.com",
						  "subject", "Complete your application",
						  "body", "Please link your accounts.", NULL };
	json_object *body = json_object_new_object(), *email = text_object(email_text), *t;

	emu_json_set_str(body, "name", "Seeded template");
	json_object_object_add(body, "company", text_object(company));
	json_object_object_add(email, "sendEmail", json_object_new_boolean(0));
	json_object_object_add(body, "email", email);
	json_object_object_add(body, "landingPage", text_object(page));
	json_object_object_add(body, "successPage", text_object(done));
	t = invite_template_create(emu, body);
	json_object_put(body);
	return t;
}

static void seed_invite(long j, json_object *user, const struct seed_run *run)
{
	const struct sandbox_person *p = sandbox_person_at((size_t)j);
	json_object *body = json_object_new_object();
	char email[96], name[128];

	snprintf(email, sizeof(email), "seed.%ld@example.com", j);
	snprintf(name, sizeof(name), "%s %s %ld", p->first_name, p->last_name, j);
	emu_json_set_str(body, "fullName", name);
	emu_json_set_str(body, "firstName", p->first_name);
	emu_json_set_str(body, "lastName", p->last_name);
	emu_json_set_str(body, "email", email);
	emu_json_set_str(body, "templateId", run->template_id);
	invite_create(run->emu, body, user, run->host);
	json_object_put(body);
}

static void add_count(json_object *counts, const char *key, long n)
{
	json_object_object_add(counts, key, json_object_new_int64(n));
}

/* Accounts of seeded user u: account a goes to user a % users. */
static long accounts_of_user(const struct seed_plan *p, long u)
{
	return p->accounts / p->users + (u < p->accounts % p->users);
}

/* Upload i of user u: a payslip PDF, a little different for each, so
 * that a copy can be checked byte for byte. */
static void seed_upload(const struct seed_run *run, const char *user_id, long u, long i)
{
	_cleanup_free_ char *pdf = xasprintf("%%PDF-1.4\n%% seeded payslip %ld of user %ld (%s)\n"
					     "1 0 obj << /Type /Catalog >> endobj\n"
					     "trailer << /Root 1 0 R >>\n%%%%EOF\n", i, u, user_id);
	size_t len = strlen(pdf);
	_cleanup_free_ char *b64 = xmalloc(4 * ((len + 2) / 3) + 1);
	json_object *files = json_object_new_array(), *file = json_object_new_object();

	EVP_EncodeBlock((unsigned char *)b64, (const unsigned char *)pdf, (int)len);
	emu_json_set_str(file, "fileName", "payslip.pdf");
	emu_json_set_str(file, "fileExtensionType", "PDF");
	emu_json_set_str(file, "fileContent", b64);
	json_object_array_add(files, file);
	json_object_put(archive_create(run->emu, user_id, "PAYSLIP", files, &len, run->host));
	json_object_put(files);
}

/* Seeds user u with its accounts, data, uploads and invites; returns the
 * items made. */
static long seed_one_user(const struct seed_run *run, long u)
{
	struct emu *emu = run->emu;
	const struct seed_plan *p = run->plan;
	const char *now = run->now;
	json_object *user = user_create(emu, NULL);
	const char *user_id = emu_json_str(user, "id");
	struct gen_ctx g = {
		.person = sandbox_person_at((size_t)u), .user_id = user_id, .source_type = "ACCOUNT",
		.now = now, .now_days = days_since_epoch_now(), .variety = (uint64_t)u,
	};
	long made = 1;

	for (long k = 0, n = accounts_of_user(p, u); k < n; k++, made++) {
		long a = u + k * p->users;
		const char *provider = seed_providers[(size_t)a % N_SEED_PROVIDERS];
		json_object *account = account_create(emu, user_id, emu_provider_get(provider));

		account_connect(emu, account, NULL);
		if (k == 0) { /* the user's data comes from its first account */
			g.source_id = emu_json_str(account, "id");
			g.provider_id = provider;
		}
	}
	for (size_t k = 0; k < userdata_kinds_n && g.source_id; k++)
		for (long i = 0; i < p->per_user[k]; i++, made++)
			userdata_create(emu, &userdata_kinds[k], &g, (unsigned)i);
	for (long i = 0; i < p->uploads_per_user; i++, made += 2)
		seed_upload(run, user_id, u, i);
	for (long j = u; j < p->invites; j += p->users, made++)
		seed_invite(j, user, run);
	return made;
}

void seed_handle(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *counts;
	struct seed_plan plan = { 0 };
	struct seed_run run = { .emu = emu, .plan = &plan, .host = emu_req_header(req, "Host") };
	_cleanup_free_ char *template_id = NULL;
	long made = 0, since_pause = 0;

	if (!body || !plan_read(res, body, &plan))
		return;
	emu_now(run.now);
	events_hold(emu, true);
	if (plan.invites > 0)
		run.template_id = template_id = xstrdup(emu_json_str(seed_invite_template(emu), "id"));
	/* User by user, so that nothing is held across the pauses in which
	 * other requests run (and may even reset the store). Their events
	 * are theirs: the hold is lifted while they run. */
	for (long u = 0; u < plan.users; u++) {
		long n = seed_one_user(&run, u);
		made += n;
		since_pause += n;
		if (since_pause >= SEED_ITEMS_PER_PAUSE) {
			events_hold(emu, false);
			emu_let_others_in(emu);
			events_hold(emu, true);
			since_pause = 0;
		}
	}
	events_hold(emu, false);
	emu_state_dirty(emu);

	counts = json_object_new_object();
	add_count(counts, "users", plan.users);
	add_count(counts, "accounts", plan.accounts);
	add_count(counts, "invites", plan.invites);
	if (plan.uploads_per_user > 0)
		add_count(counts, "archives", plan.uploads_per_user * plan.users);
	for (size_t k = 0; k < userdata_kinds_n; k++)
		if (plan.per_user[k] > 0)
			add_count(counts, userdata_kinds[k].name, plan.per_user[k] * plan.users);
	add_count(counts, "total", made);
	emu_reply(res, 201, counts);
}
