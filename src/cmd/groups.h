/* SPDX-License-Identifier: MIT */
/* Each src/cmd/<group>.c defines one `group_<name>`; registry.c lists them. */
#pragma once

#include "cmd.h"

extern const struct group_spec group_config;
extern const struct group_spec group_api;
