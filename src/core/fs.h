/* SPDX-License-Identifier: MIT */
/* File-system helpers shared by the config file, journals and history. */
#pragma once

#include <sys/types.h>

/* mkdir -p of the directory that holds path: creates every missing
 * directory above the last '/' with mode (existing ones are left as they
 * are). Returns 0 or -errno of the first mkdir that failed. */
int mkdir_parents(const char *path, mode_t mode);
