/* SPDX-License-Identifier: MIT */
/* The per-tenant record of invitations (see record.h). */
#include <string.h>

#include "cmd/invites/record.h"
#include "core/hash.h"
#include "core/util.h"
#include "core/xdg.h"

/* Changing the label starts every tenant's record afresh: never do. */
#define TENANT_LABEL "smile invites tenant v1"

char *invite_record_path(const struct profile *p)
{
	_cleanup_free_ char *dir = state_directory();
	const char *key = p->api_key ? p->api_key : "";
	char mac[65];

	hash_hmac_sha256_hex(key, strlen(key), TENANT_LABEL, mac);
	return xasprintf("%s/invites-%s-%.32s.jsonl", dir, p->mode ? p->mode : "sandbox", mac);
}

int invite_record_open(const struct profile *p, const char *path, bool read_only, struct journal **out)
{
	_cleanup_free_ char *own = path ? NULL : invite_record_path(p);
	return journal_open(path ? path : own, read_only, out);
}
