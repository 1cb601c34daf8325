/* SPDX-License-Identifier: MIT */
/*
 * The one table of webhook event types (core/webhook_events.h) against the
 * contract's RefWebhookEventType enum, read from ../shared/smile-api beside
 * the repository when it is there (it is never copied into it).
 */
#include <stdlib.h>

#include "core/webhook_events.h"
#include "tap.h"

#define MAX_TYPES 128

/* The enum of RefWebhookEventType: the "- NAME" lines of its "enum:" list. */
static size_t spec_types(FILE *f, char *types[], size_t max)
{
	char line[256];
	size_t n = 0;
	int state = 0; /* 0: before the schema, 1: in it, 2: in its enum */

	while (fgets(line, sizeof(line), f) && n < max) {
		char *s = line + strspn(line, " ");
		s[strcspn(s, "\r\n")] = '\0';
		if (state == 0 && !strcmp(s, "RefWebhookEventType:"))
			state = 1;
		else if (state == 1 && !strcmp(s, "enum:"))
			state = 2;
		else if (state == 2 && !strncmp(s, "- ", 2))
			types[n++] = strdup(s + 2);
		else if (state == 2)
			break;
	}
	return n;
}

static bool in_table(const char *type)
{
	for (const char *const *t = webhook_event_types; *t; t++)
		if (!strcmp(*t, type))
			return true;
	return false;
}

static bool in_list(char *types[], size_t n, const char *type)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(types[i], type))
			return true;
	return false;
}

int main(void)
{
	FILE *f = fopen(SPEC_PATH, "r");
	char *types[MAX_TYPES];
	size_t n, n_table = 0;
	bool all_known = true, all_in_spec = true;

	CHECK_STR(webhook_event_types[0], WEBHOOK_ALL_EVENTS, "ALL_EVENTS comes first");
	CHECK(webhook_event_type_known("USER_CREATED") && webhook_event_type_known(WEBHOOK_ALL_EVENTS) &&
		      !webhook_event_type_known("user_created") && !webhook_event_type_known(NULL),
	      "known: exact names only");
	if (!f) {
		printf("ok %d # SKIP no API contract at %s\n", ++tap_count, SPEC_PATH);
		return tap_done();
	}
	n = spec_types(f, types, MAX_TYPES);
	fclose(f);
	for (const char *const *t = webhook_event_types; *t; t++) {
		n_table++;
		if (!in_list(types, n, *t)) {
			all_in_spec = false;
			printf("# not in the contract: %s\n", *t);
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!in_table(types[i])) {
			all_known = false;
			printf("# missing from the table: %s\n", types[i]);
		}
	CHECK(n > 30, "the contract lists RefWebhookEventType's enum");
	CHECK(all_known, "every event type of the contract is in the table");
	CHECK(all_in_spec, "every type of the table is in the contract");
	CHECK(n_table == n, "no type twice");
	for (size_t i = 0; i < n; i++)
		free(types[i]);
	return tap_done();
}
