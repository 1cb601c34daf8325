/* SPDX-License-Identifier: MIT */
/*
 * What a base URL's text says about its host: whether it is the official
 * Smile API (sandbox or production), and whether it runs on this machine
 * (smile webhooks listen can then register its loopback address as the
 * webhook URL). Whether some other host is smile-emulator, and the
 * emulator's own URLs, are cli/emulator.h's: only the server can say.
 */
#pragma once

#include <stdbool.h>

/* The sandbox or production base URL of the Smile API. */
bool api_is_official(const char *base_url);
/* The host of base_url is a loopback address (127.0.0.0/8, ::1, localhost). */
bool api_is_loopback(const char *base_url);
