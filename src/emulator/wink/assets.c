/* SPDX-License-Identifier: MIT */
/*
 * GET /_emulator/wink/v2/{file}: the stand-in Wink SDK and the widget page it
 * opens, served without credentials as the real SDK's web host serves them.
 * v1 serves the same files (smile.v1.js is the same SDK): the docs say the
 * two versions take the same code.
 */
#include <string.h>

#include "emulator/emu.h"
#include "emulator/wink/wink_assets.h"

static const struct embedded_file *asset_find(const char *name)
{
	return embedded_find(wink_assets, strcmp(name, "smile.v1.js") == 0 ? "smile.v2.js" : name);
}

static void serve_asset(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	const struct embedded_file *a = asset_find(emu_req_capture(req, "file"));

	(void)emu;
	if (!a) {
		emu_error(res, 404, "MISSING_RESOURCE", "no widget file at %s", emu_req_path(req));
		return;
	}
	/* The widget changes with the emulator binary, never within a run. */
	emu_add_header(res, "Cache-Control", "no-cache");
	emu_reply_bytes(res, 200, a->content_type, a->data, a->len);
}

const struct emu_route emu_routes_control_wink_assets[] = {
	{ "GET", "/_emulator/wink/v2/{file}", serve_asset },
	{ "GET", "/_emulator/wink/v1/{file}", serve_asset },
	EMU_ROUTES_END,
};
