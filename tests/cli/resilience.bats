#!/usr/bin/env bats
# Bad answers get a clear one-line error and a documented exit code, never
# a crash or a hang; retries follow the documented rule (a POST is resent
# only when it certainly was not processed).

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml SMILE_API_KEY=k SMILE_API_SECRET=s3cret
	unset SMILE_PROFILE SMILE_BASE_URL
	COUNT=$BATS_TEST_TMPDIR/requests
	: >"$COUNT"
}

teardown() {
	[[ -n ${SERVER_PID:-} ]] && kill "$SERVER_PID" 2>/dev/null || true
}

serve() { # MODE: starts the hostile server, sets URL
	coproc SRV { exec /usr/bin/python3 "$BATS_TEST_DIRNAME/../lib/hostile_server.py" "$1" "$COUNT"; }
	SERVER_PID=$SRV_PID
	read -r -t 10 port <&"${SRV[0]}"
	URL=http://127.0.0.1:$port/v1
}

smile() { timeout 60 "$SMILE" --rate 0 --base-url "$URL" "$@"; }

@test "an HTML 502 from a proxy is a one-line error, exit 6 after retries" {
	serve html502
	run smile users list --retries 2
	[ "$status" -eq 6 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == *"502"* && $output == *"not JSON"* ]]
	[ "$(wc -l <"$COUNT")" -eq 3 ]
}

@test "a 200 that is not JSON is exit 1 with a clear message" {
	serve notjson200
	run smile users list
	[ "$status" -eq 1 ]
	[[ $output == *"not JSON"* ]]
}

@test "an endless response is cut at the size cap, not a hang" {
	serve endless
	run smile users list --retries 0
	[ "$status" -ne 0 ]
	[ "$status" -ne 124 ]
	[[ $output == *"exceeds"* ]]
}

@test "a truncated response is a network error, exit 7" {
	serve truncated
	run smile users list --retries 0
	[ "$status" -eq 7 ]
	[ "${#lines[@]}" -eq 1 ]
}

@test "a dropped connection is retried for GET and ends in exit 7" {
	serve drop
	run smile users list --retries 2
	[ "$status" -eq 7 ]
	[ "$(wc -l <"$COUNT")" -eq 3 ]
}

@test "a POST that got 500 is not resent: it may have been processed" {
	serve status:500
	run smile users create --retries 3
	[ "$status" -eq 6 ]
	[ "$(wc -l <"$COUNT")" -eq 1 ]
}

@test "a POST that got 503 is resent: it was certainly not processed" {
	serve status:503
	run smile users create --retries 2
	[ "$status" -eq 6 ]
	[ "$(wc -l <"$COUNT")" -eq 3 ]
}

@test "a GET that got 504 is retried, a 404 is not" {
	serve status:504
	run smile users list --retries 1
	[ "$status" -eq 6 ]
	[ "$(wc -l <"$COUNT")" -eq 2 ]
}

@test "a timeout is exit 7 and names the URL without credentials" {
	serve endless
	run smile users list --retries 0 --timeout 0.5
	[ "$status" -ne 0 ]
	[[ $output != *s3cret* ]]
}

@test "credentials go to the API host only, never to another host" {
	serve file
	run "$SMILE" --rate 0 --base-url "http://localhost:${URL#http://127.0.0.1:}" api GET "$URL/x" --retries 0
	# An absolute URL on another host gets no Authorization header.
	grep -q "noauth" "$COUNT"
	! grep -q " auth$" "$COUNT"
}

@test "secrets never appear in errors" {
	serve status:500
	run smile users list --retries 0 --verbose
	[[ $output != *s3cret* ]]
	[[ $output != *"$(printf 'k:s3cret' | base64)"* ]]
}

@test "--all stops when the server hands back the same cursor, not a loop" {
	serve cursorloop
	run smile users list --all -o ndjson
	[ "$status" -eq 1 ]
	[[ $output == *"repeated a page cursor"* ]]
	[ "$(grep -c '{"id":"i-1"}' <<<"$output")" -eq 2 ]
	[ "$(wc -l <"$COUNT")" -eq 2 ]
}

@test "--all stops when the cursors go round in a cycle" {
	serve cursorcycle
	run smile users list --all -o json
	[ "$status" -eq 1 ]
	[[ $output == *"repeated a page cursor"* ]]
	[ "$(wc -l <"$COUNT")" -eq 3 ]
}

@test "api --all stops on a repeated cursor too" {
	serve cursorloop
	run smile api GET /users --all
	[ "$status" -eq 1 ]
	[[ $output == *"repeated a page cursor"* ]]
	[ "$(wc -l <"$COUNT")" -eq 2 ]
}

@test "--all stops with exit 1 when nextCursor is not a string, after what it got" {
	printf '{"code":"OK","data":{"items":[{"id":"i-1"}],"nextCursor":5}}' >"$BATS_TEST_TMPDIR/page.json"
	serve "body:$BATS_TEST_TMPDIR/page.json"
	run smile users list --all -q
	[ "$status" -eq 1 ]
	[ "${lines[0]}" = "i-1" ]
	[[ ${lines[1]} == *"nextCursor is not a string; stopping after 1 item" ]]
	run smile api GET /users --all
	[ "$status" -eq 1 ]
	[[ $output == *"nextCursor is not a string"* ]]
	run smile users list -q
	[ "$status" -eq 0 ]
	[ "$output" = "i-1" ]
}
