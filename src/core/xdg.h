/* SPDX-License-Identifier: MIT */
/*
 * Where smile keeps its files, by the XDG Base Directory spec: a relative
 * $XDG_*_HOME is invalid and ignored, home is $HOME, else the password
 * database, else ".".
 */
#pragma once

/* The user's home directory. Allocated. */
char *home_directory(void);

/* $XDG_CONFIG_HOME/smile, else ~/.config/smile. Allocated. */
char *config_directory(void);

/* $XDG_STATE_HOME/smile, else ~/.local/state/smile: journals, shell
 * history. Allocated. */
char *state_directory(void);
