/* SPDX-License-Identifier: MIT */
/*
 * Archives: files a user uploads (payslips, IDs, bills) as base64. The
 * emulator keeps each raw file and serves it back, byte for byte, at the url
 * the archive reports, without credentials as the real file host does. An
 * archive moves STARTED -> ANALYZED at once; the answer to the upload shows
 * it STARTED, as the real service answers before its analysis.
 *
 * Also the payslip operations under /archives/-/payslips and /uploads, the
 * older name of the same objects.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "emulator/data.h"

#define ARCHIVE_PROVIDER "user-provided"

/* ---- stored files ------------------------------------------------------- */

static char *file_key(const char *owner, unsigned index)
{
	return xasprintf("%s/%u", owner, index);
}

void file_store_base64(struct emu *emu, const char *owner, unsigned index, const char *name,
		       const char *content_type, const char *base64)
{
	json_object *f = json_object_new_object();
	char *key = file_key(owner, index);

	emu_json_set_str(f, "id", key);
	emu_json_set_str(f, "name", name);
	emu_json_set_str(f, "contentType", content_type);
	emu_json_set_str(f, "content", base64);
	emu_coll_put(emu_store(emu, "files"), f);
	emu_state_dirty(emu);
	free(key);
}

void file_store_bytes(struct emu *emu, const char *owner, unsigned index, const char *name,
		      const char *content_type, const void *data, size_t len)
{
	char *b64 = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)b64, data, (int)len);
	file_store_base64(emu, owner, index, name, content_type, b64);
	free(b64);
}

char *file_url(struct emu_request *req, const char *owner, unsigned index, const char *name)
{
	const char *host = emu_req_header(req, "Host");

	return xasprintf("http://%s/_emulator/files/%s/%u/%s", host ? host : "localhost", owner,
			 index, name);
}

void files_remove_owner(struct emu *emu, const char *owner, unsigned count)
{
	struct emu_coll *files = emu_store(emu, "files");

	for (unsigned i = 0; i < count; i++) {
		char *key = file_key(owner, i);
		emu_coll_remove(files, key);
		free(key);
	}
	emu_state_dirty(emu);
}

/* Strict base64: the whole alphabet check matters because EVP_DecodeBlock
 * skips whitespace and would accept some garbage. */
static bool base64_valid(const char *s, size_t n)
{
	size_t pad = 0;

	if (n == 0 || n % 4 != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			     c == '+' || c == '/';
		if (c == '=' && i >= n - 2)
			pad++;
		else if (!alpha || pad)
			return false;
	}
	return true;
}

/* Decoded bytes (free() them), or NULL when s is not base64. */
static unsigned char *base64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s);
	unsigned char *out;
	int r;

	if (!base64_valid(s, n))
		return NULL;
	out = xmalloc(n / 4 * 3 + 1);
	r = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (r < 0) {
		free(out);
		return NULL;
	}
	*len = (size_t)r - (s[n - 1] == '=') - (s[n - 2] == '=');
	return out;
}

void file_serve(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	char *key = xasprintf("%s/%s", emu_req_capture(req, "owner"), emu_req_capture(req, "index"));
	json_object *f = emu_coll_get(emu_store(emu, "files"), key);
	unsigned char *bytes;
	size_t len = 0;

	free(key);
	if (!f || strcmp(emu_json_str(f, "name"), emu_req_capture(req, "name")) != 0) {
		emu_error(res, 404, "MISSING_RESOURCE", "no file at %s", emu_req_path(req));
		return;
	}
	bytes = base64_decode(emu_json_str(f, "content"), &len);
	if (!bytes) {
		emu_error(res, 500, "SERVER_ERROR", "stored file is damaged");
		return;
	}
	emu_reply_bytes(res, 200, emu_json_str(f, "contentType"), bytes, len);
	free(bytes);
}

/* ---- raw files ---------------------------------------------------------- */

struct file_format {
	const char *name; /* fileExtensionType */
	const char *content_type, *ext;
	const char *magic;
	size_t magic_len;
};

static const struct file_format formats[] = {
	{ "PDF", "application/pdf", "pdf", "%PDF-", 5 },
	{ "PNG", "image/png", "png", "\x89PNG\r\n\x1a\n", 8 },
	{ "JPG", "image/jpeg", "jpg", "\xff\xd8\xff", 3 },
	{ "JPEG", "image/jpeg", "jpeg", "\xff\xd8\xff", 3 },
};

static const struct file_format *format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

static const char *const extension_types[] = { "PDF", "PNG", "JPG", "JPEG", NULL };
static const char *const file_subtypes[] = { "PAYSLIP", "PERSONAL_INFORMATION",
					     "EMPLOYMENT_INFORMATION", "TAX_PAYMENT",
					     "COMPANY_ID_FRONT", "COMPANY_ID_BACK", "CARD_FRONT",
					     "CARD_BACK", NULL };
static const char *const archive_file_types[] = {
	"PAYSLIP", "TAX_DOCUMENT", "EMPLOYMENT_CERTIFICATE", "BANK_STATEMENT", "COMPANY_ID",
	"CLEARANCE_NBI", "GOVERNMENT_ID", "TELCO_BILL", "ELECTRICITY_BILL", "WATER_BILL",
	"OTHERS", "SOCIAL_SECURITY", NULL
};

static const struct emu_field raw_file_fields[] = {
	{ "fileSubtype", EMU_T_STRING, false, file_subtypes },
	{ "fileName", EMU_T_STRING, false, NULL },
	{ "fileExtensionType", EMU_T_STRING, true, extension_types },
	{ "fileContent", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};

/* A file name safe in a url path: letters, digits, '.', '-', '_'. */
static char *safe_name(const char *name, unsigned index, const struct file_format *fmt)
{
	char *out;

	if (!name || !*name)
		return xasprintf("file-%u.%s", index, fmt->ext);
	out = xstrdup(name);
	for (char *p = out; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
			*p = '_';
	if (out[0] == '.')
		out[0] = '_'; /* no "." or ".." path segments */
	return out;
}

/* Checks one raw file: fields, base64, and that the bytes are what the
 * extension type says. Answers 400 naming the field (under prefix, "" at
 * the top level) and returns false. */
static bool raw_file_check(struct emu_response *res, json_object *file, const char *prefix,
			   size_t *size)
{
	const char *dot = *prefix ? "." : "";
	const struct file_format *fmt;
	unsigned char *bytes;

	if (!json_object_is_type(file, json_type_object)) {
		emu_bad_param(res, "%s must be an object", prefix);
		return false;
	}
	if (!emu_validate_at(res, file, *prefix ? prefix : NULL, raw_file_fields))
		return false;
	fmt = format_find(emu_json_str(file, "fileExtensionType"));
	bytes = base64_decode(emu_json_str(file, "fileContent"), size);
	if (!bytes) {
		emu_bad_param(res, "%s%sfileContent is not valid base64", prefix, dot);
		return false;
	}
	if (*size < fmt->magic_len || memcmp(bytes, fmt->magic, fmt->magic_len) != 0) {
		emu_bad_param(res, "%s%sfileContent is not a %s file (supported: PDF, PNG, JPG)",
			      prefix, dot, fmt->name);
		free(bytes);
		return false;
	}
	free(bytes);
	return true;
}

/* Every raw file checked; sizes gets each decoded size. */
static bool raw_files_check(struct emu_response *res, json_object *raw_files, size_t *sizes)
{
	size_t n = json_object_array_length(raw_files);
	char prefix[32];

	if (n == 0) {
		emu_bad_param(res, "rawFiles must hold at least one file");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(prefix, sizeof(prefix), "rawFiles[%zu]", i);
		if (!raw_file_check(res, json_object_array_get_idx(raw_files, i), prefix, &sizes[i]))
			return false;
	}
	return true;
}

static json_object *raw_file_entry(struct emu *emu, struct emu_request *req, const char *archive_id,
				   json_object *file, unsigned index, size_t size, const char *now)
{
	const struct file_format *fmt = format_find(emu_json_str(file, "fileExtensionType"));
	char *name = safe_name(emu_json_str(file, "fileName"), index, fmt);
	char *id = emu_new_id(emu, "f-");
	char *url = file_url(req, archive_id, index, name);
	json_object *e = json_object_new_object();

	file_store_base64(emu, archive_id, index, name, fmt->content_type,
			  emu_json_str(file, "fileContent"));
	emu_json_set_str(e, "id", id);
	emu_json_set_str(e, "createdAt", now);
	emu_json_set_str(e, "name", name);
	emu_json_set_str(e, "subType", emu_json_str(file, "fileSubtype"));
	json_object_object_add(e, "size", json_object_new_int64((int64_t)size));
	emu_json_set_str(e, "format", fmt->name);
	emu_json_set_str(e, "url", url);
	free(url);
	free(id);
	free(name);
	return e;
}

/* ---- analysis ----------------------------------------------------------- */

static json_object *check_result(const char *code, int score)
{
	json_object *o = json_object_new_object();

	emu_json_set_str(o, "resultCode", code);
	json_object_object_add(o, "score", json_object_new_int(score));
	return o;
}

static json_object *archive_validation(const char *file_type)
{
	json_object *v = json_object_new_object();

	emu_json_set_str(v, "fileType", file_type);
	json_object_object_add(v, "metadata", check_result("PASSED", 95));
	json_object_object_add(v, "computation", check_result("PASSED", 100));
	json_object_object_add(v, "identity", check_result("PASSED", 90));
	json_object_object_add(v, "location", check_result("NO_DATA", 0));
	return v;
}

/* What the OCR read from a payslip: the sandbox returns George's. */
static json_object *payslip_prediction(json_object *archive)
{
	const struct sandbox_person *p = sandbox_person_at(0);
	long today = days_since_epoch_now();
	json_object *pr = json_object_new_object(), *match = json_object_new_object();
	json_object *meta = json_object_new_object();
	char day[11];

	emu_json_set_str(pr, "id", emu_json_str(archive, "id"));
	format_day(day, today - 45);
	emu_json_set_str(pr, "startDate", day);
	format_day(day, today - 31);
	emu_json_set_str(pr, "endDate", day);
	emu_json_set_str(pr, "payDate", day);
	emu_json_set_str(pr, "currency", p->currency);
	json_object_object_add(pr, "grossAmount", json_object_new_double_s(12500.0, "12500.00"));
	json_object_object_add(pr, "netAmount", json_object_new_double_s(10625.0, "10625.00"));
	emu_json_set_str(pr, "employerName", p->employer);
	emu_json_set_str(pr, "employeeName", p->full_name);
	emu_json_set_str(pr, "ssNumber", p->ss_number);
	emu_json_set_str(pr, "philHealthNumber", "120504070102");
	emu_json_set_str(pr, "taxNumber", "123456789");
	emu_json_set_str(pr, "pagIbigNumber", "121153890765");
	json_object_object_add(match, "employeeNameAndSsNumberMatchScore", json_object_new_int(96));
	json_object_object_add(match, "employeeNameAndTaxNumberMatchScore", json_object_new_int(88));
	json_object_object_add(pr, "matchResult", match);

	emu_json_set_str(meta, "createdAt", emu_json_str(archive, "createdAt"));
	emu_json_set_str(meta, "itemCreatedAt", emu_json_str(archive, "createdAt"));
	emu_json_set_str(meta, "sourceId", emu_json_str(archive, "id"));
	emu_json_set_str(meta, "sourceType", "ARCHIVE");
	emu_json_set_str(meta, "userId", emu_json_str(archive, "userId"));
	emu_json_set_str(meta, "providerId", ARCHIVE_PROVIDER);
	json_object_object_add(pr, "metadata", meta);
	return pr;
}

static void emit_archive_event(struct emu *emu, const char *type, json_object *archive)
{
	json_object *data = json_object_new_object();

	emu_json_set_str(data, "userId", emu_json_str(archive, "userId"));
	emu_json_set_str(data, "archiveId", emu_json_str(archive, "id"));
	emu_emit(emu, type, data);
	json_object_put(data);
}

static void archive_set_state(json_object *archive, const char *status)
{
	json_object *state = json_object_new_object();
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(state, "status", status);
	emu_json_set_str(state, "errorCode", NULL);
	emu_json_set_str(state, "errorMessage", NULL);
	emu_json_set_str(state, "updatedAt", now);
	json_object_object_add(archive, "state", state);
}

/* What a read payslip adds to the user's data, with sourceType ARCHIVE,
 * under an ANALYZE_ARCHIVE task; revoking the archive removes it again. */
static void payslip_user_data(struct emu *emu, json_object *archive)
{
	static const char *const kinds_read[] = { "identities", "employments", "incomes" };
	char now[EMU_TIME_LEN];
	struct gen_ctx g = {
		.person = sandbox_person_at(0), .user_id = emu_json_str(archive, "userId"),
		.source_id = emu_json_str(archive, "id"), .source_type = "ARCHIVE",
		.provider_id = ARCHIVE_PROVIDER, .now = now, .now_days = days_since_epoch_now(),
	};
	json_object *task, *datapoints = json_object_new_array();

	emu_now(now);
	task = task_start(emu, "ANALYZE_ARCHIVE", &g);
	for (size_t i = 0; i < sizeof(kinds_read) / sizeof(kinds_read[0]); i++) {
		const struct userdata_kind *kind = userdata_kind_find(kinds_read[i]);
		json_object *item = userdata_create(emu, kind, &g, 0);

		userdata_emit_added(emu, kind, &g, item, 1);
		json_object_array_add(datapoints, json_object_new_string(kind->datapoint));
	}
	task_finish(emu, task, datapoints);
	json_object_put(datapoints);
}

/* STARTED -> ANALYZED, with the classification and, for payslips, the
 * prediction the payslip operations serve and the data read from it. */
static void archive_analyze(struct emu *emu, json_object *archive)
{
	const char *type = emu_json_str(archive, "type");
	json_object *classification = json_object_new_object();

	emu_json_set_str(classification, "fileType", type);
	json_object_object_add(archive, "classification", classification);
	json_object_object_add(archive, "validation", archive_validation(type));
	archive_set_state(archive, "ANALYZED");
	if (strcmp(type, "PAYSLIP") == 0) {
		emu_coll_put(emu_store(emu, "payslipPredictions"), payslip_prediction(archive));
		payslip_user_data(emu, archive);
	}
	emit_archive_event(emu, "ARCHIVE_ANALYZED", archive);
}

/* A minimal user for uploads that name none, as the service makes one. */
static const char *user_for_upload(struct emu *emu, json_object *body, struct emu_response *res)
{
	const char *user_id = emu_json_str(body, "userId");

	if (user_id) {
		if (!emu_coll_get(emu_store(emu, "users"), user_id)) {
			emu_error(res, 404, "MISSING_RESOURCE", "userId: no user with id '%s'", user_id);
			return NULL;
		}
		return user_id;
	}
	return emu_json_str(user_create(emu, NULL), "id");
}

/*
 * Creates an archive of type from raw_files (already checked) and answers
 * with it as STARTED; the stored one is ANALYZED.
 */
static void archive_create(struct emu *emu, struct emu_request *req, struct emu_response *res,
			   const char *user_id, const char *type, json_object *raw_files,
			   const size_t *sizes)
{
	json_object *archive = json_object_new_object(), *entries = json_object_new_array();
	json_object *answer = NULL;
	char *id = emu_new_id(emu, "u-");
	char now[EMU_TIME_LEN];

	emu_now(now);
	emu_json_set_str(archive, "id", id);
	emu_json_set_str(archive, "createdAt", now);
	emu_json_set_str(archive, "providerId", ARCHIVE_PROVIDER);
	emu_json_set_str(archive, "userId", user_id);
	emu_json_set_str(archive, "type", type);
	archive_set_state(archive, "STARTED");
	for (size_t i = 0; i < json_object_array_length(raw_files); i++)
		json_object_array_add(entries,
				      raw_file_entry(emu, req, id, json_object_array_get_idx(raw_files, i),
						     (unsigned)i, sizes[i], now));
	json_object_object_add(archive, "rawFiles", entries);
	emu_coll_put(emu_store(emu, "archives"), archive);
	emit_archive_event(emu, "ARCHIVE_STARTED", archive);
	json_object_deep_copy(archive, &answer, NULL);
	archive_analyze(emu, archive);
	emu_state_dirty(emu);
	emu_reply(res, 200, answer);
	free(id);
}

static const struct emu_field archive_fields[] = {
	{ "userId", EMU_T_STRING, false, NULL },
	{ "fileType", EMU_T_STRING, false, archive_file_types },
	{ "rawFiles", EMU_T_ARRAY, true, NULL },
	EMU_FIELDS_END,
};

/* POST /archives and /archives/classify: same body, classify guesses the
 * type (the sandbox always reads a payslip). With for_user the upload is
 * that user's whatever the body says (the widget's uploads). */
static void create_archive_common(struct emu *emu, struct emu_request *req,
				  struct emu_response *res, bool classify, const char *for_user)
{
	json_object *body = emu_req_json(req, res), *raw_files;
	const char *user_id, *type;
	size_t *sizes;

	if (!body || !emu_validate(res, body, archive_fields))
		return;
	json_object_object_get_ex(body, "rawFiles", &raw_files);
	sizes = xcalloc(json_object_array_length(raw_files) + 1, sizeof(*sizes));
	if (raw_files_check(res, raw_files, sizes) &&
	    (user_id = for_user ? for_user : user_for_upload(emu, body, res))) {
		type = classify ? "PAYSLIP" : emu_json_str(body, "fileType");
		archive_create(emu, req, res, user_id, type ? type : "PAYSLIP", raw_files, sizes);
	}
	free(sizes);
}

void archive_upload_for(struct emu *emu, struct emu_request *req, struct emu_response *res,
			const char *user_id)
{
	create_archive_common(emu, req, res, false, user_id);
}

static void create_archive(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	create_archive_common(emu, req, res, false, NULL);
}

static void classify_archive(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	create_archive_common(emu, req, res, true, NULL);
}

static const struct emu_field payslip_upload_fields[] = {
	{ "userId", EMU_T_STRING, true, NULL },
	{ "fileExtensionType", EMU_T_STRING, true, extension_types },
	{ "fileContent", EMU_T_STRING, true, NULL },
	EMU_FIELDS_END,
};

static void upload_payslip(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *files, *file;
	const char *user_id;
	size_t size = 0;

	if (!body || !emu_validate(res, body, payslip_upload_fields))
		return;
	/* The same checks and storage as one raw file of POST /archives. */
	file = json_object_new_object();
	json_object_object_add(file, "fileExtensionType",
			       json_object_new_string(emu_json_str(body, "fileExtensionType")));
	json_object_object_add(file, "fileContent",
			       json_object_new_string(emu_json_str(body, "fileContent")));
	emu_json_set_str(file, "fileSubtype", "PAYSLIP");
	files = json_object_new_array();
	json_object_array_add(files, file);
	/* Its fields are the body's own: messages name them at the top level. */
	if (raw_file_check(res, file, "", &size) && (user_id = user_for_upload(emu, body, res)))
		archive_create(emu, req, res, user_id, "PAYSLIP", files, &size);
	json_object_put(files);
}

/* ---- lists, get, revoke -------------------------------------------------- */

static bool archive_type_is(json_object *item, void *ctx)
{
	const char *type = emu_json_str(item, "type");

	return type && strcmp(type, ctx) == 0;
}

static void list_archives(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *file_type = emu_req_query(req, "fileType");

	emu_list_page(res, emu_store(emu, "archives"), req, file_type ? archive_type_is : NULL,
		      (void *)file_type);
}

static void get_archive(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = emu_get_or_404(res, emu_store(emu, "archives"), "archive",
					emu_req_capture(req, "id"));
	json_object *copy = NULL;

	if (!a)
		return;
	json_object_deep_copy(a, &copy, NULL);
	emu_reply(res, 200, copy);
}

static void get_upload(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = emu_get_or_404(res, emu_store(emu, "archives"), "upload",
					emu_req_capture(req, "id"));
	json_object *copy = NULL;

	if (!a)
		return;
	json_object_deep_copy(a, &copy, NULL);
	emu_reply(res, 200, copy);
}

static void list_uploads(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	emu_list_page(res, emu_store(emu, "archives"), req, NULL, NULL);
}

void archive_forget_data(struct emu *emu, json_object *a)
{
	json_object *files;

	json_object_object_get_ex(a, "rawFiles", &files);
	files_remove_owner(emu, emu_json_str(a, "id"), (unsigned)json_object_array_length(files));
	emu_coll_remove(emu_store(emu, "payslipPredictions"), emu_json_str(a, "id"));
	userdata_remove_source(emu, emu_json_str(a, "id"));
}

/* Revoke: the archive stays as REVOKED; its files and data are gone. */
void archive_revoke(struct emu *emu, json_object *a)
{
	json_object *state;

	json_object_object_get_ex(a, "state", &state);
	if (strcmp(emu_json_str(state, "status"), "REVOKED") == 0)
		return;
	archive_forget_data(emu, a);
	archive_set_state(a, "REVOKED");
	emit_archive_event(emu, "ARCHIVE_REVOKED", a);
	emu_state_dirty(emu);
}

static void delete_archive(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = emu_get_or_404(res, emu_store(emu, "archives"), "archive",
					emu_req_capture(req, "id"));

	if (!a)
		return;
	archive_revoke(emu, a);
	emu_reply(res, 200, NULL);
}

/* ---- payslip predictions ------------------------------------------------- */

static void query_prediction(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const char *archive_id = emu_req_query(req, "archiveId");
	json_object *pr, *copy = NULL;

	if (!archive_id || !*archive_id) {
		emu_bad_param(res, "archiveId is required");
		return;
	}
	pr = emu_get_or_404(res, emu_store(emu, "payslipPredictions"), "payslip prediction",
			    archive_id);
	if (!pr)
		return;
	json_object_deep_copy(pr, &copy, NULL);
	emu_reply(res, 200, copy);
}

static void list_predictions(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	emu_list_page(res, emu_store(emu, "payslipPredictions"), req, NULL, NULL);
}

static const struct emu_field manual_result_fields[] = {
	{ "archiveId", EMU_T_STRING, true, NULL },
	{ "validFile", EMU_T_BOOL, true, NULL },
	{ "checkedFields", EMU_T_ARRAY, false, NULL },
	{ "data", EMU_T_OBJECT, false, NULL },
	EMU_FIELDS_END,
};

/* A reviewer's corrections replace what the OCR read. */
static void send_manual_result(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *body = emu_req_json(req, res), *pr, *data;

	if (!body || !emu_validate(res, body, manual_result_fields))
		return;
	pr = emu_get_or_404(res, emu_store(emu, "payslipPredictions"), "payslip prediction",
			    emu_json_str(body, "archiveId"));
	if (!pr)
		return;
	if (json_object_object_get_ex(body, "data", &data) && data) {
		json_object_object_foreach(data, key, val) {
			if (strcmp(key, "id") != 0 && strcmp(key, "metadata") != 0)
				json_object_object_add(pr, key, json_object_get(val));
		}
	}
	emu_state_dirty(emu);
	emu_reply(res, 200, NULL);
}

const struct emu_route emu_routes_archives[] = {
	{ "GET", "/archives", list_archives },
	{ "POST", "/archives", create_archive },
	{ "POST", "/archives/classify", classify_archive },
	{ "POST", "/archives/-/payslips/uploadRawFile", upload_payslip },
	{ "GET", "/archives/-/payslips/queryPrediction", query_prediction },
	{ "GET", "/archives/-/payslips/listPredictions", list_predictions },
	{ "POST", "/archives/-/payslips/sendManualResult", send_manual_result },
	{ "GET", "/archives/{id}", get_archive },
	{ "DELETE", "/archives/{id}", delete_archive },
	{ "GET", "/uploads", list_uploads },
	{ "GET", "/uploads/{id}", get_upload },
	EMU_ROUTES_END,
};
