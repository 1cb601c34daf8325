#!/usr/bin/env bats
# Webhook development from the terminal (issue 12): smile webhooks verify,
# listen, replay and trigger, against smile-emulator, with
# tests/lib/webhook_receiver.py as the independent downstream.

load ../lib/emulator

setup_file() {
	emulator_start
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	printf 'a little secret\n' >"$BATS_TEST_TMPDIR/secret"
	printf 'another secret\n' >"$BATS_TEST_TMPDIR/other"
}

sign() { # FILE SECRET: the hex HMAC-SHA512, computed by openssl as the docs' examples
	openssl dgst -sha512 -hmac "$2" -r "$1" | cut -d' ' -f1
}

# ---- verify ---------------------------------------------------------------

@test "verify: a body and its signature match (exit 0), and not with another secret (exit 1)" {
	printf '{"id":"et-1","type":"USER_CREATED","data":{"userId":"u-1"}}' >"$BATS_TEST_TMPDIR/body"
	sig=$(sign "$BATS_TEST_TMPDIR/body" 'a little secret')
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" --signature "$sig" "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 0 ]
	[ "$output" = "valid signature" ]
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" --signature "${sig^^}" - <"$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 0 ]
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/other" --signature "$sig" "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 1 ]
	[ "$output" = "smile: signature does not match the body (another secret, or the body changed)" ]
	printf ' ' >>"$BATS_TEST_TMPDIR/body"
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" --signature "$sig" "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 1 ]
}

@test "verify: malformed input is exit 2 with a one-line reason" {
	printf '{}' >"$BATS_TEST_TMPDIR/body"
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" --signature abc "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 2 ]
	[ "$output" = "smile: --signature is not 128 hex digits" ]
	run "$SMILE" webhooks verify --signature abc "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 2 ]
	[ "$output" = "smile: missing required option --secret-file" ]
	: >"$BATS_TEST_TMPDIR/empty"
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/empty" --signature abc "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 2 ]
	[[ $output == "smile: secret file '"*"empty' is empty" ]]
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/nope" --signature abc "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 2 ]
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" "$BATS_TEST_TMPDIR/body"
	[ "$status" -eq 2 ]
	[[ $output == *"body:1: not a recorded delivery: no headers object" ]]
	run "$SMILE" webhooks verify --secret-file - - </dev/null
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
}

@test "verify: every delivery of a recording against its recorded signature" {
	body='{"id":"et-2","type":"ACCOUNT_CONNECTED"}'
	printf '%s' "$body" >"$BATS_TEST_TMPDIR/b"
	good=$(sign "$BATS_TEST_TMPDIR/b" 'a little secret')
	bad=$(sign "$BATS_TEST_TMPDIR/b" 'another secret')
	jq -cn --arg b "$body" --arg s "$good" '{method: "POST", path: "/", headers: {"Smile-Signature": $s}, body: $b}' >"$BATS_TEST_TMPDIR/rec"
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" "$BATS_TEST_TMPDIR/rec"
	[ "$status" -eq 0 ]
	[[ $output == *"rec:1: valid signature: ACCOUNT_CONNECTED et-2" ]]
	jq -cn --arg b "$body" --arg s "$bad" '{method: "POST", path: "/", headers: {"smile-signature": $s}, body: $b}' >>"$BATS_TEST_TMPDIR/rec"
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" "$BATS_TEST_TMPDIR/rec"
	[ "$status" -eq 1 ]
	[[ ${lines[1]} == *"rec:2: invalid signature: ACCOUNT_CONNECTED et-2" ]]
	echo 'not json' >>"$BATS_TEST_TMPDIR/rec"
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" "$BATS_TEST_TMPDIR/rec"
	[ "$status" -eq 2 ]
	[[ $output == *"rec:3: not a recorded delivery: not a JSON object"* ]]
}

# ---- item 7 ---------------------------------------------------------------

@test "webhooks create takes its secret from --secret-file; the table shows eventTypes and active" {
	run "$SMILE" -o json webhooks create --name t7 --url http://127.0.0.1:9/x --event-types USER_CREATED,INVITE_INVITED \
		--active true --secret-file "$BATS_TEST_TMPDIR/secret" </dev/null
	[ "$status" -eq 0 ]
	id=$(jq -r .id <<<"$output")
	run env COLUMNS=200 "$SMILE" -o table webhooks get "$id"
	[ "$status" -eq 0 ]
	[[ ${lines[0]} == *EVENTTYPES*ACTIVE* || ${lines[0]} == *eventTypes*active* ]]
	[[ $output == *USER_CREATED* ]]
	run "$SMILE" webhooks create --name t7 --url http://127.0.0.1:9/x --event-types USER_CREATED \
		--active true --secret-file "$BATS_TEST_TMPDIR/empty-none"
	[ "$status" -eq 2 ]
	run "$SMILE" webhooks create --name t7 --url http://127.0.0.1:9/x --event-types USER_CREATED \
		--active true --secret 'on argv'
	[ "$status" -eq 2 ]
	"$SMILE" webhooks delete "$id" --yes
}

@test "completion offers every event type the docs list" {
	run "$SMILE" __complete webhooks create --event-types ''
	[ "$status" -eq 0 ]
	for t in USER_CREATED ACCOUNT_CONNECTED RECORD_COMPLETED ALL_EVENTS; do
		grep -qx "$t" <<<"$output"
	done
	doc=${BATS_TEST_DIRNAME}/../../../shared/smile-api/docs/english/api-reference/tags/tag-webhooks.md
	[ -f "$doc" ] || skip "no ../shared/smile-api"
	for t in $(grep -oE '^\| [^|]+\| [A-Z_]+ +\|' "$doc" | grep -oE '[A-Z]+(_[A-Z]+)+' | sort -u); do
		grep -qx "$t" <<<"$output" || { echo "missing $t"; return 1; }
	done
}
