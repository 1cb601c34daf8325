/* SPDX-License-Identifier: MIT */
/* smile apply's pieces: ${...} expansion and the state file's recovery. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "cmd/apply/apply.h"

static json_object *lookup_hr(void *ctx, const char *name, long index, const char *path, char **err)
{
	json_object *hr = ctx;
	(void)index;
	if (strcmp(name, "hr"))
		return NULL; /* not created yet */
	json_object *v = path ? json_object_object_get(hr, path) : hr;
	if (!v)
		*err = strdup("no such field");
	return v;
}

/* Expands text (a JSON value) and returns the result as compact JSON, or
 * "error: ..." (static buffer). */
static const char *expand(const char *text, long index, json_object *hr)
{
	static char out[512];
	json_object *tmpl = json_tokener_parse(text), *res = NULL;
	struct strset unresolved = STRSET_INIT;
	struct expand_ctx ec = { .index = index, .resolve = lookup_hr, .resolve_ctx = hr, .unresolved = &unresolved };
	char *err = NULL, *ptr = NULL;

	if (expand_json(tmpl, &ec, &res, &err, &ptr) < 0)
		snprintf(out, sizeof(out), "error at %s: %s", ptr, err);
	else
		snprintf(out, sizeof(out), "%s%s", json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN),
			 unresolved.n ? " (unresolved)" : "");
	free(err);
	free(ptr);
	json_object_put(res);
	json_object_put(tmpl);
	strset_release(&unresolved);
	return out;
}

static void test_expand(void)
{
	json_object *hr = json_tokener_parse("{\"id\":\"ivt-1\",\"n\":7}");

	setenv("APPLY_TEST_VAR", "from env", 1);
	unsetenv("APPLY_TEST_MISSING");
	CHECK_STR(expand("{\"a\":\"x-${hr.id}-y\"}", -1, hr), "{\"a\":\"x-ivt-1-y\"}", "expand: a reference inside text");
	CHECK_STR(expand("{\"a\":\"${hr.n}\"}", -1, hr), "{\"a\":7}", "expand: a reference alone keeps its type");
	CHECK_STR(expand("[\"qa+${index}@x.org\",\"${index}\"]", 3, hr), "[\"qa+3@x.org\",3]",
		  "expand: ${index} in text, and alone as a number");
	CHECK_STR(expand("{\"a\":\"${env.APPLY_TEST_VAR}\"}", -1, hr), "{\"a\":\"from env\"}", "expand: ${env.VAR}");
	CHECK_STR(expand("{\"a\":{\"b\":\"${env.APPLY_TEST_MISSING}\"}}", -1, hr),
		  "error at /a/b: the environment variable APPLY_TEST_MISSING is not set",
		  "expand: a missing variable is an error, placed, never an empty string");
	CHECK_STR(expand("{\"a\":\"${later.id}\"}", -1, hr), "{\"a\":\"${later.id}\"} (unresolved)",
		  "expand: a reference not yet known stays as written, and is said to");
	CHECK_STR(expand("{\"a\":\"$${hr.id}\"}", -1, hr), "{\"a\":\"${hr.id}\"}", "expand: $${ is a literal ${");
	CHECK_STR(expand("{\"a\":\"${index}\"}", -1, hr), "error at /a: ${index} is only known in a resource with count:",
		  "expand: ${index} outside count: is an error");
	CHECK_STR(expand("{\"a\":\"${hr.nope}\"}", -1, hr), "error at /a: no such field", "expand: a missing field is an error");
	CHECK(!strncmp(expand("{\"a\":\"${hr\"}", -1, hr), "error at /a: '${' without", 24),
	      "expand: an unclosed ${ is an error");
	CHECK(!strncmp(expand("{\"a\":\"${a b}\"}", -1, hr), "error at /a: '${a b}' is not a reference", 30),
	      "expand: a bad reference is named");
	json_object_put(hr);
}

static void test_state(void)
{
	char dir[] = "/tmp/test_apply.XXXXXX";
	struct apply_state st;

	if (!mkdtemp(dir)) {
		CHECK(0, "state: a temporary directory");
		return;
	}
	char *path = xasprintf("%s/sub/seed.state", dir);
	CHECK(state_open(path, "http://h/v1", false, &st) == 0, "state: created with its parent directory");
	json_object *obj = json_tokener_parse("{\"id\":\"ivt-1\"}");
	state_record(&st, "hr", "invite-templates", "creating", NULL, NULL, "{}");
	state_record(&st, "hr", "invite-templates", "created", "ivt-1", obj, NULL);
	state_record(&st, "inv[0]", "invites", "creating", NULL, NULL, "{\"e\":1}");
	CHECK(state_flush(&st) == 0, "state: flushed");
	state_close(&st);
	json_object_put(obj);
	/* A torn last line, as kill -9 in the middle of a write leaves. */
	int fd = open(path, O_WRONLY | O_APPEND);
	CHECK(fd >= 0 && write(fd, "{\"key\":\"inv[0]\",\"event\":\"crea", 30) == 30, "state: a torn line appended");
	close(fd);
	CHECK(state_open(path, "http://h/v1", false, &st) == 0, "state: opened again");
	struct state_entry *hr = state_get(&st, "hr"), *inv = state_get(&st, "inv[0]");
	CHECK(hr && hr->phase == PHASE_CREATED && !strcmp(hr->id, "ivt-1") && hr->spec && !strcmp(hr->spec, "{}"),
	      "state: created, with the spec of its creating event");
	CHECK(inv && inv->phase == PHASE_CREATING, "state: in flight when killed: creating, to be looked up");
	struct apply_state second;
	CHECK(state_open(path, "http://h/v1", false, &second) == SMILE_EXIT_FAILURE, "state: a second run is refused");
	state_close(&second);
	state_close(&st);
	CHECK(state_open(path, "http://other/v1", true, &st) == SMILE_EXIT_FAILURE,
	      "state: another base URL is refused");
	state_close(&st);
	char *cmd = xasprintf("rm -rf '%s'", dir);
	CHECK(system(cmd) == 0, "state: cleaned up");
	free(cmd);
	free(path);
}

int main(void)
{
	test_expand();
	test_state();
	return tap_done();
}
