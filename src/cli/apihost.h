/* SPDX-License-Identifier: MIT */
/*
 * What kind of API a base URL names, in one place: the official Smile API
 * (sandbox or production), or something else, which smile takes to be
 * smile-emulator (smile link's SDK, smile webhooks trigger), and whether
 * it runs on this machine (smile webhooks listen can then register its
 * loopback address as the webhook URL).
 */
#pragma once

#include <stdbool.h>

/* The sandbox or production base URL of the Smile API. */
bool api_is_official(const char *base_url);
/* The host of base_url is a loopback address (127.0.0.0/8, ::1, localhost). */
bool api_is_loopback(const char *base_url);
/* "http://127.0.0.1:8080" of "http://127.0.0.1:8080/v1", allocated. */
char *api_origin(const char *base_url);
