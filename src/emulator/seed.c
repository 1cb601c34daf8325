/* SPDX-License-Identifier: MIT */
/* Placeholder so the emulator builds; A2 replaces this file. The
 * /_emulator/seed route belongs in emu_routes_control_data (link.c). */
#include "emulator/emu.h"

typedef int seed_placeholder_unused_t;
