/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer harness for smile-emulator's request handling: paths, queries,
 * headers and bodies, through emulator.h without a socket.
 *
 * One input is a short session of requests against a fresh emulator, so
 * that a request can meet the state earlier ones made (a GET of what a POST
 * created, a link after a user). Requests are separated by a line "%%";
 * each is written as HTTP would carry it:
 *
 *     POST /v1/users?size=2
 *     Content-Type: application/json
 *
 *     {"externalMetadata": {"crm": "a"}}
 *
 * The request line is METHOD and TARGET; header lines follow up to an
 * empty line; the rest is the body. Unless the request has its own
 * Authorization header it gets the emulator's credentials, and a body
 * without a Content-Type is sent as application/json, so that inputs reach
 * the handlers rather than stop at 401 and 415.
 *
 * Every answer must be a status from 200 to 599; a JSON answer must be
 * valid JSON and UTF-8. Webhooks are never delivered (no delivery engine
 * runs), so nothing leaves the process.
 */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emulator/emulator.h"

#define MAX_REQUESTS 16
#define MAX_PAIRS 32
#define SEPARATOR "\n%%\n"
#define AUTH "Basic ZnV6ei1rZXk6ZnV6ei1zZWNyZXQ=" /* fuzz-key:fuzz-secret */

struct parsed {
	const char *method;
	const char *path;
	struct emu_pair query[MAX_PAIRS];
	size_t n_query;
	struct emu_pair headers[MAX_PAIRS];
	size_t n_headers;
	const char *body;
	size_t body_len;
};

/* Cuts the next line off *s (in place); NULL at the end. */
static char *next_line(char **s)
{
	char *line = *s, *nl;

	if (!line)
		return NULL;
	nl = strchr(line, '\n');
	if (nl) {
		*nl = '\0';
		*s = nl + 1;
	} else {
		*s = NULL;
	}
	return line;
}

static bool has_header(const struct parsed *p, const char *name)
{
	for (size_t i = 0; i < p->n_headers; i++)
		if (strcasecmp(p->headers[i].name, name) == 0)
			return true;
	return false;
}

static void add_header(struct parsed *p, const char *name, const char *value)
{
	if (p->n_headers < MAX_PAIRS)
		p->headers[p->n_headers++] = (struct emu_pair){ name, value };
}

/* Parses one request (a NUL-terminated copy, modified in place). */
static bool parse_request(char *text, struct parsed *p)
{
	char *rest = text, *line = next_line(&rest), *sp;

	if (!line || !(sp = strchr(line, ' ')))
		return false;
	*sp = '\0';
	p->method = line;
	p->n_query = emu_parse_target(sp + 1, &p->path, p->query, MAX_PAIRS);
	while ((line = next_line(&rest)) && *line) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon++ = '\0';
		while (*colon == ' ')
			colon++;
		add_header(p, line, colon);
	}
	p->body = rest ? rest : "";
	p->body_len = strlen(p->body);
	if (!has_header(p, "Authorization"))
		add_header(p, "Authorization", AUTH);
	if (p->body_len && !has_header(p, "Content-Type"))
		add_header(p, "Content-Type", "application/json");
	return true;
}

static void check_answer(const struct emu_answer *a)
{
	if (a->drop)
		return;
	if (a->status < 200 || a->status > 599)
		abort();
	if (a->content_type && strcmp(a->content_type, "application/json") == 0) {
		struct json_tokener *tok = json_tokener_new();
		json_object *obj;

		json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
		obj = json_tokener_parse_ex(tok, a->body, (int)a->body_len);
		if (!obj || json_tokener_get_parse_end(tok) != a->body_len)
			abort(); /* the emulator answered something that is not JSON */
		json_object_put(obj);
		json_tokener_free(tok);
	}
}

static void run_one(struct emu *emu, char *text)
{
	struct parsed p = { 0 };
	struct emu_answer answer;

	if (!parse_request(text, &p))
		return;
	struct emu_call call = {
		.method = p.method, .path = p.path,
		.query = p.query, .n_query = p.n_query,
		.headers = p.headers, .n_headers = p.n_headers,
		.body = p.body, .body_len = p.body_len,
	};
	emu_handle(emu, &call, &answer);
	check_answer(&answer);
	emu_answer_release(&answer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct emu_options opt = {
		.host = "127.0.0.1", .api_key = "fuzz-key", .api_secret = "fuzz-secret",
		.fault_seed = 1, .id_seed = 1,
	};
	char *text = malloc(size + 1), *at;
	struct emu *emu;
	int n = 0;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0'; /* a NUL inside ends the input early: fine */
	emu = emu_new(&opt);
	for (at = text; at && n < MAX_REQUESTS; n++) {
		char *sep = strstr(at, SEPARATOR);
		if (sep)
			*sep = '\0';
		run_one(emu, at);
		at = sep ? sep + strlen(SEPARATOR) : NULL;
	}
	emu_free(emu);
	free(text);
	return 0;
}
