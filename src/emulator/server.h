/* SPDX-License-Identifier: MIT */
/*
 * The emulator's core, private to main.c, http/, events/ and store/.
 * Handlers and the model use emu.h and model/model.h only.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "emulator/emu.h"
#include "emulator/emulator.h"

struct webhook_engine;


/* Kinds of injected faults, the index of emu_stats.faults. */
enum emu_fault {
	EMU_FAULT_NONE = -1,
	EMU_FAULT_500,
	EMU_FAULT_503,
	EMU_FAULT_429,
	EMU_FAULT_DROP,
	EMU_FAULT_KINDS
};

struct emu_fault_plan {
	enum emu_fault kind;
	bool after; /* strike once the handler has run (state changed) */
};

struct emu_stats {
	unsigned long requests;       /* /v1 requests answered or dropped */
	unsigned long control_requests;
	unsigned long faults[EMU_FAULT_KINDS];
	unsigned long faults_after;   /* of those, struck after the handler */
	unsigned long rate_limited;   /* 429 from --rate-limit */
	unsigned long unauthorized;
};

struct emu {
	struct emu_options opt;
	char *auth_token;            /* expected base64 of "key:secret" */
	pthread_mutex_t lock;        /* every handler runs under it */

	struct emu_coll **colls;
	size_t n_colls;

	uint64_t id_rng;             /* splitmix64 state for ids */
	uint64_t fault_rng;          /* splitmix64 state for faults */
	double bucket_tokens;        /* --rate-limit token bucket */
	double bucket_time;

	struct emu_stats stats;
	bool dirty;                  /* store changed since the last save */
	double save_failed_at;       /* now_monotonic() of the last failed save, or 0 */
	struct webhook_engine *webhooks;
	time_t retention_checked;    /* emulator clock of the last retention sweep */
	bool events_held;            /* emu_emit() sends nothing (seeding) */
};

uint64_t emu_splitmix64(uint64_t *state);

/* store/store.c */
/* Drops every collection (reset, and exit). */
void store_clear(struct emu *emu);
json_object *store_dump(struct emu *emu);
/* {name: number of objects} */
json_object *store_counts(struct emu *emu);
/* Replaces the store with a dump; 0, or -EINVAL for a malformed one. */
int store_load(struct emu *emu, json_object *dump);

/* store/state.c */
int state_load(struct emu *emu);
/* Saves when dirty; called by the main loop without the lock held. After a
 * failed save the change stays dirty and is retried, every few seconds
 * unless final (the save at exit, whose result decides the exit status). */
int state_save_if_dirty(struct emu *emu, bool final);

/* http/faults.c: decisions for one /v1 request, taken under the lock. */
/* Seconds to wait when over --rate-limit, else 0. */
unsigned faults_rate_limit(struct emu *emu);
struct emu_fault_plan faults_plan(struct emu *emu, const char *method);
/* Answers with the planned error, or returns false when the connection must
 * be dropped instead. */
bool faults_apply(struct emu *emu, struct emu_response *res, enum emu_fault kind);

/* http/server.c */
struct MHD_Daemon;
struct MHD_Daemon *server_start(struct emu *emu, unsigned *bound_port);
