# Start and stop smile-emulator from bats tests.
#
#   load ../lib/emulator
#   setup() { emulator_start [extra options...]; }
#   teardown() { emulator_stop; }
#
# Needs SMILE_BUILD, the absolute build directory. Exports EMU_URL
# (http://host:port/v1), EMU_BASE (http://host:port), EMU_PID, EMU_KEY,
# EMU_SECRET and EMU_LOG (the emulator's stderr).

emulator_start() {
	local bin="${SMILE_BUILD:?SMILE_BUILD must name the build directory}/src/emulator/smile-emulator"
	local dir="${BATS_TEST_TMPDIR:-${TMPDIR:-/tmp}}"
	local out line i

	out=$(mktemp "$dir/emulator-out.XXXXXX")
	EMU_LOG=$(mktemp "$dir/emulator-err.XXXXXX")
	"$bin" --port 0 "$@" >"$out" 2>"$EMU_LOG" &
	EMU_PID=$!
	# Bounded wait for the ready line: 100 x 0.1 s.
	for ((i = 0; i < 100; i++)); do
		line=$(head -n 1 "$out")
		[[ $line == "listening on "* ]] && break
		if ! kill -0 "$EMU_PID" 2>/dev/null; then
			echo "smile-emulator exited before it was ready:" >&2
			cat "$EMU_LOG" >&2
			return 1
		fi
		sleep 0.1
	done
	if [[ $line != "listening on "* ]]; then
		echo "smile-emulator was not ready within 10 s" >&2
		emulator_stop
		return 1
	fi
	EMU_URL=${line#listening on }
	EMU_BASE=${EMU_URL%/v1}
	EMU_KEY=emulator-key
	EMU_SECRET=emulator-secret
	local arg prev=
	for arg in "$@"; do
		[[ $prev == --api-key ]] && EMU_KEY=$arg
		[[ $prev == --api-secret ]] && EMU_SECRET=$arg
		prev=$arg
	done
	export EMU_URL EMU_BASE EMU_PID EMU_KEY EMU_SECRET EMU_LOG
}

# Stops the emulator (SIGTERM, then SIGKILL after 5 s) and waits for it.
# Fails when the emulator reported a sanitizer error (ASan, UBSan, leaks),
# so a sanitizer build of the suite catches them.
emulator_stop() {
	local i

	[[ -n ${EMU_PID:-} ]] || return 0
	kill -TERM "$EMU_PID" 2>/dev/null || true
	for ((i = 0; i < 50; i++)); do
		kill -0 "$EMU_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$EMU_PID" 2>/dev/null || true
	wait "$EMU_PID" 2>/dev/null || true
	EMU_PID=
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$EMU_LOG" 2>/dev/null; then
		echo "smile-emulator reported a sanitizer error:" >&2
		cat "$EMU_LOG" >&2
		return 1
	fi
}

# link_account USER LOGIN PASSWORD: plays the Wink widget through the
# emulator's control route; prints the new account's id.
link_account() {
	local body
	body=$(curl -sS --fail-with-body --max-time 30 -u "$EMU_KEY:$EMU_SECRET" \
		-H 'Content-Type: application/json' -X POST "$EMU_BASE/_emulator/link" \
		--data-binary "$(jq -nc --arg u "$1" --arg l "$2" --arg p "$3" \
			'{userId: $u, providerId: "upwork", username: $l, password: $p, mfaCode: "1234"}')") ||
		{ echo "link failed: $body" >&2; return 1; }
	jq -er .data.id <<<"$body"
}

# smile_env [CONFIG_NAME]: the environment of a CLI test against the
# emulator started by emulator_start: SMILE (the binary), SMILE_CONFIG (a
# file in the test's own directory, config.yaml unless named; it need not
# exist), the emulator's URL and credentials, and no profile or NO_COLOR
# from the caller's environment.
smile_env() {
	SMILE=${SMILE_BUILD:?}/src/smile
	export SMILE_CONFIG=$BATS_TEST_TMPDIR/${1:-config.yaml}
	export SMILE_BASE_URL=$EMU_URL SMILE_API_KEY=$EMU_KEY SMILE_API_SECRET=$EMU_SECRET
	unset SMILE_PROFILE NO_COLOR
}
