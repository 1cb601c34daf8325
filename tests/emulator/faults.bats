#!/usr/bin/env bats
# --fail-rate/--fault-seed, --latency-ms and --rate-limit.

load common

teardown() { emulator_stop; }

# Sends n requests and prints one outcome per line: the status, or 000 for a
# dropped connection.
outcomes() {
	local n=$1 method=${2:-GET} path=${3:-/providers} data=${4-}
	local i args=(-s -o /dev/null -w '%{http_code}\n' -u "$EMU_KEY:$EMU_SECRET" --max-time 10 -X "$method")
	[[ -n $data ]] && args+=(-H 'Content-Type: application/json' -d "$data")
	for ((i = 0; i < n; i++)); do
		curl "${args[@]}" "$EMU_URL$path" || true
	done
}

@test "fail-rate 1 produces every kind of fault" {
	emulator_start --fail-rate 1 --fault-seed 7
	run outcomes 60
	for kind in 500 503 429 000; do
		grep -qx "$kind" <<<"$output" || { echo "no $kind in: $output" >&2; false; }
	done
	! grep -qx 200 <<<"$output"
}

@test "the same seed gives the same faults" {
	emulator_start --fail-rate 0.5 --fault-seed 42
	first=$(outcomes 40)
	emulator_stop
	emulator_start --fail-rate 0.5 --fault-seed 42
	second=$(outcomes 40)
	[ "$first" = "$second" ]
	grep -qx 200 <<<"$first"
	grep -qvx 200 <<<"$first"
}

@test "fail-rate 0.3 faults about that share" {
	emulator_start --fail-rate 0.3 --fault-seed 3
	run outcomes 200
	faults=$(grep -cvx 200 <<<"$output")
	[ "$faults" -ge 30 ] && [ "$faults" -le 90 ]
}

@test "faulted answers use the envelope and codes" {
	emulator_start --fail-rate 1 --fault-seed 11
	for ((i = 0; i < 30; i++)); do
		api GET /providers
		case $code in
		500) [ "$(jqb .code)" = SERVER_ERROR ] ;;
		503) [ "$(jqb .code)" = SERVER_UNAVAILABLE ] ;;
		429) [ "$(jqb .code)" = REQUEST_LIMIT_EXCEEDED ] ;;
		esac
	done
}

@test "faults after the handler leave the object created; 429 and 503 never do" {
	emulator_start --fail-rate 1 --fault-seed 5
	run outcomes 80 POST /users '{}'
	control GET /_emulator/stats
	after=$(jqb .data.faults.afterHandler)
	[ "$after" -gt 0 ]
	# Only faults that strike after the handler may create users.
	[ "$(jqb .data.collections.users)" -eq "$after" ]
	before429=$(jqb .data.faults.tooManyRequests)
	before503=$(jqb .data.faults.unavailable)
	[ "$before429" -gt 0 ] && [ "$before503" -gt 0 ]
}

@test "GET faults always strike before the handler" {
	emulator_start --fail-rate 1 --fault-seed 9
	run outcomes 30
	control GET /_emulator/stats
	[ "$(jqb .data.faults.afterHandler)" -eq 0 ]
}

@test "stats count faults by kind" {
	emulator_start --fail-rate 1 --fault-seed 13
	run outcomes 40
	control GET /_emulator/stats
	total=$(jqb '.data.faults | .serverError + .unavailable + .tooManyRequests + .dropped')
	[ "$total" -eq 40 ]
	[ "$(grep -cx 500 <<<"$output")" -eq "$(jqb .data.faults.serverError)" ]
	[ "$(grep -cx 000 <<<"$output")" -eq "$(jqb .data.faults.dropped)" ]
}

@test "control API is exempt from faults" {
	emulator_start --fail-rate 1 --fault-seed 1
	for ((i = 0; i < 10; i++)); do
		control GET /_emulator/stats
		expect_code 200
	done
}

@test "latency delays every answer" {
	emulator_start --latency-ms 300
	start=$(date +%s%N)
	api GET /providers
	end=$(date +%s%N)
	expect_code 200
	[ $(((end - start) / 1000000)) -ge 300 ]
}

@test "rate limit answers 429 with Retry-After beyond the burst" {
	emulator_start --rate-limit 5
	for ((i = 0; i < 12; i++)); do
		curl -s -D "$BATS_TEST_TMPDIR/h$i" -o "$BATS_TEST_TMPDIR/b$i" -u "$EMU_KEY:$EMU_SECRET" \
			"$EMU_URL/providers"
	done
	limited=$(grep -l '^HTTP/1.1 429' "$BATS_TEST_TMPDIR"/h* | head -n 1)
	[ -n "$limited" ]
	retry=$(grep -i '^Retry-After:' "$limited" | tr -dc 0-9)
	[ "$retry" -ge 1 ]
	[ "$(jq -r .code "${limited/\/h/\/b}")" = REQUEST_LIMIT_EXCEEDED ]
	control GET /_emulator/stats
	[ "$(jqb .data.rateLimited)" -ge 1 ]
}

@test "rate limit spares the control API" {
	emulator_start --rate-limit 1
	for ((i = 0; i < 5; i++)); do
		control GET /_emulator/stats
		expect_code 200
	done
}
