#!/usr/bin/env bats
# smile link without a browser: its server's answers to curl, --dry-run,
# the SDK URL per mode and the usage errors. The widget itself is driven in
# Chromium by tests/browser/link.bats.

load ../lib/emulator
load ../lib/link

setup_file() {
	emulator_start
}

teardown_file() {
	emulator_stop
}

setup() {
	smile_env none.yaml
	LINK_PID=
}

teardown() {
	link_stop
}

report() { # JSON: POST it as a callback report; prints the HTTP status
	curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' -d "$1" \
		"${LINK_URL}api/callbacks"
}

requests() { # how many /v1 requests the emulator has answered
	curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .requests
}

@test "callbacks print one line each, in order; unknown ones and non-JSON are refused" {
	link_start
	[ "$(report '{"callback": "onAccountCreated", "args": {"accountId": "a-1", "userId": "u-1", "providerId": "upwork"}}')" = 204 ]
	[ "$(report '{"callback": "onTokenExpired"}')" = 204 ]
	[ "$(report '{"callback": "onUIEvent", "args": {"eventName": "LoginPageOpened", "account": {"providerId": "upwork"}, "note": "two words"}}')" = 204 ]
	[ "$(report '{"callback": "onClose", "args": {"reason": "close"}}')" = 204 ]
	[ "$(report '{"callback": "alert", "args": {}}')" = 400 ]
	[ "$(report '[1]')" = 400 ]
	run curl -s -o /dev/null -w '%{http_code}' -d '{"callback": "onClose"}' "${LINK_URL}api/callbacks"
	[ "$output" = 415 ]
	kill -INT "$LINK_PID"
	wait "$LINK_PID" || rc=$?
	LINK_PID=
	[ "${rc:-0}" -eq 130 ]
	diff -u - <(sed 1d "$LINK_OUT") <<'EOF2'
onAccountCreated accountId=a-1 userId=u-1 providerId=upwork
onTokenExpired
onUIEvent eventName=LoginPageOpened account={"providerId":"upwork"} note="two words"
onClose reason=close
EOF2
}

@test "a report that is not UTF-8, holds a key twice or whose args is not an object is refused: output stays UTF-8" {
	link_start
	[ "$(report $'{"callback": "onClose", "args": {"reason": "\xff"}}')" = 400 ]
	[ "$(report '{"callback": "onAccountConnected", "args": {"accountId": "a-1", "accountId": "a-2"}}')" = 400 ]
	[ "$(report '{"callback": "onClose", "args": "close"}')" = 400 ]
	[ "$(report '{"callback": "onTokenExpired", "args": null}')" = 204 ]
	[ "$(report '{"callback": "onClose", "args": {"reason": "\u00e9t\u00e9"}}')" = 204 ]
	kill -INT "$LINK_PID"
	wait "$LINK_PID" || true
	LINK_PID=
	diff -u - <(sed 1d "$LINK_OUT") <<'EOF2'
onTokenExpired
onClose reason="été"
EOF2
	iconv -f UTF-8 -t UTF-8 "$LINK_OUT" >/dev/null
}

@test "-o ndjson prints {callback, args} per line; other formats are refused" {
	link_start -o ndjson
	report '{"callback": "onClose", "args": {"reason": "exit"}}'
	kill -INT "$LINK_PID"
	wait "$LINK_PID" || true
	LINK_PID=
	[ "$(sed -n 2p "$LINK_OUT")" = '{"callback":"onClose","args":{"reason":"exit"}}' ]
	run "$SMILE" link --port 0 -o csv
	[ "$status" -eq 2 ]
	[[ $output == "smile: smile link prints callbacks as lines or -o ndjson, not -o csv" ]]
}

@test "--once ends at onClose: exit 0 with an account connected, -q its id" {
	link_start --once -q
	report '{"callback": "onAccountConnected", "args": {"accountId": "a-7", "userId": "u", "providerId": "upwork"}}'
	report '{"callback": "onAccountConnected", "args": {"accountId": "a-8", "userId": "u", "providerId": "grab"}}'
	report '{"callback": "onAccountRemoved", "args": {"accountId": "a-8", "userId": "u", "providerId": "grab"}}'
	report '{"callback": "onClose", "args": {"reason": "exit"}}'
	wait "$LINK_PID"
	LINK_PID=
	[ "$(sed 1d "$LINK_OUT")" = a-7 ]
}

@test "--dry-run shows the request of a launch and sends nothing" {
	before=$(requests)
	run "$SMILE" link --dry-run --port 9999
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == "would serve http://127.0.0.1:9999/ with the Wink SDK $EMU_BASE/_emulator/wink/v2/smile.v2.js; each widget launch sends:" ]]
	[[ $output == *"curl"*"-X POST"*"$EMU_URL/users"* ]]
	[[ $output != *"$EMU_SECRET"* ]]
	[ "$(requests)" = "$before" ]
	run "$SMILE" link --dry-run --user-id emulator-1
	[[ $output == *"$EMU_URL/tokens?userId=emulator-1"* ]]
}

@test "the SDK: the official one for the official API, the emulator's otherwise, --sdk-url and wink_sdk_url beat both" {
	run env SMILE_BASE_URL=https://sandbox.smileapi.io/v1 "$SMILE" link --dry-run
	[[ ${lines[0]} == *" with the Wink SDK https://web.smileapi.io/v2/smile.v2.js;"* ]]
	run "$SMILE" link --dry-run --sdk-url https://cdn.test/sdk.js
	[[ ${lines[0]} == *" with the Wink SDK https://cdn.test/sdk.js;"* ]]
	printf 'profiles:\n  p:\n    wink_sdk_url: https://cdn.test/profile.js\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run "$SMILE" --profile p link --dry-run
	[[ ${lines[0]} == *" with the Wink SDK https://cdn.test/profile.js;"* ]]
	run "$SMILE" config set wink_sdk_url ftp://x --profile p
	[ "$status" -ne 0 ]
	[[ $output == *"must start with https:// or http://"* ]]
}

@test "the page loads the SDK of the run; a failed token mint answers 502" {
	link_start
	curl -sf "$LINK_URL" | grep -qF "<script src=\"$EMU_BASE/_emulator/wink/v2/smile.v2.js\"></script>"
	kill -INT "$LINK_PID"; wait "$LINK_PID" || true
	SMILE_API_SECRET=wrong link_start
	run curl -s -w ' %{http_code}' "${LINK_URL}api/create_link_token"
	[[ $output == *' 502' ]]
	grep -q 'HTTP 401' "$LINK_ERR"
}

@test "usage errors: a bad --host, a port in use, an argument" {
	run "$SMILE" link --host nowhere.test --port 0
	[ "$status" -eq 1 ]
	[[ $output == *"invalid --host 'nowhere.test'"* ]]
	port=${EMU_URL##*:}
	run "$SMILE" link --port "${port%/v1}"
	[ "$status" -eq 1 ]
	[[ $output == *"cannot listen on 127.0.0.1 port ${port%/v1}"* ]]
	run "$SMILE" link extra
	[ "$status" -eq 2 ]
}

@test "an unknown provider or user, or too many top providers: exit 2 before serving, naming the option" {
	users_before=$("$SMILE" users list --all -o json | jq length)
	run "$SMILE" link --port 0 --providers upwork,no-such-provider
	[ "$status" -eq 2 ]
	[ "$output" = "smile: --providers: no provider 'no-such-provider' (smile providers list shows them)" ]
	run "$SMILE" link --port 0 --top-providers nope
	[ "$status" -eq 2 ]
	[ "$output" = "smile: --top-providers: no provider 'nope' (smile providers list shows them)" ]
	run "$SMILE" link --port 0 --user-id no-such-user
	[ "$status" -eq 2 ]
	[ "$output" = "smile: --user-id: no user 'no-such-user' (smile users list shows them)" ]
	run "$SMILE" link --dry-run --top-providers a,b,c,d,e,f,g,h,i,j,k
	[ "$status" -eq 2 ]
	[ "$output" = "smile: --top-providers takes at most 10 providers, not 11" ]
	# No user was created by the refused runs.
	[ "$("$SMILE" users list --all -o json | jq length)" -eq "$users_before" ]
}

@test "--open hands the page to xdg-open" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\necho "$1" >"%s/opened"\n' "$BATS_TEST_TMPDIR" >"$BATS_TEST_TMPDIR/bin/xdg-open"
	chmod +x "$BATS_TEST_TMPDIR/bin/xdg-open"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH link_start --open
	for ((i = 0; i < 100; i++)); do
		[[ -s $BATS_TEST_TMPDIR/opened ]] && break
		sleep 0.05
	done
	[ "$(cat "$BATS_TEST_TMPDIR/opened")" = "$LINK_URL" ]
}
