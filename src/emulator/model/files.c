/* SPDX-License-Identifier: MIT */
/*
 * Stored files: what uploads and exports keep, byte for byte (as base64 in
 * the "files" collection), for control/files.c to serve without
 * credentials at /_emulator/files/<owner>/<index>/<name>, as a file host
 * would.
 */
#include <openssl/evp.h>
#include <string.h>

#include "core/util.h"
#include "emulator/model/model.h"

static char *file_key(const char *owner, unsigned index)
{
	return xasprintf("%s/%u", owner, index);
}

void file_store_base64(struct emu *emu, const char *owner, unsigned index, const char *name,
		       const char *content_type, const char *base64)
{
	json_object *f = json_object_new_object();
	char *key = file_key(owner, index);

	emu_json_set_str(f, "id", key);
	emu_json_set_str(f, "name", name);
	emu_json_set_str(f, "contentType", content_type);
	emu_json_set_str(f, "content", base64);
	emu_coll_put(emu_store(emu, "files"), f);
	emu_state_dirty(emu);
	free(key);
}

void file_store_bytes(struct emu *emu, const char *owner, unsigned index, const char *name,
		      const char *content_type, const void *data, size_t len)
{
	char *b64 = xmalloc(4 * ((len + 2) / 3) + 1);

	EVP_EncodeBlock((unsigned char *)b64, data, (int)len);
	file_store_base64(emu, owner, index, name, content_type, b64);
	free(b64);
}

char *file_url(const char *host, const char *owner, unsigned index, const char *name)
{
	return xasprintf("http://%s/_emulator/files/%s/%u/%s", host ? host : "localhost", owner,
			 index, name);
}

void files_remove_owner(struct emu *emu, const char *owner, unsigned count)
{
	struct emu_coll *files = emu_store(emu, "files");

	for (unsigned i = 0; i < count; i++) {
		char *key = file_key(owner, i);
		emu_coll_remove(files, key);
		free(key);
	}
	emu_state_dirty(emu);
}

/* Strict base64: the whole alphabet check matters because EVP_DecodeBlock
 * skips whitespace and would accept some garbage. */
static bool base64_valid(const char *s, size_t n)
{
	size_t pad = 0;

	if (n == 0 || n % 4 != 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		bool alpha = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			     c == '+' || c == '/';
		if (c == '=' && i >= n - 2)
			pad++;
		else if (!alpha || pad)
			return false;
	}
	return true;
}

/* Decoded bytes (free() them), or NULL when s is not base64. */
unsigned char *base64_decode(const char *s, size_t *len)
{
	size_t n = strlen(s);
	unsigned char *out;
	int r;

	if (!base64_valid(s, n))
		return NULL;
	out = xmalloc(n / 4 * 3 + 1);
	r = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
	if (r < 0) {
		free(out);
		return NULL;
	}
	*len = (size_t)r - (s[n - 1] == '=') - (s[n - 2] == '=');
	return out;
}

