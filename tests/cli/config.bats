#!/usr/bin/env bats
# SPDX-License-Identifier: MIT
# smile config: round trips through the real binary, file modes, and the
# rules for secrets. Run: SMILE_BUILD=/abs/build-dir bats --tap tests/cli/config.bats
#
# Exit statuses checked here: 0 success; 1 a bad or unreadable config file,
# or a key that is not set; 2 a usage error (unknown key, bad value, secret
# on argv, unknown profile); 3 missing credentials.

setup() {
	: "${SMILE_BUILD:?set SMILE_BUILD to the build directory}"
	SMILE="$SMILE_BUILD/src/smile"
	TMP="$(mktemp -d)"
	export HOME="$TMP/home"
	mkdir -p "$HOME"
	export SMILE_CONFIG="$TMP/conf/smile.yaml"
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL XDG_CONFIG_HOME
}

teardown() {
	rm -rf "$TMP"
}

file_mode() {
	stat -c %a "$1"
}

@test "set then get returns the value" {
	run "$SMILE" config set api_key K123
	[ "$status" -eq 0 ]
	run "$SMILE" config get api_key
	[ "$status" -eq 0 ]
	[ "$output" = "K123" ]
}

@test "set writes the file 0600 in a 0700 directory" {
	run "$SMILE" config set mode production
	[ "$status" -eq 0 ]
	[ "$(file_mode "$SMILE_CONFIG")" = 600 ]
	[ "$(file_mode "$TMP/conf")" = 700 ]
}

@test "the first profile becomes the default" {
	"$SMILE" --profile sandbox config set api_key K1
	run cat "$SMILE_CONFIG"
	[ "${lines[0]}" = "default: sandbox" ]
	run "$SMILE" config get api_key
	[ "$output" = "K1" ]
}

@test "--profile and SMILE_PROFILE pick the target profile" {
	"$SMILE" config set api_key D
	"$SMILE" --profile other config set api_key O
	run "$SMILE" config get api_key
	[ "$output" = "D" ]
	run "$SMILE" --profile other config get api_key
	[ "$output" = "O" ]
	SMILE_PROFILE=other run "$SMILE" config get api_key
	[ "$output" = "O" ]
}

@test "unset removes a key; unsetting it again fails" {
	"$SMILE" config set output yaml
	run "$SMILE" config unset output
	[ "$status" -eq 0 ]
	run "$SMILE" config get output
	[ "$status" -eq 1 ]
	[ "$output" = "smile: output is not set in profile 'default'" ]
	run "$SMILE" config unset output
	[ "$status" -eq 1 ]
}

@test "use switches the default profile, which must exist" {
	"$SMILE" --profile a config set api_key A
	"$SMILE" --profile b config set api_key B
	run "$SMILE" config use b
	[ "$status" -eq 0 ]
	run "$SMILE" config get api_key
	[ "$output" = "B" ]
	run "$SMILE" config use nope
	[ "$status" -eq 2 ]
	[[ "$output" == *"profile 'nope' not found in $SMILE_CONFIG"* ]]
}

@test "set keeps unknown keys and the order of the file" {
	mkdir -p "$TMP/conf"
	printf 'default: p\nprofiles:\n  p:\n    api_key: K\n    team: blue\nnote: keep me\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run "$SMILE" config set mode sandbox
	[ "$status" -eq 0 ]
	run cat "$SMILE_CONFIG"
	[ "$output" = "$(printf 'default: p\nprofiles:\n  p:\n    api_key: K\n    team: blue\n    mode: sandbox\nnote: keep me')" ]
}

@test "the secret is read from stdin and never listed" {
	"$SMILE" config set api_key K
	run sh -c 'printf "hunter2-secret\n" | "$1" config set api_secret' sh "$SMILE"
	[ "$status" -eq 0 ]
	grep -q "hunter2-secret" "$SMILE_CONFIG"
	for fmt in json yaml table; do
		run "$SMILE" -o "$fmt" config list
		[ "$status" -eq 0 ]
		[[ "$output" != *hunter2* ]]
		[[ "$output" == *"********"* ]]
	done
}

@test "list marks the default profile" {
	"$SMILE" --profile a config set api_key A
	"$SMILE" --profile b config set api_key B
	run "$SMILE" -o json config list
	[ "$status" -eq 0 ]
	[ "$(printf '%s' "$output" | jq -c '[.[] | {name, default}]')" = '[{"name":"a","default":true},{"name":"b","default":false}]' ]
}

@test "a secret on argv is refused and not echoed" {
	run "$SMILE" config set api_secret hunter2-on-argv
	[ "$status" -eq 2 ]
	[[ "$output" == *"secrets are not taken from the command line"* ]]
	[[ "$output" != *hunter2* ]]
	[ ! -e "$SMILE_CONFIG" ] || ! grep -q hunter2 "$SMILE_CONFIG"
}

@test "get api_secret needs --reveal" {
	printf 's3cret\n' | "$SMILE" config set api_secret
	run "$SMILE" config get api_secret
	[ "$status" -eq 2 ]
	[[ "$output" != *s3cret* ]]
	run "$SMILE" config get api_secret --reveal
	[ "$status" -eq 0 ]
	[ "$output" = "s3cret" ]
}

@test "an empty secret on stdin is refused" {
	run sh -c 'printf "\n" | "$1" config set api_secret' sh "$SMILE"
	[ "$status" -eq 2 ]
}

@test "unknown keys and bad values are usage errors" {
	run "$SMILE" config set colour blue
	[ "$status" -eq 2 ]
	[[ "$output" == *"unknown key 'colour'; valid keys: api_key, api_secret, mode"* ]]
	run "$SMILE" config set mode prod
	[ "$status" -eq 2 ]
	[ "$output" = "smile: mode must be sandbox or production, not 'prod'" ]
	run "$SMILE" config set base_url ftp://x
	[ "$status" -eq 2 ]
	run "$SMILE" config set timeout soon
	[ "$status" -eq 2 ]
	run "$SMILE" config set output xml
	[ "$status" -eq 2 ]
	[[ "$output" == *"output must be one of json"* ]]
	run "$SMILE" config set api_key
	[ "$status" -eq 2 ]
	[ ! -e "$SMILE_CONFIG" ]
}

@test "a config file readable by others is refused with the chmod hint" {
	"$SMILE" config set api_key K
	chmod 644 "$SMILE_CONFIG"
	run "$SMILE" config get api_key
	[ "$status" -eq 1 ]
	[ "$output" = "smile: config file $SMILE_CONFIG is readable by others; run: chmod 600 $SMILE_CONFIG" ]
}

@test "malformed YAML is a one-line error with the line, exit 1" {
	mkdir -p "$TMP/conf"
	printf 'profiles:\n  p: {api_key: [\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run "$SMILE" config list
	[ "$status" -eq 1 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == "smile: $SMILE_CONFIG:3: "* ]]
}

@test "a wrong-shaped file names the key and line" {
	mkdir -p "$TMP/conf"
	printf 'default: p\nprofiles:\n  p: hello\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run "$SMILE" config list
	[ "$status" -eq 1 ]
	[ "$output" = "smile: $SMILE_CONFIG:3: profiles.p must be a mapping" ]
}

@test "paths under HOME are shown with ~" {
	export SMILE_CONFIG="$HOME/c.yaml"
	printf 'a: b: c\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run "$SMILE" config list
	[ "$output" = "smile: ~/c.yaml:1: mapping values are not allowed in this context" ]
}

@test "missing credentials say how to add them, exit 3" {
	"$SMILE" users --help >/dev/null 2>&1 || skip "no API group to try"
	"$SMILE" config set mode sandbox
	run "$SMILE" users list
	[ "$status" -eq 3 ]
	[[ "$output" == *"no API credentials for profile 'default'; run 'smile config set api_key KEY'"* ]]
}

@test "a FIFO nobody writes to reads as empty, it does not hang" {
	mkdir -p "$TMP/conf"
	mkfifo "$SMILE_CONFIG"
	run timeout 10 "$SMILE" config list
	[ "$status" -eq 0 ]
	[[ "$output" == *"no profiles in $SMILE_CONFIG"* ]]
}

@test "a pipe with a writer is read to its end: --config <(command)" {
	run timeout 10 "$SMILE" --config <(sleep 1; printf 'profiles:\n  p: {api_key: K9}\n') config get api_key --profile p
	[ "$status" -eq 0 ]
	[ "$output" = "K9" ]
}
