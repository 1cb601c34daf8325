#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
#
# The emulator's clock (GET/POST /_emulator/clock) and retention: accounts
# and uploads are deleted when their days are up on that clock.
# Run: SMILE_BUILD=/abs/build-dir bats --tap tests/emulator/retention.bats

load data-common

# One emulator for the file: its clock only moves forward, so every test
# makes its own data and moves the clock as far as it needs.
setup_file() { emulator_start; }
teardown_file() { emulator_stop; }

# advance JSON: moves the clock; prints the clock's new time.
advance() {
	ctl_post /_emulator/clock "$1"
	expect_code 200 >&2 || return 1
	jqb .data.now
}

epoch() { date -u -d "$1" +%s; }

@test "the clock reads real time plus its offset and only moves forward" {
	control GET /_emulator/clock
	expect_code 200
	local before offset now
	before=$(jqb .data.offsetSeconds)
	now=$(advance '{"advanceSeconds": 90}')
	control GET /_emulator/clock
	[ "$(jqb .data.offsetSeconds)" -eq $((before + 90)) ]
	# The clock is real time plus the offset (a second of slack for the tick).
	(( $(epoch "$now") - $(date -u +%s) >= before + 89 ))
	ctl_post /_emulator/clock '{"advanceSeconds": -1}'
	expect_error 400 INVALID_PARAMETERS "never goes back"
	ctl_post /_emulator/clock '{"advanceDays": 1, "advanceSeconds": 1}'
	expect_error 400 INVALID_PARAMETERS "one of"
	ctl_post /_emulator/clock '{}'
	expect_error 400 INVALID_PARAMETERS "one of"
	ctl_post /_emulator/clock '{"advanceDays": "2"}'
	expect_error 400 INVALID_PARAMETERS advanceDays
	ctl_post /_emulator/clock '{"advanceDays": 999999999}'
	expect_error 400 INVALID_PARAMETERS advanceDays
	control GET /_emulator/clock
	[ "$(jqb .data.offsetSeconds)" -eq $((before + 90)) ]
}

@test "what the emulator writes is stamped with its clock" {
	local now user
	now=$(advance '{"advanceDays": 3}')
	api POST /users '{}'
	expect_code 201
	user=$(jqb .data.user.id)
	# Written within a few seconds after the move, not at real time.
	(( $(epoch "$(jqb .data.user.createdAt)") - $(epoch "$now") < 5 ))
	(( $(epoch "$(jqb .data.token.expiresAt)") - $(epoch "$now") >= 5 * 3600 ))
	link "$user" George 123456
	expect_code 201
	(( $(epoch "$(jqb .data.createdAt)") >= $(epoch "$now") ))
	(( $(epoch "$(jqb .data.connection.updatedAt)") >= $(epoch "$now") ))
	api GET "/tasks?userId=$user"
	jq -e --argjson t "$(epoch "$now")" \
		'(.data.items | length) > 0 and all(.data.items[]; (.startedAt | fromdateiso8601) >= $t)' <<<"$body"
	api GET "/identities?userId=$user"
	jq -e --argjson t "$(epoch "$now")" \
		'all(.data.items[]; (.metadata.createdAt | fromdateiso8601) >= $t)' <<<"$body"
}

@test "an account and an upload go 60 days after they were made, data and files too" {
	local user account archive url queued
	read -r user account < <(linked_user George 123456)
	archive=$(upload "$user")
	api GET "/archives/$archive"
	url=$(jqb '.data.rawFiles[0].url')
	# A webhook for every event: the docs name none for expiry, so none is queued.
	api POST /webhooks '{"name":"w","url":"http://127.0.0.1:9/","eventTypes":["ALL_EVENTS"],"active":true,"secret":"s"}'
	expect_code 200
	advance '{"advanceDays": 59}' >/dev/null
	api GET "/accounts/$account"
	expect_code 200
	[ "$(count_all "/identities?userId=$user")" -gt 0 ]
	api GET "/archives/$archive"
	expect_code 200
	queued=$(curl -s -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .data.webhooks.queued)

	advance '{"advanceSeconds": 86410}' >/dev/null
	api GET "/accounts/$account"
	expect_error 404 MISSING_RESOURCE account
	api GET "/archives/$archive"
	expect_error 404 MISSING_RESOURCE archive
	for kind in identities employments incomes transactions documents; do
		[ "$(count_all "/$kind?userId=$user")" -eq 0 ] || { echo "$kind left"; false; }
	done
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$url")" = 404 ]
	# The user stays: only the linked data has a retention period.
	api GET "/users/$user"
	expect_code 200
	[ "$(curl -s -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq .data.webhooks.queued)" = "$queued" ]
	api GET /webhooks
	api DELETE "/webhooks/$(jqb '.data.items[0].id')"
}

@test "a revoked account stays DISCONNECTED past its retention" {
	local user account
	read -r user account < <(linked_user Ryan 654321)
	api DELETE "/accounts/$account"
	expect_code 200
	advance '{"advanceDays": 61}' >/dev/null
	api GET "/accounts/$account"
	expect_code 200
	[ "$(jqb .data.connectionStatus)" = DISCONNECTED ]
}

@test "--account-retention-days and --upload-retention-days shorten retention" {
	(
		emulator_start --account-retention-days 2 --upload-retention-days 1
		trap emulator_stop EXIT
		read -r user account < <(linked_user George 123456)
		archive=$(upload "$user")
		advance '{"advanceSeconds": 86410}' >/dev/null
		api GET "/archives/$archive"
		expect_code 404
		api GET "/accounts/$account"
		expect_code 200
		advance '{"advanceDays": 1}' >/dev/null
		api GET "/accounts/$account"
		expect_code 404
	)
}

@test "the clock's offset survives a restart with --state" {
	(
		emulator_start --state "$BATS_TEST_TMPDIR/state.json"
		advance '{"advanceDays": 10}' >/dev/null
		emulator_stop
		emulator_start --state "$BATS_TEST_TMPDIR/state.json"
		trap emulator_stop EXIT
		control GET /_emulator/clock
		[ "$(jqb .data.offsetSeconds)" -eq 864000 ]
	)
}

@test "bad retention days are refused with exit 2" {
	for args in "--account-retention-days 0" "--upload-retention-days x" \
		    "--account-retention-days 1.5"; do
		# shellcheck disable=SC2086
		run "$SMILE_BUILD/src/emulator/smile-emulator" $args
		[ "$status" -eq 2 ] || { echo "$args: $status"; false; }
		[[ $output == *retention-days* ]]
	done
}

# session TOKEN: starts a Wink widget session with the link token; sets $code.
session() {
	code=$(curl -s -o "$BATS_TEST_TMPDIR/body" -w '%{http_code}' -X POST --max-time 10 \
		-H "Authorization: Bearer $1" -H 'Content-Type: application/json' --data '{}' \
		"$EMU_BASE/_emulator/wink/api/session") || true
	body=$(cat "$BATS_TEST_TMPDIR/body")
}

@test "a link token lives 5 hours on the emulator clock, as the docs say; refresh gives a new one" {
	local user token expires
	api POST /users '{}'
	user=$(jqb .data.user.id)
	token=$(jqb .data.token.accessToken)
	expires=$(jqb .data.token.expiresAt)
	control GET /_emulator/clock
	# A minute before expiresAt the token still opens a session ...
	advance "{\"advanceSeconds\": $(( $(epoch "$expires") - $(epoch "$(jqb .data.now)") - 60 ))}" >/dev/null
	session "$token"
	expect_code 200
	# ... and once it is past, neither it nor a second session works.
	advance '{"advanceSeconds": 61}' >/dev/null
	session "$token"
	expect_error 401 TOKEN_EXPIRED expired
	api POST "/tokens?userId=$user"
	expect_code 201
	session "$(jqb .data.accessToken)"
	expect_code 200
}
