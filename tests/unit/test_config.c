/* SPDX-License-Identifier: MIT */
/*
 * The config file and profile resolution: loading, shape errors with their
 * exact messages, the permission check, saving, and the precedence rules.
 * Every test works in its own temporary directory with HOME pointing at it,
 * so messages show paths as "~/...".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/status.h"
#include "core/config/config.h"
#include "core/util.h"
#include "tap.h"

static char tmp_root[] = "/tmp/smile-test-config.XXXXXX";
static char *cfg_path; /* $HOME/config.yaml, shown as ~/config.yaml */

static const char *const env_vars[] = {
	"SMILE_CONFIG", "XDG_CONFIG_HOME", "SMILE_PROFILE", "SMILE_API_KEY",
	"SMILE_API_SECRET", "SMILE_BASE_URL", NULL,
};

static void clear_env(void)
{
	for (size_t i = 0; env_vars[i]; i++)
		unsetenv(env_vars[i]);
}

static void write_text(const char *path, const char *text, mode_t mode)
{
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		perror(path);
		exit(99);
	}
	fchmod(fd, mode); /* not subject to the umask */
	close(fd);
}

/* Loads text as the config file; returns the config or NULL with *err. */
static struct config *load_text(const char *text, char **err)
{
	struct config *cfg = NULL;
	write_text(cfg_path, text, 0600);
	*err = NULL;
	if (config_load(cfg_path, &cfg, err) < 0)
		return NULL;
	return cfg;
}

/* The error message of loading text, or "(loaded)". */
static char *load_error(const char *text)
{
	char *err = NULL;
	struct config *cfg = load_text(text, &err);
	config_free(cfg);
	return err ? err : xstrdup("(loaded)");
}

static char *slurp(const char *path)
{
	char *text = NULL;
	size_t len = 0;
	if (read_file_all(path, 1 << 20, &text, &len) < 0)
		return xstrdup("");
	text[len] = '\0'; /* read_file_all leaves an empty file's buffer unterminated */
	return text;
}

static void test_missing_file(void)
{
	struct config *cfg = NULL;
	char *err = NULL;
	const char **names;
	_cleanup_free_ char *path = xasprintf("%s/nope/config.yaml", tmp_root);

	CHECK(config_load(path, &cfg, &err) == 0 && cfg, "a missing file loads as an empty config");
	CHECK(cfg && config_profile_names(cfg, &names) == 0, "an empty config has no profiles");
	CHECK(cfg && config_default_profile(cfg) == NULL, "an empty config has no default");
	config_free(cfg);
	free(err);
}

static const char valid_yaml[] =
	"# my settings\n"
	"default: sandbox\n"
	"editor: vim\n"
	"profiles:\n"
	"  sandbox: { api_key: K1, api_secret: S1, mode: sandbox, color: blue }\n"
	"  local:\n"
	"    api_key: K2\n"
	"    api_secret: 'S2'\n"
	"    base_url: http://127.0.0.1:8080/v1\n"
	"    output: table\n"
	"    timeout: 2.5\n"
	"  empty:\n"
	"extras: [1, 2, {a: b}]\n";

static void test_valid_file(void)
{
	char *err;
	const char **names;
	struct config *cfg = load_text(valid_yaml, &err);

	CHECK(cfg != NULL, "a valid file loads");
	if (!cfg) {
		printf("# %s\n", err);
		free(err);
		return;
	}
	size_t n = config_profile_names(cfg, &names);
	CHECK(n == 3 && strcmp(names[0], "sandbox") == 0 && strcmp(names[1], "local") == 0 &&
		      strcmp(names[2], "empty") == 0,
	      "profile names come in file order");
	CHECK_STR(config_default_profile(cfg), "sandbox", "default: is read");
	CHECK_STR(config_get(cfg, "sandbox", "api_key"), "K1", "a flow mapping value is read");
	CHECK_STR(config_get(cfg, "local", "api_secret"), "S2", "a quoted value is read");
	CHECK_STR(config_get(cfg, "local", "timeout"), "2.5", "numbers are read as text");
	CHECK(config_get(cfg, "local", "mode") == NULL, "an absent key is NULL");
	CHECK(config_get(cfg, "nope", "api_key") == NULL, "a key of an absent profile is NULL");
	CHECK(config_has_profile(cfg, "empty") && !config_has_profile(cfg, "nope"),
	      "an empty profile exists, an absent one does not");
	config_free(cfg);
}

static void test_malformed(void)
{
	struct { const char *text, *want, *name; } cases[] = {
		{ "a: b: c\n", "~/config.yaml:1: mapping values are not allowed in this context",
		  "malformed YAML gives the parser's message and line" },
		{ "profiles:\n  x: [1\n", "~/config.yaml:3: did not find expected ',' or ']' while parsing a flow sequence",
		  "an unclosed flow sequence is reported with its context" },
		{ "a: \"open\n", "~/config.yaml:2: found unexpected end of stream while scanning a quoted scalar",
		  "an unterminated string is reported" },
		{ "x: \xc3\x28\n", "~/config.yaml: invalid trailing UTF-8 octet at byte 4",
		  "invalid UTF-8 is reported with its offset" },
		{ "- a\n- b\n", "~/config.yaml:1: the top level must be a mapping (default:, profiles:)",
		  "a top-level sequence is refused" },
		{ "profiles: yes\n", "~/config.yaml:1: profiles must be a mapping", "profiles as a scalar is refused" },
		{ "profiles:\n  sandbox: hello\n", "~/config.yaml:2: profiles.sandbox must be a mapping",
		  "a profile that is not a mapping is refused" },
		{ "profiles:\n  s:\n    api_key: [1]\n", "~/config.yaml:3: profiles.s.api_key must be a single value",
		  "a profile value that is a list is refused" },
		{ "default: [a]\n", "~/config.yaml:1: default must be a profile name", "default as a list is refused" },
		{ "a: 1\na: 2\n", "~/config.yaml:2: duplicate key 'a'", "a duplicate key is refused" },
		{ "a: &x 1\nb: *x\n", "~/config.yaml:2: aliases (*x) are not supported", "aliases are refused" },
		{ "a: 1\n---\nb: 2\n", "~/config.yaml:2: only one YAML document is allowed",
		  "a second document is refused" },
		{ "? [a]\n: b\n", "~/config.yaml:1: mapping keys must be plain strings", "a complex key is refused" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		_cleanup_free_ char *err = load_error(cases[i].text);
		CHECK_STR(err, cases[i].want, cases[i].name);
	}

	_cleanup_free_ char *deep = xstrdup("");
	for (int i = 0; i < 100; i++) {
		char *next = xasprintf("[%s]", deep);
		free(deep);
		deep = next;
	}
	_cleanup_free_ char *err = load_error(deep);
	CHECK_STR(err, "~/config.yaml:1: too deeply nested", "deep nesting is refused, not recursed into");

	struct config *cfg;
	char *e2 = NULL;
	CHECK((cfg = load_text("", &e2)) != NULL, "an empty file is an empty config");
	config_free(cfg);
	CHECK((cfg = load_text("# only a comment\n---\n", &e2)) != NULL, "a null document is an empty config");
	config_free(cfg);
	free(e2);
}

static void test_permissions(void)
{
	struct config *cfg = NULL;
	char *err = NULL;

	write_text(cfg_path, "default: x\n", 0644);
	CHECK(config_load(cfg_path, &cfg, &err) == -EPERM, "a world-readable file is refused");
	CHECK_STR(err, "config file ~/config.yaml is readable by others; run: chmod 600 ~/config.yaml",
		  "the refusal names the chmod fix");
	free(err);
	err = NULL;

	write_text(cfg_path, "default: x\n", 0620);
	CHECK(config_load(cfg_path, &cfg, &err) == -EPERM, "a group-writable file is refused");
	CHECK_STR(err, "config file ~/config.yaml is writable by others; run: chmod 600 ~/config.yaml",
		  "the refusal says why");
	free(err);
	err = NULL;

	write_text(cfg_path, "default: x\n", 0400);
	CHECK(config_load(cfg_path, &cfg, &err) == 0, "a file only the owner reads loads");
	config_free(cfg);
}

static void test_save_round_trip(void)
{
	char *err = NULL;
	struct config *cfg = load_text(valid_yaml, &err);
	if (!cfg) {
		CHECK(0, "round trip: load");
		free(err);
		return;
	}
	config_set(cfg, "sandbox", "mode", "production");
	config_set(cfg, "local", "api_key", "yes");
	config_set(cfg, "local", "retries", "3");
	config_set(cfg, "new", "api_key", "007");
	config_unset(cfg, "local", "output");
	CHECK(config_unset(cfg, "local", "output") == -ENOENT, "unsetting an absent key is -ENOENT");
	CHECK(config_save(cfg, cfg_path, &err) == 0, "save succeeds");
	config_free(cfg);

	_cleanup_free_ char *text = slurp(cfg_path);
	CHECK_STR(text,
		  "default: sandbox\n"
		  "editor: vim\n"
		  "profiles:\n"
		  "  sandbox:\n"
		  "    api_key: K1\n"
		  "    api_secret: S1\n"
		  "    mode: production\n"
		  "    color: blue\n"
		  "  local:\n"
		  "    api_key: 'yes'\n"
		  "    api_secret: 'S2'\n"
		  "    base_url: http://127.0.0.1:8080/v1\n"
		  "    timeout: 2.5\n"
		  "    retries: 3\n"
		  "  empty:\n"
		  "  new:\n"
		  "    api_key: '007'\n"
		  "extras:\n"
		  "- 1\n"
		  "- 2\n"
		  "- a: b\n",
		  "save keeps unknown keys, order and quoting; quotes values YAML would retype");

	cfg = NULL;
	CHECK(config_load(cfg_path, &cfg, &err) == 0, "the saved file loads again");
	CHECK(cfg && strcmp(config_get(cfg, "local", "api_key"), "yes") == 0 &&
		      strcmp(config_get(cfg, "new", "api_key"), "007") == 0,
	      "quoted values read back unchanged");
	config_free(cfg);
}

static void test_save_modes(void)
{
	_cleanup_free_ char *dir = xasprintf("%s/a/b", tmp_root);
	_cleanup_free_ char *path = xasprintf("%s/config.yaml", dir);
	struct config *cfg = NULL;
	char *err = NULL;
	struct stat st;

	config_load(path, &cfg, &err);
	config_set(cfg, "p", "api_secret", "s3cr3t: with colon # and hash");
	CHECK(config_set_default_profile(cfg, "nope") == -ENOENT, "the default must be an existing profile");
	CHECK(config_set_default_profile(cfg, "p") == 0, "the default can be set");
	CHECK(config_save(cfg, path, &err) == 0, "save creates missing directories");
	config_free(cfg);

	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600, "the file is saved with mode 0600");
	CHECK(stat(dir, &st) == 0 && (st.st_mode & 0777) == 0700, "a created directory gets mode 0700");

	_cleanup_free_ char *text = slurp(path);
	CHECK(str_starts_with(text, "default: p\n"), "a new default: goes first");
	cfg = NULL;
	config_load(path, &cfg, &err);
	CHECK_STR(cfg ? config_get(cfg, "p", "api_secret") : NULL, "s3cr3t: with colon # and hash",
		  "a value that needs quoting survives the round trip");

	/* A file config_load would refuse must not be written over a good one. */
	char *huge = xcalloc(1, 2 * 1024 * 1024 + 1);
	memset(huge, 'x', 2 * 1024 * 1024);
	config_set(cfg, "p", "api_secret", huge);
	free(huge);
	CHECK(config_save(cfg, path, &err) == -EFBIG && err && strstr(err, "larger than 1 MiB") &&
		      !strstr(err, "xxxx"),
	      "save refuses a file over the load limit, without echoing the value");
	free(err);
	err = NULL;
	config_free(cfg);
	cfg = NULL;
	CHECK(config_load(path, &cfg, &err) == 0 && cfg &&
		      !strcmp(config_get(cfg, "p", "api_secret"), "s3cr3t: with colon # and hash"),
	      "the file on disk is still the good one");
	config_free(cfg);
}

static void test_default_path(void)
{
	_cleanup_free_ char *want_home = xasprintf("%s/.config/smile/config.yaml", tmp_root);
	char *p;

	clear_env();
	p = config_default_path();
	CHECK_STR(p, want_home, "default path is under $HOME/.config");
	free(p);
	setenv("XDG_CONFIG_HOME", "/x/conf", 1);
	p = config_default_path();
	CHECK_STR(p, "/x/conf/smile/config.yaml", "$XDG_CONFIG_HOME is honoured");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = config_default_path();
	CHECK_STR(p, want_home, "a relative $XDG_CONFIG_HOME is ignored");
	free(p);
	setenv("SMILE_CONFIG", "/y/c.yaml", 1);
	p = config_default_path();
	CHECK_STR(p, "/y/c.yaml", "$SMILE_CONFIG beats everything");
	free(p);
	clear_env();
}

static const char profiles_yaml[] =
	"default: one\n"
	"profiles:\n"
	"  one: { api_key: K1, api_secret: S1 }\n"
	"  two: { api_key: K2, api_secret: S2, mode: production, rate: 5, retries: 0 }\n"
	"  three: { mode: production, base_url: 'http://localhost:9/v1/', connect_timeout: 1.25,\n"
	"           timeout: 30, retry_max_time: 0.5 }\n"
	"  bad_mode: { mode: prod }\n"
	"  bad_rate:\n"
	"    rate: fast\n"
	"  bad_timeout: { timeout: -1 }\n"
	"  bad_retries: { retries: 1.5 }\n"
	"  bad_secret: { api_secret: '' }\n";

/* Resolves with an optional --profile; returns 0 or the error code. */
static int resolve(const struct config *cfg, const char *name, struct profile *p, char **err)
{
	struct profile_overrides ov = PROFILE_OVERRIDES_INIT;
	ov.profile = name;
	return profile_resolve(cfg, &ov, p, err);
}

static void test_resolve_choice(struct config *cfg)
{
	struct profile p;
	char *err = NULL;

	clear_env();
	resolve(cfg, NULL, &p, &err);
	CHECK_STR(p.name, "one", "without --profile or SMILE_PROFILE, default: is used");
	profile_clear(&p);
	setenv("SMILE_PROFILE", "two", 1);
	resolve(cfg, NULL, &p, &err);
	CHECK_STR(p.name, "two", "SMILE_PROFILE beats default:");
	profile_clear(&p);
	resolve(cfg, "three", &p, &err);
	CHECK_STR(p.name, "three", "--profile beats SMILE_PROFILE");
	CHECK(p.name_from_option, "a profile from --profile is marked so hints repeat it");
	profile_clear(&p);

	CHECK(resolve(cfg, "ghost", &p, &err) == -ENOENT, "an unknown --profile is -ENOENT");
	CHECK_STR(err, "profile 'ghost' not found in ~/config.yaml", "and says where it looked");
	free(err);
	setenv("SMILE_PROFILE", "ghost", 1);
	CHECK(resolve(cfg, NULL, &p, &err) == -ENOENT, "an unknown SMILE_PROFILE is -ENOENT");
	free(err);
	clear_env();
}

static void test_resolve_values(struct config *cfg)
{
	struct profile p;
	char *err = NULL;

	clear_env();
	resolve(cfg, "one", &p, &err);
	CHECK_STR(p.api_key, "K1", "the key comes from the file");
	CHECK_STR(p.base_url, SMILE_SANDBOX_URL, "no mode means the sandbox URL");
	CHECK(p.rate == 20 && p.connect_timeout_ms == 10000 && p.timeout_ms == 60000 && p.max_attempts == 4 &&
		      p.retry_max_ms == 60000 && p.output == NULL,
	      "defaults: rate 20, timeouts 10 s and 60 s, 4 attempts, 60 s of retrying");
	profile_clear(&p);

	resolve(cfg, "two", &p, &err);
	CHECK_STR(p.base_url, SMILE_PRODUCTION_URL, "mode: production picks the production URL");
	CHECK(p.rate == 5 && p.max_attempts == 1, "rate and retries: 0 (one attempt) are read");
	CHECK(profile_is_production(&p), "a production profile says so");
	profile_clear(&p);

	resolve(cfg, "three", &p, &err);
	CHECK_STR(p.base_url, "http://localhost:9/v1", "base_url beats mode; a trailing slash is dropped");
	CHECK(p.connect_timeout_ms == 1250 && p.timeout_ms == 30000 && p.retry_max_ms == 500,
	      "seconds with decimals become milliseconds");
	profile_clear(&p);

	setenv("SMILE_API_KEY", "EK", 1);
	setenv("SMILE_API_SECRET", "ES", 1);
	setenv("SMILE_BASE_URL", "https://env.example/v1", 1);
	resolve(cfg, "two", &p, &err);
	CHECK(strcmp(p.api_key, "EK") == 0 && strcmp(p.api_secret, "ES") == 0, "the environment beats the file");
	CHECK_STR(p.base_url, "https://env.example/v1", "SMILE_BASE_URL beats mode");
	profile_clear(&p);

	struct profile_overrides ov = PROFILE_OVERRIDES_INIT;
	ov.profile = "two";
	ov.base_url = "http://override:1";
	ov.rate = 0;
	ov.timeout_ms = 7;
	ov.max_attempts = 9;
	profile_resolve(cfg, &ov, &p, &err);
	CHECK_STR(p.base_url, "http://override:1", "--base-url beats SMILE_BASE_URL");
	CHECK(p.rate == 0 && p.timeout_ms == 7 && p.max_attempts == 9 && p.connect_timeout_ms == 10000,
	      "given overrides beat the file, the rest keep their values");
	profile_clear(&p);

	setenv("SMILE_BASE_URL", "ftp://x", 1);
	CHECK(resolve(cfg, "one", &p, &err) == -EINVAL, "a bad SMILE_BASE_URL is refused");
	CHECK_STR(err, "SMILE_BASE_URL must start with https:// or http://, not 'ftp://x'", "naming the variable");
	free(err);
	clear_env();

	CHECK(profile_resolve(NULL, NULL, &p, &err) == 0 && p.name == NULL &&
		      strcmp(p.base_url, SMILE_SANDBOX_URL) == 0,
	      "no config at all resolves to the sandbox defaults");
	profile_clear(&p);
}

static void test_resolve_errors(struct config *cfg)
{
	struct { const char *profile, *want; } cases[] = {
		{ "bad_mode", "~/config.yaml:7: profiles.bad_mode.mode must be sandbox or production, not 'prod'" },
		{ "bad_rate", "~/config.yaml:9: profiles.bad_rate.rate must be a number of requests per second (0 = unlimited), not 'fast'" },
		{ "bad_timeout", "~/config.yaml:10: profiles.bad_timeout.timeout must be a number of seconds, like 2.5, not '-1'" },
		{ "bad_retries", "~/config.yaml:11: profiles.bad_retries.retries must be a whole number of extra attempts, at most 100, not '1.5'" },
		{ "bad_secret", "~/config.yaml:12: profiles.bad_secret.api_secret must not be empty" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct profile p;
		char *err = NULL;
		int r = resolve(cfg, cases[i].profile, &p, &err);
		_cleanup_free_ char *name = xasprintf("a bad value in %s is -EINVAL with file, line and key",
						      cases[i].profile);
		CHECK(r == -EINVAL, name);
		CHECK_STR(err, cases[i].want, name);
		free(err);
	}
}

static void test_check_value(void)
{
	char *err = NULL;

	CHECK(config_check_value("mode", "production", &err) == 0, "mode production is valid");
	CHECK(config_check_value("timeout", "0.5", &err) == 0, "a decimal timeout is valid");
	CHECK(config_check_value("rate", "1e3", &err) == -EINVAL, "exponents are refused");
	free(err);
	CHECK(config_check_value("retries", "0x3", &err) == -EINVAL, "hex is refused");
	free(err);
	CHECK(config_check_value("colour", "x", &err) == -ENOENT, "an unknown key is -ENOENT");
	CHECK_STR(err, "unknown key 'colour'; valid keys: api_key, api_secret, mode, base_url, output, pipe_output, "
		       "account_retention_days, upload_retention_days, rate, "
		       "connect_timeout, timeout, retries, retry_max_time, wink_sdk_url",
		  "and lists the valid keys");
	free(err);
	CHECK(config_key_is_secret("api_secret") && !config_key_is_secret("api_key"), "only api_secret is a secret");
}

/* Runs cli_require_credentials (the CLI's hint for what the profile lacks) with stderr captured into *msg. */
static int require_credentials(const struct profile *p, char **msg)
{
	_cleanup_free_ char *path = xasprintf("%s/stderr", tmp_root);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	dup2(fd, STDERR_FILENO);
	close(fd);
	int r = cli_require_credentials(p);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	*msg = slurp(path);
	return r;
}

static void test_credentials(void)
{
	struct profile p = { .name = "sandbox" };
	char *msg;

	CHECK(require_credentials(&p, &msg) == SMILE_EXIT_AUTH, "missing credentials exit with the auth status");
	CHECK_STR(msg,
		  "smile: no API credentials for profile 'sandbox'; run 'smile config set api_key KEY' and "
		  "'smile config set api_secret' (reads the secret from stdin), or set SMILE_API_KEY and "
		  "SMILE_API_SECRET\n",
		  "the message says how to add them");
	free(msg);

	p.api_key = "K";
	p.name_from_option = true;
	CHECK(require_credentials(&p, &msg) == SMILE_EXIT_AUTH, "a missing secret alone is refused");
	CHECK_STR(msg,
		  "smile: no API secret for profile 'sandbox'; run 'smile --profile sandbox config set api_secret' "
		  "(reads the secret from stdin), or set SMILE_API_SECRET\n",
		  "the hint repeats --profile");
	free(msg);

	p.api_key = NULL;
	p.api_secret = "TOPSECRET";
	require_credentials(&p, &msg);
	CHECK(strstr(msg, "TOPSECRET") == NULL && strstr(msg, "no API key") != NULL,
	      "a missing key is reported without the secret");
	free(msg);

	p.api_key = "K";
	CHECK(require_credentials(&p, &msg) == 0 && *msg == '\0', "complete credentials pass silently");
	free(msg);
}

int main(void)
{
	if (!mkdtemp(tmp_root))
		return 99;
	setenv("HOME", tmp_root, 1);
	clear_env();
	umask(022); /* so created modes are ours, not the umask's */
	cfg_path = xasprintf("%s/config.yaml", tmp_root);

	test_missing_file();
	test_valid_file();
	test_malformed();
	test_permissions();
	test_save_round_trip();
	test_save_modes();
	test_default_path();

	char *err = NULL;
	struct config *cfg = load_text(profiles_yaml, &err);
	CHECK(cfg != NULL, "the profiles fixture loads");
	if (cfg) {
		test_resolve_choice(cfg);
		test_resolve_values(cfg);
		test_resolve_errors(cfg);
	}
	free(err);
	config_free(cfg);
	test_check_value();
	test_credentials();

	free(cfg_path);
	_cleanup_free_ char *rm = xasprintf("rm -rf '%s'", tmp_root);
	if (system(rm) != 0)
		printf("# could not remove %s\n", tmp_root);
	return tap_done();
}
