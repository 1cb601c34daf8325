/* SPDX-License-Identifier: MIT */
/* smile apply: the command, its options, and the run from start to end. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/emulator.h"
#include "cli/interrupt.h"
#include "cmd/apply/apply.h"
#include "cmd/apply/engine.h"
#include "cmd/opts.h"
#include "core/util.h"

#define DEFAULT_CONCURRENCY 8

static char *default_state_path(const char *manifest)
{
	return strcmp(manifest, "-") ? xasprintf("%s.state", manifest) : xstrdup("smile-apply.state");
}

static bool needs_link(const struct manifest *m)
{
	for (size_t i = 0; i < m->n_res; i++)
		if (m->res[i].link)
			return true;
	return false;
}

/* link: plays a person in the emulator; the real API links accounts only
 * through the Wink widget, so it is refused before anything is sent. */
static int check_emulator(struct apply_run *run)
{
	char *why = NULL;
	enum emulator_answer a = emulator_probe(run->http, run->base_url, &why);
	int r = 0;

	if (a == EMULATOR_NO)
		r = log_status(SMILE_EXIT_USAGE,
			       "link: needs smile-emulator, refused before sending anything: %s; the Smile API "
			       "links accounts only through the Wink widget", why);
	else if (a == EMULATOR_UNKNOWN)
		r = log_status(SMILE_EXIT_NETWORK, "link: %s", why);
	free(why);
	if (!r)
		run->link_url = emulator_control_url(run->base_url, "/_emulator/link");
	return r;
}

static const char *result_word(const struct apply_instance *in)
{
	switch (in->result) {
	case RES_DONE:
		if (in->found_now)
			return "found";
		if (in->created_now)
			return "created";
		if (in->updated_now)
			return "updated";
		return in->action == ACT_CHANGED ? "changed" : "kept";
	case RES_UNKNOWN: return "unknown";
	case RES_SKIPPED: return "skipped";
	default: return "failed";
	}
}

/* One line per object on stdout (ids alone with -q). */
static void print_lines(struct apply_run *run)
{
	struct manifest *m = run->m;

	for (size_t k = 0; k < m->n_res; k++) {
		struct apply_resource *r = &m->res[m->order[k]];
		for (size_t i = 0; i < r->n_instances; i++) {
			struct apply_instance *in = &r->inst[i];
			const struct state_entry *e = state_get(run->st, in->key);
			const char *id = e && e->phase == PHASE_CREATED && e->id ? e->id : "";
			if (run->ctx->g->quiet) {
				if (*id)
					printf("%s\n", id);
				continue;
			}
			printf("%s %s (%s) %s", result_word(in), in->key, r->group->name, id);
			if (in->result == RES_DONE && in->action == ACT_CHANGED)
				printf(": body changed, and the API cannot update %s: to replace it, rename it in the "
				       "manifest and apply with --prune", r->group->name);
			else if (in->result != RES_DONE && in->error)
				printf(": %s", in->error);
			printf("\n");
		}
	}
	fflush(stdout);
}

static void print_summary(const struct apply_run *run)
{
	if (run->progress)
		progress_clear(run->progress);
	fprintf(stderr, "apply: %zu created, %zu updated, %zu kept, %zu failed", run->n_created, run->n_updated,
		run->n_kept, run->n_failed);
	if (run->n_unknown)
		fprintf(stderr, ", %zu unknown (run again to resolve them)", run->n_unknown);
	if (run->n_found)
		fprintf(stderr, " (%zu of the created found after an unknown outcome)", run->n_found);
	if (run->n_changed)
		fprintf(stderr, "; %zu changed that the API cannot update", run->n_changed);
	fprintf(stderr, "\n");
}

static bool wants_json(struct apply_run *run)
{
	struct output_opts oo;
	cmd_output_opts(run->ctx, &oo, NULL);
	return run->ctx->g->output && (oo.format == OUTPUT_JSON || oo.format == OUTPUT_YAML);
}

static size_t work_count(const struct apply_run *run)
{
	size_t n = 0;
	for (size_t k = 0; k < run->m->n_res; k++)
		for (size_t i = 0; i < run->m->res[k].n_instances; i++)
			n += run->m->res[k].inst[i].action != ACT_KEEP;
	return n;
}

static int apply_and_report(struct apply_run *run, const char *env_file, bool prune)
{
	struct progress progress;
	struct sigaction old_int;
	bool dry = run->ctx->g->dry_run;

	progress_init(&progress, stderr, !dry && isatty(STDERR_FILENO), work_count(run), now_monotonic());
	run->progress = &progress;
	cli_catch_interrupt(&run->ctx->stop, &old_int);
	int r = engine_run(run);
	if (!r && prune && !run->ctx->stop)
		r = teardown_prune(run);
	cli_release_interrupt(&old_int);
	if (dry)
		return r;
	if (!r && (wants_json(run) || env_file))
		run_give_tokens(run, true);
	int w = wants_json(run) ? results_print_json(run) : (print_lines(run), 0);
	if (!w && env_file)
		w = results_write_env(run, env_file);
	print_summary(run);
	if (r)
		return r;
	if (run->ctx->stop)
		return SMILE_EXIT_INTERRUPTED;
	if (w)
		return w;
	return run->n_failed || run->n_unknown ? SMILE_EXIT_PARTIAL : 0;
}

int apply_main(struct cmd_ctx *ctx)
{
	const char *file = cmd_opt(ctx, "file"), *conc = cmd_opt(ctx, "concurrency");
	bool plan = cmd_flag(ctx, "plan"), del = cmd_flag(ctx, "delete"), prune = cmd_flag(ctx, "prune");
	const struct profile *p;
	struct manifest m;
	struct apply_state st = { .fd = -1 };
	struct apply_run run = { .ctx = ctx, .m = &m, .st = &st };
	int r;

	if (!file)
		return log_status(SMILE_EXIT_USAGE, "missing required option --file (the manifest; - for stdin)");
	if (del && prune)
		return log_status(SMILE_EXIT_USAGE, "--delete deletes everything already; --prune is for apply");
	if ((r = manifest_load(file, &m))) {
		manifest_release(&m);
		return r;
	}
	char *state_path = cmd_opt(ctx, "state") ? xstrdup(cmd_opt(ctx, "state")) : default_state_path(file);
	run.concurrency = conc ? atoi(conc) : DEFAULT_CONCURRENCY;
	if (!(r = cmd_profile(ctx, &p)) && !(r = cmd_http(ctx, &run.http)))
		run.base_url = p->base_url, run.settle_ms = p->timeout_ms;
	/* Before the state file exists: a refused manifest leaves nothing. */
	if (!r && needs_link(&m) && !del)
		r = check_emulator(&run);
	if (!r)
		r = state_open(state_path, p->base_url, plan || ctx->g->dry_run, &st);
	if (!r)
		r = plan_compute(&run);
	if (!r && !del)
		r = apply_record_open(&run, p, plan || ctx->g->dry_run);
	if (!r && !del && (plan || ctx->g->dry_run))
		apply_record_plan(&run);
	if (!r && plan && !del)
		r = plan_print(&run, prune);
	else if (!r && del)
		r = plan ? plan_print_delete(&run) : teardown_delete(&run);
	else if (!r)
		r = apply_and_report(&run, cmd_opt(ctx, "env-file"), prune);
	free(run.link_url);
	apply_record_close(&run);
	state_close(&st);
	free(state_path);
	manifest_release(&m);
	return r;
}

static const struct opt_spec apply_options[] = {
	{ .name = "file", .short_name = 'f', .type = OPT_PATH, .where = OPT_LOCAL, .metavar = "FILE",
	  .help = "the manifest, YAML or JSON (- for stdin)" },
	L_PATH("state", "FILE", "the state file (default: FILE.state beside the manifest)"),
	L_FLAG("plan", "print what would be created, updated, kept or deleted; change nothing"),
	L_FLAG("delete", "delete everything the state says this manifest created, newest first"),
	L_FLAG("prune", "also delete what the manifest no longer names"),
	L_PATH("env-file", "FILE", "append NAME_FIELD=value lines for later CI steps ($GITHUB_ENV)"),
	{ .name = "concurrency", .type = OPT_INT, .where = OPT_LOCAL, .min = 1, .max = 64, .metavar = "N",
	  .help = "requests in flight at once, 1 to 64 (default 8)" },
	OPT_END,
};

static const struct verb_spec apply_command = {
	.name = "apply",
	.summary = "create sandbox data from a manifest, once; plan, prune and tear it down",
	.run = apply_main,
	.opts = apply_options,
	.example = "smile apply -f seed.yaml\n"
		   "smile apply -f seed.yaml --plan\n"
		   "smile apply -f seed.yaml -o json --env-file \"$GITHUB_ENV\"\n"
		   "smile apply -f seed.yaml --delete --yes",
	.description =
		"The manifest names resources, each with a type (a smile group with a create verb: users, "
		"invite-templates, consent-templates, webhooks, invites, archives, ...) and the body of its "
		"create request; count: N makes N of them. An archive's files: [PATH, ...] names local files "
		"(relative to the manifest's directory), checked when the manifest is loaded and sent as "
		"smile archives create sends its FILE arguments. In strings, ${NAME.field} is a field of what the "
		"API returned for NAME (${NAME[N].field} for counted ones), ${env.VAR} the environment (a "
		"missing variable is an error), ${index} the number of a counted object from 0, and $${ a "
		"literal ${. References decide the order. A user's link: {providerId, username, password, "
		"mfaCode} links an account as a person would in the Wink widget, through smile-emulator's "
		"/_emulator/link; against anything that is not smile-emulator (asked at GET /_emulator/) "
		"such a manifest is refused before anything is sent.\n\n"
		"The whole manifest is checked before anything is sent: structure, types, names, "
		"references, cycles, and each body against the same schema checks the create command makes "
		"on its flags: a field the request does not have is an error, as an unknown flag is. Each problem is reported as FILE:LINE:COLUMN: problem, and the exit status "
		"is 2.\n\n"
		"The state file (--state, by default FILE.state; mode 0600, locked against a second run) "
		"records each create before it goes out and its outcome before it counts as done, with "
		"fdatasync (one for each batch of --concurrency requests). Running again after a kill, Ctrl-C or network loss creates only what is "
		"missing: a create whose outcome is unknown is looked up first (invite templates and "
		"webhooks by name, consent templates by type, version, title and text, invites by e-mail "
		"and template, users by the marker smileApply in their externalMetadata) and sent again "
		"only if it is not there. A run killed moments ago may have left requests that the "
		"server is still working on, so the look-up waits first until the state file's last "
		"write is --timeout old (default 60 s; a warning says so). Invites go through the tenant's record of invitations that "
		"smile invites send --file keeps: one either command sent is looked up, never sent "
		"again. Applying the same manifest "
		"again creates nothing; a resource added is created; one whose body changed is updated "
		"where the API can (invite templates) and otherwise reported as changed, with how to "
		"replace it (rename it and apply with --prune, or --delete and apply again); one removed is "
		"reported, and deleted only with --prune. --plan prints one line per object (+ create, "
		"? look up then create, ~ update, ! changed, = keep, - delete) and a count line, and "
		"sends no request that changes anything.\n\n"
		"--delete deletes, newest first, everything the state says this manifest created "
		"(templates and webhooks deleted, archives and linked accounts revoked; already gone "
		"counts as deleted) and lists what the API cannot delete (users, invites). On a "
		"production profile it asks first, unless --yes.\n\n"
		"Independent objects go out --concurrency at a time within the rate limit. A progress "
		"line on a terminal, then one line per object on stdout (created, found, updated, kept, "
		"changed, failed, unknown, skipped) and a summary on stderr. -o json prints instead one "
		"object mapping each name to what the API returned (an array for counted ones; a linked "
		"user's account under account). --env-file appends NAME_FIELD=value lines "
		"(GEORGE_USER_ID=..., GEORGE_TOKEN_ACCESS_TOKEN=...; INVITEES_3_ID=... for counted ones) "
		"in the format of $GITHUB_ENV and GitLab dotenv reports. Tokens are written there and in "
		"-o json and the state file, because CI needs them, never in --verbose output or "
		"messages.\n\n"
		"Exit status: 0 when every object exists, 8 when some failed or stayed unknown (run again), "
		"2 for a bad manifest, 130 after Ctrl-C.",
};

const struct group_spec group_apply = {
	.name = "apply",
	.summary = "seed sandbox data from one declarative file, idempotently",
	.description = "smile apply reads a manifest of resources and creates what is missing, once, "
		       "recording every outcome in a state file, so that CI can seed a sandbox, run its "
		       "tests and tear the data down again exactly.",
	.command = &apply_command,
};
