/* SPDX-License-Identifier: MIT */
/*
 * smile-emulator: an offline, stateful sandbox of the Smile API v1.
 *
 * main() parses the options, loads the state, starts the HTTP server and
 * then waits for SIGINT/SIGTERM, saving the state at most every 200 ms
 * while it waits. The signals are blocked before any thread starts, so only
 * this loop ever sees them.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <microhttpd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/util.h"
#include "emulator/server.h"
#include "emulator/events/delivery.h"

#define SAVE_INTERVAL_MS 200

/* The pauses before each retry of a failed webhook delivery. */
struct retry_plan {
	long delays_ms[WEBHOOK_MAX_RETRIES];
	size_t n;
};

static void usage(FILE *out)
{
	fputs("usage: smile-emulator [options]\n"
	      "\n"
	      "An offline, stateful sandbox of the Smile API v1.\n"
	      "\n"
	      "  --host ADDR        address to listen on (default 127.0.0.1)\n"
	      "  --port N           port to listen on; 0 picks a free one (default 8080)\n"
	      "  --api-key K        API key clients must send (default emulator-key)\n"
	      "  --api-secret S     API secret clients must send (default emulator-secret)\n"
	      "  --state FILE       load state from FILE and save changes back to it\n"
	      "  --fail-rate R      answer this fraction (0..1) of /v1 requests with a fault:\n"
	      "                     500, 503, 429 or a dropped connection\n"
	      "  --fault-seed N     seed for --fail-rate, for reproducible runs\n"
	      "  --latency-ms N     delay every /v1 answer by N milliseconds\n"
	      "  --rate-limit RPS   answer 429 with Retry-After beyond RPS requests a second\n"
	      "  --account-retention-days N\n"
	      "                     delete a connected account's data N days after its\n"
	      "                     connection (default 60)\n"
	      "  --upload-retention-days N\n"
	      "                     delete an upload N days after it was made (default 60)\n"
	      "  --webhook-retry-delays-ms LIST\n"
	      "                     milliseconds before each retry of a failed webhook\n"
	      "                     delivery, e.g. 100,200 (default 30000,30000: two\n"
	      "                     retries a few dozen seconds apart, as Smile does;\n"
	      "                     'none' for no retry)\n"
	      "  --help             show this help\n"
	      "  --version          show the version\n"
	      "\n"
	      "Clients authenticate with HTTP Basic auth: emulator-key:emulator-secret\n"
	      "unless changed. When ready, prints 'listening on http://HOST:PORT/v1'.\n"
	      "Control API (see smile-emulator(1)): POST /_emulator/link links an account\n"
	      "as the Wink widget would, POST /_emulator/seed creates bulk data,\n"
	      "POST /_emulator/reset clears everything, GET /_emulator/stats counts\n"
	      "requests and faults, GET/POST /_emulator/clock reads and moves the clock,\n"
	      "POST /_emulator/trigger emits any webhook event.\n",
	      out);
}

static int parse_number(const char *opt, const char *arg, double min, double max, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(*out) || *out < min || *out > max)
		return log_status(-1, "invalid value '%s' for %s: expected a number from %g to %g",
				  arg, opt, min, max);
	return 0;
}

static int parse_integer(const char *opt, const char *arg, double min, double max, double *out)
{
	if (parse_number(opt, arg, min, max, out) < 0)
		return -1;
	if (*out != floor(*out))
		return log_status(-1, "invalid value '%s' for %s: expected an integer", arg, opt);
	return 0;
}

enum { OPT_HOST = 256, OPT_PORT, OPT_KEY, OPT_SECRET, OPT_STATE, OPT_FAIL_RATE, OPT_SEED,
       OPT_LATENCY, OPT_RATE_LIMIT, OPT_ACCOUNT_DAYS, OPT_UPLOAD_DAYS, OPT_RETRY_DELAYS, OPT_HELP, OPT_VERSION };

static const struct option long_options[] = {
	{ "host", required_argument, NULL, OPT_HOST },
	{ "port", required_argument, NULL, OPT_PORT },
	{ "api-key", required_argument, NULL, OPT_KEY },
	{ "api-secret", required_argument, NULL, OPT_SECRET },
	{ "state", required_argument, NULL, OPT_STATE },
	{ "fail-rate", required_argument, NULL, OPT_FAIL_RATE },
	{ "fault-seed", required_argument, NULL, OPT_SEED },
	{ "latency-ms", required_argument, NULL, OPT_LATENCY },
	{ "rate-limit", required_argument, NULL, OPT_RATE_LIMIT },
	{ "account-retention-days", required_argument, NULL, OPT_ACCOUNT_DAYS },
	{ "upload-retention-days", required_argument, NULL, OPT_UPLOAD_DAYS },
	{ "webhook-retry-delays-ms", required_argument, NULL, OPT_RETRY_DELAYS },
	{ "help", no_argument, NULL, OPT_HELP },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

/* "100,200,400" (or "none") into plan. */
static int parse_retry_delays(const char *arg, struct retry_plan *plan)
{
	_cleanup_free_ char *copy = xstrdup(arg);
	char *rest = copy, *item;
	double v;

	plan->n = 0;
	if (strcmp(arg, "none") == 0)
		return 0;
	/* strsep, not strtok: "100,,200" has an empty delay, which is wrong. */
	while ((item = strsep(&rest, ","))) {
		if (plan->n == WEBHOOK_MAX_RETRIES)
			return log_status(-1, "--webhook-retry-delays-ms takes at most %d delays",
					  WEBHOOK_MAX_RETRIES);
		if (parse_integer("--webhook-retry-delays-ms", item, 0, 3600000, &v) < 0)
			return -1;
		plan->delays_ms[plan->n++] = (long)v;
	}
	return 0;
}

/* 0 to run, 1 when --help/--version answered, -1 on a usage error. */
static int parse_options(int argc, char **argv, struct emu_options *o, struct retry_plan *retries)
{
	double v;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		switch (c) {
		case OPT_HOST: o->host = optarg; break;
		case OPT_KEY: o->api_key = optarg; break;
		case OPT_SECRET: o->api_secret = optarg; break;
		case OPT_STATE: o->state_path = optarg; break;
		case OPT_PORT:
			if (parse_integer("--port", optarg, 0, 65535, &v) < 0)
				return -1;
			o->port = (unsigned)v;
			break;
		case OPT_FAIL_RATE:
			if (parse_number("--fail-rate", optarg, 0, 1, &o->fail_rate) < 0)
				return -1;
			break;
		case OPT_SEED:
			if (parse_integer("--fault-seed", optarg, 0, 9007199254740992.0, &v) < 0)
				return -1;
			o->fault_seed = (uint64_t)v;
			break;
		case OPT_LATENCY:
			if (parse_integer("--latency-ms", optarg, 0, 600000, &v) < 0)
				return -1;
			o->latency_ms = (long)v;
			break;
		case OPT_RATE_LIMIT:
			if (parse_number("--rate-limit", optarg, 0, 1e9, &o->rate_limit) < 0)
				return -1;
			break;
		case OPT_ACCOUNT_DAYS:
			if (parse_integer("--account-retention-days", optarg, 1, 36500, &v) < 0)
				return -1;
			o->account_retention_days = (long)v;
			break;
		case OPT_UPLOAD_DAYS:
			if (parse_integer("--upload-retention-days", optarg, 1, 36500, &v) < 0)
				return -1;
			o->upload_retention_days = (long)v;
			break;
		case OPT_RETRY_DELAYS:
			if (parse_retry_delays(optarg, retries) < 0)
				return -1;
			break;
		case OPT_HELP:
			usage(stdout);
			return 1;
		case OPT_VERSION:
			printf("smile-emulator %s\n", SMILE_VERSION);
			return 1;
		default:
			if (optopt)
				log_error("option '%s' needs a value", argv[optind - 1]);
			else
				log_error("unknown option '%s' (see --help)", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc)
		return log_status(-1, "unexpected argument '%s' (see --help)", argv[optind]);
	if (!*o->api_key || !*o->api_secret)
		return log_status(-1, "--api-key and --api-secret must not be empty");
	return 0;
}

/* Waits for SIGINT/SIGTERM, saving the state every SAVE_INTERVAL_MS. */
static void serve_until_signal(struct emu *emu, const sigset_t *signals)
{
	const struct timespec tick = { 0, SAVE_INTERVAL_MS * 1000000L };

	for (;;) {
		int sig = sigtimedwait(signals, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			return;
		state_save_if_dirty(emu, false);
	}
}

static uint64_t seed_from_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000007ULL ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
}

static int run(struct emu *emu, const struct retry_plan *retries)
{
	struct MHD_Daemon *daemon;
	sigset_t signals;
	unsigned port;

	if (emu->opt.state_path && state_load(emu) < 0)
		return SMILE_EXIT_FAILURE;
	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &signals, NULL);
	signal(SIGPIPE, SIG_IGN);

	emu->webhooks = webhook_engine_start(retries->delays_ms, retries->n);
	daemon = server_start(emu, &port);
	if (!daemon) {
		webhook_engine_stop(emu->webhooks);
		return SMILE_EXIT_FAILURE;
	}
	printf(strchr(emu->opt.host, ':') ? "listening on http://[%s]:%u/v1\n"
					   : "listening on http://%s:%u/v1\n",
	       emu->opt.host, port);
	fflush(stdout);

	serve_until_signal(emu, &signals);
	MHD_stop_daemon(daemon);
	webhook_engine_stop(emu->webhooks);
	return state_save_if_dirty(emu, true) < 0 ? SMILE_EXIT_FAILURE : SMILE_EXIT_OK;
}

int main(int argc, char **argv)
{
	struct emu_options opt = { .host = "127.0.0.1", .port = 8080, .api_key = "emulator-key",
				   .api_secret = "emulator-secret" };
	struct retry_plan retries = { { WEBHOOK_DEFAULT_RETRY_DELAY_MS, WEBHOOK_DEFAULT_RETRY_DELAY_MS },
				      WEBHOOK_DEFAULT_RETRIES };
	struct emu *emu;
	int r;

	smile_progname = "smile-emulator";
	opt.fault_seed = seed_from_clock();
	r = parse_options(argc, argv, &opt, &retries);
	if (r != 0)
		return r > 0 ? SMILE_EXIT_OK : SMILE_EXIT_USAGE;
	opt.id_seed = seed_from_clock();
	emu = emu_new(&opt);
	r = run(emu, &retries);
	emu_free(emu);
	return r;
}
