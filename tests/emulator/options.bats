#!/usr/bin/env bats
# Command line of smile-emulator itself.

load common

bin() { "$SMILE_BUILD/src/emulator/smile-emulator" "$@"; }

@test "--help lists the options and the default credentials" {
	run bin --help
	[ "$status" -eq 0 ]
	[[ $output == *--fail-rate* && $output == *--rate-limit* && $output == *--state* ]]
	[[ $output == *emulator-key* && $output == *emulator-secret* ]]
	# Every control path of the man page, not only some of them.
	for path in link seed reset stats clock trigger; do
		[[ $output == *"/_emulator/$path"* ]] || { echo "/_emulator/$path missing"; false; }
	done
}

@test "--version prints the version" {
	run bin --version
	[ "$status" -eq 0 ]
	[[ $output == "smile-emulator "[0-9]* ]]
}

@test "unknown option: one line, exit 2" {
	run bin --bogus
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -eq 1 ]
	[[ $output == "smile-emulator: unknown option '--bogus'"* ]]
}

@test "option without its value: exit 2" {
	run bin --port
	[ "$status" -eq 2 ]
	[[ $output == *"--port"* ]]
}

@test "bad numbers are refused with exit 2" {
	for args in "--port 70000" "--port abc" "--fail-rate 1.5" "--fail-rate -1" \
		    "--latency-ms 1.5" "--rate-limit x" "--fault-seed -3"; do
		run bin $args
		[ "$status" -eq 2 ] || { echo "$args gave $status" >&2; false; }
		[ "${#lines[@]}" -eq 1 ]
	done
}

@test "stray argument is refused" {
	run bin extra
	[ "$status" -eq 2 ]
}

@test "custom credentials replace the defaults" {
	emulator_start --api-key k1 --api-secret s1
	[ "$EMU_KEY" = k1 ]
	api GET /providers
	expect_code 200
	code=$(curl -s -o /dev/null -w '%{http_code}' -u emulator-key:emulator-secret "$EMU_URL/providers")
	emulator_stop
	[ "$code" = 401 ]
}

@test "ready line names the URL and SIGTERM stops cleanly" {
	emulator_start
	[[ $EMU_URL =~ ^http://127\.0\.0\.1:[0-9]+/v1$ ]]
	kill -TERM "$EMU_PID"
	wait "$EMU_PID"
	status=$?
	EMU_PID=
	[ "$status" -eq 0 ]
}

@test "busy port: clear error, exit 1" {
	emulator_start
	port=${EMU_BASE##*:}
	run bin --port "$port"
	emulator_stop
	[ "$status" -eq 1 ]
	[[ $output == *"cannot listen"* ]]
}
