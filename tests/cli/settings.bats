#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# What a profile's settings do to a run against smile-emulator: smile auth
# status, and a profile's output: default applying on a terminal only.
# Run: tests/run-all build tests/cli/settings.bats

load ../lib/emulator

setup_file() { emulator_start; }
teardown_file() { emulator_stop; }

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/config.yaml
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL XDG_CONFIG_HOME
	"$SMILE" --profile local config set base_url "$EMU_URL"
	"$SMILE" --profile local config set api_key "$EMU_KEY"
	printf '%s\n' "$EMU_SECRET" | "$SMILE" --profile local config set api_secret
}

@test "auth status: profile, file, host and credentials that work" {
	run "$SMILE" auth status
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "profile:      local (the file's default)" ]
	[ "${lines[1]}" = "config file:  $SMILE_CONFIG (mode 0600)" ]
	[ "${lines[2]}" = "API:          $EMU_URL, sandbox mode (from the config file)" ]
	[ "${lines[3]}" = "api_key:      $EMU_KEY (from the config file)" ]
	[[ "${lines[4]}" == "credentials:  work (GET /users answered 200 in "*" ms)" ]]
	[[ "$output" != *"$EMU_SECRET"* ]]
	run "$SMILE" -o json auth status
	[ "$(jq -c '[.profile, .baseUrl, .credentialsWork, .status, .configFilePrivate]' <<<"$output")" = '["local","'"$EMU_URL"'",true,200,true]' ]
}

@test "auth status: refused and missing credentials exit 3, an unreachable host 7" {
	SMILE_API_SECRET=wrong run "$SMILE" auth status
	[ "$status" -eq 3 ]
	[[ "${lines[4]}" == "credentials:  do not work: HTTP 401 "* ]]
	[[ "$output" != *wrong* ]]
	"$SMILE" --profile bare config set mode sandbox
	run "$SMILE" --profile bare auth status
	[ "$status" -eq 3 ]
	[ "${lines[0]}" = "profile:      bare (from --profile)" ]
	[[ "$output" == *"credentials:  do not work: no api_key and no api_secret"* ]]
	run "$SMILE" --base-url http://127.0.0.1:9/v1 --retries 0 auth status
	[ "$status" -eq 7 ]
	[[ "${lines[2]}" == "API:          http://127.0.0.1:9/v1, sandbox mode (from --base-url)" ]]
}

@test "auth status: a config file others can read is named" {
	chmod 644 "$SMILE_CONFIG"
	run "$SMILE" auth status
	[ "$status" -eq 1 ]
	[[ "$output" == *"chmod 600"* ]]
}

@test "a profile's output: applies on a terminal only; pipe_output: to pipes" {
	command -v script >/dev/null || skip "no script(1)"
	"$SMILE" config set output csv
	run sh -c '"$1" providers list --size 2 | head -c 1' sh "$SMILE"
	[ "$output" = "[" ] # a pipe gets JSON, as if output: were not set
	run script -qec "'$SMILE' providers list --size 2" /dev/null
	[[ "${lines[0]}" == id,* ]] # the terminal gets the profile's csv
	"$SMILE" config set pipe_output ndjson
	run sh -c '"$1" providers list --size 2 | head -n 1 | jq -r .id' sh "$SMILE"
	[ -n "$output" ] && [ "$output" != null ]
	run sh -c '"$1" -o csv providers list --size 2 | head -n 1' sh "$SMILE"
	[[ "$output" == id,* ]] # -o beats both
}
