/* SPDX-License-Identifier: MIT */
/*
 * GET /_emulator/files/{owner}/{index}/{name}: the stored files of
 * model/files.c, without credentials, as the real file host serves them.
 */
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

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
