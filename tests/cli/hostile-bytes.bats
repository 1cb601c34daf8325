#!/usr/bin/env bats
# Any byte a server sends or a user types: no crash, no hang, no invalid
# output (issue 9, items 7 to 10 and 12). A canned response comes from
# tests/lib/hostile_server.py (body:FILE); the --input test uses the emulator.
# The output rule is README's "Output": U+FFFD for what is not UTF-8, \0 for
# NUL in cells, numbers as sent, duplicate keys refused.

load ../lib/emulator

setup_file() {
	emulator_start
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/config.yaml SMILE_API_KEY=k SMILE_API_SECRET=s3cret
	unset SMILE_PROFILE SMILE_BASE_URL
	COUNT=$BATS_TEST_TMPDIR/requests
	BODY=$BATS_TEST_TMPDIR/body.json
	: >"$COUNT"
}

teardown() {
	[[ -n ${SERVER_PID:-} ]] && kill "$SERVER_PID" 2>/dev/null || true
}

# serve BYTES: a server answering every request 200 with BYTES (printf format).
serve() {
	printf "$1" >"$BODY"
	coproc SRV { exec /usr/bin/python3 "$BATS_TEST_DIRNAME/../lib/hostile_server.py" "body:$BODY" "$COUNT"; }
	SERVER_PID=$SRV_PID
	read -r -t 10 port <&"${SRV[0]}"
	URL=http://127.0.0.1:$port/v1
}

# A hang is a failure (status 124), not a stuck suite.
smile() { timeout 20 "$SMILE" --rate 0 --base-url "$URL" "$@"; }

# Exits 0 when standard input is valid UTF-8 (and, with "json" or "ndjson"
# or "yaml", parses as that, strictly).
valid() {
	python3 -c '
import json, sys, yaml
text = sys.stdin.buffer.read().decode("utf-8")  # strict: raises on invalid UTF-8
kind = sys.argv[1] if len(sys.argv) > 1 else ""
if kind == "json":
    json.loads(text)
elif kind == "ndjson":
    for line in text.splitlines():
        json.loads(line)
elif kind == "yaml":
    yaml.safe_load(text)
' "$@"
}

BAD_UTF8='{"code":"OK","requestId":"r-1","data":{"id":"u-1","metadata":{"crm":"a\xc0\x89b"},"k\xff":"\xed\xa0\x80"}}'
LIST_BAD='{"code":"OK","data":{"items":[{"id":"u-1","note":"a\xc0\x89b"},{"id":"u-2\xff","note":"x"}],"nextCursor":null}}'

@test "yaml: invalid UTF-8 from the server is written as U+FFFD, no hang or crash (item 7)" {
	serve "$BAD_UTF8"
	run smile users create --metadata crm=a -o yaml
	[ "$status" -eq 0 ]
	[[ $output == *$'crm: a\xef\xbf\xbd\xef\xbf\xbdb'* ]]
	valid yaml <<<"$output"
	kill "$SERVER_PID"
	serve "$LIST_BAD"
	run smile users list -o yaml
	[ "$status" -eq 0 ]
	valid yaml <<<"$output"
}

@test "json, ndjson and smile api print valid JSON whatever bytes arrive (item 8)" {
	serve "$LIST_BAD"
	run smile users list -o json
	[ "$status" -eq 0 ]
	valid json <<<"$output"
	[[ $output == *$'"note": "a\xef\xbf\xbd\xef\xbf\xbdb"'* ]]
	run smile users list -o ndjson
	[ "$status" -eq 0 ]
	valid ndjson <<<"$output"
	[ "${#lines[@]}" -eq 2 ]
	run smile api GET /users
	[ "$status" -eq 0 ]
	valid json <<<"$output"
	[[ $output == *$'"id": "u-2\xef\xbf\xbd"'* ]]
}

@test "table, csv and -q print valid UTF-8 whatever bytes arrive (item 8)" {
	serve "$LIST_BAD"
	for format in table csv; do
		run smile users list -o "$format" --fields id,note
		[ "$status" -eq 0 ]
		valid <<<"$output"
		[[ $output == *$'a\xef\xbf\xbd\xef\xbf\xbdb'* ]]
	done
	run smile users list -q
	[ "$status" -eq 0 ]
	valid <<<"$output"
	[ "${lines[1]}" = $'u-2\xef\xbf\xbd' ]
}

@test "integers beyond 64 bits and long decimals keep their digits in every format (item 9)" {
	serve '{"code":"OK","data":{"id":"u-1","n":99999999999999999999999,"m":-99999999999999999999999,"d":0.10000000000000000000000001}}'
	for format in json ndjson yaml table csv; do
		run smile users get u-1 -o "$format" --fields id,n,m,d
		[ "$status" -eq 0 ]
		[[ $output == *99999999999999999999999* && $output == *-99999999999999999999999* ]]
		[[ $output == *0.10000000000000000000000001* ]]
		[[ $output != *18446744073709551615* && $output != *9223372036854775807* ]]
	done
	run smile users get u-1 --fields n -o json
	[ "$output" = '{
  "n": 99999999999999999999999
}' ]
}

@test "a NUL in a string shows as \\0 in table and csv cells, never cuts them (item 10)" {
	serve '{"code":"OK","data":{"items":[{"id":"u-1","note":"before\\u0000after"}]}}'
	run smile users list -o csv --fields id,note
	[ "$status" -eq 0 ]
	[ "${lines[1]}" = 'u-1,before\0after' ]
	run smile users list -o table --fields id,note
	[ "$status" -eq 0 ]
	[[ ${lines[1]} == *'before\0after' ]]
	run smile users list -o json
	[[ $output == *'"note": "before\u0000after"'* ]]
}

@test "a response with a duplicate key is refused as malformed, naming the key, exit 1 (item 10)" {
	serve '{"code":"OK","data":{"id":"u-1","id":"u-2"}}'
	run smile users get u-1 -o json
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == "smile: response is malformed: duplicate key 'id' (HTTP 200, application/json)" ]]
}

@test "config set refuses a value that is not UTF-8: one line, exit 2, file untouched (item 7)" {
	run timeout 20 "$SMILE" config set api_key k1
	[ "$status" -eq 0 ]
	cp "$SMILE_CONFIG" "$BATS_TEST_TMPDIR/before"
	run timeout 20 "$SMILE" config set api_key $'ab\xc3'
	[ "$status" -eq 2 ]
	[ "$output" = "smile: api_key is not valid UTF-8" ]
	run timeout 20 bash -c "printf '\\xff' | '$SMILE' config set api_secret"
	[ "$status" -eq 2 ]
	[ "$output" = "smile: api_secret is not valid UTF-8" ]
	run timeout 20 "$SMILE" --profile $'p\xc0\x89' config set api_key k2
	[ "$status" -eq 2 ]
	[ "$output" = "smile: the profile name is not valid UTF-8" ]
	cmp "$SMILE_CONFIG" "$BATS_TEST_TMPDIR/before"
	# config get shows the value in effect: the file's, with the environment's unset
	run timeout 20 env -u SMILE_API_KEY "$SMILE" config get api_key
	[ "$output" = k1 ]
}

@test "archives upload-payslip takes its whole body from --input, without FILE (item 12)" {
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	user=$(timeout 20 "$SMILE" users create --fields user.id -o csv --no-header)
	content=$(printf '%%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%%%EOF\n' | base64 -w0)
	printf '{"userId":"%s","fileExtensionType":"PDF","fileContent":"%s"}' "$user" "$content" >"$BODY"
	run timeout 20 "$SMILE" archives upload-payslip --input "$BODY" --fields id,userId -o csv --no-header
	[ "$status" -eq 0 ]
	[[ $output == *",$user" ]]
	printf '{"userId":"%s","fileExtensionType":"PDF"}' "$user" >"$BODY"
	run timeout 20 "$SMILE" archives upload-payslip --input "$BODY"
	[ "$status" -eq 2 ]
	[ "$output" = "smile: give a FILE (or fileContent in --input)" ]
}

@test "option values and invite rows that are not UTF-8 are refused before anything is sent" {
	serve "$BAD_UTF8"
	run smile users create --metadata crm=$'a\xc0\x89b' -o yaml
	[ "$status" -eq 2 ]
	[ "$output" = "smile: invalid value for --metadata: not valid UTF-8" ]
	run smile api POST /users -f $'name=\xff'
	[ "$status" -eq 2 ]
	[ "$output" = "smile: invalid value for --field: not valid UTF-8" ]
	printf 'email,fullName,templateId\na@example.com,Ann \xc3,t-1\n' >"$BATS_TEST_TMPDIR/people.csv"
	run smile invites send --file "$BATS_TEST_TMPDIR/people.csv"
	[ "$status" -eq 2 ]
	[[ ${lines[0]} == *"people.csv:2: fullName is not valid UTF-8" ]]
	[ ! -s "$COUNT" ]
}
