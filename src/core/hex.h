/* SPDX-License-Identifier: MIT */
/* Hex digits, for digests and signatures. Depends on nothing of smile's. */
#pragma once

#include <stddef.h>

/* len bytes as lowercase hex: 2 * len digits and a NUL into out. */
void hex_encode(const void *data, size_t len, char *out);
/* The value of a hex digit (either case): 0..15, or -1 when c is none. */
int hex_digit_value(char c);
