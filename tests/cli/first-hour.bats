#!/usr/bin/env bats
# Issue 15, the first hour with smile: -vv bodies with secrets redacted,
# archives download resuming, the upload size limit, what plugins get, users
# find/show, --fields listing, and usage errors before credentials.

bats_require_minimum_version 1.5.0
load ../lib/emulator

setup_file() {
	emulator_start
}

teardown_file() {
	emulator_stop
}

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/config.yaml
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	unset SMILE_PROFILE NO_COLOR
	export COLUMNS=200
}

smile() { "$SMILE" --rate 0 "$@"; }

@test "-vv shows the response body with the token redacted" {
	run -0 --separate-stderr smile users create -vv -o json
	token=$(jq -r .token.accessToken <<<"$output")
	[[ -n $token && $token != null ]]
	[[ $stderr == *'< {'* ]]
	[[ $stderr == *'"userId": "'* ]]
	[[ $stderr == *'"accessToken": "[redacted]"'* ]]
	[[ $stderr == *'"expiresAt": "'* ]]
	[[ $stderr != *"$token"* ]]
	[[ $stderr != *"$EMU_SECRET"* ]]
}

@test "-vv shows the request body, secret fields redacted at any depth" {
	run -0 --separate-stderr smile users create --metadata password=pw-hush-1 --metadata crm=42 -vv -o json
	[[ $stderr == *'> {'* ]]
	[[ $stderr == *'"crm": "42"'* ]]
	[[ $stderr == *'"password": "[redacted]"'* ]]
	[[ $stderr != *pw-hush-1* ]]
	# The reply is an error (eventTypes is not a list): its body shows too.
	run -1 --separate-stderr smile api POST /webhooks -f name=crm -f url=https://example.com/h \
		-f eventTypes=ALL_EVENTS -f secret=wh-hush-22 --verbose --verbose
	[[ $stderr == *'"code": "INVALID_PARAMETERS"'* ]]
	[[ $stderr == *'"name": "crm"'* ]]
	[[ $stderr == *'"secret": "[redacted]"'* ]]
	[[ $stderr != *wh-hush-22* ]]
}

@test "-v alone shows headers but no bodies" {
	run -0 --separate-stderr smile users create -v -o json
	[[ $stderr == *"> POST $EMU_URL/users"* ]]
	[[ $stderr == *"bytes of body"* ]]
	[[ $stderr != *'"userId"'* ]]
}

@test "short flags combine as getopt's: -qv" {
	run -0 --separate-stderr smile users create -qv
	[[ $output =~ ^[0-9a-zA-Z_-]+$ ]]
	[[ $stderr == *"> POST"* ]]
}
