/* SPDX-License-Identifier: MIT */
/*
 * Archives: files a user uploads (payslips, IDs, bills). An archive moves
 * STARTED -> ANALYZED at once, with its classification, validation and, for
 * a payslip, the prediction the payslip operations serve and the user data
 * read from it. Revoking one keeps it, REVOKED, without its files and data.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

#define ARCHIVE_PROVIDER "user-provided"

static const struct file_format formats[] = {
	{ "PDF", "application/pdf", "pdf", "%PDF-", 5 },
	{ "PNG", "image/png", "png", "\x89PNG\r\n\x1a\n", 8 },
	{ "JPG", "image/jpeg", "jpg", "\xff\xd8\xff", 3 },
	{ "JPEG", "image/jpeg", "jpeg", "\xff\xd8\xff", 3 },
};

const struct file_format *format_find(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i].name, name) == 0)
			return &formats[i];
	return NULL;
}

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
static json_object *raw_file_entry(struct emu *emu, const char *host, const char *archive_id,
				   json_object *file, unsigned index, size_t size, const char *now)
{
	const struct file_format *fmt = format_find(emu_json_str(file, "fileExtensionType"));
	char *name = safe_name(emu_json_str(file, "fileName"), index, fmt);
	char *id = emu_new_id(emu, "f-");
	char *url = file_url(host, archive_id, index, name);
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
	emu_emit_owned(emu, type, event_data_of(emu_json_str(archive, "userId"), "archiveId",
						emu_json_str(archive, "id")));
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

json_object *archive_create(struct emu *emu, const char *user_id, const char *type,
			    json_object *raw_files, const size_t *sizes, const char *host)
{
	json_object *archive = json_object_new_object(), *entries = json_object_new_array();
	json_object *answer;
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
				      raw_file_entry(emu, host, id, json_object_array_get_idx(raw_files, i),
						     (unsigned)i, sizes[i], now));
	json_object_object_add(archive, "rawFiles", entries);
	emu_coll_put(emu_store(emu, "archives"), archive);
	emit_archive_event(emu, "ARCHIVE_STARTED", archive);
	answer = emu_json_copy(archive);
	archive_analyze(emu, archive);
	emu_state_dirty(emu);
	free(id);
	return answer;
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


void prediction_correct(struct emu *emu, json_object *prediction, json_object *data)
{
	json_object_object_foreach(data, key, val) {
		if (strcmp(key, "id") != 0 && strcmp(key, "metadata") != 0)
			json_object_object_add(prediction, key, json_object_get(val));
	}
	emu_state_dirty(emu);
}
