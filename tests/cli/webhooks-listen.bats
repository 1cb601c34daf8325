#!/usr/bin/env bats
# Webhook development from the terminal (issue 12): smile webhooks verify,
# listen, replay and trigger, against smile-emulator, with
# tests/lib/webhook_receiver.py as the independent downstream.

load ../lib/emulator

setup_file() {
	# Failed deliveries are retried after 0.1 s, not Smile's 30 s.
	emulator_start --webhook-retry-delays-ms 100,100
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
	LISTEN_PID= DOWN_PID=
}

teardown() { # a listener a failed test left running would hold bats
	local pid
	for pid in ${LISTEN_PID:-} ${DOWN_PID:-}; do
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
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

@test "webhooks create takes its secret from stdin, and that secret signs the deliveries" {
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	run "$SMILE" -o json webhooks create --name s1 --url "http://127.0.0.1:$port/" --event-types USER_CREATED \
		--active true <"$BATS_TEST_TMPDIR/secret"
	[ "$status" -eq 0 ]
	id=$(jq -r .id <<<"$output")
	[ "$(jq -r .secret <<<"$output")" = "a little secret" ] # the line, without its newline
	listen_start --webhook-id "$id" --port "$port" --secret-file "$BATS_TEST_TMPDIR/secret" --count 1 --timeout 20
	"$SMILE" users create >/dev/null
	wait "$LISTEN_PID"
	grep -q -- '--> USER_CREATED ' "$LISTEN_OUT"
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

# ---- listen ---------------------------------------------------------------

# listen_start ARGS...: runs `smile webhooks listen ARGS` in the background
# and waits (bounded) for its "listening on" line, which comes once its
# webhook is registered. Sets LISTEN_PID, LISTEN_URL, LISTEN_OUT, LISTEN_ERR.
listen_start() {
	LISTEN_OUT=$BATS_TEST_TMPDIR/listen.out LISTEN_ERR=$BATS_TEST_TMPDIR/listen.err
	: >"$LISTEN_OUT"
	: >"$LISTEN_ERR"
	"$SMILE" webhooks listen "$@" >"$LISTEN_OUT" 2>"$LISTEN_ERR" &
	LISTEN_PID=$!
	for ((i = 0; i < 100; i++)); do
		line=$(head -n 1 "$LISTEN_OUT")
		[[ $line == "listening on "* ]] && break
		if ! kill -0 "$LISTEN_PID" 2>/dev/null; then
			wait "$LISTEN_PID" || echo "listen exited with $?" >&2
			cat "$LISTEN_OUT" "$LISTEN_ERR" >&2
			return 1
		fi
		sleep 0.1
	done
	LISTEN_URL=${line#listening on }
	[ -n "$LISTEN_URL" ]
}

# wait_lines FILE N: until FILE has N lines (bounded: 10 s).
wait_lines() {
	for ((i = 0; i < 100; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "only $(wc -l <"$1") of $2 lines in $1:" >&2
	cat "$1" >&2
	return 1
}

listen_webhooks() { # the smile-listen webhooks at the emulator
	"$SMILE" -o json webhooks list --all | jq -r '.[] | select(.name | startswith("smile-listen:")) | .id'
}

@test "listen --count: one line per event, then exit 0 and the temporary webhook is gone" {
	listen_start --count 2 --timeout 20
	[ "$(listen_webhooks | wc -l)" -eq 1 ]
	u1=$("$SMILE" -o json users create | jq -r .user.id)
	u2=$("$SMILE" -o json users create | jq -r .user.id)
	wait "$LISTEN_PID"
	[ "$(wc -l <"$LISTEN_OUT")" -eq 3 ]
	sed -n 2p "$LISTEN_OUT" | grep -E "^[0-9]{2}:[0-9]{2}:[0-9]{2}  --> USER_CREATED \[et-[0-9a-f]{32}\] user=$u1\$"
	sed -n 3p "$LISTEN_OUT" | grep -E "  --> USER_CREATED \[et-[0-9a-f]{32}\] user=$u2\$"
	[ -z "$(listen_webhooks)" ]
}

@test "listen: Ctrl-C ends with 130 and removes the webhook; -o ndjson prints each event whole" {
	listen_start -o ndjson
	id=$("$SMILE" -o json users create | jq -r .user.id)
	wait_lines "$LISTEN_OUT" 2
	sed -n 2p "$LISTEN_OUT" | jq -e --arg u "$id" '.type == "USER_CREATED" and .data.userId == $u and (.id | startswith("et-"))'
	kill -INT "$LISTEN_PID"
	rc=0
	wait "$LISTEN_PID" || rc=$?
	[ "$rc" -eq 130 ]
	[ -z "$(listen_webhooks)" ]
}

@test "listen: a crashed listener's webhook is removed by the next listen" {
	listen_start
	left=$(listen_webhooks)
	[ -n "$left" ]
	kill -KILL "$LISTEN_PID"
	wait "$LISTEN_PID" || true
	[ "$(listen_webhooks)" = "$left" ]
	run "$SMILE" webhooks listen --timeout 0.2
	[ "$status" -eq 0 ]
	[[ $output == *"smile: removed webhook $left, left by a listener that ended without cleaning up"* ]]
	[ -z "$(listen_webhooks)" ]
}

@test "listen: bad signatures, non-POSTs, broken JSON and huge bodies get their 4xx, shown, and it goes on" {
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --count 1 --timeout 20
	body='{"id":"et-x","type":"USER_CREATED","data":{"userId":"u-9"}}'
	printf '%s' "$body" >"$BATS_TEST_TMPDIR/b"
	bad=$(sign "$BATS_TEST_TMPDIR/b" 'another secret')
	good=$(sign "$BATS_TEST_TMPDIR/b" 'a little secret')
	post() { curl -s -o /dev/null -w '%{http_code}' "$@" "$LISTEN_URL"; }
	[ "$(post -H "Smile-Signature: $bad" --data-binary "$body")" = 401 ]
	[ "$(post --data-binary "$body")" = 401 ]
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$LISTEN_URL")" = 405 ]
	printf '{"id":' >"$BATS_TEST_TMPDIR/broken"
	[ "$(post -H "Smile-Signature: $(sign "$BATS_TEST_TMPDIR/broken" 'a little secret')" --data-binary @"$BATS_TEST_TMPDIR/broken")" = 400 ]
	printf '{"id":"et-d","id":"et-e"}' >"$BATS_TEST_TMPDIR/twice"
	[ "$(post -H "Smile-Signature: $(sign "$BATS_TEST_TMPDIR/twice" 'a little secret')" --data-binary @"$BATS_TEST_TMPDIR/twice")" = 400 ]
	head -c 9000000 /dev/zero | tr '\0' ' ' >"$BATS_TEST_TMPDIR/huge"
	[ "$(post -H "Smile-Signature: $good" --data-binary @"$BATS_TEST_TMPDIR/huge")" = 413 ]
	[ "$(post -H "Smile-Signature: $good" --data-binary "$body")" = 200 ]
	wait "$LISTEN_PID"
	grep -q "!!! bad signature: USER_CREATED \[et-x\] not accepted (answered 401)" "$LISTEN_OUT"
	grep -q "!!! no Smile-Signature: USER_CREATED \[et-x\] not accepted (answered 401)" "$LISTEN_OUT"
	grep -q "!!! GET request is not a delivery (answered 405)" "$LISTEN_OUT"
	grep -q "!!! a body that is not a JSON object: .* (answered 400)" "$LISTEN_OUT"
	grep -q "!!! a body that is not a JSON object: .*duplicate key 'id'.* (answered 400)" "$LISTEN_OUT"
	grep -q "!!! refused a body over 8 MiB (answered 413)" "$LISTEN_OUT"
	grep -q -- "--> USER_CREATED \[et-x\] user=u-9" "$LISTEN_OUT"
}

@test "listen: whitespace around Smile-Signature is not part of it; two Smile-Signature headers are refused" {
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --count 1 --timeout 20
	body='{"id":"et-y","type":"USER_CREATED","data":{"userId":"u-8"}}'
	printf '%s' "$body" >"$BATS_TEST_TMPDIR/b"
	good=$(sign "$BATS_TEST_TMPDIR/b" 'a little secret')
	post() { curl -s -o /dev/null -w '%{http_code}' "$@" --data-binary "$body" "$LISTEN_URL"; }
	# Either order: whichever one was checked, the other may be believed downstream.
	[ "$(post -H "Smile-Signature: $good" -H "Smile-Signature: bad")" = 401 ]
	[ "$(post -H "Smile-Signature: bad" -H "Smile-Signature: $good")" = 401 ]
	[ "$(post -H "Smile-Signature: $(printf '\t%s  ' "$good")")" = 200 ]
	wait "$LISTEN_PID"
	[ "$(grep -c '!!! more than one Smile-Signature: USER_CREATED \[et-y\] not accepted (answered 401)' "$LISTEN_OUT")" -eq 2 ]
	grep -q -- "--> USER_CREATED \[et-y\] user=u-8" "$LISTEN_OUT"
}

@test "ids and types from a delivery never put a line break or a terminal escape on the screen" {
	downstream_start
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --forward-to "$DOWN_URL" --record "$BATS_TEST_TMPDIR/rec" \
		--count 1 --timeout 20
	evil='{"id":"\u001b[31mRED\nFAKE","type":"\u001b]0;title\u0007T\rX","data":{}}'
	printf '%s' "$evil" >"$BATS_TEST_TMPDIR/b"
	post() { curl -s -o /dev/null -w '%{http_code}' "$@" --data-binary @"$BATS_TEST_TMPDIR/b" "$LISTEN_URL"; }
	[ "$(post -H 'Smile-Signature: 00')" = 401 ]
	[ "$(post -H "Smile-Signature: $(sign "$BATS_TEST_TMPDIR/b" 'a little secret')")" = 200 ]
	wait "$LISTEN_PID"
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/other" "$BATS_TEST_TMPDIR/rec"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" >>"$LISTEN_OUT"
	run "$SMILE" webhooks replay "$BATS_TEST_TMPDIR/rec" --forward-to "$DOWN_URL"
	printf '%s\n' "$output" >>"$LISTEN_OUT"
	cat -v "$LISTEN_OUT"
	! grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$LISTEN_OUT"
	! grep -q '^FAKE' "$LISTEN_OUT"
	grep -q '!!! malformed Smile-Signature: .*T X \[ \[31mRED FAKE\] not accepted' "$LISTEN_OUT"
	grep -q -- "<-- \[200\] POST $DOWN_URL \[ \[31mRED FAKE\]" "$LISTEN_OUT"
	grep -q 'rec:[0-9]*: invalid signature: .*T X  \[31mRED FAKE$' "$LISTEN_OUT"
}

@test "listen: two listeners on one port is a clear error; the real API needs --public-url" {
	listen_start
	port=${LISTEN_URL##*:}
	port=${port%/}
	run "$SMILE" webhooks listen --port "$port"
	[ "$status" -eq 1 ]
	[[ $output == "smile: cannot listen on 127.0.0.1 port $port: Address already in use (is another listener running? --port 0 picks a free port)" ]]
	kill -INT "$LISTEN_PID"
	wait "$LISTEN_PID" || true
	SMILE_BASE_URL=https://sandbox.smileapi.io/v1 run "$SMILE" webhooks listen --dry-run
	[ "$status" -eq 2 ]
	[[ $output == *"give --public-url URL"* ]]
	SMILE_BASE_URL=https://sandbox.smileapi.io/v1 run "$SMILE" webhooks listen --dry-run --public-url https://t.example/h
	[ "$status" -eq 0 ]
	[[ $output == *'"url":"https://t.example/h"'* ]]
	[[ $output == *'"secret":"***"'* ]]
	run "$SMILE" webhooks listen --webhook-id wh-1
	[ "$status" -eq 2 ]
	run "$SMILE" webhooks listen -o csv
	[ "$status" -eq 2 ]
}

@test "listen --events: the temporary webhook gets those types only" {
	run "$SMILE" webhooks listen --events ACCOUNT_CONNECTED,NOT_A_TYPE
	[ "$status" -eq 2 ]
	[ -z "$(listen_webhooks)" ]
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --events ACCOUNT_CONNECTED --count 1 --timeout 20
	id=$(listen_webhooks)
	[ "$("$SMILE" -o json webhooks get "$id" | jq -c .eventTypes)" = '["ACCOUNT_CONNECTED"]' ]
	"$SMILE" users create >/dev/null # USER_CREATED: not subscribed
	"$SMILE" webhooks trigger ACCOUNT_CONNECTED >/dev/null
	wait "$LISTEN_PID"
	[ "$(wc -l <"$LISTEN_OUT")" -eq 2 ]
	sed -n 2p "$LISTEN_OUT" | grep -q -- '--> ACCOUNT_CONNECTED '
}

@test "listen --webhook-id: receives for an existing webhook and leaves it; an unknown id is refused" {
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	id=$("$SMILE" -q webhooks create --name mine --url "http://127.0.0.1:$port/" --event-types USER_CREATED \
		--active true --secret-file "$BATS_TEST_TMPDIR/secret")
	listen_start --webhook-id "$id" --port "$port" --secret-file "$BATS_TEST_TMPDIR/secret" --count 1 --timeout 20
	grep -q "smile: ready: receiving for webhook $id, which delivers to http://127.0.0.1:$port/; Ctrl-C stops" "$LISTEN_ERR"
	u=$("$SMILE" -o json users create | jq -r .user.id)
	wait "$LISTEN_PID"
	grep -q -- "--> USER_CREATED \[et-[0-9a-f]*\] user=$u" "$LISTEN_OUT"
	# Not the listener's to delete.
	[ "$("$SMILE" -o json webhooks get "$id" | jq -r .id)" = "$id" ]
	run "$SMILE" webhooks listen --webhook-id wh-nope --skip-verify --timeout 5
	[ "$status" -eq 4 ]
	[[ $output == *"HTTP 404"*"wh-nope"* ]]
	[[ $output != *"listening on"* ]]
	# --dry-run looks the webhook up, registers none.
	run "$SMILE" --dry-run webhooks listen --webhook-id "$id" --skip-verify
	[ "$status" -eq 0 ]
	[[ $output == "curl '$EMU_URL/webhooks/$id'"* ]]
	[[ $output != *"-X POST"* ]]
	"$SMILE" webhooks delete "$id" >/dev/null
}

# ---- forwarding and replay ------------------------------------------------

# downstream_start ARGS...: the independent receiver (tests/lib), checking
# signatures with 'a little secret'. Sets DOWN_PID, DOWN_URL, DOWN_OUT.
downstream_start() {
	DOWN_OUT=$BATS_TEST_TMPDIR/downstream.jsonl
	: >"$DOWN_OUT"
	python3 "$BATS_TEST_DIRNAME/../lib/webhook_receiver.py" --secret 'a little secret' --out "$DOWN_OUT" \
		--lifetime 120 "$@" >"$BATS_TEST_TMPDIR/downstream.port" &
	DOWN_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -s "$BATS_TEST_TMPDIR/downstream.port" ] && break
		sleep 0.1
	done
	DOWN_URL=http://127.0.0.1:$(head -n 1 "$BATS_TEST_TMPDIR/downstream.port")/hooks
}

# Until every delivery the emulator queued is settled (bounded: 10 s).
emulator_settled() {
	for ((i = 0; i < 100; i++)); do
		curl -sf -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" |
			jq -e '.webhooks | .queued == .delivered + .dropped' >/dev/null && return 0
		sleep 0.1
	done
	return 1
}

link_george() { # USER: links an upwork account as the Wink widget would
	curl -sf -u "$EMU_KEY:$EMU_SECRET" -H 'Content-Type: application/json' -X POST "$EMU_BASE/_emulator/link" \
		-d "$(jq -nc --arg u "$1" '{userId: $u, providerId: "upwork", username: "George", password: "123456", mfaCode: "1234"}')" >/dev/null
}

@test "listen --forward-to: every event of a linked account reaches the downstream byte for byte, signed" {
	downstream_start
	rec=$BATS_TEST_TMPDIR/rec.jsonl
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --forward-to "$DOWN_URL" --record "$rec"
	user=$("$SMILE" -o json users create | jq -r .user.id)
	link_george "$user"
	emulator_settled
	n=$(grep -c -- ' --> ' "$LISTEN_OUT")
	wait_lines "$DOWN_OUT" "$n"
	kill -INT "$LISTEN_PID"
	wait "$LISTEN_PID" || true
	[ "$n" -ge 4 ]
	[ "$(grep -c -- ' <-- \[200\] POST '"$DOWN_URL" "$LISTEN_OUT")" -eq "$n" ]
	[ "$(wc -l <"$rec")" -eq "$n" ]
	[ "$(wc -l <"$DOWN_OUT")" -eq "$n" ]
	jq -e -s 'all(.[]; .signatureValid and .answered == 200 and .path == "/hooks")' "$DOWN_OUT"
	# The same bytes and the same signatures as the emulator sent.
	diff <(jq -r '[.body, .headers["Smile-Signature"]] | @json' "$rec" | sort) \
		<(jq -r '[.body, .headers["Smile-Signature"]] | @json' "$DOWN_OUT" | sort)
	types=$(jq -r '.body | fromjson | .type' "$rec" | sort -u | tr '\n' ' ')
	for t in USER_CREATED ACCOUNT_CREATED ACCOUNT_CONNECTED; do
		[[ " $types" == *" $t "* ]] || { echo "no $t in: $types"; return 1; }
	done
	jq -e -s --arg u "$user" 'all(.[]; .body | fromjson | .data.userId == $u)' "$rec"
	[ -z "$(listen_webhooks)" ]
}

@test "listen --forward-to: a delivery signed with another secret is shown as bad and not forwarded" {
	downstream_start
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --forward-to "$DOWN_URL" --count 1 --timeout 20
	body='{"id":"et-bad","type":"USER_CREATED","data":{"userId":"u-1"}}'
	printf '%s' "$body" >"$BATS_TEST_TMPDIR/b"
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Smile-Signature: $(sign "$BATS_TEST_TMPDIR/b" 'another secret')" \
		--data-binary "$body" "$LISTEN_URL")" = 401 ]
	body2='{"id":"et-good","type":"USER_CREATED","data":{"userId":"u-1"}}'
	printf '%s' "$body2" >"$BATS_TEST_TMPDIR/b2"
	[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Smile-Signature: $(sign "$BATS_TEST_TMPDIR/b2" 'a little secret')" \
		-H 'Content-Type: application/json' --data-binary "$body2" "$LISTEN_URL")" = 200 ]
	wait "$LISTEN_PID"
	grep -q '!!! bad signature: USER_CREATED \[et-bad\] not accepted (answered 401)' "$LISTEN_OUT"
	[ "$(wc -l <"$DOWN_OUT")" -eq 1 ]
	jq -e --arg b "$body2" '.body == $b and .signatureValid and .headers["Content-Type"] == "application/json"' "$DOWN_OUT"
	! grep -q et-bad "$DOWN_OUT"
}

@test "listen --forward-to: a downstream answering 500 makes the emulator retry, seen in the output" {
	downstream_start --fail-first 1
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --forward-to "$DOWN_URL" --count 2 --timeout 20
	"$SMILE" users create >/dev/null
	wait "$LISTEN_PID"
	id=$(sed -n 2p "$LISTEN_OUT" | grep -oE 'et-[0-9a-f]{32}')
	sed -n 3p "$LISTEN_OUT" | grep -q -- "<-- \[500\] POST $DOWN_URL \[$id\] [0-9]* ms (answered 502)"
	sed -n 4p "$LISTEN_OUT" | grep -q -- "--> USER_CREATED \[$id\]"
	sed -n 5p "$LISTEN_OUT" | grep -q -- "<-- \[200\] POST $DOWN_URL \[$id\]"
	jq -e -s '[.[].answered] == [500, 200] and all(.[]; .signatureValid)' "$DOWN_OUT"
}

@test "listen --forward-to: a target that refuses or hangs is shown and answered 502" {
	listen_start --skip-verify --forward-to http://127.0.0.1:1/hooks
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 --data-binary '{"id":"et-r"}' "$LISTEN_URL")" = 502 ]
	grep -q -- '<-- \[error\] POST http://127.0.0.1:1/hooks \[et-r\]: .* (answered 502)' "$LISTEN_OUT"
	kill -INT "$LISTEN_PID"
	wait "$LISTEN_PID" || true
	downstream_start --hang
	listen_start --skip-verify --forward-to "$DOWN_URL"
	[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 --data-binary '{"id":"et-h"}' "$LISTEN_URL")" = 502 ]
	grep -q -- "<-- \[error\] POST $DOWN_URL \[et-h\]: .* (answered 502)" "$LISTEN_OUT"
}

@test "listen --forward-to: a downstream that hangs does not hold up printing the next deliveries" {
	downstream_start --hang
	listen_start --skip-verify --forward-to "$DOWN_URL"
	curl -s -o /dev/null --max-time 40 --data-binary '{"id":"et-slow1","type":"USER_CREATED"}' "$LISTEN_URL" &
	c1=$!
	curl -s -o /dev/null --max-time 40 --data-binary '{"id":"et-slow2","type":"USER_CREATED"}' "$LISTEN_URL" &
	c2=$!
	# Both are shown at once, while their forwards still hang.
	for ((i = 0; i < 30; i++)); do
		[ "$(grep -c -- '--> USER_CREATED \[et-slow[12]\]' "$LISTEN_OUT")" -eq 2 ] && break
		sleep 0.1
	done
	[ "$(grep -c -- '--> USER_CREATED \[et-slow[12]\]' "$LISTEN_OUT")" -eq 2 ]
	! grep -q 'et-slow.*answered 502' "$LISTEN_OUT"
	kill "$c1" "$c2" 2>/dev/null || true
	wait "$c1" "$c2" 2>/dev/null || true
}

@test "listen --record, then replay: the downstream gets the same bodies, in order" {
	rec=$BATS_TEST_TMPDIR/rec.jsonl
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --record "$rec" --count 3 --timeout 20
	for i in 1 2 3; do "$SMILE" users create >/dev/null; done
	wait "$LISTEN_PID"
	[ "$(wc -l <"$rec")" -eq 3 ]
	run "$SMILE" webhooks verify --secret-file "$BATS_TEST_TMPDIR/secret" "$rec"
	[ "$status" -eq 0 ]
	downstream_start
	run "$SMILE" webhooks replay "$rec" --forward-to "$DOWN_URL"
	[ "$status" -eq 0 ]
	[ "$(grep -cE "^<-- \[200\] POST $DOWN_URL \[et-[0-9a-f]{32}\] [0-9]+ ms\$" <<<"$output")" -eq 3 ]
	[[ $output == *"smile: 3 deliveries replayed, all answered 2xx"* ]]
	diff <(jq -r .body "$rec") <(jq -r .body "$DOWN_OUT")
	jq -e -s 'all(.[]; .signatureValid)' "$DOWN_OUT"
	# Re-signed with another secret: the downstream (a little secret) refuses it.
	first=$(head -n 1 "$rec" | jq -r '.body | fromjson | .id')
	: >"$DOWN_OUT"
	run "$SMILE" webhooks replay "$rec" --forward-to "$DOWN_URL" --event "$first" --secret-file "$BATS_TEST_TMPDIR/other"
	[ "$status" -eq 0 ]
	[ "$(wc -l <"$DOWN_OUT")" -eq 1 ]
	jq -e '.signatureValid == false' "$DOWN_OUT"
	run "$SMILE" webhooks replay "$rec" --forward-to "$DOWN_URL" --event et-none
	[ "$status" -eq 2 ]
	run "$SMILE" webhooks replay "$rec" --forward-to http://127.0.0.1:1/
	[ "$status" -eq 7 ]
}

@test "a recording cut off mid-line: replay skips the torn last line with a warning; --record appends after it whole" {
	rec=$BATS_TEST_TMPDIR/rec.jsonl
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --record "$rec" --count 2 --timeout 20
	for i in 1 2; do "$SMILE" users create >/dev/null; done
	wait "$LISTEN_PID"
	head -c -40 "$rec" >"$BATS_TEST_TMPDIR/torn"
	downstream_start
	run "$SMILE" webhooks replay "$BATS_TEST_TMPDIR/torn" --forward-to "$DOWN_URL"
	[ "$status" -eq 0 ]
	[[ $output == *"smile: warning: $BATS_TEST_TMPDIR/torn:2: the last line was cut off (not a JSON object): skipped"* ]]
	[ "$(wc -l <"$DOWN_OUT")" -eq 1 ]
	# A torn line in the middle is still an error, named by its line.
	{ cat "$BATS_TEST_TMPDIR/torn"; echo; tail -n 1 "$rec"; } >"$BATS_TEST_TMPDIR/middle"
	run "$SMILE" webhooks replay "$BATS_TEST_TMPDIR/middle" --forward-to "$DOWN_URL"
	[ "$status" -eq 2 ]
	[[ $output == *"middle:2: not a recorded delivery: not a JSON object"* ]]
	# Recording again onto the torn file: the new delivery is a line of its own.
	listen_start --secret-file "$BATS_TEST_TMPDIR/secret" --record "$BATS_TEST_TMPDIR/torn" --count 1 --timeout 20
	"$SMILE" users create >/dev/null
	wait "$LISTEN_PID"
	[ "$(wc -l <"$BATS_TEST_TMPDIR/torn")" -eq 3 ]
	tail -n 1 "$BATS_TEST_TMPDIR/torn" | jq -e '.body | fromjson | .type == "USER_CREATED"'
}

# ---- trigger --------------------------------------------------------------

@test "trigger: every documented event type reaches a listener, shaped and signed" {
	doc=${BATS_TEST_DIRNAME}/../../../shared/smile-api/docs/english/api-reference/tags/tag-webhooks.md
	[ -f "$doc" ] || skip "no ../shared/smile-api"
	types=$(grep -oE '^\| [^|]+\| [A-Z_]+ +\|' "$doc" | grep -oE '[A-Z]+(_[A-Z]+)+' | sort -u)
	n=$(wc -w <<<"$types")
	[ "$n" -ge 20 ]
	user=$("$SMILE" -o json users create | jq -r .user.id)
	listen_start -o ndjson --secret-file "$BATS_TEST_TMPDIR/secret" --count "$n" --timeout 60
	for t in $types; do
		run "$SMILE" -o json webhooks trigger "$t" --user-id "$user"
		[ "$status" -eq 0 ] || { echo "$t: $output"; return 1; }
		[ "$(jq -r .eventType <<<"$output")" = "$t" ]
	done
	wait "$LISTEN_PID"
	diff <(echo "$types") <(sed 1d "$LISTEN_OUT" | jq -r .type | sort)
	sed 1d "$LISTEN_OUT" | jq -e -s --arg u "$user" 'all(.[]; (.data.userId // $u) == $u and (.id | startswith("et-")) and .version == 1)'
}

@test "trigger: refused, before anything is emitted, by a server that is not smile-emulator" {
	downstream_start
	SMILE_BASE_URL=${DOWN_URL%/hooks}/v1 run "$SMILE" webhooks trigger USER_CREATED
	[ "$status" -eq 2 ]
	[[ $output == "smile: webhooks trigger needs smile-emulator, refused: "*"is not smile-emulator"* ]]
	[ "$(wc -l <"$DOWN_OUT")" -eq 0 ]
	run "$SMILE" webhooks trigger NOT_A_TYPE
	[ "$status" -ne 0 ]
	[[ $output == *USER_CREATED* ]]
	run "$SMILE" __complete webhooks trigger ''
	grep -qx ACCOUNT_CONNECTED <<<"$output"
	! grep -qx ALL_EVENTS <<<"$output"
}
