/* SPDX-License-Identifier: MIT */
/*
 * Smile's webhook signature, in one place: the Smile-Signature header is
 * the hex HMAC-SHA512 of the raw body, keyed with the webhook's secret
 * (docs: api-reference/tags/tag-webhooks.md, "Validating Payloads").
 * The emulator signs with it; smile webhooks listen, verify and replay
 * check and sign with it.
 */
#pragma once

#include <stddef.h>

#define SIGNATURE_HEX_LEN 128 /* 64 bytes of SHA-512, two digits each */

/* out gets the lowercase hex signature and a NUL; "" if OpenSSL fails. */
void signature_sign(const void *key, size_t key_len, const void *body, size_t len,
		    char out[SIGNATURE_HEX_LEN + 1]);

enum signature_check {
	SIGNATURE_VALID,
	SIGNATURE_INVALID,   /* well formed, but not the body's under this key */
	SIGNATURE_MALFORMED, /* missing, or not 128 hex digits */
};

/* Compares given (hex, either case) with the body's signature in constant
 * time (CRYPTO_memcmp over the 64 decoded bytes). */
enum signature_check signature_check(const void *key, size_t key_len, const void *body, size_t len,
				     const char *given);
