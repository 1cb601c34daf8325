#!/usr/bin/env bats
# --state, /_emulator/reset and /_emulator/stats.

load common

teardown() { emulator_stop; }

@test "state survives a restart" {
	state=$BATS_TEST_TMPDIR/state.json
	emulator_start --state "$state"
	id=$(create_user)
	tpl=$(create_invite_template)
	emulator_stop
	[ -s "$state" ]
	emulator_start --state "$state"
	api GET "/users/$id"
	expect_code 200
	api GET "/inviteTemplates/$tpl"
	expect_code 200
	[ "$(jqb .data.company.name)" = Acme ]
}

@test "state is saved soon after a change, before exit" {
	state=$BATS_TEST_TMPDIR/state.json
	emulator_start --state "$state"
	id=$(create_user)
	for ((i = 0; i < 50; i++)); do
		grep -q "$id" "$state" 2>/dev/null && break
		sleep 0.1
	done
	grep -q "$id" "$state"
}

@test "paging still works after a restart" {
	state=$BATS_TEST_TMPDIR/state.json
	emulator_start --state "$state"
	for i in 1 2 3; do create_user >/dev/null; done
	emulator_stop
	emulator_start --state "$state"
	api GET "/users?size=2"
	api GET "/users?size=2&cursor=$(jqb .data.nextCursor)"
	[ "$(jqb '.data.items | length')" -eq 1 ]
	[ "$(jqb .data.nextCursor)" = null ]
}

@test "a user with metadata nested as deep as the API accepts survives a restart" {
	state=$BATS_TEST_TMPDIR/state.json
	emulator_start --state "$state"
	deep=$(printf '{"a":%.0s' {1..30})1$(printf '}%.0s' {1..30})
	api POST /users "{\"externalMetadata\":$deep}"
	expect_code 201
	id=$(jqb .data.user.id)
	emulator_stop
	emulator_start --state "$state"
	api GET "/users/$id"
	expect_code 200
	[ "$(jqb '[.data.externalMetadata | paths] | length')" -eq 30 ]
}

@test "state file in a directory that cannot be written: one-line error, exit 1" {
	run timeout 10 "$SMILE_BUILD/src/emulator/smile-emulator" --port 0 \
		--state "$BATS_TEST_TMPDIR/no/such/dir/state.json"
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == "smile-emulator: cannot save state to '$BATS_TEST_TMPDIR/no/such/dir/state.json'"* ]]
}

@test "a failed save is retried, and a state lost at exit gives exit status 1" {
	dir=$BATS_TEST_TMPDIR/statedir
	mkdir "$dir"
	emulator_start --state "$dir/state.json"
	rmdir "$dir"
	first=$(create_user)
	for ((i = 0; i < 50; i++)); do
		grep -q "cannot save state" "$EMU_LOG" && break
		sleep 0.1
	done
	grep -q "cannot save state" "$EMU_LOG"
	# The directory is back: the unsaved change is saved on a retry.
	mkdir "$dir"
	for ((i = 0; i < 100; i++)); do
		grep -q "$first" "$dir/state.json" 2>/dev/null && break
		sleep 0.1
	done
	grep -q "$first" "$dir/state.json"
	rm -r "$dir"
	create_user >/dev/null
	kill -TERM "$EMU_PID"
	status=0
	wait "$EMU_PID" || status=$?
	[ "$status" -eq 1 ]
	[ "$(grep -c "cannot save state" "$EMU_LOG")" -ge 2 ]
}

@test "malformed state file: one-line error, exit 1" {
	state=$BATS_TEST_TMPDIR/state.json
	for content in '{not json' '[]' '{"version":1,"collections":{"users":[{"noid":1}]}}' \
		       '{"version":1,"collections":{"users":5}}' '{"version":99,"collections":{}}' \
		       '{"version":1,"collections":{"users":[{"id":"x"}'; do
		printf '%s' "$content" >"$state"
		run "$SMILE_BUILD/src/emulator/smile-emulator" --port 0 --state "$state"
		[ "$status" -eq 1 ] || { echo "'$content' gave $status" >&2; false; }
		[ "${#lines[@]}" -eq 1 ]
		[[ $output == "smile-emulator: state file"* ]]
	done
}

@test "a large state loads and pages deep quickly" {
	state=$BATS_TEST_TMPDIR/state.json
	/usr/bin/python3 - "$state" <<'PY'
import json, sys
users = [{"id": "emulator-%032x" % i, "externalMetadata": {}, "createdAt": "2024-01-01T00:00:00Z",
          "providers": []} for i in range(100000)]
json.dump({"version": 1, "collections": {"users": users}}, open(sys.argv[1], "w"))
PY
	emulator_start --state "$state"
	api GET "/users?size=150&cursor=99950"
	expect_code 200
	[ "$(jqb '.data.items | length')" -eq 51 ]
	[ "$(jqb .data.items[0].id)" = "emulator-$(printf '%032x' 99949)" ]
	[ "$(jqb .data.nextCursor)" = null ]
	api GET "/users/emulator-$(printf '%032x' 77777)"
	expect_code 200
}

@test "reset clears everything" {
	emulator_start
	id=$(create_user)
	create_invite_template >/dev/null
	control POST /_emulator/reset
	expect_code 200
	api GET "/users/$id"
	expect_code 404
	api GET /inviteTemplates
	[ "$(jqb '.data.items | length')" -eq 0 ]
}

@test "reset is saved to the state file" {
	state=$BATS_TEST_TMPDIR/state.json
	emulator_start --state "$state"
	id=$(create_user)
	control POST /_emulator/reset
	emulator_stop
	emulator_start --state "$state"
	api GET "/users/$id"
	expect_code 404
}

@test "stats count requests, 401s and objects" {
	emulator_start
	create_user >/dev/null
	api GET /providers
	curl -s -o /dev/null -u bad:bad "$EMU_URL/providers"
	control GET /_emulator/stats
	expect_code 200
	[ "$(jqb .data.requests)" -eq 3 ]
	[ "$(jqb .data.unauthorized)" -eq 1 ]
	[ "$(jqb .data.collections.users)" -eq 1 ]
	[ "$(jqb '.data.webhooks | has("delivered")')" = true ]
}

@test "unknown control path is 404" {
	emulator_start
	control GET /_emulator/nothing
	expect_code 404
}

@test "GET /_emulator/ says it is smile-emulator, with its version" {
	emulator_start
	control GET /_emulator/
	expect_code 200
	jq -e --arg v "$("$SMILE_BUILD/src/emulator/smile-emulator" --version | cut -d' ' -f2)" \
		'.data == {emulator: "smile-emulator", version: $v}' <<<"$body"
	control GET /_emulator
	[ "$(jqb .data.emulator)" = smile-emulator ]
}
