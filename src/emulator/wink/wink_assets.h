/* SPDX-License-Identifier: MIT */
/*
 * The stand-in Wink SDK and widget (smile.v2.js, widget.html, ...), built
 * into smile-emulator by tools/embed.py from the files beside this header.
 */
#pragma once

#include "core/embedded.h"

extern const struct embedded_file wink_assets[];
