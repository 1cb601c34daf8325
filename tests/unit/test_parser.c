/* SPDX-License-Identifier: MIT */
/*
 * The argv parser (src/cli/dispatch.c), linked as a library: global
 * options bound by their table rows (every row, so none can be added and
 * forgotten), handed on whole (smile shell, plugins), verb and list
 * options, positionals, "--", plugins and usage errors.
 */
#include "tap.h"

#include "cli/cmd.h"
#include "cli/dispatch.h"
#include "core/util.h"

#include <stdlib.h>

struct parsed {
	struct global_opts g;
	struct cmd_ctx ctx;
	struct dispatch_result res;
	int r;
};

/* Parses the words after "smile" (NULL-terminated). */
static void parse(struct parsed *p, const char *const *words)
{
	int argc = 0;
	while (words[argc])
		argc++;
	p->g = (struct global_opts)GLOBAL_OPTS_INIT;
	p->ctx = (struct cmd_ctx){ .g = &p->g };
	p->r = dispatch_parse(argc, (char **)words, &p->ctx, &p->res);
}

/* A value each option type accepts. */
static const char *sample_value(const struct opt_spec *o)
{
	switch (o->type) {
	case OPT_ENUM: return o->values[1] ? o->values[1] : o->values[0];
	case OPT_URL: return "http://127.0.0.1:1/v1";
	case OPT_INT:
	case OPT_NUMBER: return "2";
	case OPT_PATH: return "/tmp/smile-test";
	default: return strcmp(o->name, "jq") ? "x" : ".";
	}
}

static void test_every_global_is_bound(void)
{
	const struct global_opts init = GLOBAL_OPTS_INIT;
	for (size_t i = 0; global_options[i].name; i++) {
		const struct opt_spec *o = &global_options[i];
		char flag[64], name[128];
		snprintf(flag, sizeof(flag), "--%s", o->name);
		const char *words[] = { "providers", "list", flag, opt_takes_value(o) ? sample_value(o) : NULL, NULL };
		struct parsed p;
		parse(&p, words);
		snprintf(name, sizeof(name), "global --%s: parsed", o->name);
		CHECK(p.r == 0, name);
		snprintf(name, sizeof(name), "global --%s: stored by its table row", o->name);
		CHECK(o->bind != BIND_NONE && memcmp(&p.g, &init, sizeof(init)) != 0, name);
		dispatch_release(&p.ctx);
	}
}

static void test_values_bound(void)
{
	const char *words[] = { "--profile", "p1", "-o", "csv", "users", "list", "--rate", "2.5", "--timeout", "1.5",
				"--retries", "4", "--dry-run", "-q", "--size", "5", "--all", NULL };
	struct parsed p;
	parse(&p, words);
	CHECK(p.r == 0, "values: parsed");
	CHECK_STR(p.g.profile, "p1", "values: --profile before the group");
	CHECK_STR(p.g.output, "csv", "values: -o");
	CHECK(p.g.rate == 2.5 && p.g.timeout_ms == 1500 && p.g.retries == 4, "values: numbers, seconds in ms");
	CHECK(p.g.dry_run && p.g.quiet && !p.g.verbose, "values: flags after the verb");
	CHECK_STR(cmd_opt(&p.ctx, "size"), "5", "values: a list option");
	CHECK(cmd_flag(&p.ctx, "all") && !cmd_flag(&p.ctx, "limit"), "values: list flags");
	CHECK(!strcmp(p.ctx.group->name, "users") && !strcmp(p.ctx.verb->name, "list"), "values: group and verb");

	size_t n;
	struct global_given *given = cli_globals_given(&p.ctx, &n);
	bool dry = false;
	for (size_t i = 0; i < n; i++)
		dry |= !strcmp(given[i].name, "dry-run") && !given[i].value;
	CHECK(n == 7 && dry, "handed on: every global option given, --dry-run among them");
	free(given);
	dispatch_release(&p.ctx);
}

static void test_args_and_end_of_options(void)
{
	const char *words[] = { "users", "get", "--", "-u1", NULL };
	struct parsed p;
	parse(&p, words);
	CHECK(p.r == 0 && p.ctx.n_args == 1 && !strcmp(p.ctx.args[0], "-u1"), "--: what follows is a positional");
	dispatch_release(&p.ctx);

	const char *two[] = { "users", "get", "a", "b", NULL };
	parse(&p, two);
	CHECK(p.r == SMILE_EXIT_USAGE, "arguments: one too many is a usage error");
	dispatch_release(&p.ctx);
}

static void test_errors(void)
{
	struct parsed p;
	const char *big[] = { "users", "list", "--size", "151", NULL };
	parse(&p, big);
	CHECK(p.r == SMILE_EXIT_USAGE, "errors: --size 151 is out of range");
	dispatch_release(&p.ctx);

	const char *unknown[] = { "users", "list", "--sise", "1", NULL };
	parse(&p, unknown);
	CHECK(p.r == SMILE_EXIT_USAGE, "errors: an unknown option");
	dispatch_release(&p.ctx);

	const char *verbless[] = { "users", NULL };
	parse(&p, verbless);
	CHECK(p.r == SMILE_EXIT_USAGE, "errors: a group without its verb");
	dispatch_release(&p.ctx);

	const char *plugin[] = { "--dry-run", "hello", "--x", NULL };
	parse(&p, plugin);
	CHECK(p.r == 0 && p.res.plugin_argi == 1 && p.g.dry_run, "plugin: an unknown group is a plugin word");
	dispatch_release(&p.ctx);

	const char *help[] = { "users", "list", "--help", NULL };
	parse(&p, help);
	CHECK(p.r == 0 && p.res.help, "help: --help asks for help");
	dispatch_release(&p.ctx);
}

int main(void)
{
	test_every_global_is_bound();
	test_values_bound();
	test_args_and_end_of_options();
	test_errors();
	return tap_done();
}
