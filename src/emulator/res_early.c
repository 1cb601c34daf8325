/* SPDX-License-Identifier: MIT */
/* Placeholder so the emulator builds; A2 replaces this file. */
#include "emulator/emu.h"

const struct emu_route emu_routes_early[] = {
	EMU_ROUTES_END,
};
