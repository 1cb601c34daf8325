#!/usr/bin/env bats
# Credentials, the envelope, unknown paths and methods.

load common

setup() { emulator_start; }
teardown() { emulator_stop; }

@test "wrong credentials get 401 INVALID_CREDENTIALS in the envelope" {
	code=$(curl -s -o "$BATS_TEST_TMPDIR/b" -w '%{http_code}' -u nobody:wrong "$EMU_URL/providers")
	body=$(cat "$BATS_TEST_TMPDIR/b")
	expect_error 401 INVALID_CREDENTIALS credentials
	[ "$(jqb '.requestId | length')" -gt 0 ]
}

@test "missing credentials get 401" {
	code=$(curl -s -o /dev/null -w '%{http_code}' "$EMU_URL/providers")
	[ "$code" = 401 ]
}

@test "control API needs the credentials too" {
	code=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$EMU_BASE/_emulator/reset")
	[ "$code" = 401 ]
}

@test "success envelope has code, message, requestId and data" {
	api GET /providers
	expect_code 200
	[ "$(jqb '.code')" = OK ]
	[ "$(jqb '.message | type')" = string ]
	[[ $(jqb .requestId) =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]]
	[ "$(jqb '.data | type')" = object ]
}

@test "request ids differ between requests" {
	api GET /providers; first=$(jqb .requestId)
	api GET /providers; [ "$(jqb .requestId)" != "$first" ]
}

@test "unknown path is 404 MISSING_RESOURCE" {
	api GET /nothing/here
	expect_error 404 MISSING_RESOURCE /nothing/here
	[ "$(jqb '.data | type')" = object ]
}

@test "an encoded NUL does not cut the path or a query value short" {
	api GET /users/%00
	expect_error 404 MISSING_RESOURCE "'%00'"
	api GET '/users?cursor=%00'
	expect_error 400 INVALID_PARAMETERS "'%00'"
	# Other escapes are still decoded.
	api GET /users/a%20b
	expect_error 404 MISSING_RESOURCE "'a b'"
	api GET '/users?size=1%35'
	expect_code 200
}

@test "path outside /v1 is 404" {
	code=$(curl -s -o /dev/null -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/v2/providers")
	[ "$code" = 404 ]
}

@test "known path with a wrong method is 501 UNSUPPORTED_METHOD" {
	api DELETE /providers
	expect_error 501 UNSUPPORTED_METHOD DELETE
}

@test "trailing slash names the same resource" {
	api GET /providers/
	expect_code 200
}
