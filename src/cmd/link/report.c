/* SPDX-License-Identifier: MIT */
/*
 * The widget's callbacks as smile link prints them, one line each as they
 * happen:
 *   onAccountConnected accountId=a-3f2a... userId=emulator-9c1d... providerId=upwork
 *   onClose reason=exit
 * (a value that is not a plain word is written as JSON), or with -o ndjson
 * one object {callback, args} per line. With -q only the ids of the
 * accounts that connect. The ids of connected accounts are kept for
 * --once, which ends at onClose.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/link/link.h"
#include "core/util.h"

static const char *const callbacks[] = {
	"onAccountCreated", "onAccountConnected", "onAccountRemoved", "onAccountError",
	"onTokenExpired", "onClose", "onUploadsCreated", "onUploadsRemoved", "onUIEvent", NULL,
};

static bool known_callback(const char *name)
{
	for (size_t i = 0; callbacks[i]; i++)
		if (!strcmp(callbacks[i], name))
			return true;
	return false;
}

static bool plain_word(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') || ('0' <= *s && *s <= '9') ||
		      strchr("-_.:@/+", *s)))
			return false;
	return true;
}

static void print_line(const char *name, json_object *args)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, name);
	if (json_object_is_type(args, json_type_object)) {
		json_object_object_foreach(args, key, value) {
			const char *text = json_object_is_type(value, json_type_string)
						   ? json_object_get_string(value) : NULL;
			strbuf_addf(&sb, " %s=%s", plain_word(key) ? key : "?",
				    text && plain_word(text)
					    ? text
					    : json_compact(value));
		}
	}
	printf("%s\n", sb.buf);
	strbuf_release(&sb);
}

static void track_accounts(struct link_state *st, const char *name, json_object *args)
{
	json_object *id = json_get_path(args, "accountId");
	size_t n;

	if (!json_string_member(args, "accountId"))
		return;
	n = json_object_array_length(st->connected);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(st->connected, i)),
			    json_object_get_string(id))) {
			if (!strcmp(name, "onAccountRemoved"))
				json_object_array_del_idx(st->connected, i, 1);
			return;
		}
	if (!strcmp(name, "onAccountConnected")) {
		json_object_array_add(st->connected, json_object_get(id));
		if (st->quiet && !st->once)
			printf("%s\n", json_object_get_string(id));
	}
}

bool link_report(struct link_state *st, json_object *msg)
{
	json_object *args = NULL;
	const char *name = json_string_member(msg, "callback");

	if (!name || !known_callback(name))
		return false;
	json_object_object_get_ex(msg, "args", &args);
	if (st->quiet) {
		/* only ids, below */
	} else if (st->out) {
		json_object *item = json_object_new_object();
		json_object_object_add(item, "callback", json_object_new_string(name));
		if (args)
			json_object_object_add(item, "args", json_object_get(args));
		output_item(st->out, item);
		json_object_put(item);
	} else {
		print_line(name, args);
	}
	track_accounts(st, name, args);
	fflush(stdout);
	if (!strcmp(name, "onClose") && st->once)
		st->closed = true; /* the run ends once this report is answered */
	return true;
}

int link_once_result(struct link_state *st)
{
	size_t n = json_object_array_length(st->connected);

	if (st->quiet)
		for (size_t i = 0; i < n; i++)
			printf("%s\n", json_object_get_string(json_object_array_get_idx(st->connected, i)));
	fflush(stdout);
	if (n == 0) {
		log_error("the widget closed without connecting an account");
		return SMILE_EXIT_FAILURE;
	}
	return SMILE_EXIT_OK;
}
