/* SPDX-License-Identifier: MIT */
/*
 * /archives (and /uploads, the older name of the same objects) and the
 * payslip operations under /archives/-/payslips: uploads are checked here,
 * field by field and byte by byte, then made by model/archives.c.
 */
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

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

/* The upload's user; a new one for uploads that name none, as the service
 * makes one. */
static const char *user_for_upload(struct emu *emu, json_object *body, struct emu_response *res)
{
	const char *user_id = emu_json_str(body, "userId");

	if (user_id) {
		if (!user_get(emu, user_id)) {
			emu_error(res, 404, "MISSING_RESOURCE", "userId: no user with id '%s'", user_id);
			return NULL;
		}
		return user_id;
	}
	return emu_json_str(user_create(emu, NULL), "id");
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
		emu_reply(res, 200, archive_create(emu, user_id, type ? type : "PAYSLIP", raw_files,
						   sizes, emu_req_header(req, "Host")));
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
		emu_reply(res, 200, archive_create(emu, user_id, "PAYSLIP", files, &size,
						   emu_req_header(req, "Host")));
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
	emu_reply_found(res, emu_store(emu, "archives"), "archive", emu_req_capture(req, "id"));
}

static void get_upload(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	emu_reply_found(res, emu_store(emu, "archives"), "upload", emu_req_capture(req, "id"));
}

static void list_uploads(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	emu_list_page(res, emu_store(emu, "archives"), req, NULL, NULL);
}

/* Revoke: the archive stays as REVOKED; its files and data are gone. */
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

	if (!archive_id || !*archive_id) {
		emu_bad_param(res, "archiveId is required");
		return;
	}
	emu_reply_found(res, emu_store(emu, "payslipPredictions"), "payslip prediction",
			archive_id);
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
	if (json_object_object_get_ex(body, "data", &data) && data)
		prediction_correct(emu, pr, data);
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

