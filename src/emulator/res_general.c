/* SPDX-License-Identifier: MIT */
#include "emulator/emu.h"

const struct emu_route emu_routes_general[] = {
	EMU_ROUTES_END,
};
