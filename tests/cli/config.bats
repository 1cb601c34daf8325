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
		run "$SMILE" -o "$fmt" config profiles
		[ "$status" -eq 0 ]
		[[ "$output" != *hunter2* ]]
		[[ "$output" == *"********"* ]]
	done
}

@test "profiles marks the default profile" {
	"$SMILE" --profile a config set api_key A
	"$SMILE" --profile b config set api_key B
	run "$SMILE" -o json config profiles
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
	run timeout 10 "$SMILE" config profiles
	[ "$status" -eq 0 ]
	[[ "$output" == *"no profiles in $SMILE_CONFIG"* ]]
}

@test "a pipe with a writer is read to its end: --config <(command)" {
	run timeout 10 "$SMILE" --config <(sleep 1; printf 'profiles:\n  p: {api_key: K9}\n') config get api_key --profile p
	[ "$status" -eq 0 ]
	[ "$output" = "K9" ]
}

# ---- the settings in effect and where they came from (issue 15) ----------

# The row of KEY in `config list -o json`, as "value source location".
setting() {
	"$SMILE" -o json config list "${@:2}" |
		jq -r --arg k "$1" '.[] | select(.key == $k) | "\(.value) \(.source) \(.location)"'
}

@test "list shows every key with its value and source: default, file, env, flag" {
	"$SMILE" config set rate 5
	printf 's3cret-value\n' | "$SMILE" config set api_secret
	[ "$(setting rate)" = "5 file $SMILE_CONFIG:4" ]
	[ "$(setting retries)" = "3 default null" ]
	[ "$(setting timeout --timeout 2.5)" = "2.5 flag --timeout" ]
	[ "$(setting base_url)" = "https://sandbox.smileapi.io/v1 default mode sandbox" ]
	[ "$(SMILE_BASE_URL=http://127.0.0.1:9/v1 setting base_url)" = "http://127.0.0.1:9/v1 env SMILE_BASE_URL" ]
	[ "$(setting api_secret)" = "******** file $SMILE_CONFIG:5" ]
	[ "$(setting profile)" = "default file $SMILE_CONFIG:1" ]
	[ "$(SMILE_PROFILE=default setting profile)" = "default env SMILE_PROFILE" ]
	[ "$(setting output)" = "json flag --output" ]
	[ "$(setting pipe_output)" = "null null null" ]
	# every key of the schema has its row, after the profile's
	run "$SMILE" -o json config list
	[ "$(jq -r '.[].key' <<<"$output" | paste -sd, -)" = "profile,api_key,api_secret,mode,base_url,output,pipe_output,account_retention_days,upload_retention_days,rate,connect_timeout,timeout,retries,retry_max_time,wink_sdk_url" ]
	[[ "$output" != *s3cret* ]]
	run "$SMILE" -o table config list
	[[ "${lines[0]}" == "KEY"*"VALUE"*"SOURCE"*"LOCATION" ]]
}

@test "get prints the value in effect, defaults and flags included" {
	run "$SMILE" config get rate
	[ "$status" -eq 0 ]
	[ "$output" = 20 ]
	run "$SMILE" --rate 7 config get rate
	[ "$output" = 7 ]
	"$SMILE" config set retries 1
	run "$SMILE" config get retries --retries 9
	[ "$output" = 9 ]
	run "$SMILE" -o json config get retries
	[ "$(jq -c . <<<"$output")" = '{"key":"retries","value":1,"source":"file","location":"'"$SMILE_CONFIG"':4"}' ]
	SMILE_API_KEY=from-env run "$SMILE" config get api_key
	[ "$output" = from-env ]
	run "$SMILE" config get profile
	[ "$output" = default ]
}

@test "get names the source under the value on a terminal" {
	command -v script >/dev/null || skip "no script(1)"
	run script -qec "'$SMILE' config get rate" /dev/null
	[ "$status" -eq 0 ]
	[[ "$output" == *"20"*"(default)"* ]]
}

@test "--config naming a missing file is an error, except for config set" {
	run "$SMILE" --config "$TMP/nonexistent.yaml" config list
	[ "$status" -eq 2 ]
	[ "$output" = "smile: --config $TMP/nonexistent.yaml: no such file" ]
	run "$SMILE" --config "$TMP/nonexistent.yaml" users list
	[ "$status" -eq 2 ]
	[ ! -e "$TMP/nonexistent.yaml" ]
	run "$SMILE" --config "$TMP/new.yaml" config set api_key K
	[ "$status" -eq 0 ]
	run "$SMILE" --config "$TMP/new.yaml" config get api_key
	[ "$output" = K ]
	# the default path may be missing: that is a first run
	export SMILE_CONFIG="$TMP/absent.yaml"
	run "$SMILE" config get rate
	[ "$output" = 20 ]
}

@test "an unknown key in the file warns, with a did-you-mean" {
	mkdir -p "$TMP/conf"
	printf 'default: p\nprofiles:\n  p:\n    apikey: K\n    team: blue\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run "$SMILE" config get rate
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "smile: warning: $SMILE_CONFIG:4: unknown key 'apikey' in profile 'p'; did you mean 'api_key'?" ]
	[ "${lines[1]}" = "smile: warning: $SMILE_CONFIG:5: unknown key 'team' in profile 'p' (ignored)" ]
	[ "${lines[2]}" = 20 ]
}

@test "delete removes a profile; the default goes with it" {
	"$SMILE" --profile a config set api_key A
	"$SMILE" --profile b config set api_key B
	run "$SMILE" config delete a
	[ "$status" -eq 0 ]
	[[ "$output" == *"'a' was the default profile"* ]]
	run "$SMILE" -o json config profiles
	[ "$(jq -c '[.[] | {name, default}]' <<<"$output")" = '[{"name":"b","default":false}]' ]
	run "$SMILE" config delete a
	[ "$status" -eq 2 ]
	[[ "$output" == *"profile 'a' not found"* ]]
	[ "$(file_mode "$SMILE_CONFIG")" = 600 ]
}

@test "rename keeps the settings, the place and the default" {
	"$SMILE" --profile a config set api_key A
	"$SMILE" --profile b config set api_key B
	run "$SMILE" config rename a first
	[ "$status" -eq 0 ]
	run "$SMILE" -o json config profiles
	[ "$(jq -c '[.[] | {name, default, api_key}]' <<<"$output")" = '[{"name":"first","default":true,"api_key":"A"},{"name":"b","default":false,"api_key":"B"}]' ]
	run "$SMILE" config rename b first
	[ "$status" -eq 2 ]
	[[ "$output" == *"profile 'first' exists already"* ]]
	run "$SMILE" config rename nope x
	[ "$status" -eq 2 ]
}

@test "completion offers the profile names for --profile and config use" {
	"$SMILE" --profile alpha config set api_key A
	"$SMILE" --profile beta config set api_key B
	run "$SMILE" __complete config use ''
	[ "$output" = "$(printf 'alpha\nbeta')" ]
	run "$SMILE" __complete users list --profile b
	[ "$output" = beta ]
	run "$SMILE" __complete --profile=a
	[ "$output" = --profile=alpha ]
}

@test "smile(1) has OUTPUT and FILES sections and says where output: applies" {
	run "$SMILE" __man smile
	[ "$status" -eq 0 ]
	[[ "$output" == *$'\n.SH OUTPUT\n'* ]]
	[[ "$output" == *$'\n.SH FILES\n'*"config.yaml"*"history"* ]]
	[[ "$output" == *"default format on a terminal only"* ]]
	run "$SMILE" __man config
	[[ "$output" == *"pipe_output"* ]]
}

@test "profiles -q prints the profile names, one a line" {
	mkdir -p "$(dirname "$SMILE_CONFIG")"
	printf 'default: b\nprofiles:\n  a:\n    api_key: K\n  b:\n    mode: production\n' >"$SMILE_CONFIG"
	chmod 600 "$SMILE_CONFIG"
	run "$SMILE" config profiles -q
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	run "$SMILE" config profiles --quiet -o json
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "--dry-run changes no config file: set, unset, use, delete, also through the shell" {
	"$SMILE" config set api_key K1
	cp "$SMILE_CONFIG" "$TMP/before"
	run "$SMILE" --dry-run config set api_key K2
	[ "$status" -eq 0 ]
	[[ $output == *"would write "*"(--dry-run: left as it was)" ]]
	run "$SMILE" --dry-run config unset api_key
	[ "$status" -eq 0 ]
	run "$SMILE" --dry-run --profile other config set base_url http://127.0.0.1:1/v1
	[ "$status" -eq 0 ]
	run "$SMILE" --dry-run config delete default
	[ "$status" -eq 0 ]
	printf 'config set api_key K3\n' | "$SMILE" --dry-run shell
	cmp "$SMILE_CONFIG" "$TMP/before"
	# Without a file yet, none is made.
	rm "$SMILE_CONFIG"
	run "$SMILE" --dry-run config set api_key K4
	[ "$status" -eq 0 ]
	[ ! -e "$SMILE_CONFIG" ]
}
