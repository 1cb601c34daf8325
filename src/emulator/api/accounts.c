/* SPDX-License-Identifier: MIT */
/*
 * /accounts: what users linked (model/accounts.c), their payloads, exports
 * (a PDF or CSV file kept in model/files.c) and monitoring.
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

/* The account named by the route's capture, or NULL after a 404. */
static json_object *account_of(struct emu *emu, struct emu_request *req, struct emu_response *res,
			       const char *capture)
{
	return emu_get_or_404(res, emu_store(emu, "accounts"), "account",
			      emu_req_capture(req, capture));
}

static void list_accounts(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	emu_list_page(res, emu_store(emu, "accounts"), req, NULL, NULL);
}

static void get_account(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = account_of(emu, req, res, "id");

	if (a)
		emu_reply(res, 200, emu_json_copy(a));
}

static void delete_account(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = account_of(emu, req, res, "id");

	if (!a)
		return;
	account_revoke(emu, a);
	emu_reply(res, 200, NULL);
}

static void get_account_payload(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = account_of(emu, req, res, "id");

	if (a)
		emu_reply(res, 200, userdata_payload(emu, a, "ACCOUNT"));
}

static void disable_monitor(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = account_of(emu, req, res, "accountId");

	if (!a)
		return;
	account_disable_monitor(emu, a);
	emu_reply(res, 200, NULL);
}

/* ---- exports --------------------------------------------------------------- */

static const char *const export_types[] = { "PDF", "CSV", NULL };

static const struct emu_field export_fields[] = {
	{ "exportExtensionType", EMU_T_STRING, true, export_types },
	EMU_FIELDS_END,
};

/* One CSV line per item of the payload: datapoint, id. */
static void export_csv(struct strbuf *out, json_object *payload)
{
	strbuf_addstr(out, "datapoint,id\r\n");
	json_object_object_foreach(payload, key, val) {
		if (json_object_is_type(val, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(val); i++)
				strbuf_addf(out, "%s,%s\r\n", key,
					    emu_json_str(json_object_array_get_idx(val, i), "id"));
		} else if (strcmp(key, "metadata") != 0) {
			strbuf_addf(out, "%s,%s\r\n", key, emu_json_str(val, "id"));
		}
	}
}

/* A one-page PDF saying what the export holds: enough for a viewer. */
static void export_pdf(struct strbuf *out, const char *account_id)
{
	struct strbuf stream = STRBUF_INIT;
	size_t offsets[5];

	strbuf_addf(&stream, "BT /F1 12 Tf 72 720 Td (Smile account export %s) Tj ET", account_id);
	strbuf_addstr(out, "%PDF-1.4\n");
	offsets[0] = out->len;
	strbuf_addstr(out, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
	offsets[1] = out->len;
	strbuf_addstr(out, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
	offsets[2] = out->len;
	strbuf_addstr(out, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
			   "/Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >> endobj\n");
	offsets[3] = out->len;
	strbuf_addf(out, "4 0 obj << /Length %zu >> stream\n%s\nendstream endobj\n", stream.len,
		    stream.buf);
	offsets[4] = out->len;
	strbuf_addstr(out, "5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\n");
	size_t xref = out->len;
	strbuf_addstr(out, "xref\n0 6\n0000000000 65535 f \n");
	for (size_t i = 0; i < 5; i++)
		strbuf_addf(out, "%010zu 00000 n \n", offsets[i]);
	strbuf_addf(out, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
	strbuf_release(&stream);
}

static void md5_hex(const void *data, size_t len, char out[33])
{
	unsigned char digest[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	EVP_Digest(data, len, digest, &n, EVP_md5(), NULL);
	for (unsigned int i = 0; i < n && i < 16; i++)
		snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

static void generate_export(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *a = account_of(emu, req, res, "id"), *body, *payload, *exp;
	struct strbuf content = STRBUF_INIT;
	char md5[33] = "", now[EMU_TIME_LEN];
	const char *type, *name;
	char *id, *url;

	if (!a || !(body = emu_req_json(req, res)) || !emu_validate(res, body, export_fields))
		return;
	type = emu_json_str(body, "exportExtensionType");
	payload = userdata_payload(emu, a, "ACCOUNT");
	if (strcmp(type, "CSV") == 0)
		export_csv(&content, payload);
	else
		export_pdf(&content, emu_json_str(a, "id"));
	json_object_put(payload);

	id = emu_new_id(emu, "export-");
	name = strcmp(type, "CSV") == 0 ? "export.csv" : "export.pdf";
	file_store_bytes(emu, id, 0, name, strcmp(type, "CSV") == 0 ? "text/csv" : "application/pdf",
			 content.buf, content.len);
	md5_hex(content.buf, content.len, md5);
	url = file_url(emu_req_header(req, "Host"), id, 0, name);
	emu_now(now);

	exp = json_object_new_object();
	emu_json_set_str(exp, "accountId", emu_json_str(a, "id"));
	emu_json_set_str(exp, "id", id);
	emu_json_set_str(exp, "downloadUrl", url);
	emu_json_set_str(exp, "exportExtensionType", type);
	emu_json_set_str(exp, "md5", md5);
	emu_json_set_str(exp, "createdAt", now);
	emu_reply(res, 200, exp);
	strbuf_release(&content);
	free(url);
	free(id);
}

const struct emu_route emu_routes_accounts[] = {
	{ "GET", "/accounts", list_accounts },
	{ "GET", "/accounts/{id}", get_account },
	{ "DELETE", "/accounts/{id}", delete_account },
	{ "GET", "/accounts/{id}/payload", get_account_payload },
	{ "POST", "/accounts/{id}/exports/generate", generate_export },
	{ "POST", "/accounts/{accountId}/disableMonitor", disable_monitor },
	EMU_ROUTES_END,
};
