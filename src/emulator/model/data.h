/* SPDX-License-Identifier: MIT */
/*
 * The data side of the model (included by model.h; include that): the
 * sandbox test identities, the table of user-data resources and the
 * generators that fill them, and the accounts, links, tasks, archives and
 * files that bring the data.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "emulator/emu.h"


/* One of the sandbox test identities of the API reference, with what is
 * needed to derive plausible data from it. */
struct sandbox_person {
	const char *login;      /* the user name of the sandbox table */
	const char *email;
	const char *password;
	const char *full_name, *first_name, *middle_name, *last_name, *suffix;
	const char *gender, *dob, *marital_status;
	const char *phone;      /* E.164 */
	const char *country;    /* ISO 3166 alpha-2 */
	const char *currency;   /* ISO 4217 */
	const char *line1, *city, *region, *zip, *latitude, *longitude;
	const char *employer, *job_title, *department;
	const char *ss_number;  /* NULL when the identity has none */
	double monthly_salary;  /* gross, in currency */
};

/* The verification code every sandbox identity accepts. */
#define SANDBOX_MFA_CODE "1234"

size_t sandbox_person_count(void);
const struct sandbox_person *sandbox_person_at(size_t i);
/* By user name or email, ignoring case; NULL when not a sandbox identity. */
const struct sandbox_person *sandbox_person_find(const char *login);

/* What a generator needs to know about where its items come from. */
struct gen_ctx {
	const struct sandbox_person *person;
	const char *user_id;
	const char *source_id;   /* the account (or archive) id */
	const char *source_type; /* "ACCOUNT", "ARCHIVE" */
	const char *provider_id;
	const char *now;         /* RFC 3339, the metadata's createdAt */
	long now_days;           /* days since the epoch, for item dates */
	uint64_t variety;        /* varies amounts between seeded users */
};

/* Fills the resource fields of item number i (0-based) of a kind. */
typedef void (*userdata_gen_fn)(json_object *item, const struct gen_ctx *g, unsigned i);

/* One user-data resource: GET /<name> and GET /<name>/{id}. */
struct userdata_kind {
	const char *name;         /* collection and path: "transactions" */
	const char *what;         /* singular, for 404 messages */
	const char *prefix;       /* id prefix: "t-" */
	const char *datapoint;    /* task datapoint: "TRANSACTIONS" */
	const char *event;        /* webhook: "TRANSACTIONS_ADDED" */
	const char *event_id_key; /* "identityId" for one-item events, NULL: count */
	const char *payload_key;  /* member of the account payload */
	bool single;              /* the payload holds one object, not an array */
	unsigned per_link;        /* items one account link creates */
	userdata_gen_fn gen;
	const char *date_key;     /* what startDate/endDate filter on; NULL: createdAt */
};

extern const struct userdata_kind userdata_kinds[];
extern const size_t userdata_kinds_n;
const struct userdata_kind *userdata_kind_find(const char *name);

/* model/sandbox_data.c: one generator per kind. */
void gen_identity(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_employment(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_income(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_transaction(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_rating(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_document(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_contribution(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_liability(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_eincome(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_insight(json_object *item, const struct gen_ctx *g, unsigned i);
void gen_link(json_object *item, const struct gen_ctx *g, unsigned i);

/* Days since the epoch as "YYYY-MM-DD" / "YYYY-MM". */
void format_day(char out[11], long days);
void format_month(char out[8], long days);
long days_since_epoch_now(void);

/*
 * Creates item number i of a kind for g (new id, generated fields, metadata)
 * and stores it; returns it (borrowed).
 */
json_object *userdata_create(struct emu *emu, const struct userdata_kind *kind,
			     const struct gen_ctx *g, unsigned i);
/* The metadata of an item made for g (also a task's). */
json_object *userdata_metadata(const struct gen_ctx *g);
/* The kind's *_ADDED event: one-item kinds name first, others give count. */
void userdata_emit_added(struct emu *emu, const struct userdata_kind *kind,
			 const struct gen_ctx *g, json_object *first, unsigned count);
/* Removes every user-data item whose metadata.sourceId is source_id. */
size_t userdata_remove_source(struct emu *emu, const char *source_id);
/* The payload of a source (source_type ACCOUNT or ARCHIVE): metadata plus
 * every kind's items taken from it. */
json_object *userdata_payload(struct emu *emu, json_object *source, const char *source_type);

/* ---- tasks.c ------------------------------------------------------------ */

/* A task of type for the source, "Started" (TASK_STARTED); borrowed. */
json_object *task_start(struct emu *emu, const char *type, const struct gen_ctx *g);
/* Marks it "Finished" with the datapoints it produced (TASK_FINISHED). */
void task_finish(struct emu *emu, json_object *task, json_object *datapoints);

/* ---- accounts.c --------------------------------------------------------- */

/* A new account of user_id at provider (a catalogue entry), PENDING;
 * ACCOUNT_CREATED. */
json_object *account_create(struct emu *emu, const char *user_id, json_object *provider);
/* AWAITING_MFA: the provider asked for a verification code. */
void account_await_code(struct emu *emu, json_object *account);
/* CONNECTED (ACCOUNT_CONNECTED, loginName login when not NULL); the
 * provider joins the user's list. */
void account_connect(struct emu *emu, json_object *account, const char *login);
/* ERROR with the code and message (ACCOUNT_FAILED). */
void account_fail(struct emu *emu, json_object *account, const char *error_code,
		  const char *error_message, const char *login);
/* DISCONNECTED, its data removed, ACCOUNT_DISCONNECTED; nothing when it
 * already is. */
void account_revoke(struct emu *emu, json_object *account);
/* The client turned monitoring off (CUSTOMER_DISABLED). */
void account_disable_monitor(struct emu *emu, json_object *account);

/* ---- links.c: the shared "link an account for a user" step -------------- */

/* Creates the account (ACCOUNT_CREATED) and checks the login: ERROR
 * (ACCOUNT_FAILED) on a wrong one, AWAITING_MFA when the provider asks for a
 * code, else CONNECTED with its data. Returns the account (borrowed). */
json_object *link_begin(struct emu *emu, const char *user_id, json_object *provider,
			const char *username, const char *password);
/* Gives the verification code to an AWAITING_MFA account: CONNECTED with
 * its data, or ERROR (INVALID_MFA). false when it awaited no code. */
bool link_give_code(struct emu *emu, json_object *account, const char *code);

/* ---- archives.c --------------------------------------------------------- */

/* What an upload's bytes must be, by fileExtensionType. */
struct file_format {
	const char *name; /* fileExtensionType */
	const char *content_type, *ext;
	const char *magic;
	size_t magic_len;
};
const struct file_format *format_find(const char *name);

/* An archive of type for user_id from raw_files (checked; sizes are their
 * decoded sizes), files kept under host's url (ARCHIVE_STARTED), then
 * analysed (ARCHIVE_ANALYZED, with a payslip's data and task). Returns a
 * copy as it was STARTED, which is what the upload answers. */
json_object *archive_create(struct emu *emu, const char *user_id, const char *type,
			    json_object *raw_files, const size_t *sizes, const char *host);
/* REVOKED, its files and data removed, ARCHIVE_REVOKED; nothing when it
 * already is. */
void archive_revoke(struct emu *emu, json_object *archive);
/* A reviewer's corrections (data's members) replace what the OCR read. */
void prediction_correct(struct emu *emu, json_object *prediction, json_object *data);

/* Removes an upload's raw files and the data taken from it (revoke and
 * retention both). */
void archive_forget_data(struct emu *emu, json_object *archive);

/* ---- files.c: stored files ---------------------------------------------- */

void file_store_base64(struct emu *emu, const char *owner, unsigned index, const char *name,
		       const char *content_type, const char *base64);
void file_store_bytes(struct emu *emu, const char *owner, unsigned index, const char *name,
		      const char *content_type, const void *data, size_t len);
/* "http://<host>/_emulator/files/<owner>/<index>/<name>"; free() it. */
char *file_url(const char *host, const char *owner, unsigned index, const char *name);
void files_remove_owner(struct emu *emu, const char *owner, unsigned count);
/* Strictly decoded bytes (free() them), or NULL when s is not base64. */
unsigned char *base64_decode(const char *s, size_t *len);

/* ---- handlers shared between route tables ------------------------------- */

/* api/archives.c: POST /archives with the request's body, as user_id's
 * upload (the widget's); answers as POST /archives does. */
void archive_upload_for(struct emu *emu, struct emu_request *req, struct emu_response *res,
			const char *user_id);
/* control/seed.c: POST /_emulator/seed. control/files.c: a stored file. */
void seed_handle(struct emu *emu, struct emu_request *req, struct emu_response *res);
void file_serve(struct emu *emu, struct emu_request *req, struct emu_response *res);
