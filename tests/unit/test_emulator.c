/* SPDX-License-Identifier: MIT */
/*
 * The emulator's model, through emulator.h without a socket: whichever way
 * an object is made (the API, /_emulator/link, /_emulator/seed, an upload),
 * it is made by the same constructor and so has the same shape.
 */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "emulator/emulator.h"
#include "tap.h"

#define AUTH "Basic a2V5OnNlY3JldA==" /* key:secret */
#define PNG_BASE64 "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

static struct emu *emu;

/* Sends one request; returns the answer's envelope (put it) and sets *status. */
static json_object *call(const char *method, const char *target, const char *body, unsigned *status)
{
	const struct emu_pair headers[] = {
		{ "Authorization", AUTH },
		{ "Content-Type", "application/json" },
		{ "Host", "emu.test" },
	};
	struct emu_pair query[8];
	struct emu_call c = { .method = method, .headers = headers, .n_headers = 3 };
	struct emu_answer a = { 0 };
	char *t = strdup(target);
	json_object *out;

	c.n_query = emu_parse_target(t, &c.path, query, 8);
	c.query = query;
	c.body = body;
	c.body_len = body ? strlen(body) : 0;
	emu_handle(emu, &c, &a);
	*status = a.status;
	out = json_tokener_parse(a.body ? a.body : "null");
	emu_answer_release(&a);
	free(t);
	return out;
}

/* The answer's data.<member> as a string (valid while env lives). */
static const char *data_str(json_object *env, const char *path)
{
	json_object *v = NULL, *data = NULL;
	char buf[128], *save = NULL;

	json_object_object_get_ex(env, "data", &data);
	v = data;
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok_r(buf, ".", &save); k && v; k = strtok_r(NULL, ".", &save))
		if (!json_object_object_get_ex(v, k, &v))
			v = NULL;
	return v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

/* Whether the user has an IN_PROGRESS session, as every user must. */
static void check_user_shape(const char *user_id, const char *how)
{
	char target[128], name[160];
	unsigned status;
	json_object *env;

	snprintf(target, sizeof(target), "/v1/users/%s", user_id ? user_id : "none");
	env = call("GET", target, NULL, &status);
	snprintf(name, sizeof(name), "a user made by %s can be read back", how);
	CHECK(status == 200, name);
	snprintf(name, sizeof(name), "a user made by %s has a session", how);
	CHECK_STR(data_str(env, "session.status"), "IN_PROGRESS", name);
	json_object_put(env);
}

static json_object *first_item(const char *target)
{
	unsigned status;
	json_object *env = call("GET", target, NULL, &status), *data, *items, *item = NULL;

	if (json_object_object_get_ex(env, "data", &data) &&
	    json_object_object_get_ex(data, "items", &items) && json_object_array_length(items) > 0)
		item = json_object_get(json_object_array_get_idx(items, 0));
	json_object_put(env);
	return item;
}

static const char *str(json_object *obj, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_string)
		       ? json_object_get_string(v)
		       : NULL;
}

static void test_users(void)
{
	unsigned status;
	json_object *env, *tpl, *user, *invite;

	env = call("POST", "/v1/users", "{}", &status);
	CHECK(status == 201, "POST /users answers 201");
	check_user_shape(data_str(env, "user.id"), "POST /users");
	json_object_put(env);

	env = call("POST", "/v1/archives",
		   "{\"fileType\":\"COMPANY_ID\",\"rawFiles\":[{\"fileExtensionType\":\"PNG\","
		   "\"fileContent\":\"" PNG_BASE64 "\"}]}", &status);
	CHECK(status == 200, "an upload without userId is accepted");
	check_user_shape(data_str(env, "userId"), "an upload without userId");
	json_object_put(env);

	env = call("POST", "/_emulator/seed", "{\"users\":2,\"accounts\":2,\"invites\":2}", &status);
	CHECK(status == 201, "seeding answers 201");
	json_object_put(env);
	invite = first_item("/v1/invites?size=1");
	check_user_shape(str(invite, "userId"), "seeding");
	CHECK(str(invite, "inviteLandingPageUrl") &&
		      strstr(str(invite, "inviteLandingPageUrl"), "http://emu.test/_emulator/link?"),
	      "a seeded invite has a landing page, as an API invite has");
	tpl = first_item("/v1/inviteTemplates");
	CHECK_STR(str(tpl, "updatedAt"), str(tpl, "createdAt"),
		  "the seeded invite template has updatedAt, as an API one has");
	user = first_item("/v1/accounts?size=1");
	{
		char target[128];
		snprintf(target, sizeof(target), "/v1/users/%s", str(user, "userId"));
		env = call("GET", target, NULL, &status);
		CHECK(json_object_array_length(json_object_object_get(
			      json_object_object_get(env, "data"), "providers")) == 1,
		      "a seeded user lists its account's provider, as a linked one does");
		json_object_put(env);
	}
	{
		char target[160];
		snprintf(target, sizeof(target), "/v1/invites/%s/logs", str(invite, "id"));
		json_object *log = first_item(target);
		CHECK_STR(str(log, "inviteStatus"), "INVITED", "a seeded invite is logged INVITED");
		json_object_put(log);
	}
	json_object_put(user);
	json_object_put(tpl);
	json_object_put(invite);
}

static void test_link_marks_invite(void)
{
	unsigned status;
	json_object *env, *invite;
	char body[256], target[160];
	const char *user_id;

	env = call("POST", "/v1/inviteTemplates",
		   "{\"name\":\"t\",\"company\":{\"name\":\"c\",\"logoUrl\":\"https://x/l.png\"},"
		   "\"email\":{\"sendEmail\":false,\"senderName\":\"s\",\"replyAddress\":\"a@b.co\","
		   "\"subject\":\"s\",\"body\":\"b\"},\"landingPage\":{\"header\":\"h\","
		   "\"description\":\"d\",\"button\":\"b\"},\"successPage\":{\"header\":\"h\","
		   "\"description\":\"d\",\"button\":\"b\"}}", &status);
	CHECK(status == 201, "an invite template is made");
	snprintf(body, sizeof(body), "{\"fullName\":\"A B\",\"email\":\"a@b.co\",\"templateId\":\"%s\"}",
		 data_str(env, "id"));
	json_object_put(env);
	invite = call("POST", "/v1/invites", body, &status);
	CHECK(status == 201, "an invite is made");
	user_id = data_str(invite, "userId");
	check_user_shape(user_id, "an invitation");
	snprintf(body, sizeof(body), "{\"userId\":\"%s\",\"providerId\":\"fiverr\"}", user_id);
	env = call("POST", "/_emulator/link", body, &status);
	CHECK(status == 201, "/_emulator/link links the invitee");
	CHECK_STR(data_str(env, "connectionStatus"), "CONNECTED", "the account is CONNECTED");
	json_object_put(env);
	snprintf(target, sizeof(target), "/v1/invites/%s", data_str(invite, "id"));
	env = call("GET", target, NULL, &status);
	CHECK_STR(data_str(env, "status"), "LINKED", "the invitation is LINKED");
	json_object_put(env);
	json_object_put(invite);
}

int main(void)
{
	struct emu_options opt = { .host = "127.0.0.1", .api_key = "key", .api_secret = "secret",
				   .id_seed = 1, .fault_seed = 1 };

	emu = emu_new(&opt);
	test_users();
	test_link_marks_invite();
	emu_free(emu);
	return tap_done();
}
