#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# smile api against smile-emulator: -q, -o and --fields on the envelope's
# data, -F typed fields, the emulator's /_emulator/ paths, the URL in errors.
# Run: tests/run-all build tests/cli/api.bats

load ../lib/emulator

setup_file() { emulator_start; }
teardown_file() { emulator_stop; }

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
}

@test "-q prints the id of what was created, found by the covering command's columns" {
	ID=$("$SMILE" api POST /users -q)
	[[ $ID == emulator-* ]]
	run "$SMILE" api GET "/users/$ID" -q
	[ "$status" -eq 0 ]
	[ "$output" = "$ID" ]
}

@test "-o and --fields print the data: a list's items, an object whole" {
	"$SMILE" api POST /users -q >/dev/null
	run "$SMILE" api GET /users -f size=2 -o json
	[ "$status" -eq 0 ]
	[ "$(jq 'type, length' <<<"$output" | paste -sd' ')" = '"array" 2' ]
	run "$SMILE" api GET /users -f size=1 --fields id -o csv
	[ "${lines[0]}" = id ]
	[[ "${lines[1]}" == emulator-* ]]
	run "$SMILE" api GET /users -f size=1 -o ndjson
	[ "$(jq -r 'has("code")' <<<"$output")" = false ]
	# without them, the envelope as before; --jq keeps the envelope
	run "$SMILE" api GET /users -f size=1
	[ "$(jq -r .code <<<"$output")" = OK ]
	run "$SMILE" api GET /users -f size=1 -o json --jq .code
	[ "$output" = '"OK"' ]
}

@test "-F types its values as gh does; -f sends strings" {
	printf 'hello\nworld' >"$BATS_TEST_TMPDIR/note.txt"
	run "$SMILE" --dry-run api POST /webhooks -F n=12 -F big=99999999999999999999999 -F d=-2.5e3 \
		-F t=true -F f=false -F z=null -F note=@"$BATS_TEST_TMPDIR/note.txt" -F s=12abc -f raw=12
	[ "$status" -eq 0 ]
	body=$(sed -n "s/.*--data-binary '\\(.*\\)'\$/\\1/p" <<<"$output")
	[ "$body" = '{"raw":"12","n":12,"big":99999999999999999999999,"d":-2.5e3,"t":true,"f":false,"z":null,"note":"hello\nworld","s":"12abc"}' ] # -f fields first, then -F
	run "$SMILE" --dry-run api POST /users -F x=@"$BATS_TEST_TMPDIR/missing"
	[ "$status" -eq 2 ]
	[[ "$output" == "smile: -F x: cannot read '$BATS_TEST_TMPDIR/missing': No such file or directory" ]]
	run sh -c 'printf piped | "$1" --dry-run api POST /users -F x=@-' sh "$SMILE"
	[[ "$output" == *'{"x":"piped"}'* ]]
}

@test "a path under /_emulator/ goes to the emulator's root; errors name the URL" {
	run "$SMILE" api GET /_emulator/
	[ "$status" -eq 0 ]
	[ "$(jq -r .data.emulator <<<"$output")" = smile-emulator ]
	run "$SMILE" api POST /_emulator/clock -F advanceDays=0 -q
	[ "$status" -eq 0 ]
	run "$SMILE" api GET /users/u-nobody -q
	[ "$status" -eq 4 ]
	[[ "$output" == "smile: HTTP 404 "*" (GET $EMU_URL/users/u-nobody)" ]]
}
