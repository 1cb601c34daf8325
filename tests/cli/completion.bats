#!/usr/bin/env bats
# smile completion SHELL, and completion of option values, methods and paths:
# the scripts and the candidates both come from the binary.

bats_require_minimum_version 1.5.0
load ../lib/emulator

setup() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/none.yaml
	unset SMILE_PROFILE SMILE_API_KEY SMILE_API_SECRET SMILE_BASE_URL
	SCRIPTS=$BATS_TEST_DIRNAME/../../completions
}

teardown() {
	emulator_stop
	[ -z "${SILENT_PID:-}" ] || kill "$SILENT_PID" 2>/dev/null || true
}

# A server on a loopback port that accepts connections, notes each in
# $BATS_TEST_TMPDIR/connected and never answers. Sets SILENT_URL.
silent_server_start() {
	python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    c, _ = s.accept(); conns.append(c)
    open(sys.argv[1], "a").write("connected\n")
' "$BATS_TEST_TMPDIR/connected" >"$BATS_TEST_TMPDIR/port" &
	SILENT_PID=$!
	for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/port" ] && break; sleep 0.1; done
	SILENT_URL=http://127.0.0.1:$(cat "$BATS_TEST_TMPDIR/port")/v1
}

# The candidates bash's completion offers for the words given, one a line,
# with the script that `smile completion bash` prints.
bash_complete() {
	bash -c '
		PATH=$1:$PATH; shift
		source <(smile completion bash)
		COMP_WORDS=(smile "$@"); COMP_CWORD=$#; _smile
		printf "%s\n" "${COMPREPLY[@]}"' _ "$SMILE_BUILD/src" "$@"
}

@test "smile completion bash, zsh and fish print the scripts meson installs" {
	for shell in bash zsh fish; do
		case $shell in bash) f=smile.bash ;; zsh) f=_smile ;; fish) f=smile.fish ;; esac
		run "$SMILE" completion "$shell"
		[ "$status" -eq 0 ]
		diff <("$SMILE" completion "$shell") "$SCRIPTS/$f"
	done
	run "$SMILE" completion ksh
	[ "$status" -eq 2 ]
	[ "$output" = "smile: no completion for 'ksh' (bash, zsh or fish)" ]
	run "$SMILE" completion
	[ "$status" -eq 2 ]
}

@test "the printed bash script, sourced in bash, completes smile us<Tab> to users" {
	run bash_complete us
	[ "$status" -eq 0 ]
	[ "$output" = "users" ]
	run bash_complete completion ''
	[ "$output" = "$(printf 'bash\nzsh\nfish')" ]
}

@test "config set KEY <Tab> completes the values of keys with a fixed set" {
	run bash_complete config set mode ''
	[ "$output" = "$(printf 'sandbox\nproduction')" ]
	run bash_complete config set output t
	[ "$output" = "table" ]
	run bash_complete --profile p config set pipe_output nd
	[ "$output" = "ndjson" ]
	# A key with no fixed set offers nothing, not files.
	run "$SMILE" __complete config set rate ''
	[ -z "$output" ]
}

@test "api <Tab> completes methods, then api METHOD <Tab> the paths smile knows" {
	run bash_complete api ''
	[ "$output" = "$(printf 'GET\nPOST\nPUT\nPATCH\nDELETE')" ]
	run bash_complete api P
	[ "$output" = "$(printf 'POST\nPUT\nPATCH')" ]
	run bash_complete api GET /users
	[ "$output" = "$(printf '/users\n/users/{id}\n/users/{id}/payload')" ]
	# Each path once, and exactly those of the operations of that method.
	want=$("$SMILE" api --list | awk '$1 == "DELETE" { print $2 }' | sort -u)
	[ -n "$want" ]
	[ "$("$SMILE" __complete api delete '' | sort)" = "$want" ]
}

@test "webhooks create offers --secret-file, and its usage line shows it" {
	run bash_complete webhooks create --sec
	[ "$output" = "--secret-file" ]
	run "$SMILE" webhooks create --help
	[[ $output == *"--active true|false [--secret-file FILE] [options]"* ]]
}

@test "--file-type <Tab> asks the API of the profile in effect, and says nothing when it cannot" {
	emulator_start
	export SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	# --base-url typed on the line is the API asked.
	run bash_complete --base-url "$EMU_URL" archives create --file-type P
	[ "$status" -eq 0 ]
	[ "$output" = "PAYSLIP" ]
	# Wrong credentials, no credentials, no server: no candidate, no message.
	run --separate-stderr env SMILE_API_SECRET=wrong "$SMILE" __complete --base-url "$EMU_URL" archives list --file-type ''
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	run --separate-stderr env -u SMILE_API_KEY "$SMILE" __complete-described --base-url "$EMU_URL" archives list --file-type ''
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	run --separate-stderr "$SMILE" __complete --base-url http://127.0.0.1:1/v1 archives list --file-type ''
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}

@test "--file-type <Tab> gives up on a server that never answers, and --dry-run sends nothing" {
	export SMILE_API_KEY=k SMILE_API_SECRET=s
	silent_server_start
	run --separate-stderr timeout 20 "$SMILE" __complete --dry-run --base-url "$SILENT_URL" archives create --file-type ''
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ ! -e "$BATS_TEST_TMPDIR/connected" ]
	# Without --dry-run it asks once, then stops waiting (2 s), silently.
	run --separate-stderr timeout 20 "$SMILE" __complete --base-url "$SILENT_URL" archives create --file-type ''
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(cat "$BATS_TEST_TMPDIR/connected")" = "connected" ]
}
