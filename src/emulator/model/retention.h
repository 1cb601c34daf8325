/* SPDX-License-Identifier: MIT */
/*
 * Retention, as the docs describe it: Smile keeps a connected account's data
 * only so many days from its connection (--account-retention-days) and an
 * upload only so many days from its upload (--upload-retention-days); then
 * the data is gone. The docs name no webhook event for that, so none is sent.
 */
#pragma once

struct emu;

/* Defaults: the API reference's "60 days from account connection" and the
 * English docs' "stored for only 60 days from upload". */
#define EMU_ACCOUNT_RETENTION_DAYS 60
#define EMU_UPLOAD_RETENTION_DAYS 60

/* Deletes every account and upload whose time is up on the emulator clock.
 * Called with the lock held, when the clock moves and before requests. */
void retention_sweep(struct emu *emu);
/* The same, at most once per second of the emulator clock (per request). */
void retention_sweep_lazily(struct emu *emu);
