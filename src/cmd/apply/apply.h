/* SPDX-License-Identifier: MIT */
/*
 * smile apply: sandbox data from one declarative file, created once.
 *
 *   manifest.c  reads the file and checks all of it before anything is
 *               sent: structure, types, names, references, order, bodies
 *               against the create verb's option table (schema.c)
 *   expand.c    ${env.X}, ${index} and ${NAME.path} in bodies
 *   kinds.c     what apply knows of each type beyond its command table
 *   state.c     the state file: write-ahead, durable, locked
 *   plan.c      what to do with each object, and --plan's lines
 *   engine.c    doing it: concurrent creates, look-ups of unknown
 *               outcomes, updates, links
 *   teardown.c  --delete and --prune
 *   results.c   -o json and --env-file
 */
#pragma once

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "cli/cmd.h"
#include "core/progress.h"
#include "core/util.h"
#include "core/yaml_json.h"

/* How an object whose create may have happened unseen is found again. */
enum apply_lookup {
	LOOKUP_NONE,    /* cannot be found: reported as unknown */
	LOOKUP_FIELDS,  /* by the fields in match (a template's name) */
	LOOKUP_INVITE,  /* by e-mail and template */
	LOOKUP_MARKER,  /* by a marker apply puts in externalMetadata */
};

struct apply_kind {
	const char *type;            /* the group's name */
	const char *create_verb;
	const char *id_path;         /* where the created object's id is */
	const char *update_verb;     /* NULL: the API cannot update it */
	const char *delete_verb;     /* NULL: the API cannot delete it */
	const char *list_verb;       /* for look-ups */
	enum apply_lookup lookup;
	const char *const *match;    /* LOOKUP_FIELDS: the fields that tell it */
	const char *const *required; /* body fields required beyond the table's OPT_REQUIRED */
	const char *const *also;     /* body fields of the request that are not flags */
};

/* The kind of a type: false when there is no such group or it has no
 * create operation. *group and *create are its table entries. */
bool apply_kind_find(const char *type, struct apply_kind *kind, const struct group_spec **group,
		     const struct verb_spec **create);
/* Every type apply accepts, for the message about an unknown one. */
char *apply_kind_names(void);
const struct verb_spec *apply_kind_verb(const struct group_spec *g, const char *name);
/* The verb that deletes objects of a type (state entries name their
 * type; "accounts" are linked accounts, revoked), or NULL: undeletable. */
const struct verb_spec *apply_delete_verb(const char *type);
/* A verb's path with its {id} placeholder filled in. Allocated. */
char *apply_object_path(const char *tmpl, const char *id);

/* The key apply puts in a user's externalMetadata to find it again. */
#define APPLY_MARKER_KEY "smileApply"

/* ---- the manifest ---- */

struct apply_instance;

struct apply_resource {
	char *name;
	struct apply_kind kind;
	const struct group_spec *group;
	const struct verb_spec *create;
	json_object *body;            /* borrowed from the document */
	json_object *link;            /* link: (users only), or NULL */
	char **files;                 /* files: (archives), as paths to open */
	size_t n_files;
	long count;                   /* 0: not counted */
	size_t *deps;                 /* indices of the resources referred to */
	size_t n_deps;
	size_t n_instances;           /* count, or 1 */
	struct apply_instance *inst;
	size_t n_done;                /* instances that exist now, accounts linked */
	size_t scan_from;             /* the ones before it want no request now (send.c) */
};

struct manifest {
	char *path;                   /* for messages: the path, or "stdin" */
	json_object *doc;
	struct yaml_locations locs;
	struct apply_resource *res;
	size_t n_res;
	size_t *order;                /* resource indices, dependencies first */
};

/* Reads and checks path ("-": stdin). Every problem is reported as
 * FILE:LINE:COLUMN: problem; then SMILE_EXIT_USAGE. 0 when it is good. */
int manifest_load(const char *path, struct manifest *m);
void manifest_release(struct manifest *m);
/* "FILE:LINE:COLUMN" of the node at pointer (or of its nearest parent). */
char *manifest_where(const struct manifest *m, const char *pointer);
struct apply_resource *manifest_find(const struct manifest *m, const char *name);

/* Checks a body (refs not yet known are in skip, by JSON Pointer below
 * the body) against the create verb's body options. Reports each problem
 * at its place; returns the number of problems. */
size_t schema_check(const struct manifest *m, const struct apply_resource *r, const char *body_pointer,
		    json_object *body, const struct strset *skip);

/* ---- ${...} ---- */

/* Resolves ${NAME.path} / ${NAME[N].path}: the value (borrowed) or NULL
 * when NAME is not created yet (then the text stays as it is). */
typedef json_object *(*ref_fn)(void *ctx, const char *name, long index, const char *path, char **err);

/* Checks an archive's files: (a list of paths, relative to the manifest's
 * directory): each a regular file of a type the API takes, not empty and
 * within its size limit (raw_files.h). Fills r->files; returns the number
 * of problems, each reported at its place (manifest_files.c). */
size_t manifest_check_files(const struct manifest *m, struct apply_resource *r, json_object *files,
			    const char *pointer);
/* FILE:LINE:COLUMN: message, for a problem at pointer. */
void manifest_problem(const struct manifest *m, const char *pointer, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

struct expand_ctx {
	long index;                   /* ${index}; < 0: not counted */
	ref_fn resolve;               /* NULL: references stay as they are */
	void *resolve_ctx;
	struct strset *unresolved;    /* pointers of strings left with a reference, or NULL */
};

/* A copy of tmpl with every ${...} in its strings replaced. A string that
 * is one reference alone takes the referred value's type. On failure *err
 * says why and *err_pointer (below tmpl) where; both allocated. */
int expand_json(json_object *tmpl, const struct expand_ctx *ec, json_object **out, char **err, char **err_pointer);

/* The references of one string: calls fn for each ${NAME...} (not env,
 * not index). Returns 0 or -EINVAL with *err set when the text is bad. */
typedef int (*ref_visit_fn)(void *ctx, const char *name, long index, const char *path);
int expand_scan(const char *s, ref_visit_fn fn, void *ctx, char **err);

/* ---- the state file ---- */

enum inst_phase {
	PHASE_NONE,       /* not created (or certainly failed) */
	PHASE_CREATING,   /* the create was about to go out: outcome unknown */
	PHASE_CREATED,
	PHASE_DELETED,
};

struct state_entry {
	char *key;               /* "hr", "invitees[3]", "george/account" */
	char *type;
	enum inst_phase phase;
	char *id;
	json_object *object;     /* what the API returned (owned) */
	char *spec;              /* the body it was made from, refs unexpanded */
	size_t seq;              /* order of first creation, for teardown */
};

struct apply_state {
	char *path;
	int fd;                  /* -1: read only */
	char *id;                /* this state's own id, in markers */
	char *base_url;
	struct state_entry *entries;
	size_t n, cap;
	size_t *index;           /* entry number + 1 by hash of key (state.c) */
	size_t index_cap;
	size_t next_seq;
	struct strbuf pending;   /* events not yet written */
	struct timespec written; /* the file's mtime when opened: an earlier run's last write */
};

/* Opens (creating unless read_only) and locks path. Messages printed;
 * returns 0 or an exit status. base_url must match the file's. */
int state_open(const char *path, const char *base_url, bool read_only, struct apply_state *st);
void state_close(struct apply_state *st);
struct state_entry *state_get(struct apply_state *st, const char *key);
/* Queues one event and applies it to the in-memory state.
 * event: "creating", "created", "failed", "deleted". 0 or -errno. */
int state_record(struct apply_state *st, const char *key, const char *type, const char *event,
		 const char *id, json_object *object, const char *spec);
/* Events are queued by state_record and made durable here, in one write
 * and one fdatasync: before a request they announce goes out, and before
 * an outcome counts as done. 0 or -errno. */
int state_flush(struct apply_state *st);

/* ---- what the state keeps (spec.c) ---- */

/* The spec of a body (env and index filled in, references as written):
 * its secrets HMAC'ed with the state's id, files: as names and SHA-256.
 * body is changed. Allocated. */
char *apply_spec_text(const struct apply_state *st, const struct apply_resource *r, json_object *body);
/* Whether a stored spec is the one computed now (also one stored before
 * secrets were hashed). */
bool apply_spec_same(const struct apply_state *st, const struct apply_resource *r, const char *stored,
		     const char *spec);
/* What the state file keeps of an object of type the API returned: a
 * reference or a copy, without the secrets it answered. Put it when done. */
json_object *apply_object_for_disk(const char *type, json_object *obj);

/* ---- instances and the run ---- */

enum inst_action {
	ACT_NONE,
	ACT_KEEP,
	ACT_CREATE,
	ACT_LOOKUP,    /* outcome unknown: look up, then create if missing */
	ACT_UPDATE,
	ACT_CHANGED,   /* body changed; the API cannot update it */
};

enum inst_result {
	RES_PENDING,
	RES_DONE,        /* exists now (created, found, kept or updated) */
	RES_FAILED,
	RES_UNKNOWN,
	RES_SKIPPED,     /* a dependency failed */
};

struct apply_instance {
	struct apply_resource *res;
	long index;              /* -1: not counted */
	char *key;
	char *spec;              /* body with env and index filled in, as text */
	enum inst_action action;
	enum inst_result result;
	bool created_now, updated_now, found_now;
	char *error;
	/* While sending. */
	struct apply_run *run;
	struct http_request req;
	char *body;
	char *path;
	char *shown_body;
	bool in_flight;          /* announced, sent or landing: not to start again */
	bool need_link;          /* exists; its account is not linked yet */
	bool linking;            /* the request in flight is the link */
	bool adopted;            /* found by the look-up just now */
	char *rec_email;         /* an invite's key in the record of invitations */
	char *rec_template;
};

struct apply_run {
	struct cmd_ctx *ctx;
	struct manifest *m;
	struct apply_state *st;
	struct http_client *http;
	const char *base_url;
	int concurrency;
	size_t in_flight;             /* requests submitted and not answered */
	/* Group commit (send.c): a batch whose "creating" is durable, sent as
	 * slots free, and answers whose outcome waits for the next fdatasync. */
	struct apply_instance **announced;
	size_t n_announced, next_announced;
	struct apply_instance **landing;
	size_t n_landing, cap_landing;
	char *link_url;               /* the emulator's /_emulator/link, when needed */
	struct progress *progress;
	size_t n_created, n_found, n_updated, n_kept, n_failed, n_unknown, n_changed;
	int fatal;                    /* exit status that ends the run early, or 0 */
	struct journal *record;       /* the tenant's invitations (record.c), or NULL */
	bool record_read_only;        /* --plan, --dry-run: read, never written */
	struct record_event *record_events; /* queued for it */
	size_t n_record_events, cap_record_events;
	bool lookup_failed;
	long settle_ms;               /* how long a request can take (--timeout) */
};

/* Decides each instance's action from the state; fills spec. 0 or exit status. */
int plan_compute(struct apply_run *run);
/* --plan: one line per object and a count line on stdout. */
int plan_print(struct apply_run *run, bool prune);
/* The state keys that the manifest no longer names (allocated array of
 * borrowed entries, newest first). */
struct state_entry **plan_orphans(struct apply_run *run, size_t *n);

int engine_run(struct apply_run *run);
/* The tenant's record of invitations, shared with `invites send --file`,
 * opened when the manifest makes invites (record.c). 0 or exit status. */
struct profile;
int apply_record_open(struct apply_run *run, const struct profile *p, bool read_only);
/* --plan and --dry-run: an invite to create that the record knows (sent
 * by `invites send --file`, or with an unknown outcome) is kept: a run
 * would find it, not send it. */
void apply_record_plan(struct apply_run *run);
void apply_record_close(struct apply_run *run);
int teardown_delete(struct apply_run *run);
/* --delete --plan: the lines of what --delete would do, and a count line. */
int plan_print_delete(struct apply_run *run);
int teardown_prune(struct apply_run *run);

/* The object of an instance in the state (NULL when none). */
json_object *run_object(struct apply_run *run, const struct apply_instance *in);

int results_print_json(struct apply_run *run);
int results_write_env(struct apply_run *run, const char *path);

/* The verb: smile apply -f FILE. */
int apply_main(struct cmd_ctx *ctx);
