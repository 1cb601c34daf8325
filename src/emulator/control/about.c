/* SPDX-License-Identifier: MIT */
/*
 * GET /_emulator/: the marker that tells a client it talks to
 * smile-emulator and not to Smile, so that smile can refuse what only the
 * emulator does (webhooks trigger, moving the clock) against a real host.
 * Smile has no /_emulator path: there it is a 404, or anything but this.
 */
#include "emulator/emu.h"

static void about(struct emu *emu, struct emu_request *req, struct emu_response *res)
{
	json_object *data = json_object_new_object();

	(void)emu;
	(void)req;
	emu_json_set_str(data, "emulator", "smile-emulator");
	emu_json_set_str(data, "version", SMILE_VERSION);
	emu_reply(res, 200, data);
}

/* The router drops a trailing slash: this is "/_emulator/" too. */
const struct emu_route emu_routes_control_about[] = {
	{ "GET", "/_emulator", about },
	EMU_ROUTES_END,
};
