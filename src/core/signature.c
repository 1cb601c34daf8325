/* SPDX-License-Identifier: MIT */
#include "core/signature.h"
#include "core/hex.h"

#include <openssl/crypto.h>
#include <stdbool.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#define MAC_LEN (SIGNATURE_HEX_LEN / 2)

static bool mac_of(const void *key, size_t key_len, const void *body, size_t len,
		   unsigned char mac[MAC_LEN])
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int out_len = 0;

	/* HMAC() takes an int key length; a longer key is hashed first by
	 * HMAC itself, so refusing it here loses nothing real. */
	if (key_len > (size_t)__INT_MAX__ ||
	    !HMAC(EVP_sha512(), key_len ? key : "", (int)key_len, body, len, out, &out_len) ||
	    out_len != MAC_LEN)
		return false;
	memcpy(mac, out, MAC_LEN);
	OPENSSL_cleanse(out, sizeof(out));
	return true;
}

void signature_sign(const void *key, size_t key_len, const void *body, size_t len,
		    char out[SIGNATURE_HEX_LEN + 1])
{
	unsigned char mac[MAC_LEN];

	out[0] = '\0';
	if (!mac_of(key, key_len, body, len, mac))
		return;
	hex_encode(mac, MAC_LEN, out);
}

static bool hex_decode(const char *hex, unsigned char out[MAC_LEN])
{
	if (!hex || strlen(hex) != SIGNATURE_HEX_LEN)
		return false;
	for (size_t i = 0; i < MAC_LEN; i++) {
		int hi = hex_digit_value(hex[2 * i]), lo = hex_digit_value(hex[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

enum signature_check signature_check(const void *key, size_t key_len, const void *body, size_t len,
				     const char *given)
{
	unsigned char want[MAC_LEN], got[MAC_LEN];

	if (!hex_decode(given, got))
		return SIGNATURE_MALFORMED;
	if (!mac_of(key, key_len, body, len, want))
		return SIGNATURE_INVALID;
	return CRYPTO_memcmp(want, got, MAC_LEN) == 0 ? SIGNATURE_VALID : SIGNATURE_INVALID;
}
