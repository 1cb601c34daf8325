/* SPDX-License-Identifier: MIT */
#include "core/hash.h"
#include "core/hex.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#define FNV1A_PRIME UINT64_C(1099511628211)

uint64_t fnv1a_add(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * FNV1A_PRIME;
	return h;
}

uint64_t fnv1a_str(const char *s)
{
	return fnv1a_add(FNV1A_INIT, s, strlen(s));
}

uint64_t hash_sha256_u64(const void *data, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	uint64_t v = 0;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (int i = 0; i < 8; i++)
		v = v << 8 | md[i];
	return v;
}

void hash_hmac_sha256_hex(const void *key, size_t key_len, const char *msg, char out[65])
{
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	HMAC(EVP_sha256(), key, (int)key_len, (const unsigned char *)msg, strlen(msg), mac, &n);
	hex_encode(mac, 32, out);
}
