/* SPDX-License-Identifier: MIT */
/* The webhook signature (core/signature.h) against RFC 4231's vectors. */
#include "core/signature.h"
#include "tap.h"

#include <ctype.h>
#include <string.h>

/* RFC 4231, test case 2: key "Jefe". */
#define JEFE_BODY "what do ya want for nothing?"
#define JEFE_MAC "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554" \
		 "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"

static void test_sign(void)
{
	char out[SIGNATURE_HEX_LEN + 1];

	signature_sign("Jefe", 4, JEFE_BODY, strlen(JEFE_BODY), out);
	CHECK_STR(out, JEFE_MAC, "sign: RFC 4231 case 2, lowercase hex");
	signature_sign("", 0, "", 0, out);
	CHECK(strlen(out) == SIGNATURE_HEX_LEN, "sign: an empty key and body still sign");
	signature_sign("k", 1, "a\0b", 3, out);
	char other[SIGNATURE_HEX_LEN + 1];
	signature_sign("k", 1, "a", 1, other);
	CHECK(strcmp(out, other) != 0, "sign: bytes after a NUL count");
}

static void test_check(void)
{
	char upper[] = JEFE_MAC, flipped[] = JEFE_MAC;
	const char *b = JEFE_BODY;
	size_t n = strlen(b);

	for (char *p = upper; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	flipped[SIGNATURE_HEX_LEN - 1] = flipped[SIGNATURE_HEX_LEN - 1] == '7' ? '8' : '7';
	CHECK(signature_check("Jefe", 4, b, n, JEFE_MAC) == SIGNATURE_VALID, "check: the right signature");
	CHECK(signature_check("Jefe", 4, b, n, upper) == SIGNATURE_VALID, "check: uppercase hex too");
	CHECK(signature_check("Jefe", 4, b, n, flipped) == SIGNATURE_INVALID, "check: the last digit changed");
	CHECK(signature_check("jefe", 4, b, n, JEFE_MAC) == SIGNATURE_INVALID, "check: another key");
	CHECK(signature_check("Jefe", 4, b, n - 1, JEFE_MAC) == SIGNATURE_INVALID, "check: a byte less of body");
	CHECK(signature_check("Jefe", 4, b, n, NULL) == SIGNATURE_MALFORMED, "check: no signature");
	CHECK(signature_check("Jefe", 4, b, n, "") == SIGNATURE_MALFORMED, "check: an empty one");
	CHECK(signature_check("Jefe", 4, b, n, JEFE_MAC "0") == SIGNATURE_MALFORMED, "check: 129 digits");
	upper[5] = 'g';
	CHECK(signature_check("Jefe", 4, b, n, upper) == SIGNATURE_MALFORMED, "check: a non-hex digit");
}

int main(void)
{
	test_sign();
	test_check();
	return tap_done();
}
