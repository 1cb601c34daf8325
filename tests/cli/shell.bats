#!/usr/bin/env bats
# smile shell: lines run as smile commands; history only on a terminal,
# mode 0600, never with a line that mentions a secret.

load ../lib/emulator

setup_file() { emulator_start; }
teardown_file() { emulator_stop; }

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml XDG_STATE_HOME=$BATS_TEST_TMPDIR/state
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
}

@test "without a terminal, lines run in order and the last failure is the status" {
	run "$SMILE" --rate 0 shell <<<$'providers list --size 2 -q\n# a comment\nusers get u-00000000000000000000000000000000\n'
	[ "$status" -eq 4 ]
	[[ $output == *"upwork"* || $(wc -l <<<"$output") -ge 2 ]]
	[[ $output == *"404"* ]]
	[ ! -e "$XDG_STATE_HOME/smile/history" ]
}

@test "quotes group words as a shell would" {
	run "$SMILE" shell <<<$'api GET "/providers" -f \'size=1\' -q\n'
	[ "$status" -eq 0 ]
	run "$SMILE" shell <<<$'api GET "/providers\n'
	[ "$status" -eq 2 ]
	[[ $output == *"unterminated quote"* ]]
}

@test "the shell's global options apply to every line" {
	run env -u SMILE_BASE_URL "$SMILE" --base-url "$EMU_URL" shell <<<$'providers list --size 1 -o json\n'
	[ "$status" -eq 0 ]
	[ "$(jq length <<<"$output")" -eq 1 ]
}

users_count() {
	curl -s -u "$EMU_KEY:$EMU_SECRET" "$EMU_BASE/_emulator/stats" | jq '.data.collections.users // 0'
}

@test "--dry-run given to the shell reaches every line: nothing is created" {
	local before
	before=$(users_count)
	run "$SMILE" --dry-run shell <<<$'users create\nusers create --metadata a=b\n'
	[ "$status" -eq 0 ]
	[[ $output == *"curl -X POST"* ]]
	[ "$(users_count)" -eq "$before" ]
}

@test "every global option given to the shell applies to each line" {
	run "$SMILE" -o csv --fields id --no-header --rate 0 --retries 0 --timeout 5 shell <<<$'providers list --size 2\n'
	[ "$status" -eq 0 ]
	[ "$(wc -l <<<"$output")" -eq 2 ]
	[[ $output != *"id"$'\n'* ]]
	run "$SMILE" --jq '.[0] | keys | length' shell <<<$'providers list --size 1 -o json\n'
	[ "$status" -eq 0 ]
	[[ $output =~ ^[0-9]+$ ]]
	run "$SMILE" -v -q shell <<<$'providers list --size 1\n'
	[ "$status" -eq 0 ]
	[[ $output == *"> GET "* ]]
}

@test "on a terminal, history is 0600 and never holds a line with a secret" {
	command -v script >/dev/null || skip "script(1) is not installed"
	printf 'providers list --size 1 -q\nconfig set api_secret hunter2\nexit\n' |
		timeout 20 script -qec "$SMILE shell" /dev/null >/dev/null
	h=$XDG_STATE_HOME/smile/history
	[ -f "$h" ]
	[ "$(stat -c %a "$h")" = 600 ]
	grep -qx 'providers list --size 1 -q' "$h"
	! grep -q hunter2 "$h"
}

@test "on a terminal, Tab completes the value of --opt=value" {
	command -v script >/dev/null || skip "script(1) is not installed"
	# Readline breaks words at '=': the value is completed all the same.
	printf 'providers list --size 1 --output=nd\t-q\nexit\n' |
		timeout 20 script -qec "$SMILE shell" /dev/null >/dev/null
	grep -q -- '--output=ndjson -q$' "$XDG_STATE_HOME/smile/history"
}

@test "Ctrl-C drops the line typed, or stops the running command, and the shell stays" {
	python3 -c 'import pexpect' 2>/dev/null || skip "no python3-pexpect"
	run timeout 60 python3 "$BATS_TEST_DIRNAME/../lib/shell_interrupt.py" "$SMILE"
	echo "$output" | tail -n 30 # what pexpect saw, when it fails
	[ "$status" -eq 0 ]
	[ "${lines[-1]}" = ok ]
}

@test "a pipe is refused with a reason; clear and help work" {
	run "$SMILE" shell <<<$'providers list | head\n'
	[ "$status" -eq 2 ]
	[[ "$output" == "smile: pipes are not supported here; "* ]]
	run "$SMILE" shell <<<$'providers list --fields id,name -q "|"\n'
	[[ "$output" != *"pipes are not supported"* ]] # a quoted | is a word
	run "$SMILE" shell <<<$'clear\nhelp\nhelp users\n'
	[ "$status" -eq 0 ]
	[[ "$output" == *"Commands:"* ]]
	[[ "$output" == *"users list"* || "$output" == *"  list "* ]]
}
