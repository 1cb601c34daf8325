/* SPDX-License-Identifier: MIT */
/*
 * The emulator object (emulator.h): made from its options, freed with its
 * store, and its lock, which a long handler may lend to waiting requests.
 */
#include <openssl/evp.h>
#include <sched.h>
#include <string.h>

#include "core/util.h"
#include "emulator/model/retention.h"
#include "emulator/store/clock.h"
#include "emulator/server.h"

static char *basic_token(const char *key, const char *secret)
{
	_cleanup_free_ char *plain = xasprintf("%s:%s", key, secret);
	size_t n = strlen(plain);
	char *out = xmalloc(4 * ((n + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)out, (const unsigned char *)plain, (int)n);
	return out;
}

struct emu *emu_new(const struct emu_options *opt)
{
	struct emu *emu = xcalloc(1, sizeof(*emu));

	emu->opt = *opt;
	emu->fault_rng = opt->fault_seed;
	emu->id_rng = opt->id_seed;
	if (emu->opt.account_retention_days <= 0)
		emu->opt.account_retention_days = EMU_ACCOUNT_RETENTION_DAYS;
	if (emu->opt.upload_retention_days <= 0)
		emu->opt.upload_retention_days = EMU_UPLOAD_RETENTION_DAYS;
	emu_clock_set_offset(0);
	emu->auth_token = basic_token(opt->api_key, opt->api_secret);
	pthread_mutex_init(&emu->lock, NULL);
	return emu;
}

void emu_free(struct emu *emu)
{
	if (!emu)
		return;
	store_clear(emu);
	free(emu->auth_token);
	pthread_mutex_destroy(&emu->lock);
	free(emu);
}

void emu_let_others_in(struct emu *emu)
{
	pthread_mutex_unlock(&emu->lock);
	sched_yield();
	pthread_mutex_lock(&emu->lock);
}
