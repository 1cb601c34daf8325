#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# The stand-in Wink widget's side of the emulator: its files, served without
# credentials, and /_emulator/wink/api/, authorised by the user token alone.
# The widget itself is driven in a real browser in tests/browser/.

load data-common

setup_file() {
	emulator_start
}

teardown_file() {
	emulator_stop
}

teardown() {
	[[ -z ${HOOK_PID:-} ]] || kill "$HOOK_PID" 2>/dev/null || true
}

# wink METHOD PATH TOKEN [JSON]: a widget call with the token as bearer;
# sets $code and $body.
wink() {
	local args=(-s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' -X "$1" --max-time 10)
	[[ -n $3 ]] && args+=(-H "Authorization: Bearer $3")
	[[ -n ${4-} ]] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
	code=$(curl "${args[@]}" "$EMU_BASE/_emulator/wink/api/$2") || true
	body=$(cat "$BATS_TEST_TMPDIR/body")
}

new_token() { # prints "USER TOKEN"
	api POST /users '{}'
	expect_code 201 >&2
	echo "$(jqb .data.user.id) $(jqb .data.token.accessToken)"
}

@test "the SDK and the widget are served without credentials" {
	run curl -sf -D - -o "$BATS_TEST_TMPDIR/sdk.js" "$EMU_BASE/_emulator/wink/v2/smile.v2.js"
	[ "$status" -eq 0 ]
	[[ $output == *"Content-Type: text/javascript; charset=utf-8"* ]]
	grep -q 'window.SmileLinkModal = SmileLinkModal' "$BATS_TEST_TMPDIR/sdk.js"
	run curl -sf -D - -o /dev/null "$EMU_BASE/_emulator/wink/v2/widget.html"
	[[ $output == *"Content-Type: text/html; charset=utf-8"* ]]
	# Version 1 is the same SDK, as the docs say.
	cmp <(curl -sf "$EMU_BASE/_emulator/wink/v1/smile.v1.js") "$BATS_TEST_TMPDIR/sdk.js"
	run curl -s -o /dev/null -w '%{http_code}' "$EMU_BASE/_emulator/wink/v2/nothing.js"
	[ "$output" = 404 ]
}

@test "the widget's calls take the user token, never the API key" {
	read -r user token < <(new_token)
	wink POST session "" '{}'
	expect_error 401 TOKEN_EXPIRED token
	code=$(curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' -u "$EMU_KEY:$EMU_SECRET" \
		-X POST "$EMU_BASE/_emulator/wink/api/session")
	body=$(cat "$BATS_TEST_TMPDIR/body")
	expect_error 401 TOKEN_EXPIRED token
	wink POST session "x$token" '{}'
	expect_error 401 TOKEN_EXPIRED token
	wink POST session "$token" '{}'
	expect_code 200
	[ "$(jqb .data.userId)" = "$user" ]
	[ "$(jqb .data.mode)" = SANDBOX ]
	jq -e '(.data.providers | map(.id) | index("upwork")) != null and (.data.fileTypes | length) > 0
		and .data.accounts == [] and .data.archives == []' <<<"$body"
}

@test "a link token opens one widget session only; tokens refresh gives a new one" {
	read -r user token < <(new_token)
	wink POST session "$token" '{}'
	expect_code 200
	wink POST session "$token" '{}'
	expect_error 401 TOKEN_EXPIRED "used for a widget session already"
	# The session itself goes on with its token.
	wink POST accounts "$token" '{"providerId": "fiverr", "username": "George", "password": "123456"}'
	expect_code 201
	api POST "/tokens?userId=$user"
	expect_code 201
	wink POST session "$(jqb .data.accessToken)" '{}'
	expect_code 200
	[ "$(jqb '.data.accounts | length')" = 1 ]
}

@test "a call before the session is refused" {
	read -r user token < <(new_token)
	wink POST accounts "$token" '{"providerId": "fiverr", "username": "George", "password": "123456"}'
	expect_error 401 TOKEN_EXPIRED "no widget session"
}

@test "George on Upwork: AWAITING_MFA until the code, then CONNECTED with data and a LINK_ACCOUNT task" {
	read -r user token < <(new_token)
	wink POST session "$token" '{}'
	wink POST accounts "$token" '{"providerId": "upwork", "username": "George", "password": "123456"}'
	expect_code 201
	account=$(jqb .data.id)
	[ "$(jqb .data.connectionStatus)" = AWAITING_MFA ]
	api GET "/accounts/$account"
	[ "$(jqb .data.connectionStatus)" = AWAITING_MFA ]
	api GET "/identities?userId=$user"
	[ "$(jqb '.data.items | length')" = 0 ]
	wink POST "accounts/$account/mfa" "$token" '{"mfaCode": "1234"}'
	expect_code 200
	[ "$(jqb .data.connectionStatus)" = CONNECTED ]
	api GET "/identities?userId=$user"
	[ "$(jqb '.data.items[0].firstName')" = George ]
	api GET "/tasks?userId=$user"
	[ "$(jqb '[.data.items[].type] | index("LINK_ACCOUNT") != null')" = true ]
	api GET "/users/$user"
	[ "$(jqb '.data.providers | join(",")')" = upwork ]
	# A code for an account that awaits none.
	wink POST "accounts/$account/mfa" "$token" '{"mfaCode": "1234"}'
	expect_error 409 INVALID_STATE "awaits no verification code"
}

@test "a wrong password or code leaves the account in ERROR with the error code" {
	read -r user token < <(new_token)
	wink POST session "$token" '{}'
	wink POST accounts "$token" '{"providerId": "upwork", "username": "Ryan", "password": "nope"}'
	expect_code 201
	[ "$(jqb .data.connectionStatus)" = ERROR ]
	[ "$(jqb .data.connection.errorCode)" = INVALID_CREDENTIALS ]
	wink POST accounts "$token" '{"providerId": "upwork", "username": "Ryan", "password": "654321"}'
	account=$(jqb .data.id)
	wink POST "accounts/$account/mfa" "$token" '{"mfaCode": "0000"}'
	expect_code 200
	[ "$(jqb .data.connection.errorCode)" = INVALID_MFA ]
	wink POST accounts "$token" '{"providerId": "nosuch", "username": "Ryan", "password": "654321"}'
	expect_error 404 MISSING_RESOURCE nosuch
	wink POST accounts "$token" '{"providerId": "upwork"}'
	expect_error 400 INVALID_PARAMETERS username
}

@test "the widget and POST /_emulator/link send the same webhook events" {
	hook_start() {
		HOOK_LOG=$BATS_TEST_TMPDIR/hooks.jsonl
		: >"$HOOK_LOG"
		python3 "$BATS_TEST_DIRNAME/../lib/webhook_receiver.py" --secret s3cret --out "$HOOK_LOG" \
			--lifetime 60 >"$BATS_TEST_TMPDIR/hook.port" 2>/dev/null &
		HOOK_PID=$!
		local i port=
		for ((i = 0; i < 200; i++)); do
			port=$(head -n1 "$BATS_TEST_TMPDIR/hook.port" 2>/dev/null || true)
			[[ -n $port ]] && break
			sleep 0.05
		done
		HOOK_URL=http://127.0.0.1:$port/hook
	}
	hook_start
	api POST /webhooks "$(jq -nc --arg url "$HOOK_URL" '{name: "w", url: $url, active: true, secret: "s3cret",
		eventTypes: ["ACCOUNT_CREATED", "ACCOUNT_CONNECTED", "TASK_STARTED", "TASK_FINISHED", "IDENTITY_ADDED"]}')"
	expect_code 200
	hook=$(jqb .data.id)
	read -r user token < <(new_token)
	wink POST session "$token" '{}'
	wink POST accounts "$token" '{"providerId": "upwork", "username": "George", "password": "123456"}'
	wink POST "accounts/$(jqb .data.id)/mfa" "$token" '{"mfaCode": "1234"}'
	expect_code 200
	other=$(create_user)
	link "$other" George 123456
	expect_code 201
	for ((i = 0; i < 600; i++)); do
		(($(wc -l <"$HOOK_LOG") >= 10)) && break
		sleep 0.05
	done
	api DELETE "/webhooks/$hook"
	types_of() {
		jq -r --arg u "$1" '.body | fromjson | select(.data.userId == $u) | .type' "$HOOK_LOG" | sort | paste -sd, -
	}
	echo "widget: $(types_of "$user"); link: $(types_of "$other")"
	[ "$(types_of "$user")" = "ACCOUNT_CONNECTED,ACCOUNT_CREATED,IDENTITY_ADDED,TASK_FINISHED,TASK_STARTED" ]
	[ "$(types_of "$user")" = "$(types_of "$other")" ]
}

@test "uploads and revokes act on the token's user only" {
	read -r user token < <(new_token)
	read -r other other_token < <(new_token)
	wink POST session "$token" '{}'
	pdf=$(printf '%%PDF-1.4\n' | base64)
	wink POST archives "$token" "$(jq -nc --arg c "$pdf" --arg o "$other" \
		'{userId: $o, fileType: "PAYSLIP", rawFiles: [{fileName: "p.pdf", fileExtensionType: "PDF", fileContent: $c}]}')"
	expect_code 200
	archive=$(jqb .data.id)
	[ "$(jqb .data.userId)" = "$user" ]
	api GET "/archives/$archive"
	[ "$(jqb .data.userId)" = "$user" ]
	wink POST session "$other_token" '{}'
	wink DELETE "archives/$archive" "$other_token"
	expect_error 404 MISSING_RESOURCE "$archive"
	wink DELETE "archives/$archive" "$token"
	expect_code 200
	[ "$(jqb .data.state.status)" = REVOKED ]
}

@test "an expired link token is refused, in a session or before one" {
	read -r user token < <(new_token)
	wink POST session "$token" '{}'
	expect_code 200
	read -r user unused < <(new_token)
	# Past expiresAt on the emulator's clock (the last test: the clock only
	# moves forward).
	ctl_post /_emulator/clock '{"advanceDays": 1}'
	expect_code 200
	wink POST accounts "$token" '{"providerId": "fiverr", "username": "George", "password": "123456"}'
	expect_error 401 TOKEN_EXPIRED expired
	wink POST session "$unused" '{}'
	expect_error 401 TOKEN_EXPIRED expired
	# A token minted now is good again.
	read -r user fresh < <(new_token)
	wink POST session "$fresh" '{}'
	expect_code 200
}
