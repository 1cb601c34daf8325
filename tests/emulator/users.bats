#!/usr/bin/env bats
# Users, tokens, payloads and session resets.

load common

setup() { emulator_start; }
teardown() { emulator_stop; }

@test "create user answers 201 with the user and a link token" {
	api POST /users '{"externalMetadata":{"ref":"abc"}}'
	expect_code 201
	[[ $(jqb .data.user.id) =~ ^emulator-[0-9a-f]{32}$ ]]
	[ "$(jqb .data.user.externalMetadata.ref)" = abc ]
	[ "$(jqb '.data.user.providers | type')" = array ]
	[[ $(jqb .data.user.createdAt) =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]]
	[ "$(jqb '.data.token.accessToken | length')" -gt 0 ]
	[ "$(jqb .data.token.mode)" = SANDBOX ]
	[[ $(jqb .data.token.expiresAt) == *Z ]]
}

@test "create user without a body works" {
	code=$(curl -s -o /dev/null -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" -X POST "$EMU_URL/users")
	[ "$code" = 201 ]
}

@test "created user can be read back" {
	id=$(create_user)
	api GET "/users/$id"
	expect_code 200
	[ "$(jqb .data.id)" = "$id" ]
	[ "$(jqb .data.session.status)" = IN_PROGRESS ]
}

@test "unknown user is 404" {
	api GET /users/emulator-0000
	expect_error 404 MISSING_RESOURCE emulator-0000
}

@test "externalMetadata of the wrong type is 400 naming it" {
	api POST /users '{"externalMetadata":"x"}'
	expect_error 400 INVALID_PARAMETERS externalMetadata
}

@test "malformed JSON is 400" {
	api POST /users '{"externalMetadata":'
	expect_error 400 INVALID_PARAMETERS JSON
}

@test "a JSON body that is not an object is 400" {
	api POST /users '[1,2]'
	expect_error 400 INVALID_PARAMETERS object
}

@test "a body that is not application/json is 415" {
	code=$(curl -s -o "$BATS_TEST_TMPDIR/b" -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" \
		-H 'Content-Type: text/plain' -d 'hello' "$EMU_URL/users")
	body=$(cat "$BATS_TEST_TMPDIR/b")
	expect_error 415 UNSUPPORTED_TYPE application/json
}

@test "users list pages in creation order and ends with a null cursor" {
	for i in 1 2 3 4 5; do ids+=("$(create_user)"); done
	api GET "/users?size=2"
	[ "$(jqb '[.data.items[].id] | join(",")')" = "${ids[0]},${ids[1]}" ]
	c=$(jqb .data.nextCursor)
	api GET "/users?size=2&cursor=$c"
	[ "$(jqb '[.data.items[].id] | join(",")')" = "${ids[2]},${ids[3]}" ]
	c=$(jqb .data.nextCursor)
	api GET "/users?size=2&cursor=$c"
	[ "$(jqb '[.data.items[].id] | join(",")')" = "${ids[4]}" ]
	# The schema has no null for nextCursor: the last page leaves it out.
	[ "$(jqb '.data | has("nextCursor")')" = false ]
}

@test "exactly one full page has a null next cursor" {
	create_user >/dev/null; create_user >/dev/null
	api GET "/users?size=2"
	[ "$(jqb '.data.items | length')" -eq 2 ]
	[ "$(jqb .data.nextCursor)" = null ]
}

@test "users filter by startDate and endDate" {
	create_user >/dev/null
	today=$(date -u +%F)
	api GET "/users?startDate=$today&endDate=$today"
	[ "$(jqb '.data.items | length')" -eq 1 ]
	api GET "/users?endDate=2000-01-01"
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "bad dates are 400 naming the parameter" {
	api GET "/users?startDate=2024-13-01"
	expect_error 400 INVALID_PARAMETERS startDate
	api GET "/users?endDate=yesterday"
	expect_error 400 INVALID_PARAMETERS endDate
	api GET "/users?startDate=2024-02-01&endDate=2024-01-01"
	expect_error 400 INVALID_PARAMETERS startDate
}

@test "POST /tokens gives the user a new token" {
	id=$(create_user)
	api POST "/tokens?userId=$id"
	expect_code 201
	[ "$(jqb '.data.accessToken | length')" -gt 0 ]
	first=$(jqb .data.accessToken)
	api POST "/tokens?userId=$id"
	[ "$(jqb .data.accessToken)" != "$first" ]
}

@test "POST /tokens without userId is 400 naming it" {
	api POST /tokens
	expect_error 400 INVALID_PARAMETERS userId
}

@test "POST /tokens for an unknown user is 404" {
	api POST "/tokens?userId=emulator-nobody"
	expect_error 404 MISSING_RESOURCE emulator-nobody
}

@test "user payload has the session and empty lists" {
	id=$(create_user)
	api GET "/users/$id/payload"
	expect_code 200
	[ "$(jqb .data.metadata.userId)" = "$id" ]
	[ "$(jqb '.data.accounts | length')" -eq 0 ]
	api GET /users/nobody/payload
	expect_code 404
}

@test "resetSession answers 200 and 404 for unknown users" {
	id=$(create_user)
	api POST "/users/$id/resetSession"
	expect_code 200
	[ "$(jqb .code)" = OK ]
	api POST /users/nobody/resetSession
	expect_code 404
}

@test "a body that is not UTF-8 or not RFC 8259 JSON is 400, never stored" {
	for body in $'{"externalMetadata": {"a": "\xff\xfe"}}' $'{"externalMetadata": {"\xc3": 1}}' \
		    '{"externalMetadata": {"a": NaN}}' '{"externalMetadata": {"a": -Infinity}}' \
		    '{"externalMetadata": {},}' '{/* c */ "externalMetadata": {}}'; do
		api POST /users "$body"
		expect_error 400 INVALID_PARAMETERS "request body is not valid JSON"
	done
	api GET /users
	[ "$(jqb '.data.items | length')" -eq 0 ]
	# A huge exponent is a JSON number: kept as written.
	api POST /users '{"externalMetadata": {"a": 1e999}}'
	expect_code 201
	[[ $body == *'"a":1e999'* ]]
}

@test "overlong, surrogate and beyond-U+10FFFF UTF-8 in a body is 400, never stored" {
	# "/" as two and three bytes, U+D800, U+110000, and a lead byte cut short.
	for bad in $'\xc0\xaf' $'\xe0\x80\xaf' $'\xed\xa0\x80' $'\xf4\x90\x80\x80' $'\xf0\x9f\x98'; do
		api POST /users "{\"externalMetadata\": {\"a\": \"$bad\"}}"
		expect_error 400 INVALID_PARAMETERS "invalid UTF-8 at byte 28"
	done
	api GET /users
	[ "$(jqb '.data.items | length')" -eq 0 ]
	# The largest code point and a four-byte emoji are fine.
	api POST /users $'{"externalMetadata": {"a": "\xf4\x8f\xbf\xbf\xf0\x9f\x98\x80"}}'
	expect_code 201
}

@test "messages quoting request bytes that are not UTF-8 stay valid UTF-8" {
	for path in '/users?cursor=%ff%fe' '/users/%ff%c3%28' '/users?size=%e0%80'; do
		api GET "$path"
		[[ $code == 4* ]]
		iconv -f UTF-8 -t UTF-8 "$BATS_TEST_TMPDIR/body" >/dev/null || { echo "$path: $body"; false; }
		jqb .message >/dev/null
	done
}
