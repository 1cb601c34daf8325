/* SPDX-License-Identifier: MIT */
/* users find and users show (users_look.c): run functions of users.c's table. */
#pragma once

#include "cli/cmd.h"

/* --email E through the invites, printed with columns. */
int users_find(struct cmd_ctx *ctx, const char *const *columns);
/* ID: the user, its accounts and counts of its data, on one screen. */
int users_show(struct cmd_ctx *ctx);
