/* SPDX-License-Identifier: MIT */
#include "core/hash.h"

#include <string.h>

#define FNV1A_PRIME UINT64_C(1099511628211)

uint64_t fnv1a_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV1A_PRIME;
	return h;
}

uint64_t fnv1a_str(const char *s)
{
	return fnv1a_add(FNV1A_INIT, s, strlen(s));
}
