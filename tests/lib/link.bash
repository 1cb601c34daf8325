# Start and stop `smile link` from bats tests (tests/cli/link.bats,
# tests/browser/link.bats). Needs SMILE_BUILD and the SMILE_* variables of
# the profile to use.
#
#   link_start [OPTIONS...]   smile link --port 0 OPTIONS in the background;
#                             sets LINK_URL, LINK_OUT (stdout), LINK_ERR, LINK_PID
#   link_stop                 Ctrl-C and wait; fails on a sanitizer report
#   wait_line REGEX           bounded wait (10 s) for a line of its stdout

link_start() {
	local i line=
	LINK_OUT=$BATS_TEST_TMPDIR/link.out LINK_ERR=$BATS_TEST_TMPDIR/link.err
	# Made here, not by the background redirection, which may come after the
	# first look (and a failed head would end the test).
	: >"$LINK_OUT"
	"${SMILE_BUILD:?}/src/smile" link --port 0 "$@" >"$LINK_OUT" 2>"$LINK_ERR" &
	LINK_PID=$!
	for ((i = 0; i < 100; i++)); do
		line=$(head -n 1 "$LINK_OUT")
		[[ $line == "listening on "* ]] && break
		kill -0 "$LINK_PID" 2>/dev/null || break
		sleep 0.1
	done
	[[ $line == "listening on http://127.0.0.1:"*/ ]] || { cat "$LINK_ERR" >&2; return 1; }
	LINK_URL=${line#listening on }
}

link_stop() {
	[[ -n ${LINK_PID:-} ]] || return 0
	kill -INT "$LINK_PID" 2>/dev/null || true
	wait "$LINK_PID" 2>/dev/null || true
	LINK_PID=
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$LINK_ERR" 2>/dev/null; then
		echo "smile link reported a sanitizer error:" >&2
		cat "$LINK_ERR" >&2
		return 1
	fi
}

wait_line() {
	local i
	for ((i = 0; i < 200; i++)); do
		grep -qE "$1" "$LINK_OUT" && return 0
		sleep 0.05
	done
	echo "no line matching '$1' in:" >&2
	cat "$LINK_OUT" >&2
	return 1
}
