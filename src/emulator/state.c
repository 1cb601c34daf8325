/* SPDX-License-Identifier: MIT */
#include "emulator/emu.h"

const struct emu_route emu_routes_control[] = {
	EMU_ROUTES_END,
};
